"""The schema is made by the migrations, on both databases, and matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from evalapp import database, schema
from evalapp.models import Base


def test_migrations_reach_head(app: Flask) -> None:
    with app.app_context():
        assert schema.current_revision(database.engine()) == schema.head_revision()


def test_models_match_migrations(app: Flask) -> None:
    """A model change without a migration shows up here."""
    with app.app_context(), database.engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_is_repeatable_and_downgrade_round_trips(app: Flask) -> None:
    with app.app_context():
        engine = database.engine()
        schema.upgrade(engine)
        schema.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        schema.upgrade(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_init_db_command_creates_an_empty_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evalapp import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "INSTANCE_PATH": tmp_path / "instance"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "upgraded empty →" in result.output
    again = app.test_cli_runner().invoke(args=["init-db"])
    assert "up to date" in again.output
    database.engine_of(app).dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_secure_delete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = database.make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "foreign_keys", "secure_delete", "busy_timeout")}
    engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "secure_delete": 1,
                       "busy_timeout": database.SQLITE_BUSY_TIMEOUT_MS}


def test_sqlite_enforces_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = database.make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    schema.upgrade(engine)
    with engine.connect() as connection, pytest.raises(IntegrityError, match="FOREIGN KEY"):
        connection.execute(text(
            "INSERT INTO unit (code, name, kind, parent_id, active, created_at) "
            "VALUES ('X', 'x', 'branch', 999, 1, '2026-01-01')"))
    engine.dispose()
