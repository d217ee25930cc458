"""What an observer may see: their own assignments and drafts, nothing else.

Every lookup is filtered by the observer, so another observer's assignment or draft is
simply not found (the views answer 404, which does not reveal that it exists).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Assignment, Draft, Round, Unit


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


# What every questionnaire request reads beside the draft, in the draft's query.
_assignment = joinedload(Draft.assignment)
DRAFT_CONTEXT = (_assignment.joinedload(Assignment.round).joinedload(Round.instrument),
                 _assignment.joinedload(Assignment.unit))


def own_draft(session: Session, observer_id: int, key: str) -> Draft | None:
    return session.scalar(
        select(Draft).join(Draft.assignment)
        .where(Draft.submission_key == key, Assignment.observer_id == observer_id)
        .options(*DRAFT_CONTEXT))
