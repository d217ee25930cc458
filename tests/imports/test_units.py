"""Importing units: headers, encodings, kinds, the hierarchy and every kind of bad row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.imports import ImportFailed, import_units
from evalapp.models import AuditEvent

from ..factories import make_unit
from .helpers import UNIT_HEADER, row_counts, unit, write_csv, write_xlsx

CITY = [
    UNIT_HEADER,
    ["C", "共青团示例市委员会", "city", ""],
    ["C01", "共青团东城区委员会", "county", "C"],
    ["C0101", "人民路青年之家", "youth_home", "C01"],
]


def _fail(session: Session, path: Path) -> ImportFailed:
    before = row_counts(session)
    with pytest.raises(ImportFailed) as caught:
        import_units(session, path)
    assert row_counts(session) == before
    return caught.value


def _only_problem(session: Session, path: Path) -> str:
    error = _fail(session, path)
    assert len(error.problems) == 1, error
    return str(error.problems[0])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding(session: Session, tmp_path: Path, encoding: str) -> None:
    summary = import_units(session, write_csv(tmp_path / "units.csv", CITY, encoding))
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    home = unit(session, "C0101")
    assert home.name == "人民路青年之家"
    assert home.kind == "youth_home"
    assert home.parent is not None and home.parent.code == "C01"
    assert home.parent.parent is not None and home.parent.parent.name == "共青团示例市委员会"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_other_delimiters(session: Session, tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "units.csv", CITY, delimiter=delimiter)
    assert import_units(session, path).created == 3


def test_xlsx_with_numeric_codes(session: Session, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "units.xlsx", {"单位": [
        ["编码", "名称", "类型", "上级代码", "成立日期"],
        [510100, "共青团示例市委员会", "市", None, None],
        [510101.0, "共青团锦江区委员会", "县/区", 510100, "2020-01-01"],
    ]})
    summary = import_units(session, path)
    assert summary.created == 2
    assert summary.ignored_columns == ("成立日期",)
    child = unit(session, "510101")
    assert child.kind == "county"
    assert child.parent is not None and child.parent.code == "510100"


def test_zhihui_tuanjian_headers_and_types(session: Session, tmp_path: Path) -> None:
    rows = [
        ["团组织ID", "团组织全称", "团组织简称", "组织类型", "上级组织"],
        ["100", "共青团示例市委员会", "团市委", "1", ""],
        ["110", "共青团东城区委员会", "东城团区委", "领导机关团组织", "共青团示例市委员会"],
        ["111", "人民路街道团工委", "人民路团工委", "3", "110"],
        ["1111", "人民路社区团支部", "社区团支部", "5", "111"],
        ["112", "东城区第一中学团总支", "一中团总支", "团总支", "110"],
        ["120", "示例市青年企业家协会团委", "青企协团委", "2", "100"],
    ]
    summary = import_units(session, write_csv(tmp_path / "组织列表.csv", rows, "gb18030"))
    assert summary.created == 6
    kinds = {code: unit(session, code).kind for code in ("100", "110", "111", "1111", "112",
                                                         "120")}
    assert kinds == {"100": "city", "110": "county", "111": "township", "1111": "branch",
                     "112": "branch", "120": "county"}
    assert unit(session, "110").parent == unit(session, "100")


def test_explicit_kind_wins_over_org_type(session: Session, tmp_path: Path) -> None:
    rows = [["团组织ID", "团组织全称", "组织类型", "类型", "上级组织"],
            ["100", "团市委", "1", "", ""],
            ["120", "示例市青年企业家协会团委", "2", "协会", "100"]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert unit(session, "120").kind == "association"


def test_by_level_kind_below_a_unit_in_the_database(session: Session, tmp_path: Path) -> None:
    make_unit(session, kind="county", code="DB1")
    rows = [["团组织ID", "团组织全称", "组织类型", "上级组织"], ["T1", "某镇团委", "2", "DB1"]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert unit(session, "T1").kind == "township"


def test_short_name_stands_in_for_a_blank_full_name(session: Session, tmp_path: Path) -> None:
    rows = [["团组织ID", "团组织全称", "团组织简称", "组织类型"], ["100", "", "团市委", "1"]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert unit(session, "100").name == "团市委"


@pytest.mark.parametrize(("text", "kind"), [
    ("青年之家", "youth_home"), ("县/区", "county"), ("乡镇", "township"), ("街道", "township"),
    ("支部", "branch"), ("部门", "department"), ("行业", "industry"), ("商圈", "district"),
    ("协会", "association"), ("Youth Home", "youth_home"), ("ＢＲＡＮＣＨ", "branch"),
])
def test_chinese_and_loose_kind_names(session: Session, tmp_path: Path, text: str,
                                      kind: str) -> None:
    rows = [UNIT_HEADER, ["X1", "单位", text, ""]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert unit(session, "X1").kind == kind


def test_headers_are_normalised(session: Session, tmp_path: Path) -> None:
    rows = [["\ufeffＣＯＤＥ", " Name\u200b ", "KIND", "Parent Code", "地址 address"],
            ["A", "甲", "city", "", "人民路1号"]]
    summary = import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert summary.created == 1 and summary.ignored_columns == ()
    assert unit(session, "A").address == "人民路1号"


def test_optional_columns_and_active_flag(session: Session, tmp_path: Path) -> None:
    rows = [[*UNIT_HEADER, "address", "contact", "phone", "active"],
            ["A", "甲", "city", "", "人民路1号", "王老师", "13800000000", "否"],
            ["B", "乙", "branch", "A", "", "", "", ""]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    first, second = unit(session, "A"), unit(session, "B")
    assert (first.address, first.contact, first.phone, first.active) == (
        "人民路1号", "王老师", "13800000000", False)
    assert (second.address, second.active) == (None, True)


def test_parent_after_child(session: Session, tmp_path: Path) -> None:
    rows = [UNIT_HEADER, CITY[3], CITY[2], CITY[1]]
    assert import_units(session, write_csv(tmp_path / "units.csv", rows)).created == 3
    assert unit(session, "C0101").parent == unit(session, "C01")


def test_parent_already_in_the_database(session: Session, tmp_path: Path) -> None:
    make_unit(session, kind="city", code="OLD")
    rows = [UNIT_HEADER, ["N1", "新单位", "branch", "OLD"]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert unit(session, "N1").parent == unit(session, "OLD")


def test_parent_by_unique_name(session: Session, tmp_path: Path) -> None:
    rows = [UNIT_HEADER, ["B1", "第一团支部", "branch", "共青团示例市委员会"], CITY[1]]
    import_units(session, write_csv(tmp_path / "units.csv", rows))
    assert unit(session, "B1").parent == unit(session, "C")


def test_import_twice_changes_nothing(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", CITY)
    import_units(session, path)
    session.commit()
    before = row_counts(session)
    summary = import_units(session, path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert row_counts(session) == before


def test_reimport_updates_by_code(session: Session, tmp_path: Path) -> None:
    import_units(session, write_csv(tmp_path / "units.csv", CITY))
    session.commit()
    changed = [*CITY[:3], ["C0101", "人民路青年之家（新）", "youth_home", "C"]]
    summary = import_units(session, write_csv(tmp_path / "units2.csv", changed))
    session.commit()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    home = unit(session, "C0101")
    assert home.name == "人民路青年之家（新）"
    assert home.parent == unit(session, "C")
    assert row_counts(session)["unit"] == 3


def test_absent_column_keeps_values_present_blank_clears(session: Session,
                                                        tmp_path: Path) -> None:
    full = [[*UNIT_HEADER, "phone"], ["A", "甲", "city", "", "110"], ["B", "乙", "branch", "A",
                                                                     "120"]]
    import_units(session, write_csv(tmp_path / "a.csv", full))
    summary = import_units(session, write_csv(tmp_path / "b.csv", [
        ["code", "name", "kind"], ["A", "甲", "city"], ["B", "乙", "branch"]]))
    assert summary.unchanged == 2
    assert unit(session, "B").phone == "120" and unit(session, "B").parent == unit(session, "A")
    summary = import_units(session, write_csv(tmp_path / "c.csv", [
        [*UNIT_HEADER, "phone"], ["A", "甲", "city", "", ""], ["B", "乙", "branch", "", "120"]]))
    assert summary.updated == 2
    assert unit(session, "A").phone is None and unit(session, "B").parent is None


def test_one_audit_event_per_import(session: Session, tmp_path: Path) -> None:
    import_units(session, write_csv(tmp_path / "units.csv", CITY))
    events = session.scalars(select(AuditEvent)).all()
    assert len(events) == 1
    assert (events[0].action, events[0].object_type) == ("import", "unit")
    assert events[0].detail == {"file": "units.csv", "created": 3, "updated": 0,
                                "unchanged": 0}


def test_display_name_names_the_file_in_messages(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tmp123", [UNIT_HEADER, ["A", "", "city", ""]])
    with pytest.raises(ImportFailed) as caught:
        import_units(session, path, display_name="我的单位.csv")
    assert str(caught.value.problems[0]).startswith("我的单位.csv, row 2, column name (B)")


# --- one test per reason a row is refused ----------------------------------------------


def test_missing_required_value(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C02", "", "county", "C"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column name (B): missing required value")


def test_missing_code(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["", "无编码", "county", "C"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column code (A): missing required value")


def test_unknown_kind(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C02", "某村", "村", "C"]])
    message = _only_problem(session, path)
    assert message.startswith("units.csv, row 5, column kind (C): unknown kind '村'")


def test_duplicate_code(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C01", "重复", "county", "C"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column code (A): duplicate code C01: also in row 3")


def test_parent_unknown(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C02", "西城", "county", "NOPE"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column parent_code (D): parent 'NOPE' is neither in the file nor "
        "in the database")


def test_parent_name_ambiguous(session: Session, tmp_path: Path) -> None:
    rows = [*CITY, ["C02", "人民路青年之家", "youth_home", "C"],
            ["C03", "支部", "branch", "人民路青年之家"]]
    message = _only_problem(session, write_csv(tmp_path / "units.csv", rows))
    assert message.startswith("units.csv, row 6, column parent_code (D): parent '人民路青年之家'"
                              " names several units (C0101, C02)")


def test_cycle_in_parents(session: Session, tmp_path: Path) -> None:
    rows = [UNIT_HEADER, ["A", "甲", "branch", "C"], ["B", "乙", "branch", "A"],
            ["C", "丙", "branch", "B"], ["D", "丁", "branch", "C"]]
    error = _fail(session, write_csv(tmp_path / "units.csv", rows))
    assert [(p.row, p.column) for p in error.problems] == [
        (2, "parent_code (D)"), (3, "parent_code (D)"), (4, "parent_code (D)")]
    assert "parents form a cycle: A → C → B → A" in str(error.problems[0])


def test_cycle_through_the_database(session: Session, tmp_path: Path) -> None:
    top = make_unit(session, kind="city", code="TOP")
    make_unit(session, kind="county", code="MID", parent=top)
    rows = [UNIT_HEADER, ["TOP", "顶", "city", "MID"]]
    assert _only_problem(session, write_csv(tmp_path / "units.csv", rows)) == (
        "units.csv, row 2, column parent_code (D): parents form a cycle: TOP → MID → TOP")


def test_own_parent(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C02", "西城", "county", "C02"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column parent_code (D): a unit cannot be its own parent")


def test_code_too_long(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["9" * 65, "长", "branch", "C"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column code (A): unit code too long: 65 characters, at most 64")


def test_bad_code_characters(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C 02;x", "坏", "branch", "C"]])
    message = _only_problem(session, path)
    assert message.startswith("units.csv, row 5, column code (A): bad characters in unit code")


def test_name_too_long(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*CITY, ["C02", "名" * 201, "branch", "C"]])
    assert _only_problem(session, path) == (
        "units.csv, row 5, column name (B): too long: 201 characters, at most 200")


def test_bad_active_flag(session: Session, tmp_path: Path) -> None:
    rows = [[*UNIT_HEADER, "有效"], ["A", "甲", "city", "", "也许"]]
    message = _only_problem(session, write_csv(tmp_path / "units.csv", rows))
    assert message.startswith("units.csv, row 2, column 有效 (E): '也许' is not a yes/no value")


def test_missing_required_column(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [["code", "名称", "remark"], ["A", "甲", "x"]])
    message = _only_problem(session, path)
    assert message.startswith("units.csv, row 1, column kind: required column missing; "
                              "accepted headers: kind, 类型")
    assert "组织类型" in message


def test_two_columns_for_one_field(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [["code", "编码", "name", "kind"],
                                              ["A", "A", "甲", "city"]])
    assert _only_problem(session, path) == (
        "units.csv, row 1, column 编码 (B): a second column for code; code (A) already gives it")


def test_header_only(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [UNIT_HEADER])
    assert _only_problem(session, path) == (
        "units.csv, row 1: there are no data rows below the header")


def test_empty_file(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    assert _only_problem(session, path) == "units.csv: the file is empty: it has no header row"


def test_every_bad_row_is_reported_together(session: Session, tmp_path: Path) -> None:
    rows = [*CITY,
            ["C02", "", "county", "C"],
            ["C03", "三", "村", "C"],
            ["C01", "重复", "county", "C"],
            ["C04", "四", "branch", "NOPE"],
            ["", "", "", ""],
            ["X" * 70, "长", "branch", "C"]]
    error = _fail(session, write_csv(tmp_path / "units.csv", rows))
    assert [(p.row, p.column) for p in error.problems] == [
        (5, "name (B)"), (6, "kind (C)"), (7, "code (A)"), (8, "parent_code (D)"),
        (10, "code (A)")]
    message = str(error)
    assert message.startswith("units.csv: nothing imported, 5 problems:")
    assert all(f"row {row}" in message for row in (5, 6, 7, 8, 10))


def test_one_bad_row_writes_nothing(session: Session, tmp_path: Path) -> None:
    import_units(session, write_csv(tmp_path / "units.csv", CITY))
    session.commit()
    rows = [*CITY[:2], ["C01", "改名的区", "county", "C"], ["C09", "新", "branch", "NOPE"]]
    _fail(session, write_csv(tmp_path / "bad.csv", rows))
    session.rollback()
    assert unit(session, "C01").name == "共青团东城区委员会"
    assert unit(session, "C01").parent == unit(session, "C")
    assert len(session.scalars(select(AuditEvent)).all()) == 1
