"""On SQLite a write request holds the write lock from its first query, unless its view
`reads_first`: then only from `begin_writing` to its commit."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, jsonify
from sqlalchemy import text

from evalapp import create_app, database


@pytest.fixture
def app(sqlite_template: Path, tmp_path: Path) -> Flask:
    path = tmp_path / "evalapp.db"
    path.write_bytes(sqlite_template.read_bytes())
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                       "INSTANCE_PATH": tmp_path / "instance", "SECRET_KEY": "k",
                       "RATER_SECRET": "r", "WTF_CSRF_ENABLED": False})


def _lock_is_free(app: Flask) -> bool:
    """Whether another connection could begin writing right now."""
    other = sqlite3.connect(database.engine_of(app).url.database, timeout=0,
                            isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def _route(app: Flask, view: Callable[[], object], first: bool) -> None:
    wrapped = database.reads_first(view) if first else view
    app.add_url_rule(f"/probe-{first}", f"probe_{first}", wrapped, methods=["POST"])


@pytest.mark.parametrize("first", [False, True], ids=["immediate", "reads-first"])
def test_the_lock_is_held_from_the_first_write(app: Flask, first: bool) -> None:
    seen: dict[str, bool] = {}

    def view() -> object:
        db = database.session()
        db.execute(text("SELECT count(*) FROM unit"))
        seen["free while reading"] = _lock_is_free(app)
        if first:
            database.begin_writing(db)
        seen["free while writing"] = _lock_is_free(app)
        db.execute(text("UPDATE unit SET active = active"))
        db.commit()
        seen["free after the commit"] = _lock_is_free(app)
        return jsonify(ok=True)

    _route(app, view, first)
    assert app.test_client().post(f"/probe-{first}").status_code == 200
    assert seen == {"free while reading": first, "free while writing": False,
                    "free after the commit": True}
