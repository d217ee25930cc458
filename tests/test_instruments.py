"""Storing instruments as immutable versions, and `evalapp survey validate|load`."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import surveys
from evalapp.instruments import operations
from evalapp.models import Instrument

DAILY = surveys.INSTRUMENTS_DIR / "daily.yaml"


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Instrument)) or 0


def test_shipped_instruments_load_once(session: Session) -> None:
    rows = operations.load_shipped(session)
    assert sorted(row.key for row in rows) == ["daily", "experience", "spot_check"]
    assert operations.load_shipped(session) == rows
    assert _count(session) == 3


def test_same_content_is_a_no_op_and_changed_content_a_new_version(
    session: Session, tmp_path: Path
) -> None:
    first, created = operations.load_file(session, DAILY)
    assert created and first.version == 1
    reformatted = tmp_path / "daily.yaml"
    reformatted.write_text("# a comment changes nothing\n" + DAILY.read_text(encoding="utf-8"),
                           encoding="utf-8")
    same, created = operations.load_file(session, reformatted)
    assert not created and same.id == first.id
    changed = tmp_path / "daily_changed.yaml"
    changed.write_text(DAILY.read_text(encoding="utf-8").replace("zh: ", "zh: 新", 1),
                       encoding="utf-8")
    second, created = operations.load_file(session, changed)
    assert created and second.version == 2 and second.content_hash != first.content_hash
    session.commit()
    assert operations.latest(session, "daily").id == second.id
    assert operations.definition_of(first).content_hash == first.content_hash


def test_cli_validate_names_file_item_and_field(runner: FlaskCliRunner, tmp_path: Path) -> None:
    ok = runner.invoke(args=["survey", "validate", str(DAILY)])
    assert ok.exit_code == 0 and "valid" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(DAILY.read_text(encoding="utf-8").replace("points: 5", "points: 15", 1),
                   encoding="utf-8")
    result = runner.invoke(args=["survey", "validate", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml" in result.output and "item" in result.output and "points" in result.output


def test_cli_load_stores_then_reports_unchanged(runner: FlaskCliRunner, session: Session,
                                                tmp_path: Path) -> None:
    first = runner.invoke(args=["survey", "load", str(DAILY)])
    assert first.exit_code == 0 and "loaded as daily version 1" in first.output
    again = runner.invoke(args=["survey", "load", str(DAILY)])
    assert "unchanged" in again.output
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    refused = runner.invoke(args=["survey", "load", str(bad)])
    assert refused.exit_code == 1 and "broken.yaml" in refused.output
    assert _count(session) == 1
