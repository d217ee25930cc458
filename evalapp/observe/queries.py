"""What an observer may see: their own assignments and drafts, nothing else.

Every lookup is filtered by the observer, so another observer's assignment or draft is
simply not found (the views answer 404, which does not reveal that it exists).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from ..models import Activity, Assignment, Draft, Instrument, Round, Unit


def open_assignments(session: Session, observer_id: int) -> list[Assignment]:
    """The observer's assignments in open rounds; rounds not open yet stay invisible."""
    return list(session.scalars(
        select(Assignment)
        .join(Assignment.round).join(Assignment.unit)
        .where(Assignment.observer_id == observer_id, Round.status == "open")
        .options(joinedload(Assignment.round), joinedload(Assignment.unit),
                 joinedload(Assignment.activity))
        .order_by(Round.closes_on, Round.id, Unit.name, Assignment.id)))


def drafts_of(session: Session, assignment_ids: list[int]) -> dict[int, list[Draft]]:
    """Assignment id → its drafts, oldest first."""
    found: dict[int, list[Draft]] = defaultdict(list)
    if assignment_ids:
        for draft in session.scalars(select(Draft)
                                     .where(Draft.assignment_id.in_(assignment_ids))
                                     .order_by(Draft.id)):
            found[draft.assignment_id].append(draft)
    return found


def own_assignment(session: Session, observer_id: int, assignment_id: int) -> Assignment | None:
    return session.scalar(select(Assignment).where(Assignment.id == assignment_id,
                                                   Assignment.observer_id == observer_id)
                          .options(joinedload(Assignment.round)))


@dataclass(frozen=True)
class OpenDraft:
    """An observer's draft with what the questionnaire pages need of its assignment.

    Plain columns from one query, not ORM objects: these pages are the app's busiest, and
    loading five related objects was a third of a questionnaire request's work.
    """

    id: int
    key: str
    data: Mapping[str, Any]
    channel: str
    assignment_id: int
    unit_id: int
    activity_id: int | None
    round_id: int
    round_name: str
    round_status: str
    instrument_id: int
    instrument_hash: str
    unit_name: str
    activity_title: str | None
    activity_held_on: dt.date | None


# Core columns (no ORM entities): the rows need no ORM processing.
_draft, _assignment, _round = Draft.__table__.c, Assignment.__table__.c, Round.__table__.c
_instrument, _unit, _activity = Instrument.__table__.c, Unit.__table__.c, Activity.__table__.c
_OPEN_DRAFT = (
    select(_draft.id, _draft.submission_key, _draft.data, _draft.channel, _draft.assignment_id,
           _assignment.unit_id, _assignment.activity_id, _round.id, _round.name, _round.status,
           _round.instrument_id, _instrument.content_hash, _unit.name, _activity.title,
           _activity.held_on)
    .select_from(Draft.__table__
                 .join(Assignment.__table__, _assignment.id == _draft.assignment_id)
                 .join(Round.__table__, _round.id == _assignment.round_id)
                 .join(Instrument.__table__, _instrument.id == _round.instrument_id)
                 .join(Unit.__table__, _unit.id == _assignment.unit_id)
                 .outerjoin(Activity.__table__, _activity.id == _assignment.activity_id))
    .where(_draft.submission_key == bindparam("key"),
           _assignment.observer_id == bindparam("observer_id")))


def own_draft(session: Session, observer_id: int, key: str) -> OpenDraft | None:
    row = session.execute(_OPEN_DRAFT, {"key": key, "observer_id": observer_id}).first()
    return None if row is None else OpenDraft(*row)
