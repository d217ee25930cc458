"""Suggestions: filters, follow-up with notes (audited), XLSX export and the CLI."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import AuditEvent, Round, Suggestion, Unit
from evalapp.operations import OperationError
from evalapp.responses.recording import AnswerInput, Submission, record_responses
from evalapp.suggestions.export import HEADERS, export_xlsx
from evalapp.suggestions.operations import change_status, list_suggestions
from tests.factories import make_unit, make_user
from tests.scoring.conftest import make_tiny_round

TEXTS = ("=HYPERLINK(\"http://evil\")", "希望增加周末活动", "-活动太少", "@所有人 多宣传",
         "+1 开放时间太短")


def add_suggestions(session: Session, round_: Round, units: list[Unit]) -> None:
    submissions = [
        Submission(unit_id=units[n % 2].id, submission_key=f"s{n}",
                   submitted_on=dt.date(2026, 11, 3), channel="handout",
                   answers={"know": AnswerInput(value=3), "idea": AnswerInput(text=text)})
        for n, text in enumerate(TEXTS)]
    record_responses(session, round_, submissions)


@pytest.fixture
def made(session: Session) -> tuple[Round, list[Unit]]:
    county = make_unit(session, kind="county", code="S-C", name="翠屏区")
    units = [make_unit(session, parent=county, code="S-A", name="甲之家"),
             make_unit(session, code="S-B", name="乙支部")]
    tiny = make_tiny_round(session, units=units)
    add_suggestions(session, tiny.round, units)
    session.commit()
    return tiny.round, units


def test_filters_and_follow_up(session: Session, made: tuple[Round, list[Unit]]) -> None:
    round_, _ = made
    evaluator = make_user(session, role="evaluator")
    assert len(list_suggestions(session, round_id=round_.id)) == 5
    assert len(list_suggestions(session, unit_code="S-A")) == 3
    assert len(list_suggestions(session, under="S-C")) == 3
    assert list_suggestions(session, round_id=round_.id + 1) == []
    first = list_suggestions(session, unit_code="S-B")[0]
    day = dt.date(2026, 12, 1)
    change_status(session, first, "forwarded", "已转交乙支部", evaluator.id, today=day)
    assert [s.id for s in list_suggestions(session, status="forwarded")] == [first.id]
    with pytest.raises(OperationError, match="can move only to resolved, not to new"):
        change_status(session, first, "new", "撤回")
    with pytest.raises(OperationError, match="a note is required"):
        change_status(session, first, "resolved", "  ")
    with pytest.raises(OperationError, match="only evaluators and admins"):
        change_status(session, first, "resolved", "x", actor_id=make_user(session).id)
    change_status(session, first, "resolved", "已增加周末开放", evaluator.id,
                  today=day + dt.timedelta(days=9))
    assert first.note == "2026-12-01 已转交乙支部\n2026-12-10 已增加周末开放"
    assert first.status_changed_on == dt.date(2026, 12, 10)
    with pytest.raises(OperationError, match="can move no further"):
        change_status(session, first, "forwarded", "again")
    other = list_suggestions(session, unit_code="S-A")[0]
    change_status(session, other, "resolved", "无需处理")
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "suggestion")
                             .order_by(AuditEvent.id)).all()
    assert [(e.detail["previous"], e.detail["status"]) for e in events] == [
        ("new", "forwarded"), ("forwarded", "resolved"), ("new", "resolved")]
    assert events[0].actor_id == evaluator.id and events[0].object_id == str(first.id)


def test_xlsx_export_is_neutralised_frozen_and_reproducible(
        session: Session, made: tuple[Round, list[Unit]]) -> None:
    round_, _ = made
    data = export_xlsx(session, round_id=round_.id)
    assert export_xlsx(session, round_id=round_.id) == data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "意见建议" and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS and len(rows) == 6
    texts = {row[HEADERS.index("意见建议")] for row in rows[1:]}
    assert texts == {"'=HYPERLINK(\"http://evil\")", "希望增加周末活动", "'-活动太少",
                     "'@所有人 多宣传", "'+1 开放时间太短"}
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
    first = rows[1]
    assert first[HEADERS.index("题目")] == "建议" and first[HEADERS.index("状态")] == "待处理"
    assert (first[HEADERS.index("县区")], first[HEADERS.index("单位代码")]) == ("翠屏区", "S-A")
    assert rows[-1][HEADERS.index("县区")] is None and rows[-1][HEADERS.index("处理记录")] is None
    assert not any("2026-11-03" in str(value) for row in rows for value in row), \
        "the visit's day must not leave the team"
    exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert exports[0].detail == {"format": "xlsx", "count": 5,
                                 "filters": {"round_id": round_.id}}


def test_cli_list_status_export(session: Session, made: tuple[Round, list[Unit]],
                                runner: FlaskCliRunner, tmp_path: Path) -> None:
    round_, _ = made
    suggestion_id = session.scalars(select(Suggestion.id).order_by(Suggestion.id)).first()
    listing = runner.invoke(args=["suggestions", "list", "--round", str(round_.id),
                                  "--status", "new"])
    assert listing.exit_code == 0 and "5 suggestion(s)" in listing.output
    moved = runner.invoke(args=["suggestions", "status", str(suggestion_id), "forwarded",
                                "--note", "转交县团委"])
    assert moved.exit_code == 0, moved.output
    refused = runner.invoke(args=["suggestions", "status", str(suggestion_id), "new",
                                  "--note", "x"])
    assert refused.exit_code != 0 and "not to new" in refused.output
    target = tmp_path / "建议.xlsx"
    exported = runner.invoke(args=["suggestions", "export", "--status", "forwarded",
                                   "--out", str(target)])
    assert exported.exit_code == 0, exported.output
    assert "wrote 1 suggestion(s)" in exported.output
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][HEADERS.index("状态")] == "已转交"
    assert rows[1][HEADERS.index("处理记录")].endswith("转交县团委")
