"""Reads the team's pages need beside the operations: counts, choices and lookups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from surveys.importers.activities import activity_id as written_activity_id

from ..models import (
    MODES,
    Activity,
    Assignment,
    ImportMapping,
    Instrument,
    Response,
    Round,
    RoundResult,
    RoundUnit,
    Unit,
    User,
)
from .labels import MODE_NAMES


@dataclass(frozen=True)
class RoundCounts:
    units: int
    assignments: int
    submitted: int
    responses: int


def round_counts(session: Session, round_ids: Sequence[int]) -> dict[int, RoundCounts]:
    """Units in scope, assignments (submitted ones) and responses of each round."""
    if not round_ids:
        return {}
    units = dict(session.execute(select(RoundUnit.round_id, func.count())
                                 .where(RoundUnit.round_id.in_(round_ids))
                                 .group_by(RoundUnit.round_id)).all())
    assigned = {row[0]: (row[1], row[2]) for row in session.execute(
        select(Assignment.round_id, func.count(),
               func.sum(case((Assignment.status == "submitted", 1), else_=0)))
        .where(Assignment.round_id.in_(round_ids)).group_by(Assignment.round_id))}
    responses = dict(session.execute(select(Response.round_id, func.count())
                                     .where(Response.round_id.in_(round_ids))
                                     .group_by(Response.round_id)).all())
    return {rid: RoundCounts(units.get(rid, 0), assigned.get(rid, (0, 0))[0],
                             int(assigned.get(rid, (0, 0))[1] or 0), responses.get(rid, 0))
            for rid in round_ids}


def instrument_choices(session: Session, mode: str | None = None
                       ) -> dict[str, list[tuple[int, str]]]:
    """Instrument versions grouped by mode (newest first), for a select with groups."""
    query = select(Instrument).order_by(Instrument.key, Instrument.version.desc())
    if mode is not None:
        query = query.where(Instrument.mode == mode)
    groups: dict[str, list[tuple[int, str]]] = {}
    for instrument in session.scalars(query):
        label = f"{instrument.title_zh} · {instrument.key} v{instrument.version}"
        groups.setdefault(str(MODE_NAMES.get(instrument.mode, instrument.mode)), []).append(
            (instrument.id, label))
    order = [str(MODE_NAMES[m]) for m in MODES]
    return {name: groups[name] for name in sorted(groups, key=lambda n: (
        order.index(n) if n in order else len(order), n))}


def latest_instrument(session: Session, mode: str) -> Instrument | None:
    return session.scalar(select(Instrument).where(Instrument.mode == mode)
                          .order_by(Instrument.version.desc(), Instrument.id.desc()))


def scope_units(session: Session, round_id: int) -> list[Unit]:
    return list(session.scalars(select(Unit).join(RoundUnit, RoundUnit.unit_id == Unit.id)
                                .where(RoundUnit.round_id == round_id).order_by(Unit.code)))


def unit_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code.strip()))


def observer_by_login(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.login) == login.strip().lower(),
                                             User.role == "observer"))


def active_observers(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role == "observer", User.active)
                                .order_by(User.login)))


def active_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.active).order_by(Unit.code)))


def round_activities(session: Session, round_: Round) -> list[Activity]:
    """Activities of the round's units within its window: what assignments may name."""
    return list(session.scalars(
        select(Activity).join(RoundUnit, RoundUnit.unit_id == Activity.unit_id)
        .join(Unit, Unit.id == Activity.unit_id)
        .where(RoundUnit.round_id == round_.id, Activity.held_on >= round_.opens_on,
               Activity.held_on <= round_.closes_on)
        .order_by(Unit.code, Activity.held_on, Activity.title)))


def activity_named(session: Session, text: str | None) -> Activity | None:
    """The activity an id as typed names (``31``, ``#31``), with its unit; None otherwise."""
    number = written_activity_id(text) if text else None
    return None if number is None else session.get(Activity, number)


def publications(session: Session, round_id: int) -> list[RoundResult]:
    return list(session.scalars(select(RoundResult).where(RoundResult.round_id == round_id)
                                .order_by(RoundResult.id)))


def saved_mappings(session: Session, instrument_id: int) -> list[ImportMapping]:
    return list(session.scalars(select(ImportMapping)
                                .where(ImportMapping.instrument_id == instrument_id)
                                .order_by(ImportMapping.name)))
