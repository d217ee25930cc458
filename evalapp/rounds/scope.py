"""Which units a round evaluates: chosen by kind and area, or drawn as a spot-check sample.

A sample is drawn by :mod:`.sampling` from a *frame* (the units the criteria select), with
the counties as strata. The seed goes into ``Round.sampling_seed``; the criteria, the frame
(each unit code with its county) and the drawn codes go into the ``sample`` audit event of
the round. :func:`check_sample` re-draws from that record for an audit: the recorded frame
makes the check independent of later changes to the unit list, and comparing it with the
frame the criteria select today shows whether the unit list has changed since.

Scope changes are refused once a round is published. Before that, units may be added at
any time, but a unit that already has assignments or responses cannot be removed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Assignment, AuditEvent, Response, Round, RoundUnit, Unit
from ..operations import OperationError
from .sampling import MAX_SEED, NO_COUNTY, SampleDraw, draw_sample, sample_size

DEFAULT_KINDS = ("branch", "youth_home")


@dataclass(frozen=True)
class UnitInfo:
    """A unit as scope and assignment code needs it: without loading the ORM object."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    active: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class Hierarchy:
    """Every unit, loaded with one query, and where each sits: its county and ancestors."""

    def __init__(self, units: Iterable[UnitInfo]) -> None:
        self.by_id = {unit.id: unit for unit in units}
        self.by_code = {unit.code: unit for unit in self.by_id.values()}

    @classmethod
    def load(cls, session: Session) -> Hierarchy:
        rows = session.execute(select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent_id,
                                      Unit.active))
        return cls(UnitInfo(*row) for row in rows)

    def ancestors(self, unit_id: int) -> list[UnitInfo]:
        """The unit's parents, nearest first (a cycle in the data ends the walk)."""
        chain: list[UnitInfo] = []
        seen = {unit_id}
        parent = self.by_id[unit_id].parent_id
        while parent is not None and parent not in seen and parent in self.by_id:
            seen.add(parent)
            chain.append(self.by_id[parent])
            parent = self.by_id[parent].parent_id
        return chain

    def county_of(self, unit_id: int) -> UnitInfo | None:
        """The county the unit lies in: itself if it is one, else its nearest county above."""
        unit = self.by_id[unit_id]
        if unit.kind == "county":
            return unit
        return next((above for above in self.ancestors(unit_id) if above.kind == "county"),
                    None)

    def county_code(self, unit_id: int) -> str | None:
        county = self.county_of(unit_id)
        return county.code if county else None

    def select(self, kinds: Sequence[str], under: Sequence[str] = ()) -> list[UnitInfo]:
        """Active units of ``kinds`` below any of the ``under`` codes (all when none)."""
        unknown = sorted(set(under) - set(self.by_code))
        if unknown:
            raise OperationError(f"unknown unit code(s): {', '.join(unknown)}")
        roots = set(under)
        chosen = [unit for unit in self.by_id.values() if unit.kind in kinds and unit.active
                  and (not roots or any(a.code in roots for a in self.ancestors(unit.id)))]
        return sorted(chosen, key=lambda unit: unit.code)


def select_units(session: Session, kinds: Sequence[str] = DEFAULT_KINDS,
                 under: Sequence[str] = ()) -> list[Unit]:
    """The active units of ``kinds`` below the given unit codes: a round's usual scope."""
    ids = [unit.id for unit in Hierarchy.load(session).select(kinds, under)]
    return _units_by_id(session, ids)


def scope_ids(session: Session, round_id: int) -> set[int]:
    return set(session.scalars(select(RoundUnit.unit_id).where(RoundUnit.round_id == round_id)))


def set_scope(session: Session, round_: Round, units: Iterable[Unit],
              actor_id: int | None = None) -> tuple[list[str], list[str]]:
    """Make ``units`` the round's scope; returns the codes added and removed (audited)."""
    _require_unpublished(round_)
    wanted = {unit.id: unit.code for unit in units}
    current = scope_ids(session, round_.id)
    removed = sorted(current - set(wanted))
    _refuse_removing_used(session, round_, removed)
    session.add_all(RoundUnit(round_id=round_.id, unit_id=unit_id)
                    for unit_id in sorted(set(wanted) - current))
    if removed:
        session.execute(delete(RoundUnit).where(RoundUnit.round_id == round_.id,
                                                RoundUnit.unit_id.in_(removed)))
    session.flush()
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(removed))).all())
    added_codes = sorted(wanted[unit_id] for unit_id in set(wanted) - current)
    removed_codes = sorted(codes[unit_id] for unit_id in removed)
    if added_codes or removed_codes:
        audit.record(session, "scope", "round", round_.id, actor_id, added=added_codes,
                     removed=removed_codes, units=len(wanted))
    return added_codes, removed_codes


def _require_unpublished(round_: Round) -> None:
    if round_.status == "published":
        raise OperationError(f"round {round_.id} is published: its scope no longer changes")


def _refuse_removing_used(session: Session, round_: Round, removed: list[int]) -> None:
    if not removed:
        return
    used: set[int] = set()
    for model in (Assignment, Response):
        used.update(session.scalars(select(model.unit_id).distinct().where(
            model.round_id == round_.id, model.unit_id.in_(removed))))
    if used:
        codes = sorted(session.scalars(select(Unit.code).where(Unit.id.in_(used))))
        raise OperationError(f"round {round_.id}: cannot remove {', '.join(codes)} from the "
                             "scope: they already have assignments or responses")


# --- spot-check samples ----------------------------------------------------------------


def new_seed() -> int:
    """A fresh seed of up to twelve digits: short enough to read out in an audit."""
    return secrets.randbelow(MAX_SEED)


def checked_seed(seed: int | None) -> int:
    """``seed``, or a fresh one; refuses what the 64-bit seed columns cannot hold."""
    if seed is None:
        return new_seed()
    if not 0 <= seed < 2**63:
        raise OperationError("the seed must be a whole number from 0 to 2^63 − 1")
    return seed


def sample_scope(
    session: Session,
    round_: Round,
    *,
    kinds: Sequence[str] = DEFAULT_KINDS,
    under: Sequence[str] = (),
    size: int | None = None,
    share: float | None = None,
    seed: int | None = None,
    actor_id: int | None = None,
) -> SampleDraw:
    """Replace a draft round's scope with a sample of the units ``kinds``/``under`` select.

    ``size`` units, or ``share`` of the frame, stratified by county (see
    :mod:`.sampling`). The seed is recorded in ``Round.sampling_seed`` and the frame in the
    round's ``sample`` audit event, so :func:`check_sample` can re-draw it.
    """
    if round_.status != "draft":
        raise OperationError(f"round {round_.id} is {round_.status}: only a draft round can "
                             "be sampled")
    hierarchy = Hierarchy.load(session)
    frame = _frame(hierarchy, kinds, under)
    seed = checked_seed(seed)
    try:
        draw = draw_sample(frame, sample_size(len(frame), size=size, share=share), seed)
    except ValueError as error:
        raise OperationError(f"round {round_.id}: {error}") from error
    ids = [hierarchy.by_code[code].id for code in draw.codes]
    set_scope(session, round_, _units_by_id(session, ids), actor_id)
    round_.sampling_seed = seed
    session.flush()
    audit.record(session, "sample", "round", round_.id, actor_id, seed=seed,
                 criteria={"kinds": sorted(kinds), "under": sorted(under), "size": size,
                           "share": share},
                 frame=frame, allocation=draw.allocation, units=list(draw.codes))
    return draw


def _frame(hierarchy: Hierarchy, kinds: Sequence[str], under: Sequence[str]) -> dict[str, str]:
    """Unit code → stratum (county code, or :data:`NO_COUNTY`) of the selected units."""
    return {unit.code: hierarchy.county_code(unit.id) or NO_COUNTY
            for unit in hierarchy.select(kinds, under)}


@dataclass(frozen=True)
class SampleCheck:
    """The outcome of re-drawing a round's sample from its record."""

    round_id: int
    seed: int
    frame_size: int
    redrawn: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    frame_added: tuple[str, ...]
    frame_removed: tuple[str, ...]

    @property
    def matches(self) -> bool:
        """Whether the round's scope is exactly what the recorded seed and frame give."""
        return not (self.missing or self.extra)

    def __str__(self) -> str:
        lines = [f"round {self.round_id}: re-drew {len(self.redrawn)} of {self.frame_size} "
                 f"units with seed {self.seed}: "
                 + ("matches the round's scope" if self.matches
                    else "does NOT match the round's scope")]
        if self.missing:
            lines.append(f"  drawn but not in scope: {', '.join(self.missing)}")
        if self.extra:
            lines.append(f"  in scope but not drawn: {', '.join(self.extra)}")
        if self.frame_added or self.frame_removed:
            lines.append(f"  the unit list changed since the draw ({len(self.frame_added)} "
                         f"now selected in addition, {len(self.frame_removed)} no longer); "
                         "the recorded frame was used")
        return "\n".join(lines)


def check_sample(session: Session, round_: Round) -> SampleCheck:
    """Re-draw the round's sample from its recorded frame and seed and compare it."""
    record = _sample_record(session, round_)
    seed = round_.sampling_seed
    if seed is None or seed != record["seed"]:
        raise OperationError(f"round {round_.id}: the recorded seed {seed} differs from the "
                             f"seed of its sample event ({record['seed']})")
    frame: Mapping[str, str] = record["frame"]
    redrawn = draw_sample(frame, len(record["units"]), seed).codes
    hierarchy = Hierarchy.load(session)
    scope = {hierarchy.by_id[unit_id].code for unit_id in scope_ids(session, round_.id)}
    now = _current_frame(hierarchy, record["criteria"])
    return SampleCheck(
        round_.id, seed, len(frame), redrawn,
        missing=tuple(sorted(set(redrawn) - scope)), extra=tuple(sorted(scope - set(redrawn))),
        frame_added=tuple(sorted(now - set(frame))),
        frame_removed=tuple(sorted(set(frame) - now)))


def _sample_record(session: Session, round_: Round) -> dict[str, Any]:
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.object_type == "round",
                                 AuditEvent.object_id == str(round_.id),
                                 AuditEvent.action == "sample")
        .order_by(AuditEvent.id.desc()))
    if event is None:
        raise OperationError(f"round {round_.id} was not drawn as a sample")
    return event.detail


def _current_frame(hierarchy: Hierarchy, criteria: Mapping[str, Any]) -> set[str]:
    """The codes the recorded criteria select today (an area deleted since selects none)."""
    under = [code for code in criteria["under"] if code in hierarchy.by_code]
    if criteria["under"] and not under:
        return set()
    return set(_frame(hierarchy, criteria["kinds"], under))


def _units_by_id(session: Session, ids: Sequence[int]) -> list[Unit]:
    units: list[Unit] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        units.extend(session.scalars(select(Unit).where(Unit.id.in_(chunk))))
    return sorted(units, key=lambda unit: unit.code)
