"""Activities: entering, importing (CSV/XLSX, all-or-nothing, idempotent) and weekly lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.activities.operations import (
    create_activity,
    import_activities,
    parse_date,
    resolve_type,
    week_of,
    weekly_activities,
)
from evalapp.imports.outcome import ImportFailed
from evalapp.models import Activity, AuditEvent, Unit
from evalapp.operations import OperationError
from tests.factories import make_unit

GOOD_CSV = """单位代码,活动名称,活动日期,活动类型,活动地点
A-1,青年职业规划讲座,2026-11-09,培训,青年之家活动室
A-1,电商直播技能班,2026/11/10,技能,
甲青年之家,情绪减压工作坊,2026年11月11日,心理辅导,二楼
B-1,周末青年联谊会,2026.11.14 19:00,联谊,江边广场
B-1,夜跑打卡,20261115,健身,
"""


def units(session: Session) -> tuple[Unit, Unit]:
    county = make_unit(session, kind="county", code="A")
    first = make_unit(session, kind="youth_home", parent=county, code="A-1", name="甲青年之家")
    second = make_unit(session, kind="branch", code="B-1", name="乙支部")
    return first, second


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Activity)) or 0


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-05", dt.date(2026, 11, 5)), ("2026/11/5", dt.date(2026, 11, 5)),
    ("２０２６年１１月５日", dt.date(2026, 11, 5)), ("2026-11-05 14:30:00", dt.date(2026, 11, 5)),
    ("20261105", dt.date(2026, 11, 5)), ("2026-02-30", None), ("11/05/2026", None), ("", None),
])
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_chinese_type_names() -> None:
    assert [resolve_type(t) for t in ("培训", "技能", "心理辅导", "联谊", "健身", "志愿服务",
                                      "Fitness", "其它", "烧烤")] == [
        "training", "skills", "counselling", "social", "fitness", "volunteering", "fitness",
        "other", None]


def test_import_is_idempotent_and_updates_by_identity(session: Session, tmp_path: Path,
                                                      runner: FlaskCliRunner) -> None:
    first, _ = units(session)
    session.commit()
    path = tmp_path / "活动.csv"
    path.write_bytes(GOOD_CSV.encode("gb18030"))
    imported = runner.invoke(args=["activity", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    assert "5 activities — 5 created, 0 updated, 0 unchanged" in imported.output
    again = runner.invoke(args=["activity", "import", str(path)])
    assert "0 created, 0 updated, 5 unchanged" in again.output
    path.write_bytes(GOOD_CSV.replace("江边广场", "体育馆").encode("utf-8-sig"))
    changed = import_activities(session, path)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 4)
    stored = {a.title: a for a in session.scalars(select(Activity))}
    assert stored["周末青年联谊会"].place == "体育馆"
    assert stored["情绪减压工作坊"].unit_id == first.id
    assert stored["夜跑打卡"].held_on == dt.date(2026, 11, 15)
    assert stored["电商直播技能班"].type == "skills" and stored["电商直播技能班"].place is None
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "activity")).all()
    assert [e.detail["created"] for e in events] == [5, 0, 0]

    listing = runner.invoke(args=["activity", "list", "--week", "2026-11-12"])
    assert listing.exit_code == 0, listing.output
    assert "week 2026-11-09 – 2026-11-15: 5 activities" in listing.output
    assert "2026-11-14 周六" in listing.output


def test_xlsx_import_with_date_cells(session: Session, tmp_path: Path) -> None:
    units(session)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["unit", "title", "date", "type"])
    sheet.append(["A-1", "读书会", dt.datetime(2026, 11, 12, 15, 0), "文化"])
    sheet.append(["B-1", "志愿清扫", dt.date(2026, 11, 13), None])
    path = tmp_path / "activities.xlsx"
    workbook.save(path)
    summary = import_activities(session, path)
    assert summary.created == 2
    kinds = dict(session.execute(select(Activity.title, Activity.type)).all())
    assert kinds == {"读书会": "culture", "志愿清扫": "other"}


def test_every_bad_row_is_named_and_nothing_is_written(session: Session, tmp_path: Path) -> None:
    units(session)
    make_unit(session, code="DUP-1", name="同名单位")
    make_unit(session, code="DUP-2", name="同名单位")
    closed = make_unit(session, code="OLD-1")
    closed.active = False
    path = tmp_path / "bad.csv"
    path.write_text("单位,活动名称,日期,类型\n"
                    "A-1,好活动,2026-11-09,培训\n"
                    "NOPE,活动,2026-11-09,培训\n"
                    "同名单位,活动,2026-11-09,培训\n"
                    "OLD-1,活动,2026-11-09,培训\n"
                    "A-1,活动,下周三,培训\n"
                    "A-1,,2026-11-09,培训\n"
                    "A-1,烧烤,2026-11-09,烧烤\n"
                    "A-1,好活动,2026-11-09,技能\n"
                    f"A-1,{'长' * 201},2026-11-09,培训\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_activities(session, path)
    reasons = {problem.row: problem.reason for problem in failed.value.problems}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "unknown unit 'NOPE'" in reasons[3]
    assert "names several units (DUP-1, DUP-2)" in reasons[4]
    assert "OLD-1" in reasons[5] and "not active" in reasons[5]
    assert "not a date: '下周三'" in reasons[6]
    assert reasons[7] == "missing required value"
    assert "unknown activity type '烧烤'" in reasons[8]
    assert "also in row 2" in reasons[9]
    assert "too long: 201 characters" in reasons[10]
    assert "bad.csv, row 3, column 单位 (A)" in str(failed.value)
    assert count(session) == 0


def test_create_activity_and_weekly_list(session: Session) -> None:
    first, second = units(session)
    saturday = dt.date(2026, 11, 14)
    activity = create_activity(session, first, " 青年 沙龙 ", saturday, "联谊", place="咖啡馆")
    assert activity.title == "青年 沙龙" and activity.type == "social"
    create_activity(session, second, "篮球赛", saturday + dt.timedelta(days=1), "fitness")
    create_activity(session, second, "下周的活动", saturday + dt.timedelta(days=2))
    with pytest.raises(OperationError, match="already lists"):
        create_activity(session, first, "青年  沙龙", saturday, "social")
    with pytest.raises(OperationError, match="unknown activity type"):
        create_activity(session, first, "x", saturday, "烧烤")
    assert week_of(saturday) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    week = weekly_activities(session, dt.date(2026, 11, 9))
    assert [a.title for a in week.activities] == ["青年 沙龙", "篮球赛"]
    assert [a.title for a in weekly_activities(session, saturday, under=["A"]).activities] \
        == ["青年 沙龙"]
    with pytest.raises(OperationError, match="unknown unit code"):
        weekly_activities(session, saturday, under=["NOPE"])
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "create",
                                                     AuditEvent.object_type == "activity")
                            ).first()
    assert event is not None and event.detail["unit"] == "A-1"
