"""Importing observers: accounts, affiliations, updates by login and bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from evalapp.imports import ImportFailed, import_observers

from ..factories import make_unit, make_user
from .helpers import OBSERVER_HEADER, row_counts, user, write_csv, write_xlsx


@pytest.fixture
def units(session: Session) -> None:
    city = make_unit(session, kind="city", code="C")
    county = make_unit(session, kind="county", code="C01", parent=city)
    for code in ("B1", "B2", "B3", "B4", "B5"):
        make_unit(session, code=code, parent=county)
    session.commit()


def _codes(session: Session, login: str) -> list[str]:
    return sorted(unit.code for unit in user(session, login).affiliations)


def _fail(session: Session, path: Path) -> ImportFailed:
    before = row_counts(session)
    with pytest.raises(ImportFailed) as caught:
        import_observers(session, path)
    assert row_counts(session) == before
    return caught.value


def _only_problem(session: Session, path: Path) -> str:
    error = _fail(session, path)
    assert len(error.problems) == 1, error
    return str(error.problems[0])


OBSERVERS = [
    OBSERVER_HEADER,
    ["zhang.san", "张三", "B1", "13800000001"],
    ["li.si", "李四", "B1;B2，B3, B4、B5|C", ""],
    ["wang.wu", "王五", "", ""],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.usefixtures("units")
def test_observers_are_created(session: Session, tmp_path: Path, encoding: str) -> None:
    summary = import_observers(session, write_csv(tmp_path / "observers.csv", OBSERVERS,
                                                  encoding))
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    zhang = user(session, "zhang.san")
    assert (zhang.name, zhang.role, zhang.password_hash, zhang.phone, zhang.active) == (
        "张三", "observer", None, "13800000001", True)
    assert _codes(session, "li.si") == ["B1", "B2", "B3", "B4", "B5", "C"]
    assert _codes(session, "wang.wu") == []


@pytest.mark.usefixtures("units")
def test_observers_from_xlsx(session: Session, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "observers.xlsx", {
        "说明": [["填写说明"]],
        "观察员": [["登录名", "姓名", "所属单位", "手机"], ["Zhao.Liu", "赵六", "B1\nB2",
                                                        13800000009]]})
    assert import_observers(session, path).created == 1
    assert user(session, "zhao.liu").phone == "13800000009"
    assert _codes(session, "zhao.liu") == ["B1", "B2"]


@pytest.mark.usefixtures("units")
def test_import_twice_changes_nothing(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "observers.csv", OBSERVERS)
    import_observers(session, path)
    session.commit()
    before = row_counts(session)
    summary = import_observers(session, path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert row_counts(session) == before


@pytest.mark.usefixtures("units")
def test_update_by_login_case_insensitively(session: Session, tmp_path: Path) -> None:
    import_observers(session, write_csv(tmp_path / "a.csv", OBSERVERS))
    session.commit()
    rows = [OBSERVER_HEADER, ["Zhang.San", "张三丰", "B2", "13800000001"],
            ["LI.SI", "李四", "B1;B2;B3;B4;B5;C", ""]]
    summary = import_observers(session, write_csv(tmp_path / "b.csv", rows))
    session.commit()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert user(session, "zhang.san").name == "张三丰"
    assert _codes(session, "zhang.san") == ["B2"]
    assert row_counts(session)["user"] == 3


@pytest.mark.usefixtures("units")
def test_absent_phone_column_keeps_phones(session: Session, tmp_path: Path) -> None:
    import_observers(session, write_csv(tmp_path / "a.csv", OBSERVERS))
    rows = [["login", "name", "units"], ["zhang.san", "张三", "B1"]]
    assert import_observers(session, write_csv(tmp_path / "b.csv", rows)).unchanged == 1
    assert user(session, "zhang.san").phone == "13800000001"


@pytest.mark.usefixtures("units")
def test_existing_observer_made_elsewhere_is_updated(session: Session, tmp_path: Path) -> None:
    make_user(session, login="zhang.san")
    summary = import_observers(session, write_csv(tmp_path / "a.csv", OBSERVERS))
    assert (summary.created, summary.updated) == (2, 1)


@pytest.mark.usefixtures("units")
def test_login_of_another_role(session: Session, tmp_path: Path) -> None:
    make_user(session, role="evaluator", login="li.si")
    assert _only_problem(session, write_csv(tmp_path / "observers.csv", OBSERVERS)) == (
        "observers.csv, row 3, column login (A): login li.si belongs to an existing evaluator "
        "account; give the observer another login")


@pytest.mark.usefixtures("units")
def test_affiliated_unit_unknown(session: Session, tmp_path: Path) -> None:
    rows = [*OBSERVERS, ["zhao.liu", "赵六", "B1;NOPE;ALSO", ""]]
    assert _only_problem(session, write_csv(tmp_path / "observers.csv", rows)) == (
        "observers.csv, row 5, column units (C): affiliated unit ALSO, NOPE unknown: import "
        "the units first, then use their codes")


@pytest.mark.usefixtures("units")
def test_duplicate_login(session: Session, tmp_path: Path) -> None:
    rows = [*OBSERVERS, ["ZHANG.SAN", "另一个张三", "", ""]]
    assert _only_problem(session, write_csv(tmp_path / "observers.csv", rows)) == (
        "observers.csv, row 5, column login (A): duplicate login zhang.san: also in row 2")


@pytest.mark.usefixtures("units")
@pytest.mark.parametrize("login", ["张三", "zhang san", ".zhang", "a/b", "x;y"])
def test_bad_login_characters(session: Session, tmp_path: Path, login: str) -> None:
    rows = [OBSERVER_HEADER, [login, "张三", "", ""]]
    message = _only_problem(session, write_csv(tmp_path / "observers.csv", rows))
    assert message.startswith("observers.csv, row 2, column login (A): bad characters in login")


@pytest.mark.usefixtures("units")
def test_login_too_long(session: Session, tmp_path: Path) -> None:
    rows = [OBSERVER_HEADER, ["a" * 81, "张三", "", ""]]
    assert _only_problem(session, write_csv(tmp_path / "observers.csv", rows)) == (
        "observers.csv, row 2, column login (A): login too long: 81 characters, at most 80")


@pytest.mark.usefixtures("units")
def test_missing_name(session: Session, tmp_path: Path) -> None:
    rows = [OBSERVER_HEADER, ["zhang.san", " ", "B1", ""]]
    assert _only_problem(session, write_csv(tmp_path / "observers.csv", rows)) == (
        "observers.csv, row 2, column name (B): missing required value")


@pytest.mark.usefixtures("units")
def test_phone_too_long(session: Session, tmp_path: Path) -> None:
    rows = [OBSERVER_HEADER, ["zhang.san", "张三", "B1", "1" * 41]]
    assert _only_problem(session, write_csv(tmp_path / "observers.csv", rows)) == (
        "observers.csv, row 2, column phone (D): too long: 41 characters, at most 40")


def test_missing_units_column(session: Session, tmp_path: Path) -> None:
    rows = [["login", "name"], ["zhang.san", "张三"]]
    message = _only_problem(session, write_csv(tmp_path / "observers.csv", rows))
    assert message.startswith("observers.csv, row 1, column units: required column missing")


@pytest.mark.usefixtures("units")
def test_every_bad_row_and_nothing_written(session: Session, tmp_path: Path) -> None:
    make_user(session, role="admin", login="admin")
    session.commit()
    rows = [*OBSERVERS, ["admin", "管理员", "", ""], ["bad login", "x", "", ""],
            ["li.si", "李四", "", ""], ["ok.one", "", "NOPE", ""]]
    error = _fail(session, write_csv(tmp_path / "observers.csv", rows))
    assert [(p.row, p.column) for p in error.problems] == [
        (5, "login (A)"), (6, "login (A)"), (7, "login (A)"), (8, "name (B)"),
        (8, "units (C)")]
