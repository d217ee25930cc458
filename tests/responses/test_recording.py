"""`record_responses`: validation against the instrument, all-or-nothing, idempotence,
suggestions, and the bulk path, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.instruments.operations import load_shipped
from evalapp.models import Activity, Answer, Response, Round, Suggestion, Unit
from evalapp.operations import OperationError
from evalapp.responses.recording import (
    AnswerInput,
    HiddenItemError,
    InvalidAnswerError,
    MissingAnswerError,
    Submission,
    SubmissionError,
    UnknownItemError,
    record_responses,
)
from evalapp.rounds import operations as rounds
from tests.factories import make_unit

DAY = dt.date(2026, 11, 10)


@pytest.fixture
def daily(session: Session) -> Round:
    """An open daily round over two units, with the shipped daily instrument."""
    instruments = {row.key: row for row in load_shipped(session)}
    units = [make_unit(session), make_unit(session)]
    round_ = rounds.create_round(session, name="日常", mode="daily",
                                 instrument=instruments["daily"], opens_on=dt.date(2026, 11, 1),
                                 closes_on=dt.date(2026, 11, 30), units=units)
    rounds.open_round(session, round_)
    session.commit()
    return round_


def observer_answers(**changes: AnswerInput | None) -> dict[str, AnswerInput]:
    """A valid observer-route answer set of the daily instrument, with ``changes``."""
    answers: dict[str, AnswerInput | None] = {
        "role": AnswerInput(text="observer"),
        "r_info_public": AnswerInput(value=1),
        "r_channels": AnswerInput(value=4),
        "r_codesign": AnswerInput(text="consulted"),
        "r_overall": AnswerInput(value=8),
    }
    answers.update(changes)
    return {key: answer for key, answer in answers.items() if answer is not None}


def youth_answers(**changes: AnswerInput | None) -> dict[str, AnswerInput]:
    answers: dict[str, AnswerInput | None] = {
        "role": AnswerInput(text="youth"),
        "y_know_services": AnswerInput(value=3),
        "y_know_contact": AnswerInput(dont_know=True),
        "y_channels": AnswerInput(text="wechat,friends"),
        "y_joined_recent": AnswerInput(value=0),
        "y_helpful": AnswerInput(na=True),
        "y_overall": AnswerInput(value=6),
    }
    answers.update(changes)
    return {key: answer for key, answer in answers.items() if answer is not None}


def submission(unit: Unit | int, key: str, answers: dict[str, AnswerInput], **fields: object
               ) -> Submission:
    unit_id = unit if isinstance(unit, int) else unit.id
    return Submission(unit_id=unit_id, submission_key=key, submitted_on=DAY, answers=answers,
                      **fields)  # type: ignore[arg-type]


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_records_responses_and_answers(session: Session, daily: Round) -> None:
    unit = daily.units[0]
    ids = record_responses(session, daily, [
        submission(unit, "k1", observer_answers(), channel="onsite", rater_code="abc",
                   duration_s=300),
        submission(unit, "k2", youth_answers(), channel="online"),
    ])
    session.commit()
    assert len(ids) == 2 and len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    first = session.get(Response, ids[0])
    assert first is not None
    assert (first.round_id, first.unit_id, first.instrument_id) == (daily.id, unit.id,
                                                                   daily.instrument_id)
    assert (first.channel, first.rater_code, first.duration_s) == ("onsite", "abc", 300)
    assert first.submitted_on == DAY and not first.excluded
    stored = {a.item_id: a for a in session.scalars(
        select(Answer).where(Answer.response_id == ids[1]))}
    assert set(stored) == set(youth_answers())
    assert stored["y_know_services"].value == 3.0 and stored["y_channels"].text == "wechat,friends"
    assert stored["y_know_contact"].dont_know and stored["y_know_contact"].value is None
    assert stored["y_helpful"].na and not stored["y_helpful"].dont_know


def test_same_key_is_stored_once(session: Session, daily: Round) -> None:
    unit = daily.units[0]
    first = record_responses(session, daily, [submission(unit, "k1", observer_answers())])
    session.commit()
    again = record_responses(session, daily, [
        submission(unit, "k1", observer_answers(r_overall=AnswerInput(value=2))),
        submission(unit, "k2", observer_answers()),
        submission(unit, "k2", observer_answers()),
    ])
    session.commit()
    assert again[0] == first[0] and again[1] == again[2] != first[0]
    assert count(session, Response) == 2
    overall = session.scalar(select(Answer.value).where(
        Answer.response_id == first[0], Answer.item_id == "r_overall"))
    assert overall == 8.0


def test_idempotence_across_query_chunks(session: Session, daily: Round) -> None:
    units = daily.units
    batch = [submission(units[n % 2], f"bulk-{n:05d}", youth_answers()) for n in range(1200)]
    ids = record_responses(session, daily, batch)
    session.commit()
    assert record_responses(session, daily, batch) == ids
    assert count(session, Response) == 1200
    assert count(session, Answer) == 1200 * len(youth_answers())


@pytest.mark.parametrize(
    ("answers", "error", "item"),
    [
        (observer_answers(r_nonsense=AnswerInput(value=1)), UnknownItemError, "r_nonsense"),
        (observer_answers(r_channels=AnswerInput(value=6)), InvalidAnswerError, "r_channels"),
        (observer_answers(r_codesign=AnswerInput(text="maybe")), InvalidAnswerError,
         "r_codesign"),
        (observer_answers(r_overall=AnswerInput(na=True)), InvalidAnswerError, "r_overall"),
        (youth_answers(y_channels=AnswerInput(text="friends,wechat")), InvalidAnswerError,
         "y_channels"),
        (observer_answers(r_overall=None), MissingAnswerError, "r_overall"),
        (observer_answers(role=None), MissingAnswerError, "role"),
        (observer_answers(y_overall=AnswerInput(value=5)), HiddenItemError, "y_overall"),
        (youth_answers(y_feedback_answered=AnswerInput(value=4)), HiddenItemError,
         "y_feedback_answered"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    session: Session, daily: Round, answers: dict[str, AnswerInput], error: type, item: str
) -> None:
    unit = daily.units[0]
    batch = [submission(unit, "good", observer_answers()), submission(unit, "bad", answers)]
    with pytest.raises(error) as raised:
        record_responses(session, daily, batch)
    assert isinstance(raised.value, OperationError)
    assert raised.value.submission_key == "bad" and raised.value.item_id == item
    assert "'bad'" in str(raised.value) and item in str(raised.value)
    session.rollback()
    assert count(session, Response) == count(session, Answer) == 0


def test_conditional_items_follow_their_condition(session: Session, daily: Round) -> None:
    unit = daily.units[0]
    answers = youth_answers(y_gave_feedback=AnswerInput(value=1),
                            y_feedback_answered=AnswerInput(value=4))
    record_responses(session, daily, [submission(unit, "k", answers)])
    assert count(session, Answer) == len(answers)


def test_suggestions_become_rows(session: Session, daily: Round) -> None:
    unit = daily.units[1]
    wish = AnswerInput(text=" 希望活动时间安排在周末 ")
    ids = record_responses(session, daily, [
        submission(unit, "s1", observer_answers(suggestion=wish)),
        submission(unit, "s2", youth_answers()),
    ])
    session.commit()
    rows = session.scalars(select(Suggestion)).all()
    assert len(rows) == 1
    (row,) = rows
    assert (row.round_id, row.unit_id, row.response_id, row.item_id) == (daily.id, unit.id,
                                                                         ids[0], "suggestion")
    assert row.text == "希望活动时间安排在周末" and row.status == "new"
    assert row.created_on == DAY


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"submitted_on": dt.datetime(2026, 11, 10, 9, 30)}, "date"),
        ({"duration_s": -1}, "duration_s"),
        ({"rater_code": "x" * 65}, "rater_code"),
        ({"submission_key": ""}, "submission key"),
    ],
)
def test_bad_submission_fields(session: Session, daily: Round, fields: dict, message: str
                               ) -> None:
    unit = daily.units[0]
    values = {"unit_id": unit.id, "submission_key": "k", "submitted_on": DAY,
              "answers": observer_answers(), **fields}
    with pytest.raises(SubmissionError, match=message):
        record_responses(session, daily, [Submission(**values)])


def test_unit_must_be_in_scope_and_activity_its_own(session: Session, daily: Round) -> None:
    inside, outside = daily.units[0], make_unit(session)
    with pytest.raises(SubmissionError, match="not in round"):
        record_responses(session, daily, [submission(outside, "k", observer_answers())])
    activity = Activity(unit_id=outside.id, title="篮球赛", held_on=DAY, type="fitness")
    session.add(activity)
    session.flush()
    with pytest.raises(SubmissionError, match="does not belong"):
        record_responses(session, daily, [
            submission(inside, "k", observer_answers(), activity_id=activity.id)])


def test_draft_and_published_rounds_take_no_responses(session: Session, daily: Round) -> None:
    unit = daily.units[0]
    daily.status = "published"
    with pytest.raises(OperationError, match="takes no responses"):
        record_responses(session, daily, [submission(unit, "k", observer_answers())])


def test_closed_round_still_takes_late_paper_forms(session: Session, daily: Round) -> None:
    unit = daily.units[0]
    rounds.close_round(session, daily)
    record_responses(session, daily, [submission(unit, "paper-1", youth_answers(),
                                                 channel="paper")])
    session.commit()
    assert count(session, Response) == 1
