"""`evalapp import units|observers FILE` through the Flask CLI runner."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from .helpers import OBSERVER_HEADER, UNIT_HEADER, row_counts, unit, user, write_csv

UNITS = [UNIT_HEADER, ["C", "示例市", "city", ""], ["B1", "第一团支部", "团支部", "C"]]
OBSERVERS = [OBSERVER_HEADER, ["zhang.san", "张三", "B1", ""]]


def test_import_units_commits_and_reports_counts(runner: FlaskCliRunner, session: Session,
                                                 tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [[*UNIT_HEADER, "备注"], *[
        [*row, "x"] for row in UNITS[1:]]])
    result = runner.invoke(args=["import", "units", str(path)])
    assert result.exit_code == 0, result.output
    assert "ignored column: 备注" in result.output
    assert "units.csv: 2 units — 2 created, 0 updated, 0 unchanged" in result.output
    session.rollback()
    assert unit(session, "B1").kind == "branch"
    again = runner.invoke(args=["import", "units", str(path)])
    assert "2 units — 0 created, 0 updated, 2 unchanged" in again.output


def test_import_units_failure_lists_every_problem(runner: FlaskCliRunner, session: Session,
                                                  tmp_path: Path) -> None:
    rows = [*UNITS, ["B2", "", "branch", "C"], ["B3", "三", "村", "NOPE"]]
    result = runner.invoke(args=["import", "units", str(write_csv(tmp_path / "u.csv", rows))])
    assert result.exit_code == 1
    assert "u.csv: nothing imported, 3 problems:" in result.output
    assert "u.csv, row 4, column name (B): missing required value" in result.output
    assert "u.csv, row 5, column kind (C): unknown kind '村'" in result.output
    assert "u.csv, row 5, column parent_code (D): parent 'NOPE'" in result.output
    session.rollback()
    assert row_counts(session)["unit"] == 0


def test_import_units_dry_run_writes_nothing(runner: FlaskCliRunner, session: Session,
                                             tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", UNITS)
    result = runner.invoke(args=["import", "units", "--dry-run", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output and "dry run: nothing written" in result.output
    session.rollback()
    assert row_counts(session)["unit"] == 0


def test_import_observers(runner: FlaskCliRunner, session: Session, tmp_path: Path) -> None:
    runner.invoke(args=["import", "units", str(write_csv(tmp_path / "units.csv", UNITS))])
    path = write_csv(tmp_path / "observers.csv", OBSERVERS)
    result = runner.invoke(args=["import", "observers", str(path)])
    assert result.exit_code == 0, result.output
    assert "observers.csv: 1 observers — 1 created, 0 updated, 0 unchanged" in result.output
    session.rollback()
    assert [unit.code for unit in user(session, "zhang.san").affiliations] == ["B1"]


def test_import_observers_failure(runner: FlaskCliRunner, session: Session,
                                  tmp_path: Path) -> None:
    path = write_csv(tmp_path / "observers.csv", OBSERVERS)
    result = runner.invoke(args=["import", "observers", str(path)])
    assert result.exit_code == 1
    assert "observers.csv, row 2, column units (C): affiliated unit B1 unknown" in result.output
    session.rollback()
    assert row_counts(session)["user"] == 0


def test_unreadable_and_missing_files(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "units.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    result = runner.invoke(args=["import", "units", str(path)])
    assert result.exit_code == 1
    assert "units.xls: is an old Excel 97–2003 (.xls)" in result.output
    missing = runner.invoke(args=["import", "units", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
