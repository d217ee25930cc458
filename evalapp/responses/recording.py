"""Storing responses: the one way a questionnaire's answers get into the database.

Imports and the demo hand `record_responses` a batch of `Submission`s. The batch is checked
in full against the round's instrument version before anything is written, so a bad answer
anywhere changes nothing. Storing is idempotent on the submission key: a key the round
already holds is skipped and its response id returned, which makes a re-run import harmless.
The observer pages check their one submission the same way (`observed_rows`) and store its
rows with `store_rows`, or on PostgreSQL in a statement of their own
(`evalapp.observe.one_statement`); their draft is what makes a resent form harmless.

Rows are written with bulk ``INSERT``s of plain dictionaries (no ORM object per row): a
province-sized import stays fast. Nothing here touches assignments or writes an audit event:
either would tie a response, or a count of responses, to an observer (DESIGN.md, anonymity).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from surveys.answers import Answer as AnswerInput
from surveys.answers import validate_answer
from surveys.instrument import Instrument as Definition
from surveys.instrument import Item

from ..instruments.operations import definition_of
from ..models import (
    CHANNELS,
    Activity,
    Answer,
    Response,
    Round,
    RoundUnit,
    Suggestion,
    random_id,
)
from ..operations import OperationError

__all__ = [
    "ANSWER_COLUMNS",
    "RESPONSE_COLUMNS",
    "SUGGESTION_COLUMNS",
    "AnswerInput",
    "HiddenItemError",
    "InvalidAnswerError",
    "MissingAnswerError",
    "Rows",
    "Submission",
    "SubmissionError",
    "UnknownItemError",
    "check_answers",
    "observed_rows",
    "record_responses",
    "store_rows",
]

# Observers submit while a round is open; paper questionnaires collected in the window may
# still be imported after it closes. A draft round has not started; a published one is frozen.
ACCEPTING_STATUSES = ("open", "closed")
MAX_KEY_LENGTH = 128
MAX_RATER_CODE_LENGTH = 64
# Keeps IN (...) lists well below every backend's limit on bound parameters.
QUERY_CHUNK = 500


@dataclass(frozen=True)
class Submission:
    """One filled-in questionnaire as received, before it is stored."""

    unit_id: int
    submission_key: str
    submitted_on: dt.date
    answers: Mapping[str, AnswerInput] = field(default_factory=dict)
    channel: str = "onsite"
    activity_id: int | None = None
    rater_code: str | None = None
    duration_s: int | None = None


class SubmissionError(OperationError):
    """A submission that cannot be stored; names the submission key and, if any, the item."""

    def __init__(self, submission_key: str, message: str, item_id: str | None = None) -> None:
        self.submission_key = submission_key
        self.item_id = item_id
        where = f"submission {submission_key!r}"
        if item_id is not None:
            where += f", item {item_id}"
        super().__init__(f"{where}: {message}")


class UnknownItemError(SubmissionError):
    """An answer to an item the round's instrument version does not have."""


class InvalidAnswerError(SubmissionError):
    """An answer the item does not allow (see `surveys.answers.validate_answer`)."""


class MissingAnswerError(SubmissionError):
    """A required item that was shown but not answered."""


class HiddenItemError(SubmissionError):
    """An answer to an item its ``relevant`` condition hides."""


def record_responses(
    session: Session, round_: Round, submissions: Sequence[Submission]
) -> list[str]:
    """Store ``submissions`` in ``round_``; the response id of each, in order.

    Raises a `SubmissionError` (an `OperationError`) for the first bad submission found,
    before anything is written. Flushes; the caller commits.
    """
    if round_.status not in ACCEPTING_STATUSES:
        raise OperationError(f"round {round_.id} is {round_.status}: it takes no responses")
    session.flush()
    definition = definition_of(round_.instrument)
    ids = _stored_ids(session, round_.id, {s.submission_key for s in submissions})
    new = _new_submissions(submissions, ids)
    _check_targets(session, round_, new)
    for submission in new:
        check_answers(definition, submission)
        ids[submission.submission_key] = random_id()
    store_rows(session, _rows(round_.id, round_.instrument_id, definition, new, ids))
    return [ids[submission.submission_key] for submission in submissions]


def observed_rows(round_id: int, instrument_id: int, definition: Definition,
                  submission: Submission) -> Rows:
    """Check one observer's submission from the questionnaire pages; the rows that store it
    (`store_rows`, or a statement of the caller's own).

    Checked like any other, but without `record_responses`' lookups: the caller vouches
    that the round takes responses, that the unit is in its scope (an assignment's unit
    cannot leave the scope, `rounds.scope.set_scope`) and that the key is new (it deletes
    the draft the key derives from in the same transaction; a repeat would still fail on
    the round's unique submission keys).
    """
    _check_fields(submission)
    check_answers(definition, submission)
    return _rows(round_id, instrument_id, definition, [submission],
                 {submission.submission_key: random_id()})


def _new_submissions(submissions: Sequence[Submission], ids: Mapping[str, str]) -> list[Submission]:
    """The submissions whose key is not stored yet; a key repeated in the batch counts once."""
    seen: set[str] = set()
    new = []
    for submission in submissions:
        _check_fields(submission)
        key = submission.submission_key
        if key not in ids and key not in seen:
            seen.add(key)
            new.append(submission)
    return new


def _check_fields(submission: Submission) -> None:
    key = submission.submission_key
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise SubmissionError(str(key), f"the submission key must be 1–{MAX_KEY_LENGTH} "
                              "characters of text")
    if submission.channel not in CHANNELS:
        raise SubmissionError(key, f"channel must be one of {', '.join(CHANNELS)}")
    if type(submission.submitted_on) is not dt.date:
        raise SubmissionError(key, "submitted_on must be a date (responses keep the day only)")
    duration = submission.duration_s
    if duration is not None and (not isinstance(duration, int) or duration < 0):
        raise SubmissionError(key, "duration_s must be a whole number of seconds ≥ 0")
    code = submission.rater_code
    if code is not None and (not code or len(code) > MAX_RATER_CODE_LENGTH):
        raise SubmissionError(key, f"rater_code must be 1–{MAX_RATER_CODE_LENGTH} characters")


def _check_targets(session: Session, round_: Round, submissions: Sequence[Submission]) -> None:
    """Every unit is in the round's scope and every activity belongs to its unit."""
    in_scope = _units_in_scope(session, round_.id, {s.unit_id for s in submissions})
    activity_units = _activity_units(session, {s.activity_id for s in submissions
                                               if s.activity_id is not None})
    for submission in submissions:
        key = submission.submission_key
        if submission.unit_id not in in_scope:
            raise SubmissionError(key, f"unit {submission.unit_id} is not in round {round_.id}")
        activity = submission.activity_id
        if activity is not None and activity_units.get(activity) != submission.unit_id:
            raise SubmissionError(key, f"activity {activity} does not belong to unit "
                                  f"{submission.unit_id}")


def check_answers(definition: Definition, submission: Submission) -> None:
    """Raise a `SubmissionError` unless the answers fit the instrument.

    Each answer must be to a known item that its ``relevant`` condition shows, and legal for
    the item; each required item that is shown must be answered (n/a and don't know count as
    answers where the item allows them).
    """
    key = submission.submission_key
    answers = submission.answers
    known = {item.id for item in definition.items}
    for item_id in answers:
        if item_id not in known:
            raise UnknownItemError(key, f"instrument {definition.id} has no such item",
                                   str(item_id))
    for item in definition.items:
        _check_item(key, item, answers)


def _check_item(key: str, item: Item, answers: Mapping[str, AnswerInput]) -> None:
    answer = answers.get(item.id)
    shown = item.is_shown(answers)
    if answer is None:
        if shown and item.required:
            raise MissingAnswerError(key, "is required but was not answered", item.id)
        return
    if not shown:
        condition = item.relevant.item if item.relevant else "another item"
        raise HiddenItemError(key, f"is hidden by its condition on item {condition} and "
                              "must not be answered", item.id)
    problem = validate_answer(item, answer.value, answer.text, answer.na, answer.dont_know)
    if problem is not None:
        raise InvalidAnswerError(key, problem, item.id)


def _stored_ids(session: Session, round_id: int, keys: Iterable[str]) -> dict[str, str]:
    """Submission key → response id for the keys the round already holds."""
    return _lookup(session, Response.submission_key, Response.id,
                   [k for k in keys if isinstance(k, str)], Response.round_id == round_id)


def _units_in_scope(session: Session, round_id: int, unit_ids: Iterable[object]) -> set[int]:
    """Those of ``unit_ids`` in the round's scope (only these are read: a submission from
    the observers' pages names one unit of a round that may hold thousands)."""
    return set(_lookup(session, RoundUnit.unit_id, RoundUnit.unit_id,
                       [u for u in unit_ids if isinstance(u, int)],
                       RoundUnit.round_id == round_id))


def _activity_units(session: Session, activity_ids: Iterable[int]) -> dict[int, int]:
    return _lookup(session, Activity.id, Activity.unit_id, list(activity_ids))


def _lookup(session: Session, key: Any, value: Any, keys: list[Any], *where: Any
            ) -> dict[Any, Any]:
    """``key → value`` of the rows whose ``key`` is one of ``keys``, in chunked IN lists."""
    found: dict[Any, Any] = {}
    for chunk in _chunks(sorted(keys)):
        found.update(session.execute(select(key, value).where(key.in_(chunk), *where)).all())
    return found


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start:start + QUERY_CHUNK]


# Built once, so SQLAlchemy reuses their cache keys (every submission runs them).
_INSERTS = tuple(insert(model.__table__) for model in (Response, Answer, Suggestion))


@dataclass(frozen=True)
class Rows:
    """The rows of new responses, as column → value dictionaries, by table."""

    responses: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]

    @property
    def response(self) -> dict[str, Any]:
        """The response row of a single submission."""
        (row,) = self.responses
        return row


def store_rows(session: Session, rows: Rows) -> None:
    """Insert the rows: one statement per table that has any."""
    for statement, table_rows in zip(_INSERTS, (rows.responses, rows.answers,
                                                rows.suggestions), strict=True):
        if table_rows:  # Core: one statement per table, NULLs as NULLs, no ORM bookkeeping
            session.execute(statement, table_rows)


def _rows(round_id: int, instrument_id: int, definition: Definition,
          submissions: Sequence[Submission], ids: Mapping[str, str]) -> Rows:
    responses = [_response_row(round_id, instrument_id, s, ids[s.submission_key])
                 for s in submissions]
    answers: list[dict[str, Any]] = []
    suggestions: list[dict[str, Any]] = []
    suggestion_items = {item.id for item in definition.items if item.suggestion}
    for submission in submissions:
        response_id = ids[submission.submission_key]
        for item_id, answer in submission.answers.items():
            answers.append(_answer_row(response_id, item_id, answer))
            if item_id in suggestion_items and _has_text(answer):
                suggestions.append(_suggestion_row(round_id, submission, response_id, item_id,
                                                   answer))
    return Rows(responses, answers, suggestions)


# The keys of the rows below (a statement that takes them as arrays lists its columns).
RESPONSE_COLUMNS = ("id", "round_id", "unit_id", "activity_id", "instrument_id", "channel",
                    "rater_code", "duration_s", "submission_key", "submitted_on", "excluded",
                    "excluded_reason")
ANSWER_COLUMNS = ("response_id", "item_id", "value", "text", "na", "dont_know")
SUGGESTION_COLUMNS = ("round_id", "unit_id", "response_id", "item_id", "text", "status", "note",
                      "created_on")


def _response_row(round_id: int, instrument_id: int, submission: Submission,
                  response_id: str) -> dict[str, Any]:
    return {
        "id": response_id,
        "round_id": round_id,
        "unit_id": submission.unit_id,
        "activity_id": submission.activity_id,
        "instrument_id": instrument_id,
        "channel": submission.channel,
        "rater_code": submission.rater_code,
        "duration_s": submission.duration_s,
        "submission_key": submission.submission_key,
        "submitted_on": submission.submitted_on,
        "excluded": False,
        "excluded_reason": None,
    }


def _answer_row(response_id: str, item_id: str, answer: AnswerInput) -> dict[str, Any]:
    return {
        "response_id": response_id,
        "item_id": item_id,
        "value": None if answer.value is None else float(answer.value),
        "text": answer.text,
        "na": bool(answer.na),
        "dont_know": bool(answer.dont_know),
    }


def _has_text(answer: AnswerInput) -> bool:
    return not (answer.na or answer.dont_know) and bool(answer.text and answer.text.strip())


def _suggestion_row(
    round_id: int, submission: Submission, response_id: str, item_id: str, answer: AnswerInput
) -> dict[str, Any]:
    return {
        "round_id": round_id,
        "unit_id": submission.unit_id,
        "response_id": response_id,
        "item_id": item_id,
        "text": (answer.text or "").strip(),
        "status": "new",
        "note": None,
        "created_on": submission.submitted_on,
    }
