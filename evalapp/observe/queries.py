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


_OPEN_DRAFT = (
    select(Draft.id, Draft.submission_key.label("key"), Draft.data, Draft.channel,
           Draft.assignment_id, Assignment.unit_id, Assignment.activity_id, Round.id,
           Round.name, Round.status, Round.instrument_id, Instrument.content_hash,
           Unit.name, Activity.title, Activity.held_on)
    .join(Assignment, Assignment.id == Draft.assignment_id)
    .join(Round, Round.id == Assignment.round_id)
    .join(Instrument, Instrument.id == Round.instrument_id)
    .join(Unit, Unit.id == Assignment.unit_id)
    .outerjoin(Activity, Activity.id == Assignment.activity_id)
    .where(Draft.submission_key == bindparam("key"),
           Assignment.observer_id == bindparam("observer_id")))


def own_draft(session: Session, observer_id: int, key: str) -> OpenDraft | None:
    row = session.execute(_OPEN_DRAFT, {"key": key, "observer_id": observer_id}).first()
    return None if row is None else OpenDraft(*row)
