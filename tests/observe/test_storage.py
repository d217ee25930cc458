"""Deleted drafts leave no bytes in the SQLite files, also when checkpoints are coalesced."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine, text

from evalapp import database
from evalapp.observe import storage

MARKER = "draft-only-words-7f3a"
DEADLINE_S = 30  # generous: the background checkpoint is due after COALESCE_S


def _bytes_left(path: Path) -> list[str]:
    files = [p for p in path.parent.glob(path.name + "*") if p.is_file()]
    return [p.name for p in files if MARKER.encode() in p.read_bytes()]


def _engine_with_deleted_rows(path: Path) -> Engine:
    engine = database.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (body TEXT)"))
    for i in range(3):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO scratch VALUES (:b)"), {"b": f"{MARKER} {i}"})
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM scratch"))
    return engine


def test_coalesced_checkpoint_empties_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite"
    engine = _engine_with_deleted_rows(path)
    assert _bytes_left(path), "the WAL holds the deleted rows before any checkpoint"
    storage.forget_deleted_soon(engine)
    storage.forget_deleted_soon(engine)
    assert id(engine) in storage._scheduled  # one checkpoint waits for both deletions
    give_up = time.monotonic() + DEADLINE_S
    while _bytes_left(path) and time.monotonic() < give_up:
        time.sleep(0.1)
    assert _bytes_left(path) == []
    assert id(engine) not in storage._scheduled
    engine.dispose()


def test_postgres_engines_schedule_nothing() -> None:
    engine = database.make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    storage.forget_deleted_soon(engine)
    assert id(engine) not in storage._scheduled
