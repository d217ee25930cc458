"""Listing suggestions and following them up: new → forwarded → resolved, with notes.

A suggestion is *forwarded* to whoever can act on it (usually the unit or its county
committee) and *resolved* when the answer is back. It may also be resolved straight away,
e.g. when it needs no action. Every change carries a note saying what was done; notes
accumulate in ``Suggestion.note``, one dated line per change, so the export shows the whole
follow-up. Each change is audited, naming the suggestion and the evaluator — never an
observer, since a suggestion comes from a response. Follow-up goes on after a round is
published: closing the loop is what happens then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..models import SUGGESTION_STATUSES, Suggestion, Unit, User, today_utc
from ..operations import OperationError
from ..rounds.scope import Hierarchy

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("forwarded", "resolved"),
    "forwarded": ("resolved",),
    "resolved": (),
}
MAX_NOTE = 1000
FOLLOWING_ROLES = ("evaluator", "admin")


def list_suggestions(
    session: Session,
    *,
    round_id: int | None = None,
    unit_code: str | None = None,
    under: str | None = None,
    status: str | None = None,
) -> list[Suggestion]:
    """Suggestions filtered by round, unit (exactly, or ``under`` an area) and status.

    Ordered by round, unit code and id; each comes with its unit loaded.
    """
    if status is not None and status not in SUGGESTION_STATUSES:
        raise OperationError(f"status must be one of {', '.join(SUGGESTION_STATUSES)}")
    query = (select(Suggestion).join(Unit, Unit.id == Suggestion.unit_id)
             .options(joinedload(Suggestion.unit))
             .order_by(Suggestion.round_id, Unit.code, Suggestion.id))
    if round_id is not None:
        query = query.where(Suggestion.round_id == round_id)
    if unit_code is not None:
        query = query.where(Unit.code == unit_code)
    if status is not None:
        query = query.where(Suggestion.status == status)
    found = list(session.scalars(query))
    return _below(session, found, under) if under else found


def _below(session: Session, suggestions: Sequence[Suggestion], code: str) -> list[Suggestion]:
    hierarchy = Hierarchy.load(session)
    if code not in hierarchy.by_code:
        raise OperationError(f"unknown unit code: {code}")
    return [s for s in suggestions if s.unit.code == code
            or any(above.code == code for above in hierarchy.ancestors(s.unit_id))]


def change_status(session: Session, suggestion: Suggestion, status: str, note: str,
                  actor_id: int | None = None, today: dt.date | None = None) -> Suggestion:
    """Move a suggestion to ``status`` with a note saying what was done (audited)."""
    note = " ".join((note or "").split())
    _check_change(session, suggestion, status, note, actor_id)
    today = today or today_utc()
    previous = suggestion.status
    line = f"{today.isoformat()} {note}"
    suggestion.note = f"{suggestion.note}\n{line}" if suggestion.note else line
    suggestion.status = status
    suggestion.status_changed_on = today
    session.flush()
    audit.record(session, "status", "suggestion", suggestion.id, actor_id,
                 round=suggestion.round_id, previous=previous, status=status, note=note)
    return suggestion


def _check_change(session: Session, suggestion: Suggestion, status: str, note: str,
                  actor_id: int | None) -> None:
    if status not in SUGGESTION_STATUSES:
        raise OperationError(f"status must be one of {', '.join(SUGGESTION_STATUSES)}")
    allowed = TRANSITIONS[suggestion.status]
    if status not in allowed:
        after = f"only to {' or '.join(allowed)}" if allowed else "no further"
        raise OperationError(f"suggestion {suggestion.id} is {suggestion.status}: it can move "
                             f"{after}, not to {status}")
    if not note:
        raise OperationError("a note is required: say what was done")
    if len(note) > MAX_NOTE:
        raise OperationError(f"the note is too long: {len(note)} characters, at most "
                             f"{MAX_NOTE}")
    actor = session.get(User, actor_id) if actor_id is not None else None
    if actor_id is not None and (actor is None or actor.role not in FOLLOWING_ROLES):
        raise OperationError("only evaluators and admins follow up suggestions")


def get_suggestion(session: Session, suggestion_id: int) -> Suggestion:
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise OperationError(f"no suggestion with id {suggestion_id}")
    return suggestion
