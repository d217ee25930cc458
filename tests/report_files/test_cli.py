"""`evalapp report` and the file cache, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from evalapp.reporting import cached_file, load_report_data, report_folder
from evalapp.rounds import operations as rounds
from evalapp.scoring import service
from reports import TABLE_COLUMNS, csv_bytes, labels
from tests.report_files.conftest import pdf_text
from tests.scoring.conftest import TinyRound, make_tiny_round, submit


@pytest.fixture
def tiny(session: Session) -> TinyRound:
    """Units A (2 responses), B (2) and C (1: suppressed at min_n 2)."""
    made = make_tiny_round(session)
    a, b, c = made.units
    submit(session, made.round, a, (5, 5, 5), "a1")
    submit(session, made.round, a, (3, 4, 3), "a2")
    submit(session, made.round, b, (1, 2, 1), "b1")
    submit(session, made.round, b, (2, 3, 5), "b2")
    submit(session, made.round, c, (4, 4, 4), "c1")
    session.commit()
    return made


def test_report_writes_every_format(runner: FlaskCliRunner, session: Session, tiny: TinyRound,
                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(args=["report", str(tiny.round.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["items.csv", "report.pdf", "report.xlsx", "scores.csv"]
    table = service.score_table(session, tiny.round).table
    assert (out / "scores.csv").read_bytes() == csv_bytes(table)
    book = openpyxl.load_workbook(out / "report.xlsx")
    rows = list(book["scores"].iter_rows(min_row=3, values_only=True))
    column = TABLE_COLUMNS.index("composite_adjusted")
    for row, value in zip(rows, table["composite_adjusted"], strict=True):
        assert row[column] == (labels.SUPPRESSED if not labels.is_present(value)
                               else round(float(value), 2))
    pages = pdf_text((out / "report.pdf").read_bytes())
    league = pages[2]  # cover, method, then the league table
    for unit in tiny.units:
        assert unit.name in league
    assert any(tiny.units[2].name in page and labels.SUPPRESSED in page for page in pages)


def test_files_are_made_once_per_data_version(app: Flask, runner: FlaskCliRunner,
                                              session: Session, tiny: TinyRound,
                                              tmp_path: Path) -> None:
    first = runner.invoke(args=["report", str(tiny.round.id), "--out", str(tmp_path / "1"),
                                "--format", "csv,xlsx"])
    assert first.exit_code == 0, first.output
    folder = report_folder(session, tiny.round, app.instance_path)
    assert folder.parent.parent == Path(app.instance_path) / "reports" / str(tiny.round.id)
    assert folder.name.startswith("preliminary-")
    cached = folder / "report.xlsx"
    made = cached.stat().st_mtime_ns
    again = runner.invoke(args=["report", str(tiny.round.id), "--out", str(tmp_path / "2"),
                                "--format", "xlsx"])
    assert again.exit_code == 0 and cached.stat().st_mtime_ns == made
    session.rollback()  # end the read snapshot taken before the command wrote its audit event
    submit(session, tiny.round, tiny.units[2], (2, 2, 2), "c2")  # new data: new version
    session.commit()
    newer = report_folder(session, tiny.round, app.instance_path)
    assert newer != folder
    path = cached_file(session, tiny.round, "scores.csv", app.instance_path)
    assert path.parent == newer and not folder.exists()  # the stale version is pruned


def test_a_published_round_files_never_change(app: Flask, session: Session,
                                              tiny: TinyRound) -> None:
    rounds.close_round(session, tiny.round)
    rounds.publish_round(session, tiny.round)
    session.commit()
    path = cached_file(session, tiny.round, "report.xlsx", app.instance_path)
    assert path.parent.name == "published"
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    content = path.read_bytes()
    assert cached_file(session, tiny.round, "report.xlsx", app.instance_path) == path
    assert path.read_bytes() == content
    book = openpyxl.load_workbook(io.BytesIO(content))
    method = {row[1]: row[2] for row in book["method"].iter_rows(min_row=3, values_only=True)}
    assert method["status"] == "published" and method["source"].startswith("发布时冻结")


def test_report_data_carries_trend_suggestions_and_counts(session: Session) -> None:
    before = make_tiny_round(session, name="九月", opens=dt.date(2026, 9, 1))
    for i, unit in enumerate(before.units):
        submit(session, before.round, unit, (3, 3, 3), f"old-a{i}")
        submit(session, before.round, unit, (4, 3, 2), f"old-b{i}")
    rounds.close_round(session, before.round)
    rounds.publish_round(session, before.round)
    now = make_tiny_round(session, name="十月", units=before.units)
    for i, unit in enumerate(before.units):
        submit(session, now.round, unit, (5, 4, 5), f"new-a{i}")
        submit(session, now.round, unit, (4, 4, 4), f"new-b{i}")
    session.commit()
    data = load_report_data(session, now.round)
    assert data.previous is not None and data.previous.name == "九月"
    assert data.trend is not None and data.trend["composite_delta"].notna().all()
    assert data.counts.responses == 6 and data.counts.units_ranked == 3
    assert data.info.frozen is False and data.info.instrument_key == "tiny"
    assert data.overall_name and len(data.counties) == 1


def test_unit_cards_and_bad_arguments(runner: FlaskCliRunner, tiny: TinyRound,
                                      tmp_path: Path) -> None:
    code, out = tiny.units[0].code, tmp_path / "out"
    card = runner.invoke(args=["report", str(tiny.round.id), "--out", str(out),
                               "--unit", code])
    assert card.exit_code == 0, card.output
    assert [p.name for p in out.iterdir()] == [f"card-{code}.pdf"]
    pages = pdf_text((out / f"card-{code}.pdf").read_bytes())
    assert tiny.units[0].name in pages[0]
    unknown = runner.invoke(args=["report", str(tiny.round.id), "--out", str(tmp_path),
                                  "--unit", "NOPE"])
    assert unknown.exit_code == 1 and "unit 'NOPE' is not in round" in unknown.output
    bad = runner.invoke(args=["report", str(tiny.round.id), "--out", str(tmp_path),
                              "--format", "pdf,doc"])
    assert bad.exit_code == 2 and "unknown format 'doc'" in bad.output
    missing = runner.invoke(args=["report", "999", "--out", str(tmp_path)])
    assert missing.exit_code == 1 and "no round with id 999" in missing.output
