"""Helpers for the observer tests: a small city with an open round, signing in, posting."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.auth.passwords import hash_password
from evalapp.instruments.operations import load_shipped
from evalapp.models import User, today_utc
from evalapp.rounds import operations as rounds
from tests.factories import make_unit, make_user

PASSWORD = "correct horse battery"
# A password hash made once: scrypt is slow on purpose.
_HASHES: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


@dataclass
class World:
    """Ids of what `build_world` made (plain ids: the objects belong to one session)."""

    units: list[int]
    observers: list[int]
    round_id: int
    assignments: dict[tuple[int, int], int] = field(default_factory=dict)  # (observer, unit)
    draft_round_id: int = 0
    hidden_assignment: int = 0


def build_world(session: Session, observers: int = 3, units: int = 3,
                pairs: list[tuple[int, int]] | None = None, mode: str = "spot_check") -> World:
    """An open ``mode`` round over ``units`` units; observer i is sent to the units in
    ``pairs`` (indexes), by default every observer to every unit. Also a round still in
    draft with an assignment of observer 0 (which must stay invisible). Commits."""
    instruments = {row.key: row for row in load_shipped(session)}
    made_units = [make_unit(session, name=f"青年之家{n + 1}号") for n in range(units)]
    for unit in made_units:
        unit.address = f"宜宾市翠屏区测试路{unit.id}号"
    people = [make_user(session, "observer") for _ in range(observers)]
    for person in people:
        person.password_hash = password_hash()
    today = today_utc()
    round_ = rounds.create_round(
        session, name="第1轮重点抽查", mode=mode, instrument=instruments[mode],
        opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=20),
        units=made_units)
    world = World([u.id for u in made_units], [p.id for p in people], round_.id)
    for o, u in pairs or [(o, u) for o in range(observers) for u in range(units)]:
        assignment = rounds.assign_observer(session, round_, made_units[u], people[o])
        world.assignments[(people[o].id, made_units[u].id)] = assignment.id
    rounds.open_round(session, round_)
    later = rounds.create_round(
        session, name="下一轮", mode=mode, instrument=instruments[mode],
        opens_on=today + dt.timedelta(days=30), closes_on=today + dt.timedelta(days=60),
        units=made_units[:1])
    world.draft_round_id = later.id
    world.hidden_assignment = rounds.assign_observer(session, later, made_units[0],
                                                     people[0]).id
    session.commit()
    return world


def make_person(session: Session, role: str, login: str | None = None) -> User:
    user = make_user(session, role, login=login)
    user.password_hash = password_hash()
    session.commit()
    return user


def sign_in(client: FlaskClient, user_id: int) -> None:
    """Sign in by session (the login form itself is tested in tests/auth)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True


def csrf_token(client: FlaskClient, path: str = "/observe/") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def start_draft(client: FlaskClient, assignment_id: int) -> str:
    """Start a questionnaire; its draft key."""
    response = client.post("/observe/drafts", data={"assignment": assignment_id,
                                                    "csrf_token": csrf_token(client)})
    assert response.status_code == 303, response.status_code
    return response.headers["Location"].rsplit("/", 1)[1]


# A complete spot-check questionnaire of a young person asked on site.
YOUTH_ANSWERS = {
    "record_type": "youth_onsite",
    "yq_know_site": "yes",
    "yq_know_services": "4",
    "yq_times": "once",
    "yq_activity_kinds": ["learning", "jobs"],
    "yq_quality": "-na",
    "yq_overall": "8",
    "suggestion": "希望多办周末活动",
}
# The observer's own checklist.
CHECKLIST_ANSWERS = {
    "record_type": "checklist",
    "ck_open": "yes",
    "ck_youth_present": "12",
    "ck_facilities": "3",
    "ck_issues": ["none"],
}


def form_data(answers: dict[str, object], token: str, action: str = "submit",
              channel: str = "onsite") -> dict[str, object]:
    data: dict[str, object] = {f"q_{k}": v for k, v in answers.items()}
    data.update({"csrf_token": token, "action": action, "channel": channel})
    return data

