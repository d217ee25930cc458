"""Drafts, and turning a draft into an anonymous response exactly once.

Submitting happens in one transaction: the answers are checked (`observed_rows`), the draft
is deleted (which claims it: a second post of it finds nothing to delete), the response is
stored with the observer's rater code (never their id), and the assignment is marked
submitted (with the day only). On SQLite these are separate statements (claim, inserts,
update); on PostgreSQL, where each would be a round trip, they are one (`one_statement`):
the observers' submissions are the app's busiest writes.

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
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from surveys.answers import Answer
from surveys.instrument import Instrument as Definition

from ..anonymity import rater_code
from ..models import Assignment, Draft, Response, Round, now_utc
from ..operations import OperationError
from ..responses.recording import Submission, observed_rows, store_rows
from . import one_statement
from .queries import OpenDraft

DURATION_STEP_S = 60


class RoundNotOpen(OperationError):
    """The round stopped taking questionnaires."""


def stored_key(secret: str, draft_key: str) -> str:
    """The submission key a response is stored under (see the module's docstring)."""
    message = f"submission:{draft_key}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# The statements of every questionnaire, built once: SQLAlchemy then reuses their cache
# keys and compiled forms instead of building and hashing them per request (the claim and
# the mark are in `one_statement`). Parameters are not named like columns: an UPDATE
# reserves those names for its SET clause.
_DRAFT = Draft.__table__
_START = insert(_DRAFT).from_select(
    ["assignment_id", "submission_key", "channel", "data", "updated_at"],
    select(Assignment.id, bindparam("new_key", type_=_DRAFT.c.submission_key.type),
           bindparam("new_channel", type_=_DRAFT.c.channel.type),
           bindparam("new_data", type_=_DRAFT.c.data.type),
           bindparam("now", type_=_DRAFT.c.updated_at.type))
    .join(Round, Round.id == Assignment.round_id)
    .where(Assignment.id == bindparam("of_assignment"),
           Assignment.observer_id == bindparam("of_observer"), Round.status == "open"),
).returning(_DRAFT.c.id)  # not rowcount: with RETURNING, PostgreSQL's is -1
_SAVE = update(_DRAFT).where(_DRAFT.c.id == bindparam("draft_id")).values(
    data=bindparam("new_data", type_=_DRAFT.c.data.type),
    channel=bindparam("new_channel", type_=_DRAFT.c.channel.type))


def start_draft(session: Session, observer_id: int, assignment_id: int) -> str | None:
    """Start an empty questionnaire for the observer's assignment in an open round; its key.

    None when the observer has no such assignment or its round is not open (the caller
    asks `queries.own_assignment` which). The check and the insert are one statement: this
    runs every time an observer opens a questionnaire.
    """
    key = secrets.token_urlsafe(24)
    added = session.execute(_START, {
        "new_key": key, "new_channel": "onsite", "new_data": {}, "now": now_utc(),
        "of_assignment": assignment_id, "of_observer": observer_id}).first()
    return None if added is None else key


def save_draft(session: Session, draft: OpenDraft, fields: Mapping[str, list[str]],
               channel: str, now: float | None = None) -> bool:
    """Keep the form's fields; False when the draft is gone (submitted meanwhile).

    ``started`` is when the first answer was saved: the duration counts from there.
    """
    started = draft.data.get("started") or ((now or time.time()) if fields else None)
    result = session.execute(_SAVE, {"draft_id": draft.id, "new_channel": channel,
                                     "new_data": {"fields": dict(fields), "started": started}})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def discard_draft(session: Session, draft: OpenDraft) -> None:
    session.execute(delete(_DRAFT).where(_DRAFT.c.id == draft.id))


def submit_draft(session: Session, draft: OpenDraft, definition: Definition, observer_id: int,
                 secret: str, answers: Mapping[str, Answer], channel: str, today: dt.date,
                 now: float | None = None) -> bool:
    """Store the draft's answers as an anonymous response and delete the draft; False when
    the draft is gone (another post of it was submitted first).

    ``draft`` may have been read in an earlier transaction: deleting it on condition that
    its round is still open is what claims it. On SQLite the caller has begun writing
    (``database.begin_writing``), so a concurrent submit of the same draft waits for the
    write lock; on PostgreSQL the delete waits on the row and then finds it gone. Raises
    `RoundNotOpen`, or a `SubmissionError` when the answers do not fit the instrument;
    nothing is stored then.
    """
    submission = Submission(
        unit_id=draft.unit_id, activity_id=draft.activity_id,
        submission_key=stored_key(secret, draft.key), submitted_on=today,
        answers=dict(answers), channel=channel,
        rater_code=rater_code(secret, observer_id, draft.round_id, draft.unit_id),
        duration_s=_duration(draft.data, now or time.time()))
    rows = observed_rows(draft.round_id, draft.instrument_id, definition, submission)
    if session.get_bind().dialect.name == "postgresql":
        stored = one_statement.submit(session, draft.id, draft.round_id, draft.unit_id,
                                      draft.assignment_id, rows)
    else:
        stored = _claim(session, draft.id, draft.round_id)
        if stored:
            store_rows(session, rows)
            _mark_submitted(session, draft)
    if not stored:
        _check_round_open(session, draft.round_id)
    return stored


def _claim(session: Session, draft_id: int, round_id: int) -> bool:
    """Delete the draft while its round is open; False when nothing was deleted."""
    claimed = session.execute(one_statement.CLAIM, {"claimed_draft": draft_id,
                                                    "open_round": round_id}).first()
    return claimed is not None


def _check_round_open(session: Session, round_id: int) -> None:
    status = session.scalar(select(Round.status).where(Round.id == round_id))
    if status != "open":
        raise RoundNotOpen(f"round {round_id} is {status}")


def _duration(data: Mapping[str, Any], now: float) -> int | None:
    """Whole minutes since the first answer was saved (``started`` does not change once
    set, so the draft as read before the claim has it)."""
    started = data.get("started")
    if not isinstance(started, int | float):
        return None
    return max(0, round((now - started) / DURATION_STEP_S)) * DURATION_STEP_S


def _mark_submitted(session: Session, draft: OpenDraft) -> None:
    """Set the status, rewriting all of the unit's assignments (see the module docstring)."""
    session.execute(one_statement.MARK_SUBMITTED, {
        "of_round": draft.round_id, "of_unit": draft.unit_id, "mine": draft.assignment_id})


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
