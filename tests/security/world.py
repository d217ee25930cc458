"""A small city whose every free-text field carries hostile text, built once per test session
into a SQLite file and copied for each test (so a test may change anything it likes).

Unit names, addresses and contacts, the round's name, an activity's title and place, the
names of observers, the evaluator and the admin, a suggestion and its note, an exclusion
reason and an API token's name all hold `XSS` (an element no page may emit) and some hold
spreadsheet formulas. Observer A has an unfinished questionnaire (`World.draft_key`) and
has submitted three; observer B is another observer; observer C has an open invitation.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from evalapp import create_app, database
from evalapp.activities.operations import create_activity
from evalapp.auth.operations import issue_invitation
from evalapp.auth.tokens import create_token
from evalapp.models import Response, Round, Suggestion, Unit, User, today_utc
from evalapp.observe.operations import start_draft
from evalapp.responses.exclusions import exclude_response
from evalapp.suggestions.operations import change_status
from tests.observe.helpers import (
    YOUTH_ANSWERS,
    build_world,
    form_data,
    make_person,
    sign_in,
)
from tests.observe.helpers import start_draft as start_draft_by_post

XSS = '<xss-probe onerror="alert(1)">'
FORMULA = '=HYPERLINK("http://evil.example","点我")'
SECRET_KEY = "security-secret-key"
RATER_SECRET = "security-rater-secret"
SENTINEL = "instance-secret-sentinel-7f3a"
TOKEN_PATTERN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
ROLES = ("anonymous", "observer", "other_observer", "evaluator", "admin")


@dataclass(frozen=True)
class World:
    """Ids and secrets of what `build` made."""

    users: dict[str, int]  # role (as in ROLES, anonymous aside) → user id
    round_id: int
    assignment_id: int  # observer A's, for the unit of the draft
    unit_id: int
    unit_code: str
    draft_key: str
    suggestion_id: int
    token_id: int
    api_secret: str
    invitation: str


def build(path: Path, instance: Path) -> World:
    """Make the city in a new SQLite file at ``path`` (a copy of a migrated template)."""
    app = make_app(path, instance)
    session = database.sessionmaker_of(app)()
    city = build_world(session, observers=3, units=3)
    people = _people(session, city.observers)
    _poison(session, city.units, city.round_id)
    _submit(app, people["observer"], [city.assignments[(people["observer"], u)]
                                      for u in city.units])
    world = _finish(session, city, people)
    session.close()
    database.engine_of(app).dispose()
    return world


def make_app(path: Path, instance: Path, **config: Any) -> Flask:
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "secret_key").write_text(SENTINEL)
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                       "INSTANCE_PATH": instance, "SECRET_KEY": SECRET_KEY,
                       "RATER_SECRET": RATER_SECRET, **config})


def copy_world(template: Path, folder: Path, **config: Any) -> Flask:
    path = folder / "evalapp.db"
    shutil.copyfile(template, path)
    return make_app(path, folder / "instance", **config)


def _people(session: Session, observers: list[int]) -> dict[str, int]:
    evaluator = make_person(session, "evaluator", login="pingjia")
    admin = make_person(session, "admin", login="guanli")
    for user in (evaluator, admin, *(session.get(User, o) for o in observers)):
        user.name = f"{XSS}{user.login}"  # type: ignore[union-attr]
    session.commit()
    return {"observer": observers[0], "other_observer": observers[1], "invited": observers[2],
            "evaluator": evaluator.id, "admin": admin.id}


def _poison(session: Session, unit_ids: list[int], round_id: int) -> None:
    for number, unit_id in enumerate(unit_ids):
        unit = session.get(Unit, unit_id)
        assert unit is not None
        unit.name = (FORMULA if number == 0 else f"-1+{number}") + f"{XSS}青年之家{number}"
        unit.address, unit.contact, unit.phone = f"@SUM(1){XSS}", XSS, "+86 1<xss-probe>"
    round_ = session.get(Round, round_id)
    assert round_ is not None
    round_.name = f"{XSS}第1轮"
    create_activity(session, session.get(Unit, unit_ids[0]), f"+{XSS}周末读书会",  # type: ignore[arg-type]
                    today_utc(), place=f"\t{XSS}")
    session.commit()


def _submit(app: Flask, observer: int, assignments: list[int]) -> None:
    """Observer A submits one questionnaire per assignment, suggestions full of hostile text."""
    client = app.test_client()
    sign_in(client, observer)
    for assignment in assignments:
        key = start_draft_by_post(client, assignment)
        answers = {**YOUTH_ANSWERS, "suggestion": f"=1+1 {XSS}"}
        token = csrf_token(client, f"/observe/drafts/{key}")
        response = client.post(f"/observe/drafts/{key}", data=form_data(answers, token))
        assert response.status_code == 303, response.status_code


def _finish(session: Session, city: Any, people: dict[str, int]) -> World:
    evaluator = session.get(User, people["evaluator"])
    suggestion = session.scalars(select(Suggestion)).first()
    assert suggestion is not None and evaluator is not None
    change_status(session, suggestion, "forwarded", f"-{XSS}", evaluator.id)
    response = session.scalars(select(Response)).first()
    exclude_response(session, response, f"+{XSS}", evaluator.id)  # type: ignore[arg-type]
    token, secret = create_token(session, evaluator, f"{XSS}令牌", evaluator.id)
    invitation = issue_invitation(session, session.get(User, people["invited"]), None)  # type: ignore[arg-type]
    unit_id = city.units[1]
    assignment = city.assignments[(people["observer"], unit_id)]
    draft_key = start_draft(session, people["observer"], assignment)
    assert draft_key is not None
    unit = session.get(Unit, unit_id)
    world = World(people, city.round_id, assignment, unit_id, unit.code,  # type: ignore[union-attr]
                  draft_key, suggestion.id, token.id, secret, invitation)
    session.commit()
    return world


# --- using it --------------------------------------------------------------------------


def client_for(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, world.users[role])
    return client


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    found = TOKEN_PATTERN.search(page)
    assert found, page[:300]
    return found.group(1)


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    engine = database.engine_of(app)
    if _TABLES.get(engine.dialect.name) is None:
        _TABLES[engine.dialect.name] = MetaData()
        _TABLES[engine.dialect.name].reflect(engine)
    tables = _TABLES[engine.dialect.name]
    with engine.connect() as connection:
        return {name: sorted(map(tuple, connection.execute(table.select())), key=repr)
                for name, table in tables.tables.items()}


_TABLES: dict[str, MetaData] = {}


def changes(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
            ) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ: (rows before, rows after)."""
    return {name: (len(before.get(name, [])), len(rows)) for name, rows in after.items()
            if before.get(name) != rows}
