"""A gunicorn worker killed with SIGKILL in the middle of a submission.

The submission is held inside its transaction by a trigger (see `stall`), the worker is
killed there, the browser's connection drops, and the observer posts again with the same
draft key to the worker gunicorn starts in its place. Questionnaires acknowledged before and
after, and the retried one, must each be stored exactly once, and the killed attempt must
have left nothing behind.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from evalapp.models import User
from tests.observe.helpers import PASSWORD, YOUTH_ANSWERS, build_world, form_data

from . import stall
from .checks import assert_stored_exactly_once
from .servers import Observer, gunicorn, wait_for

pytestmark = pytest.mark.slow


def test_a_worker_killed_mid_submission_loses_and_duplicates_nothing(
        app: Flask, session: Session, database_url: str, tmp_path: Path) -> None:
    world = build_world(session, observers=1, units=2)
    observer_id, (calm_unit, victim_unit) = world.observers[0], world.units
    login = session.get(User, observer_id).login  # type: ignore[union-attr]
    session.rollback()
    stall.install(database_url, victim_unit)
    with gunicorn(database_url, tmp_path, workers=1) as server:
        observer = Observer(server.base, login, PASSWORD)
        calm = world.assignments[(observer_id, calm_unit)]
        before = [_questionnaire(observer, calm) for _ in range(3)]
        victim = observer.new_questionnaire(world.assignments[(observer_id, victim_unit)])
        worker = server.workers()[0]
        outcome = _post_in_background(observer, victim)
        stall.wait_until_stalled(database_url, worker)
        os.kill(worker, signal.SIGKILL)
        outcome["thread"].join(timeout=60)  # type: ignore[attr-defined]
        assert "error" in outcome, outcome  # the browser got no acknowledgement
        wait_for(lambda: server.workers() not in ([], [worker]))
        observer.submit(victim)  # the retry, with the same draft key
        after = [_questionnaire(observer, calm) for _ in range(2)]
        assert "database is locked" not in server.log_text()
    assert_stored_exactly_once(session, [*before, victim, *after])


def _questionnaire(observer: Observer, assignment: int) -> str:
    key = observer.new_questionnaire(assignment)
    observer.submit(key)
    return key


def _post_in_background(observer: Observer, key: str) -> dict[str, object]:
    """Post the answers once, without retrying; the outcome lands in the returned dict."""
    data = form_data(YOUTH_ANSWERS, observer.token(f"/observe/drafts/{key}"))
    outcome: dict[str, object] = {}

    def post() -> None:
        try:
            outcome["status"] = observer.request(f"/observe/drafts/{key}", data)[0]
        except OSError as error:
            outcome["error"] = error

    outcome["thread"] = thread = threading.Thread(target=post, daemon=True)
    thread.start()
    return outcome
