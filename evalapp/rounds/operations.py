"""Creating, opening and closing rounds, and assigning observers to units.

Plain functions over a session: they validate, change rows, flush and record an audit
event, and leave the commit to the caller so that a multi-step change stays atomic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..models import (
    DIMENSIONS,
    MODES,
    Activity,
    Assignment,
    Instrument,
    Round,
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


def assign_observer(
    session: Session,
    round_: Round,
    unit: Unit,
    observer: User,
    activity: Activity | None = None,
    actor_id: int | None = None,
) -> Assignment:
    """Send ``observer`` to ``unit`` in ``round_``; refuses affiliated observers."""
    _check_assignment(session, round_, unit, observer, activity)
    assignment = Assignment(round_id=round_.id, unit_id=unit.id, observer_id=observer.id,
                            activity_id=activity.id if activity else None)
    session.add(assignment)
    session.flush()
    audit.record(session, "assign", "assignment", assignment.id, actor_id,
                 round=round_.id, unit=unit.code, observer=observer.login)
    return assignment


def _check_assignment(
    session: Session, round_: Round, unit: Unit, observer: User, activity: Activity | None
) -> None:
    if round_.status not in ("draft", "open"):
        raise OperationError(f"round {round_.id} is {round_.status}: assignments are closed")
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
    same_activity = (Assignment.activity_id == activity.id if activity
                     else Assignment.activity_id.is_(None))
    duplicate = session.scalar(select(Assignment.id).where(
        Assignment.round_id == round_.id, Assignment.unit_id == unit.id,
        Assignment.observer_id == observer.id, same_activity,
    ))
    if duplicate is not None:
        raise OperationError(f"{observer.login} is already assigned to {unit.code}")


def get_round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise OperationError(f"no round with id {round_id}")
    return round_
