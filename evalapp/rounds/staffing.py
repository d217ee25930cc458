"""Automatic blind assignment of observers to a round's units, and staffing warnings.

:func:`auto_assign` reads the round, its units and the active observers with their
affiliations, lets the pure :func:`.assignment.plan_assignments` decide, and writes the new
assignments — or, when some unit cannot get enough eligible observers, raises
:class:`AssignmentRefused` naming each such unit and writes nothing.

Assignments already in the round (made by hand or by an earlier run) are kept and counted:
a second run only fills the places still open, e.g. after units were added. The seed of
the latest run that assigned anyone is kept in ``Round.assignment_seed`` and every run's
seed in its ``auto_assign`` audit event; the same seed on the same round state gives the
same assignments. Automatic assignment works per unit; an ``experience`` round's
assignment to a particular activity is made by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Assignment, Round, User, user_affiliation
from ..operations import OperationError
from .assignment import AssignmentImpossible, Candidate, Shortfall, UnitSlot, plan_assignments
from .operations import ASSIGNABLE_STATUSES
from .scope import Hierarchy, checked_seed, scope_ids

SAFE_OBSERVERS = 2


class AssignmentRefused(OperationError):
    """The constraints cannot be met; ``shortfalls`` says which units lack whom."""

    def __init__(self, round_id: int, impossible: AssignmentImpossible) -> None:
        self.shortfalls: list[Shortfall] = impossible.shortfalls
        super().__init__(f"round {round_id}: {impossible}")


@dataclass(frozen=True)
class AutoAssignment:
    """What a run did: assignments created, the seed, loads and warnings to show."""

    created: int
    seed: int
    loads: dict[int, int]
    warnings: tuple[str, ...]

    @property
    def load_range(self) -> tuple[int, int]:
        values = self.loads.values()
        return (min(values), max(values)) if values else (0, 0)


def auto_assign(session: Session, round_: Round, seed: int | None = None,
                actor_id: int | None = None) -> AutoAssignment:
    """Give every unit of the round ``round_.observers_per_unit`` observers (audited)."""
    if round_.status not in ASSIGNABLE_STATUSES:
        raise OperationError(f"round {round_.id} is {round_.status}: assignments are closed")
    seed = checked_seed(seed)
    hierarchy = Hierarchy.load(session)
    slots = [_slot(hierarchy, unit_id) for unit_id in sorted(scope_ids(session, round_.id))]
    candidates = _candidates(session, hierarchy)
    existing = session.execute(select(Assignment.unit_id, Assignment.observer_id)
                               .where(Assignment.round_id == round_.id)).all()
    try:
        plan = plan_assignments(slots, candidates, round_.observers_per_unit, seed=seed,
                                existing=[tuple(row) for row in existing],
                                exclude_same_county=round_.exclude_same_county)
    except AssignmentImpossible as error:
        raise AssignmentRefused(round_.id, error) from error
    session.add_all(Assignment(round_id=round_.id, unit_id=unit_id, observer_id=observer_id)
                    for unit_id, observer_id in plan.pairs)
    if plan.pairs:
        round_.assignment_seed = seed
    session.flush()
    loads = plan.loads
    audit.record(session, "auto_assign", "round", round_.id, actor_id, seed=seed,
                 created=len(plan.pairs), per_unit=round_.observers_per_unit,
                 observers=len(candidates), units=len(slots),
                 min_load=min(loads.values(), default=0), max_load=max(loads.values(), default=0))
    return AutoAssignment(len(plan.pairs), seed, loads, tuple(staffing_warnings(session, round_)))


def _slot(hierarchy: Hierarchy, unit_id: int) -> UnitSlot:
    return UnitSlot(unit_id, hierarchy.by_id[unit_id].label, hierarchy.county_code(unit_id))


def _candidates(session: Session, hierarchy: Hierarchy) -> list[Candidate]:
    """The active observers with their affiliated units and those units' counties."""
    ids = session.scalars(select(User.id).where(User.role == "observer", User.active)).all()
    units: dict[int, set[int]] = defaultdict(set)
    rows = session.execute(select(user_affiliation.c.user_id, user_affiliation.c.unit_id)
                           .join(User, User.id == user_affiliation.c.user_id)
                           .where(User.role == "observer", User.active))
    for user_id, unit_id in rows:
        units[user_id].add(unit_id)
    return [Candidate(user_id, frozenset(units[user_id]), frozenset(
        county for unit_id in units[user_id]
        if (county := hierarchy.county_code(unit_id)) is not None)) for user_id in ids]


def staffing_warnings(session: Session, round_: Round) -> list[str]:
    """One warning per unit in scope with fewer than two observers, in code order.

    With a single observer, whoever knows the assignment can read that observer's answers
    in the unit's results (DESIGN.md, anonymity), so the team should know.
    """
    hierarchy = Hierarchy.load(session)
    counts = dict(session.execute(
        select(Assignment.unit_id, func.count(func.distinct(Assignment.observer_id)))
        .where(Assignment.round_id == round_.id).group_by(Assignment.unit_id)).all())
    thin = sorted((hierarchy.by_id[unit_id].label, counts.get(unit_id, 0))
                  for unit_id in scope_ids(session, round_.id)
                  if counts.get(unit_id, 0) < SAFE_OBSERVERS)
    return [_thin_warning(label, count) for label, count in thin]


def _thin_warning(label: str, count: int) -> str:
    if count == 0:
        return f"{label}: no observer assigned"
    return (f"{label}: only one observer — anyone who knows the assignment can read that "
            "observer's answers in the unit's results")


def loads_summary(loads: Sequence[int]) -> str:
    """e.g. "3–4 assignments per observer"."""
    if not loads:
        return "no observers"
    low, high = min(loads), max(loads)
    span = str(low) if low == high else f"{low}–{high}"
    return f"{span} assignment{'s' if high != 1 else ''} per observer"
