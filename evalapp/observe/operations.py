"""Drafts, and turning a draft into an anonymous response exactly once.

Submitting happens in one transaction: the answers are checked, the response is stored
through `record_responses` with the observer's rater code (never their id), the draft is
deleted and the assignment marked submitted (with the day only).

What keeps the response away from the observer (DESIGN.md, anonymity):

- The response's submission key is an HMAC of the draft's key under the server secret. The
  draft key travels in URLs and so in web-server logs; the stored key cannot be matched
  against them without the secret. The same key again finds the stored response, which is
  what makes a repeated post harmless.
- No audit event is written for a submission: an event naming the observer, in the order
  events are numbered, would line up with the responses.
- The duration is kept in whole minutes, so it cannot be matched to the seconds between two
  log lines.
- Marking the assignment rewrites every assignment of the same round and unit in one
  statement. On PostgreSQL each row carries the id of the transaction that last wrote it
  (``xmin``) and rewritten rows move to the end of the table, so updating only the
  observer's own row would tie it to the response inserted in the same transaction; this
  way the trail leads to everyone sent to that unit, as the unit column already does.

Callers commit; after a commit that deleted a draft they call
`evalapp.observe.storage.forget_deleted` so the draft's bytes leave the SQLite files too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from surveys.answers import Answer

from ..anonymity import rater_code
from ..instruments.operations import definition_of
from ..models import Assignment, Draft, Response, Round, now_utc
from ..operations import OperationError
from ..responses.recording import Submission, check_answers, record_responses
from .queries import DRAFT_CONTEXT

DURATION_STEP_S = 60


class RoundNotOpen(OperationError):
    """The round stopped taking questionnaires."""


def stored_key(secret: str, draft_key: str) -> str:
    """The submission key a response is stored under (see the module's docstring)."""
    message = f"submission:{draft_key}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def start_draft(session: Session, assignment: Assignment) -> Draft:
    """A new, empty questionnaire for ``assignment`` with a fresh submission key."""
    draft = Draft(assignment_id=assignment.id, submission_key=secrets.token_urlsafe(24),
                  channel="onsite", data={})
    session.add(draft)
    session.flush()
    return draft


def save_draft(session: Session, draft: Draft, fields: Mapping[str, list[str]], channel: str,
               now: float | None = None) -> bool:
    """Keep the form's fields; False when the draft is gone (submitted meanwhile).

    ``started`` is when the first answer was saved: the duration counts from there.
    """
    started = draft.data.get("started") or ((now or time.time()) if fields else None)
    result = session.execute(
        update(Draft).where(Draft.id == draft.id)
        .values(data={"fields": dict(fields), "started": started}, channel=channel)
        .execution_options(synchronize_session=False))
    session.expire(draft)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim_draft(session: Session, draft_id: int) -> Draft | None:
    """Lock the draft for submitting; None when another request has submitted it.

    On SQLite it must open its transaction (``database.begin_writing``): the transaction
    takes the write lock, waiting for a concurrent submit of the same draft to finish. On
    PostgreSQL the update waits on the row and, at READ COMMITTED, then sees the other
    submit's commit. Either way the loser finds the draft deleted.
    """
    claimed = session.execute(
        update(Draft).where(Draft.id == draft_id).values(updated_at=now_utc())
        .execution_options(synchronize_session=False))
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return None
    return session.get(Draft, draft_id, populate_existing=True, options=DRAFT_CONTEXT)


def submit_draft(session: Session, draft: Draft, observer_id: int, secret: str,
                 answers: Mapping[str, Answer], channel: str, today: dt.date,
                 now: float | None = None) -> None:
    """Store the draft's answers as an anonymous response and delete the draft.

    Raises `RoundNotOpen`, or a `SubmissionError` when the answers do not fit the
    instrument; nothing is stored then.
    """
    assignment = draft.assignment
    round_ = assignment.round
    if round_.status != "open":
        raise RoundNotOpen(f"round {round_.id} is {round_.status}")
    submission = Submission(
        unit_id=assignment.unit_id, activity_id=assignment.activity_id,
        submission_key=stored_key(secret, draft.submission_key), submitted_on=today,
        answers=dict(answers), channel=channel,
        rater_code=rater_code(secret, observer_id, round_.id, assignment.unit_id),
        duration_s=_duration(draft, now or time.time()))
    check_answers(definition_of(round_.instrument), submission)
    record_responses(session, round_, [submission])
    session.delete(draft)
    _mark_submitted(session, assignment)
    session.flush()


def _duration(draft: Draft, now: float) -> int | None:
    started = draft.data.get("started")
    if not isinstance(started, int | float):
        return None
    return max(0, round((now - started) / DURATION_STEP_S)) * DURATION_STEP_S


def _mark_submitted(session: Session, assignment: Assignment) -> None:
    """Set the status, rewriting all of the unit's assignments (see the module docstring)."""
    mine = Assignment.id == assignment.id
    session.execute(
        update(Assignment)
        .where(Assignment.round_id == assignment.round_id,
               Assignment.unit_id == assignment.unit_id)
        .values(status=case((mine, "submitted"), else_=Assignment.status))
        .execution_options(synchronize_session=False))
    session.expire(assignment)


def submitted_response(session: Session, observer_id: int, secret: str, draft_key: str
                       ) -> tuple[Response, Assignment] | None:
    """The response stored from this observer's draft ``draft_key``, with its assignment.

    Found by its stored key and proved to be this observer's by recomputing the rater
    code; used to show the same confirmation again after a repeated post.
    """
    found = session.execute(
        select(Response, Assignment)
        .join(Round, Round.id == Response.round_id)
        .join(Assignment, (Assignment.round_id == Response.round_id)
              & (Assignment.unit_id == Response.unit_id)
              & Assignment.activity_id.is_not_distinct_from(Response.activity_id)
              & (Assignment.observer_id == observer_id))
        .where(Response.submission_key == stored_key(secret, draft_key),
               Round.status.in_(("open", "closed")))).first()
    if found is None:
        return None
    response, assignment = found
    expected = rater_code(secret, observer_id, response.round_id, response.unit_id)
    if response.rater_code != expected:
        return None
    return response, assignment
