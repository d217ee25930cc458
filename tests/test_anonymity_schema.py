"""The schema keeps responses away from users (DESIGN.md, anonymity).

These are the structural rules; the observer issue adds the insider's attempted joins.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Date, DateTime, inspect

from evalapp import database
from evalapp.models import Answer, Response, Suggestion

RESPONSE_TABLES = (Response.__table__, Answer.__table__, Suggestion.__table__)
USER_TABLES = {"user_account", "user_affiliation", "assignment", "draft", "api_token"}


def test_no_foreign_key_from_response_data_to_users_or_assignments() -> None:
    for table in RESPONSE_TABLES:
        targets = {fk.column.table.name for fk in table.foreign_keys}
        assert not targets & USER_TABLES, (table.name, targets)


def test_no_column_names_a_person() -> None:
    suspicious = ("user", "observer", "login", "author", "assignment", "ip", "agent")
    for table in RESPONSE_TABLES:
        for column in table.columns:
            assert not any(part in column.name.split("_") for part in suspicious), column


def test_response_data_is_dated_to_the_day_only() -> None:
    for table in RESPONSE_TABLES:
        for column in table.columns:
            assert not isinstance(column.type, DateTime), column
    assert isinstance(Response.__table__.c.submitted_on.type, Date)


def test_response_keys_are_random_not_sequential() -> None:
    column = Response.__table__.c.id
    assert column.default is not None and column.autoincrement is not True
    values = {column.default.arg(None) for _ in range(100)}
    assert len(values) == 100 and all(len(v) == 32 for v in values)


def test_the_migrated_database_has_no_link_either(app: Flask) -> None:
    """The same checks on the real schema the migrations built."""
    with app.app_context():
        inspector = inspect(database.engine())
        for table in ("response", "answer", "suggestion"):
            targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
            assert not targets & USER_TABLES, (table, targets)
            for column in inspector.get_columns(table):
                assert not isinstance(column["type"], DateTime), (table, column["name"])


def test_sqlite_response_tables_keep_no_insertion_order(app: Flask) -> None:
    """WITHOUT ROWID: SQLite stores rows in key order, and the keys are random."""
    with app.app_context():
        engine = database.engine()
        if engine.dialect.name != "sqlite":
            return
        with engine.connect() as connection:
            sql = dict(connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type='table'").all())
    assert "WITHOUT ROWID" in sql["response"]
    assert "WITHOUT ROWID" in sql["answer"]
