"""Making deleted drafts leave no bytes behind in the SQLite files.

SQLite runs with ``secure_delete`` (evalapp.database), which zeroes deleted rows in the
database file. In WAL mode, though, every earlier version of a changed page also sits in
the ``-wal`` file until it is overwritten, so a draft's autosaved answers would outlive the
draft there. A ``TRUNCATE`` checkpoint after the deleting commit copies the zeroed pages
into the database file and empties the WAL.

The checkpoint has to wait for readers of older snapshots and holds back writers while it
waits, so it is tried with a short timeout and, when readers are in the way, retried a few
times in the background instead of stalling the request. Submissions, which come many a
second on a busy day, use `forget_deleted_soon`: one checkpoint in the background at most
`COALESCE_S` after the deleting commit covers every draft deleted meanwhile (a checkpoint
per submission cost a third of SQLite's throughput in ``bench/load.py``).

PostgreSQL offers no equivalent: a deleted row stays in its page until VACUUM reuses the
space, and in the write-ahead log and its archives. README "Observers" says so.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from ..database import SQLITE_BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)

WAIT_MS = 250
RETRIES = 5
RETRY_AFTER_S = 2.0
COALESCE_S = 1.0

_scheduled: set[int] = set()  # engines (by id) with a checkpoint waiting to run
_scheduled_lock = threading.Lock()


def forget_deleted(engine: Engine, retries: int = RETRIES) -> bool:
    """Empty the SQLite WAL; True when done now (always on other backends)."""
    if engine.dialect.name != "sqlite":
        return True
    if _checkpoint(engine):
        return True
    if retries > 0:
        timer = threading.Timer(RETRY_AFTER_S, forget_deleted, (engine, retries - 1))
        timer.daemon = True
        timer.start()
    else:
        log.warning("could not empty the SQLite WAL after deleting a draft: readers kept "
                    "it busy; the next submission tries again")
    return False


def forget_deleted_soon(engine: Engine) -> None:
    """`forget_deleted` in the background within `COALESCE_S`, shared by every deletion
    committed before it starts (a later one schedules the next)."""
    if engine.dialect.name != "sqlite":
        return
    with _scheduled_lock:
        if id(engine) in _scheduled:
            return
        _scheduled.add(id(engine))
    timer = threading.Timer(COALESCE_S, _run_scheduled, (engine,))
    timer.daemon = True
    timer.start()


def _run_scheduled(engine: Engine) -> None:
    with _scheduled_lock:
        _scheduled.discard(id(engine))
    forget_deleted(engine)


def _checkpoint(engine: Engine) -> bool:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={WAIT_MS}")
        try:
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()
    finally:
        connection.close()
    return not busy
