"""PostgreSQL restarted while observers submit: the app recovers without a restart.

The test runs its own PostgreSQL cluster (initdb on a free port), so the shared server and
the rest of the suite are not disturbed.

1. Two observers submit questionnaires without pause, retrying each step with the same
   draft key; meanwhile the cluster is stopped (fast shutdown: open transactions are
   aborted) and started again. Requests fail while it is down and none after it is back;
   every questionnaire is stored exactly once.
2. The cluster is restarted again while nobody uses the app, so the workers' pooled
   connections all died unnoticed. The next questionnaires go through without a single
   failed request: a dead connection is replaced when it is checked out
   (``pool_pre_ping``); without it the first use of each would be a 500.

The gunicorn workers are the same processes throughout.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from evalapp import create_app, database, schema
from evalapp.models import User
from tests.observe.helpers import PASSWORD, build_world

from .checks import assert_stored_exactly_once
from .servers import SECRET_KEY, Cluster, Observer, gunicorn, private_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
DOWN_S = 1.5


class Recorder(Observer):
    """An observer that also notes when each request started and how it ended."""

    def __init__(self, base: str, login: str, password: str) -> None:
        self.log: list[tuple[float, object]] = []
        super().__init__(base, login, password)

    def request(self, path, data=None, headers=None):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            result = super().request(path, data, headers)
        except OSError as error:
            self.log.append((started, type(error).__name__))
            raise
        self.log.append((started, result[0]))
        return result


def test_the_app_rides_out_a_postgres_restart(tmp_path: Path) -> None:
    with private_cluster() as cluster:
        url = _database(cluster.url)
        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tmp_path / "instance",
                          "SECRET_KEY": SECRET_KEY, "RATER_SECRET": "test-rater-secret"})
        session = database.sessionmaker_of(app)()
        world = build_world(session, observers=2, units=2)
        logins = [session.get(User, o).login for o in world.observers]  # type: ignore[union-attr]
        session.rollback()
        with gunicorn(url, tmp_path, workers=2) as server:
            workers = server.workers()
            observers = [Recorder(server.base, login, PASSWORD) for login in logins]
            mine = [world.assignments[pair] for pair in zip(world.observers, world.units,
                                                            strict=True)]
            keys, back = _submit_through_a_restart(cluster, observers, mine)
            _assert_failed_only_while_down(observers, back)
            cluster.stop()
            cluster.start()
            quiet = time.monotonic()
            for observer, assignment in zip(observers, mine, strict=True):
                for _ in range(3):  # more than one request per worker, on every worker
                    keys.append(_questionnaire(observer, assignment))
            after = {str(outcome) for o in observers for t, outcome in o.log if t > quiet}
            assert after == {"200"}, after
            assert server.workers() == workers, "a worker was restarted"
        assert_stored_exactly_once(session, keys)
        session.close()
        database.engine_of(app).dispose()


def _assert_failed_only_while_down(observers: list[Recorder], back: float) -> None:
    late = {str(outcome) for o in observers for started, outcome in o.log if started > back}
    assert late == {"200"}, late
    assert any(outcome != 200 for o in observers for _started, outcome in o.log), \
        "the restart went unnoticed: no request failed while the database was down"


def _questionnaire(observer: Observer, assignment: int) -> str:
    key = observer.new_questionnaire(assignment)
    observer.submit(key)
    return key


def _database(admin_url: str) -> str:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE DATABASE evalapp"))
    engine.dispose()
    url = admin_url.rsplit("/", 1)[0] + "/evalapp"
    migrated = database.make_engine(url)
    schema.upgrade(migrated)
    migrated.dispose()
    return url


def _submit_through_a_restart(cluster: Cluster, observers: list[Recorder],
                              assignments: list[int]) -> tuple[list[str], float]:
    """Observers submit until a while after the restart; (draft keys, time it was back)."""
    stop = threading.Event()
    keys: list[list[str]] = [[] for _ in observers]

    def work(index: int) -> None:
        while not stop.is_set():
            keys[index].append(_questionnaire(observers[index], assignments[index]))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(observers))]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    cluster.stop()
    time.sleep(DOWN_S)
    cluster.start()
    back = time.monotonic()
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    return [key for mine in keys for key in mine], back
