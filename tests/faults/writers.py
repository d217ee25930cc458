"""The bodies of the writer processes of `test_sqlite_writers` (started with ``spawn``).

Each process builds its own app on the shared SQLite file, as a gunicorn worker does, and
reports what went wrong instead of raising, so the test can show every failure at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from evalapp import create_app
from tests.observe.helpers import CHECKLIST_ANSWERS, YOUTH_ANSWERS, csrf_token, form_data, sign_in

from .servers import RATER_SECRET, SECRET_KEY


class Collected(logging.Handler):
    """Keeps the app's error log lines (an unhandled exception is logged, then a 500)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _app(database_url: str, instance: Path) -> tuple[Flask, Collected]:
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": SECRET_KEY, "RATER_SECRET": RATER_SECRET})
    collected = Collected()
    app.logger.addHandler(collected)
    return app, collected


def observer(database_url: str, instance: str, user_id: int, assignment: int,
             count: int) -> tuple[list[str], list[str]]:
    """Start, save, autosave and submit ``count`` questionnaires; (draft keys, failures)."""
    app, collected = _app(database_url, Path(instance))
    client = app.test_client()
    sign_in(client, user_id)
    keys, failures = [], []
    for number in range(count):
        key, problems = _questionnaire(client, assignment, number)
        keys.append(key)
        failures.extend(problems)
    return keys, failures + collected.lines


def _questionnaire(client: FlaskClient, assignment: int, number: int) -> tuple[str, list[str]]:
    token = csrf_token(client)
    started = client.post("/observe/drafts", data={"assignment": assignment, "csrf_token": token})
    if started.status_code != 303:
        return "", [f"start: {started.status_code}"]
    key = started.headers["Location"].rsplit("/", 1)[1]
    answers = YOUTH_ANSWERS if number % 2 else CHECKLIST_ANSWERS
    steps = [("save", f"/observe/drafts/{key}", form_data(answers, token, "save"), 303),
             ("autosave", f"/observe/drafts/{key}/autosave", form_data(answers, token, "save"),
              200),
             ("submit", f"/observe/drafts/{key}", form_data(answers, token), 303)]
    problems = []
    for step, path, data, expected in steps:
        status = client.post(path, data=data).status_code
        if status != expected:
            problems.append(f"{step}: {status}")
    return key, problems
