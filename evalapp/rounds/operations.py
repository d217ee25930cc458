"""Creating, changing, opening, closing and publishing rounds; assigning observers by hand.

Plain functions over a session: they validate, change rows, flush and record an audit
event, and leave the commit to the caller so that a multi-step change stays atomic.

The lifecycle is draft → open → closed → published:

- observers see their assignments and submit only while a round is open (the observer
  pages and `evalapp.responses.recording` enforce it); evaluators may import collected
  questionnaires while it is open or closed;
- settings may change until publication (the instrument only in draft); assignments may
  change in draft and open rounds;
- publishing freezes the score table (`evalapp.scoring.service.freeze`) and nothing about
  the round changes afterwards, except a corrected publication, which supersedes the frozen
  table with an audited reason and keeps both readable.

Scope and samples live in :mod:`.scope`, automatic assignment in :mod:`.staffing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import (
    DIMENSIONS,
    MODES,
    Activity,
    Assignment,
    Draft,
    Instrument,
    Round,
    RoundResult,
    RoundUnit,
    Unit,
    User,
    now_utc,
)
from ..operations import OperationError
from ..scoring.service import freeze

DEFAULT_CUTOFFS = (60.0, 70.0, 80.0, 90.0)


def create_round(
    session: Session,
    *,
    name: str,
    mode: str,
    instrument: Instrument,
    opens_on: dt.date,
    closes_on: dt.date,
    units: Iterable[Unit],
    weights: Mapping[str, float] | None = None,
    min_n: int = 5,
    star_cutoffs: Iterable[float] = DEFAULT_CUTOFFS,
    observers_per_unit: int = 2,
    exclude_same_county: bool = False,
    actor_id: int | None = None,
) -> Round:
    """A new round in ``draft`` with ``units`` in its scope."""
    weights = dict(weights or dict.fromkeys(DIMENSIONS, 1.0))
    cutoffs = [float(cut) for cut in star_cutoffs]
    _check_round_settings(name, mode, instrument, opens_on, closes_on, weights, min_n,
                          cutoffs, observers_per_unit)
    round_ = Round(
        name=name.strip(), mode=mode, instrument=instrument, opens_on=opens_on,
        closes_on=closes_on, weights=weights, min_n=min_n, star_cutoffs=cutoffs,
        observers_per_unit=observers_per_unit, exclude_same_county=exclude_same_county,
    )
    session.add(round_)
    session.flush()
    unit_ids = sorted({unit.id for unit in units})
    session.add_all(RoundUnit(round_id=round_.id, unit_id=unit_id) for unit_id in unit_ids)
    session.flush()
    audit.record(session, "create", "round", round_.id, actor_id, name=round_.name,
                 mode=mode, instrument=f"{instrument.key} v{instrument.version}",
                 units=len(unit_ids))
    return round_


def _check_round_settings(
    name: str,
    mode: str,
    instrument: Instrument,
    opens_on: dt.date,
    closes_on: dt.date,
    weights: Mapping[str, float],
    min_n: int,
    cutoffs: list[float],
    observers_per_unit: int,
) -> None:
    problems = []
    if not name.strip():
        problems.append("name: must not be empty")
    if mode not in MODES:
        problems.append(f"mode: must be one of {', '.join(MODES)}")
    elif instrument.mode != mode:
        problems.append(f"instrument: {instrument.key} is for mode {instrument.mode}, not {mode}")
    if closes_on < opens_on:
        problems.append("closes_on: must not be before opens_on")
    if set(weights) != set(DIMENSIONS) or any(w < 0 for w in weights.values()):
        problems.append(f"weights: give a weight ≥ 0 for each of {', '.join(DIMENSIONS)}")
    elif sum(weights.values()) <= 0:
        problems.append("weights: at least one weight must be positive")
    if min_n < 1:
        problems.append("min_n: must be at least 1")
    if len(cutoffs) != 4 or cutoffs != sorted(cutoffs) or not 0 <= cutoffs[0] <= cutoffs[-1] <= 100:
        problems.append("star_cutoffs: four increasing numbers in 0–100 (two to five stars)")
    if observers_per_unit < 1:
        problems.append("observers_per_unit: must be at least 1")
    if problems:
        raise OperationError("; ".join(problems))


def open_round(session: Session, round_: Round, actor_id: int | None = None) -> Round:
    _require_status(round_, "draft", "open")
    if not session.scalar(select(RoundUnit.unit_id).where(RoundUnit.round_id == round_.id)):
        raise OperationError(f"round {round_.id} has no units in its scope")
    return _move(session, round_, "open", actor_id)


def close_round(session: Session, round_: Round, actor_id: int | None = None) -> Round:
    _require_status(round_, "open", "close")
    return _move(session, round_, "closed", actor_id)


def publish_round(session: Session, round_: Round, actor_id: int | None = None) -> Round:
    """Freeze a closed round's score table and publish it; nothing changes afterwards."""
    _require_status(round_, "closed", "be published")
    freeze(session, round_, actor_id)
    return _move(session, round_, "published", actor_id)


def correct_publication(session: Session, round_: Round, reason: str,
                        actor_id: int | None = None) -> RoundResult:
    """Supersede a published round's frozen table with one computed now (audited).

    The round's data cannot change after publication, so a correction recomputes the same
    data with the current software and instrument: it is how a scoring fix reaches a
    published round. The previous table stays readable, pointing at its successor.
    """
    _require_status(round_, "published", "get a corrected publication")
    if not reason or not reason.strip():
        raise OperationError("a corrected publication needs a reason")
    return freeze(session, round_, actor_id, reason=reason)


EDITABLE = ("name", "opens_on", "closes_on", "weights", "min_n", "star_cutoffs",
            "observers_per_unit", "exclude_same_county", "instrument")


def update_round(session: Session, round_: Round, actor_id: int | None = None,
                 **changes: Any) -> dict[str, list[Any]]:
    """Change settings of an unpublished round; returns ``{field: [old, new]}`` (audited).

    Any of :data:`EDITABLE` may be given. The instrument may change only in draft (no
    response has been given to it yet); the mode never does (create another round).
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise OperationError(f"cannot change {', '.join(unknown)}")
    if round_.status == "published":
        raise OperationError(f"round {round_.id} is published: its settings no longer change")
    if "instrument" in changes and round_.status != "draft":
        raise OperationError(f"round {round_.id} is {round_.status}: the instrument can only "
                             "change in draft")
    merged = {key: changes.get(key, getattr(round_, key)) for key in EDITABLE}
    merged["weights"] = dict(merged["weights"])
    merged["star_cutoffs"] = [float(cut) for cut in merged["star_cutoffs"]]
    _check_round_settings(merged["name"], round_.mode, merged["instrument"], merged["opens_on"],
                          merged["closes_on"], merged["weights"], merged["min_n"],
                          merged["star_cutoffs"], merged["observers_per_unit"])
    merged["name"] = merged["name"].strip()
    changed = {key: [_plain(getattr(round_, key)), _plain(merged[key])] for key in changes
               if getattr(round_, key) != merged[key]}
    for key in changed:
        setattr(round_, key, merged[key])
    session.flush()
    if changed:
        audit.record(session, "update", "round", round_.id, actor_id, changes=changed)
    return changed


def _plain(value: Any) -> Any:
    """A setting as JSON for the audit trail."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Instrument):
        return f"{value.key} v{value.version}"
    return value


def _require_status(round_: Round, expected: str, verb: str) -> None:
    if round_.status != expected:
        raise OperationError(
            f"round {round_.id} is {round_.status}; only a {expected} round can {verb}"
        )


def _move(session: Session, round_: Round, status: str, actor_id: int | None) -> Round:
    previous, round_.status = round_.status, status
    stamp = {"open": "opened_at", "closed": "closed_at", "published": "published_at"}[status]
    setattr(round_, stamp, now_utc())
    session.flush()
    audit.record(session, status, "round", round_.id, actor_id, previous=previous)
    return round_


ASSIGNABLE_STATUSES = ("draft", "open")


def assign_observer(
    session: Session,
    round_: Round,
    unit: Unit,
    observer: User,
    activity: Activity | None = None,
    actor_id: int | None = None,
) -> Assignment:
    """Send ``observer`` to ``unit`` in ``round_`` by hand (audited).

    The same rules as automatic assignment apply: never an affiliated observer and, when the
    round says so, none from the unit's county.
    """
    _check_assignable(round_)
    _check_observer(session, round_, unit, observer, activity)
    assignment = Assignment(round_id=round_.id, unit_id=unit.id, observer_id=observer.id,
                            activity_id=activity.id if activity else None)
    session.add(assignment)
    session.flush()
    audit.record(session, "assign", "assignment", assignment.id, actor_id,
                 round=round_.id, unit=unit.code, observer=observer.login,
                 activity=activity.id if activity else None)
    return assignment


def unassign_observer(session: Session, assignment: Assignment, actor_id: int | None = None,
                      *, discard_drafts: bool = False) -> int:
    """Withdraw an assignment (audited); returns the number of drafts discarded with it.

    A submitted assignment stays: it is the record that the visit happened. Unfinished
    questionnaires are only thrown away when ``discard_drafts`` says so; after committing,
    call `evalapp.observe.storage.forget_deleted` so their bytes leave the SQLite files.
    """
    round_ = assignment.round
    _check_changeable(assignment)
    discarded = _discard_drafts(session, assignment, discard_drafts)
    detail = {"round": round_.id, "unit": assignment.unit.code,
              "observer": assignment.observer.login, "drafts_discarded": discarded}
    session.delete(assignment)
    session.flush()
    audit.record(session, "unassign", "assignment", assignment.id, actor_id, **detail)
    return discarded


def replace_observer(session: Session, assignment: Assignment, observer: User,
                     actor_id: int | None = None, *, discard_drafts: bool = False) -> int:
    """Give an assignment to another observer (audited); returns the drafts discarded.

    The previous observer's drafts are never handed on: they are the previous observer's
    answers. As with :func:`unassign_observer`, a submitted assignment cannot change.
    """
    round_, unit = assignment.round, assignment.unit
    _check_changeable(assignment)
    _check_observer(session, round_, unit, observer, assignment.activity)
    discarded = _discard_drafts(session, assignment, discard_drafts)
    previous = assignment.observer.login
    assignment.observer = observer
    session.flush()
    audit.record(session, "replace", "assignment", assignment.id, actor_id, round=round_.id,
                 unit=unit.code, previous=previous, observer=observer.login,
                 drafts_discarded=discarded)
    return discarded


def find_assignment(session: Session, round_: Round, unit: Unit, observer: User) -> Assignment:
    """The observer's assignment to the unit (refuses when there are none or several)."""
    found = session.scalars(select(Assignment).where(
        Assignment.round_id == round_.id, Assignment.unit_id == unit.id,
        Assignment.observer_id == observer.id)).all()
    if not found:
        raise OperationError(f"{observer.login} is not assigned to {unit.code} in round "
                             f"{round_.id}")
    if len(found) > 1:
        raise OperationError(f"{observer.login} has {len(found)} assignments to {unit.code} "
                             "(one per activity); name the assignment")
    return found[0]


def _check_assignable(round_: Round) -> None:
    if round_.status not in ASSIGNABLE_STATUSES:
        raise OperationError(f"round {round_.id} is {round_.status}: assignments are closed")


def _check_changeable(assignment: Assignment) -> None:
    _check_assignable(assignment.round)
    if assignment.status == "submitted":
        raise OperationError(f"{assignment.observer.login} has already submitted for "
                             f"{assignment.unit.code}: the assignment records that visit and "
                             "stays")


def _discard_drafts(session: Session, assignment: Assignment, discard: bool) -> int:
    count = session.scalar(select(func.count()).select_from(Draft)
                           .where(Draft.assignment_id == assignment.id)) or 0
    if count and not discard:
        raise OperationError(f"{assignment.observer.login} has {count} unfinished "
                             f"questionnaire(s) for {assignment.unit.code}; discard them "
                             "explicitly to change this assignment")
    if count:
        session.execute(delete(Draft).where(Draft.assignment_id == assignment.id))
    return count


def _check_observer(
    session: Session, round_: Round, unit: Unit, observer: User, activity: Activity | None
) -> None:
    if observer.role != "observer" or not observer.active:
        raise OperationError(f"{observer.login} is not an active observer")
    in_scope = session.get(RoundUnit, (round_.id, unit.id))
    if in_scope is None:
        raise OperationError(f"unit {unit.code} is not in round {round_.id}")
    if activity is not None and activity.unit_id != unit.id:
        raise OperationError(f"activity {activity.id} does not belong to unit {unit.code}")
    if unit.id in {affiliated.id for affiliated in observer.affiliations}:
        raise OperationError(f"{observer.login} is affiliated with {unit.code} and cannot "
                             "evaluate it")
    county = county_of(unit)
    if round_.exclude_same_county and county is not None and county.id in {
            c.id for c in map(county_of, observer.affiliations) if c is not None}:
        raise OperationError(f"{observer.login} belongs to a unit in {county.code} "
                             f"{county.name}, the county of {unit.code}, and round "
                             f"{round_.id} excludes observers from the same county")
    same_activity = (Assignment.activity_id == activity.id if activity
                     else Assignment.activity_id.is_(None))
    duplicate = session.scalar(select(Assignment.id).where(
        Assignment.round_id == round_.id, Assignment.unit_id == unit.id,
        Assignment.observer_id == observer.id, same_activity,
    ))
    if duplicate is not None:
        raise OperationError(f"{observer.login} is already assigned to {unit.code}")


def county_of(unit: Unit) -> Unit | None:
    """The county a unit lies in: itself if it is one, else the nearest county above it."""
    node: Unit | None = unit
    seen: set[int] = set()
    while node is not None and node.id not in seen:
        if node.kind == "county":
            return node
        seen.add(node.id)
        node = node.parent
    return None


def get_round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise OperationError(f"no round with id {round_id}")
    return round_
