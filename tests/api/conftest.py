"""A small demo-like city for the API: a hierarchy, a published and an open round of the
tiny instrument, a draft round, suggestions, and an evaluator's token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.auth import tokens
from evalapp.models import Round, Unit, User
from evalapp.responses.recording import AnswerInput, Submission, record_responses
from evalapp.rounds import operations as rounds
from evalapp.suggestions.operations import change_status, list_suggestions
from tests.factories import make_unit, make_user
from tests.scoring.conftest import make_tiny_round

# Per unit code: the (know, join, like) answers of each response, published and open round.
BEFORE = {"K1-B1": [(5, 5, 4), (4, 4, 4), (3, 4, 5)], "K1-B2": [(2, 3, 3), (3, 3, 2)],
          "K1-H1": [(4, 5, 5), (5, 5, 5)], "K2-B1": [(1, 2, 2), (2, 2, 1), (3, 3, 3)],
          "K2-B2": [(4, 4, 4)]}
NOW = {"K1-B1": [(5, 5, 5), (5, 4, 5), (4, 4, 5)], "K1-B2": [(3, 3, 3), (4, 3, 3)],
       "K2-B1": [(2, 2, 3), (3, 3, 3), (2, 3, 2)], "K2-B2": [(5, 5, 4), (4, 5, 5)]}
IDEAS = {"K1-B1": "希望增加周末活动", "K2-B2": "=HYPERLINK(\"http://evil\")"}


@dataclass
class City:
    units: dict[str, Unit]
    published: Round
    current: Round
    draft: Round
    evaluator: User
    admin: User
    observer: User
    token: str


def _units(session: Session) -> dict[str, Unit]:
    city = make_unit(session, kind="city", code="C", name="宜宾市")
    made = {"C": city, "C-D1": make_unit(session, kind="department", parent=city, code="C-D1",
                                         name="宣传部")}
    for county, name in (("K1", "翠屏区"), ("K2", "南溪区")):
        made[county] = make_unit(session, kind="county", parent=city, code=county, name=name)
        for suffix in ("B1", "B2"):
            code = f"{county}-{suffix}"
            made[code] = make_unit(session, parent=made[county], code=code,
                                   name=f"{name}{code}支部")
    made["K1-H1"] = make_unit(session, kind="youth_home", parent=made["K1"], code="K1-H1",
                              name="翠屏青年之家")
    made["K1-H1"].phone = "0831-1234567"
    return made


def _answers(values: tuple[int, int, int], idea: str | None) -> dict[str, AnswerInput]:
    answers = {item: AnswerInput(value=v)
               for item, v in zip(("know", "join", "like"), values, strict=True)}
    return answers | ({"idea": AnswerInput(text=idea)} if idea else {})


def _collect(session: Session, round_: Round, units: dict[str, Unit],
             plan: dict[str, list[tuple[int, int, int]]], ideas: dict[str, str]) -> None:
    day = round_.opens_on + dt.timedelta(days=2)
    submissions = [
        Submission(unit_id=units[code].id, submission_key=f"{round_.id}-{code}-{n}",
                   submitted_on=day, channel="handout",
                   answers=_answers(values, ideas.get(code) if n == 0 else None))
        for code, answers in plan.items() for n, values in enumerate(answers)]
    record_responses(session, round_, submissions)


def build_city(session: Session) -> City:
    """Everything committed; the evaluator's token secret is returned once, as in real life."""
    units = _units(session)
    scope = [units[code] for code in BEFORE]
    published = make_tiny_round(session, "五月抽查", dt.date(2026, 5, 1), units=scope).round
    _collect(session, published, units, BEFORE, {})
    rounds.close_round(session, published)
    rounds.publish_round(session, published)
    current = make_tiny_round(session, "十一月抽查", dt.date(2026, 11, 1), units=scope).round
    _collect(session, current, units, NOW, IDEAS)
    draft = rounds.create_round(session, name="明年草稿", mode="spot_check",
                                instrument=current.instrument, opens_on=dt.date(2027, 3, 1),
                                closes_on=dt.date(2027, 3, 20), units=scope)
    evaluator = make_user(session, role="evaluator", login="eva")
    admin = make_user(session, role="admin", login="root")
    observer = make_user(session, role="observer", login="obs")
    rounds.assign_observer(session, current, units["K1-B1"], observer)
    suggestion = list_suggestions(session, round_id=current.id, unit_code="K1-B1")[0]
    change_status(session, suggestion, "forwarded", "转交翠屏区团委", actor_id=evaluator.id)
    _, secret = tokens.create_token(session, evaluator, "dashboard", actor_id=admin.id)
    session.commit()
    return City(units, published, current, draft, evaluator, admin, observer, secret)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def sign_in(client: FlaskClient, user: User) -> None:
    """A browser session signed in as ``user`` (as after the login form)."""
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(user.id)
        flask_session["_fresh"] = True


@pytest.fixture
def city(session: Session) -> City:
    return build_city(session)
