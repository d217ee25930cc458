"""Holding a submission in the middle of its transaction, with the database's own means.

A trigger on ``response`` makes the insert of one unit's response slow: on PostgreSQL it
sleeps (``pg_sleep``, once: a sequence, which no rollback undoes, counts the calls); on
SQLite, which has no sleep, it runs a large cross join (about two seconds, every time).
While the trigger runs, the worker has claimed the draft and inserted the response but not
committed — the moment a crash must not leave half a submission behind.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from .servers import wait_for

SQLITE_ROWS = 8_000  # the cross join has SQLITE_ROWS² rows: seconds of CPU
SQLITE_BUSY_CPU_S = 0.3
POSTGRES_SLEEP_S = 20


def install(database_url: str, unit_id: int) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            _sqlite_trigger(connection, unit_id)
        else:
            _postgres_trigger(connection, unit_id)
    engine.dispose()


def _sqlite_trigger(connection, unit_id: int) -> None:  # type: ignore[no-untyped-def]
    connection.execute(text("CREATE TABLE fault_slow (x INTEGER)"))
    connection.execute(text("INSERT INTO fault_slow (x) VALUES (:x)"),
                       [{"x": n} for n in range(SQLITE_ROWS)])
    connection.execute(text(
        f"CREATE TRIGGER fault_stall AFTER INSERT ON response WHEN NEW.unit_id = {unit_id} "
        "BEGIN SELECT count(*) FROM fault_slow a, fault_slow b WHERE a.x + b.x >= 0; END"))


def _postgres_trigger(connection, unit_id: int) -> None:  # type: ignore[no-untyped-def]
    # A backend notices a vanished client within 100 ms, even while it sleeps.
    name = connection.execute(text("SELECT current_database()")).scalar_one()
    connection.execute(text(f"ALTER DATABASE {name} SET client_connection_check_interval = 100"))
    connection.execute(text("CREATE SEQUENCE fault_calls"))
    connection.execute(text(f"""
        CREATE FUNCTION fault_stall() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('fault_calls') = 1 THEN PERFORM pg_sleep({POSTGRES_SLEEP_S}); END IF;
            RETURN NEW;
        END $$"""))
    connection.execute(text(
        "CREATE TRIGGER fault_stall AFTER INSERT ON response FOR EACH ROW "
        f"WHEN (NEW.unit_id = {unit_id}) EXECUTE FUNCTION fault_stall()"))


def wait_until_stalled(database_url: str, worker: int) -> None:
    """Return once the worker's submission is inside the trigger.

    On SQLite: once the worker holds the write lock and has spent more CPU time than a
    whole ordinary request takes (a few milliseconds) — only the cross join takes that long.
    """
    if make_url(database_url).get_backend_name() == "sqlite":
        start = _cpu_seconds(worker)
        wait_for(lambda: _cpu_seconds(worker) - start > SQLITE_BUSY_CPU_S)
        assert _sqlite_write_lock_held(make_url(database_url).database or "")
        return
    engine = create_engine(database_url)
    try:
        wait_for(lambda: _postgres_sleeping(engine))
    finally:
        engine.dispose()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sqlite_write_lock_held(path: str) -> bool:
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        connection.close()


def _postgres_sleeping(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
            "AND datname = current_database()")).scalar_one())
