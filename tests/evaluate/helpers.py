"""A small city for the team's pages: two counties, youth homes, observers, the shipped
questionnaires, an evaluator; signing in and reading pages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.imports.responses import import_responses
from evalapp.instruments.operations import load_shipped, store_instrument
from evalapp.models import AuditEvent, Instrument, Round, Unit, User, today_utc
from evalapp.rounds import operations as rounds
from tests.factories import make_unit, make_user
from tests.imports.helpers import write_csv
from tests.observe.helpers import make_person, sign_in
from tests.surveys.importers.samples import UNITS, YOUTH_YAML, youth_instrument

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


@dataclass
class City:
    """Ids of what `build_city` made (plain ids: the rows belong to one session)."""

    counties: list[int]
    homes: list[int]  # youth homes, three per county, codes H11 H12 H13 H21 H22 H23
    observers: list[int]  # observer i belongs to home i (so never goes there)
    evaluator: int
    instruments: dict[str, int]


def build_city(session: Session, observers: int = 4) -> City:
    instruments = {row.key: row.id for row in load_shipped(session)}
    counties = [make_unit(session, "county", code=f"C{n}", name=f"第{n}区") for n in (1, 2)]
    homes = [make_unit(session, "youth_home", parent=county, code=f"H{c}{n}",
                       name=f"{county.name}青年之家{n}号")
             for c, county in enumerate(counties, start=1) for n in (1, 2, 3)]
    people = [make_user(session, "observer", login=f"obs{n}", affiliations=[homes[n]])
              for n in range(observers)]
    evaluator = make_person(session, "evaluator", login="pingjia")
    session.commit()
    return City([c.id for c in counties], [h.id for h in homes], [p.id for p in people],
                evaluator.id, instruments)


def make_round(session: Session, city: City, status: str = "draft", mode: str = "spot_check",
               homes: int = 6, **settings: object) -> Round:
    """A round over the first ``homes`` youth homes, moved on to ``status``. Commits."""
    today = today_utc()
    units = [session.get(Unit, unit_id) for unit_id in city.homes[:homes]]
    round_ = rounds.create_round(
        session, name=settings.pop("name", "第1轮抽查"), mode=mode,
        instrument=session.get(Instrument, city.instruments[mode]),
        opens_on=today - dt.timedelta(days=2), closes_on=today + dt.timedelta(days=12),
        units=units, **settings)  # type: ignore[arg-type]
    steps = {"open": [rounds.open_round], "closed": [rounds.open_round, rounds.close_round],
             "published": [rounds.open_round, rounds.close_round, rounds.publish_round]}
    for step in steps.get(status, []):
        step(session, round_)
    session.commit()
    return round_


def signed_in(client: FlaskClient, user_id: int) -> FlaskClient:
    sign_in(client, user_id)
    return client


def token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def post(client: FlaskClient, path: str, data: dict[str, object] | None = None,
         page: str | None = None, **options: object):  # type: ignore[no-untyped-def]
    """Post a form with a CSRF token taken from ``page`` (default: ``path``)."""
    body = {"csrf_token": token(client, page or path), **(data or {})}
    options.setdefault("headers", ZH)
    return client.post(path, data=body, **options)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def audit_actions(session: Session, object_type: str | None = None) -> list[str]:
    session.rollback()
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    return list(session.scalars(query))


def count(session: Session, model: type) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model)) or 0


def login_of(session: Session, user_id: int) -> str:
    return session.get(User, user_id).login  # type: ignore[union-attr]


def fresh(session: Session) -> Session:
    """The session, seeing what the requests committed (the sessions keep objects across
    commits, so expire them, and end any read transaction of the test's own)."""
    session.rollback()
    session.expire_all()
    return session


def reload(session: Session, row: object) -> None:
    fresh(session).refresh(row)


# --- a round of the samples' youth questionnaire, for imports, suggestions, exclusions ----

ITEMS = ["know_site", "know_services", "times", "kinds", "quality", "staff", "overall",
         "friends", "suggestion"]
HEADER = ["unit", "ref", "channel", "date", "duration_s", *ITEMS]
GOOD_ROWS = [["QN01", "001", "paper", "2026-11-03", "300", "1", "4", "few", "volunteering",
              "5", "na", "9", "2", "希望多办周末活动"],
             ["QN02", "002", "phone", "2026-11-04", "", "dk", "", "none", "", "na", "na", "6",
              "0", ""]]


@dataclass
class Youth:
    round_id: int
    evaluator: int

    @property
    def base(self) -> str:
        return f"/evaluate/rounds/{self.round_id}/import"


def make_youth(session: Session) -> Youth:
    """An open round over the samples' three units (西湖区) with the youth questionnaire."""
    instrument, _ = store_instrument(session, youth_instrument(), YOUTH_YAML)
    county = make_unit(session, kind="county", code="XH", name="西湖区")
    units = [make_unit(session, kind="youth_home", parent=county, code=code, name=name)
             for code, name in UNITS]
    round_ = rounds.create_round(session, name="11月抽查", mode="spot_check",
                                 instrument=instrument, opens_on=dt.date(2026, 11, 1),
                                 closes_on=dt.date(2026, 11, 30), units=units)
    rounds.open_round(session, round_)
    evaluator = make_person(session, "evaluator", login="pingjia")
    return Youth(round_.id, evaluator.id)


def import_rows(session: Session, round_id: int, rows: list[list[str]], folder: Path) -> None:
    """Store template rows in the round (as the command line would). Commits."""
    path = write_csv(folder / "rows.csv", [HEADER, *rows])
    import_responses(session, session.get(Round, round_id), path)  # type: ignore[arg-type]
    session.commit()
