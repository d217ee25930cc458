"""`evalapp backup` and `evalapp restore`: a round trip gives back every row of every table."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine, delete, select, text
from sqlalchemy.orm import Session

from evalapp import database
from evalapp.models import Answer, Base, Response, Unit
from tests.factories import make_user
from tests.scoring.conftest import make_tiny_round, submit


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    tables = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
        tables["alembic_version"] = connection.execute(
            text("SELECT version_num FROM alembic_version")).all()
    return tables


def fill(session: Session) -> None:
    made = make_tiny_round(session)
    make_user(session, role="evaluator", login="evaluator1")
    for number, unit in enumerate(made.units):
        submit(session, made.round, unit, (number + 1, 3, 5), f"k{number}")
    session.commit()


def test_round_trip_restores_every_table(app: Flask, session: Session, runner: FlaskCliRunner,
                                         tmp_path: Path) -> None:
    fill(session)
    engine = database.engine_of(app)
    before = snapshot(engine)
    assert before["answer"] and before["response"] and before["round_result"] == []
    target = tmp_path / "evalapp.backup"
    made = runner.invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    session.execute(delete(Answer))
    session.execute(delete(Response).where(Response.submission_key == "k0"))
    session.add(Unit(code="NEW", name="备份后新增", kind="branch"))
    session.commit()
    session.close()
    assert snapshot(engine) != before
    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert snapshot(engine) == before


def test_backup_refuses_to_overwrite(runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "exists.backup"
    target.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "exists already" in result.output
    assert target.read_bytes() == b"keep me"


def test_restore_refuses_a_file_that_is_not_a_backup(app: Flask, session: Session,
                                                     runner: FlaskCliRunner,
                                                     tmp_path: Path) -> None:
    fill(session)
    before = snapshot(database.engine_of(app))
    session.close()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"SQLite format 3\x00 but not really")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "not" in result.output
    assert snapshot(database.engine_of(app)) == before


def test_restore_asks_before_replacing(runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    answered_no = runner.invoke(args=["restore", str(target)], input="n\n")
    assert answered_no.exit_code == 1 and "Aborted" in answered_no.output
