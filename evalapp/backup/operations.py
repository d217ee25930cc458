"""Whole-database backups.

SQLite: the online backup API copies a consistent snapshot while the app keeps running, and
restores by the same API into the live file (stop the server first: a restore replaces
everything). PostgreSQL: the documented ``pg_dump --format=custom`` and ``pg_restore
--clean`` route, run as programs (their major version must match the server's). Either way
a backup holds responses *and* the instance secrets are not in it: keep ``instance/`` (the
rater secret) backed up separately, and both out of reach of the branches evaluated.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from ..operations import OperationError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def backup(engine: Engine, target: Path) -> None:
    """Write a backup of the database behind ``engine`` to ``target``."""
    if target.exists():
        raise OperationError(f"{target}: exists already; choose a new file name")
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(engine.url), target)
    elif engine.dialect.name == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}",
              f"--dbname={_libpq_uri(engine.url)}"], engine.url)
    else:
        raise OperationError(f"backups of {engine.dialect.name} databases are not supported")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database behind ``engine`` with the backup in ``source``."""
    head = source.read_bytes()[:16] if source.is_file() else b""
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise OperationError(f"{source}: not a SQLite backup")
        _check_sqlite_backup(source)
        engine.dispose()
        _sqlite_copy(source, _sqlite_path(engine.url))
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise OperationError(f"{source}: not a pg_dump custom-format backup")
        engine.dispose()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_uri(engine.url)}", str(source)], engine.url)
    else:
        raise OperationError(f"restores of {engine.dialect.name} databases are not supported")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise OperationError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while others write."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        connection.close()
    except sqlite3.DatabaseError as error:
        raise OperationError(f"{source}: not a readable SQLite backup ({error})") from error
    if "alembic_version" not in tables or "response" not in tables:
        raise OperationError(f"{source}: a SQLite file, but not an evalapp database")


def _libpq_uri(url: URL) -> str:
    """The URL for libpq programs: no driver name, no password (that goes by PGPASSWORD)."""
    return url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)


def _run(command: list[str], url: URL) -> None:
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True,
                                check=False)
    except FileNotFoundError as error:
        raise OperationError(f"{command[0]} is not installed (Debian: postgresql-client)"
                             ) from error
    if result.returncode != 0:
        raise OperationError(f"{command[0]} failed: {result.stderr.strip()}")
