"""Scoring rounds from the database: frames, data versions, caching, freezing, trends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from evalapp.models import Response, RoundResult
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from evalapp.scoring import frames, service
from evalapp.scoring.version import data_version
from reports import score_round
from tests.scoring.conftest import TinyRound, make_tiny_round, submit


class StatementCounter:
    """Counts the SELECTs sent to the database while it is active."""

    def __init__(self, session: Session) -> None:
        self.engine = session.get_bind()
        self.selects: list[str] = []

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            self.selects.append(statement)


def test_frames_hold_the_round_in_tidy_form(session: Session, tiny: TinyRound) -> None:
    inputs = frames.load_inputs(session, tiny.round)
    assert len(inputs.responses) == 5 and len(inputs.answers) == 15
    assert inputs.answers["value"].dtype == float
    assert inputs.answers["na"].dtype == bool
    assert list(inputs.units["unit_code"]) == sorted(unit.code for unit in tiny.units)
    assert set(inputs.units["parent_code"]) == {tiny.units[0].parent.code}
    assert inputs.settings.min_n == 2


def test_reading_a_round_takes_the_same_queries_whatever_its_size(
    session: Session, tiny: TinyRound
) -> None:
    session.expire_all()
    with StatementCounter(session) as small:
        frames.load_inputs(session, tiny.round)
    for number in range(30):
        submit(session, tiny.round, tiny.units[number % 3], (2, 2, 2), f"more{number}")
    session.commit()
    session.expire_all()
    with StatementCounter(session) as large:
        frames.load_inputs(session, tiny.round)
    assert len(large.selects) == len(small.selects) <= 6


def test_score_table_by_hand(session: Session, tiny: TinyRound) -> None:
    table = service.score_table(session, tiny.round).table.set_index("unit_code")
    a, b, c = (unit.code for unit in tiny.units)
    assert table.loc[a, "awareness_raw"] == pytest.approx(75.0)
    assert table.loc[b, "satisfaction_raw"] == pytest.approx(50.0)
    assert table.loc[b, "awareness_raw"] == pytest.approx(0.0)
    assert table.loc[a, "awareness_n"] == 2
    assert bool(table.loc[c, "awareness_suppressed"]) and pd_isna(table.loc[c, "awareness_raw"])
    assert table.loc[a, "rank"] == 1 and table.loc[b, "rank"] == 2
    assert pd_isna(table.loc[c, "rank"])


def pd_isna(value: object) -> bool:
    return bool(pd.isna(value))


def test_score_table_is_what_reports_computes_from_the_same_frames(
    session: Session, tiny: TinyRound
) -> None:
    inputs = frames.load_inputs(session, tiny.round)
    direct = score_round(inputs.answers, inputs.responses, inputs.items, inputs.units,
                         inputs.settings).table
    assert service.score_table(session, tiny.round).table.equals(direct)


def test_data_version_follows_responses_exclusions_and_settings(
    session: Session, tiny: TinyRound
) -> None:
    first = data_version(session, tiny.round)
    assert data_version(session, tiny.round) == first
    submit(session, tiny.round, tiny.units[0], (2, 2, 2), "later")
    second = data_version(session, tiny.round)
    assert second != first
    response = session.scalar(select(Response).where(Response.submission_key == "later"))
    response.excluded, response.excluded_reason = True, "duplicate paper form"
    session.flush()
    third = data_version(session, tiny.round)
    assert third not in (first, second)
    tiny.round.min_n = 3
    session.flush()
    assert data_version(session, tiny.round) not in (first, second, third)


def test_scores_are_cached_under_the_data_version(session: Session, tiny: TinyRound) -> None:
    service.score_table(session, tiny.round)
    with StatementCounter(session) as again:
        service.score_table(session, tiny.round)
    assert not any("answer" in statement.lower() and "join" in statement.lower()
                   for statement in again.selects)
    submit(session, tiny.round, tiny.units[2], (5, 5, 5), "c2")
    table = service.score_table(session, tiny.round).table.set_index("unit_code")
    assert not table.loc[tiny.units[2].code, "awareness_suppressed"]


def test_publishing_freezes_the_table(session: Session, tiny: TinyRound) -> None:
    computed = service.score_table(session, tiny.round)
    with pytest.raises(OperationError, match="only a closed round"):
        rounds.publish_round(session, tiny.round)
    rounds.close_round(session, tiny.round)
    rounds.publish_round(session, tiny.round)
    session.commit()
    frozen = service.score_table(session, tiny.round)
    assert frozen.frozen and frozen.data_version == computed.data_version
    pd.testing.assert_frame_equal(frozen.table, computed.table, check_dtype=False)
    assert len(frozen.items) == len(computed.items)


def test_a_correction_supersedes_with_a_reason_and_both_stay(
    session: Session, tiny: TinyRound
) -> None:
    rounds.close_round(session, tiny.round)
    rounds.publish_round(session, tiny.round)
    with pytest.raises(OperationError, match="needs a reason"):
        service.freeze(session, tiny.round)
    correction = service.freeze(session, tiny.round, reason="unit names corrected")
    session.commit()
    results = session.scalars(select(RoundResult).order_by(RoundResult.id)).all()
    assert len(results) == 2
    assert results[0].superseded_by_id == correction.id and results[1].superseded_by_id is None
    assert service.current_result(session, tiny.round.id).id == correction.id


def test_trend_against_the_previous_published_round(session: Session) -> None:
    before = make_tiny_round(session, "十月", opens=dt.date(2026, 10, 1))
    unit = before.units[0]
    now = make_tiny_round(session, "十一月", opens=dt.date(2026, 11, 1), units=before.units)
    for key, values in (("o1", (3, 3, 3)), ("o2", (3, 3, 3))):
        submit(session, before.round, unit, values, key, dt.date(2026, 10, 2))
    for key, values in (("n1", (5, 5, 5)), ("n2", (4, 4, 4))):
        submit(session, now.round, unit, values, key)
    assert service.trend_table(session, now.round) is None
    rounds.close_round(session, before.round)
    rounds.publish_round(session, before.round)
    assert service.previous_published(session, now.round).id == before.round.id
    assert service.previous_published(session, before.round) is None
    trend = service.trend_table(session, now.round).set_index("unit_code")
    assert trend.loc[unit.code, "awareness_delta"] == pytest.approx(87.5 - 50.0)


def test_frames_keep_awkward_text_exactly(session: Session, tiny: TinyRound) -> None:
    """Text through the driver (COPY on PostgreSQL): quotes, commas, newlines, '' vs NULL."""
    from evalapp.models import Answer

    awkward = {"q1": 'say "hi", then\nleave', "q2": "", "q3": "\\N", "q4": None,
               "q5": "中文，建议"}
    response_id = session.scalar(select(Response.id).where(Response.submission_key == "a1"))
    session.add_all(Answer(response_id=response_id, item_id=item, text=value)
                    for item, value in awkward.items())
    session.commit()
    answers = frames.load_inputs(session, tiny.round).answers
    answers = answers.loc[answers["response_id"] == response_id].set_index("item_id")
    for item, value in awkward.items():
        assert answers.loc[item, "text"] == value
    assert pd.isna(answers.loc["q4", "value"]) and answers.loc["know", "value"] == 5.0
    assert answers["na"].dtype == bool and not answers["na"].any()
