"""SQLite: writers in several processes never fail with "database is locked".

Four processes (as four gunicorn workers would be) start, save, autosave and submit
questionnaires on one SQLite file at the same time, two of them for the same unit. A writing
transaction takes the write lock when it begins (``BEGIN IMMEDIATE``, see `evalapp.database`;
the questionnaire posts read first, in a transaction of their own) and waits for it under
the busy timeout; a deferred ``BEGIN`` that read before another process committed could not
upgrade its snapshot and would fail at once. Every request must succeed and every
questionnaire be stored exactly once.
"""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from evalapp import create_app, database
from tests.observe.helpers import build_world

from . import writers
from .checks import assert_stored_exactly_once
from .servers import RATER_SECRET, SECRET_KEY

pytestmark = pytest.mark.slow
PROCESSES = 4
QUESTIONNAIRES = 12


def test_concurrent_writer_processes_never_see_database_is_locked(
        sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "evalapp.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tmp_path / "instance",
                      "SECRET_KEY": SECRET_KEY, "RATER_SECRET": RATER_SECRET})
    session = database.sessionmaker_of(app)()
    world = build_world(session, observers=PROCESSES, units=2)
    jobs = [(url, str(tmp_path / f"instance{i}"), observer,
             world.assignments[(observer, world.units[i % 2])], QUESTIONNAIRES)
            for i, observer in enumerate(world.observers)]
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.starmap(writers.observer, jobs)
    failures = [failure for _keys, problems in results for failure in problems]
    assert failures == []
    assert_stored_exactly_once(session, [key for keys, _problems in results for key in keys])
    session.close()
    database.engine_of(app).dispose()
