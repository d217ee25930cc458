"""A round evaluating three youth homes with the youth questionnaire of the samples."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.instruments.operations import store_instrument
from evalapp.models import Answer, ImportMapping, Response, Round, Suggestion, Unit
from evalapp.rounds import operations as rounds
from tests.factories import make_unit
from tests.surveys.importers.samples import OUTSIDE, UNITS, YOUTH_YAML, youth_instrument

OPENS, CLOSES = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


@dataclass
class Youth:
    round: Round
    units: list[Unit]

    @property
    def id(self) -> str:
        return str(self.round.id)


@pytest.fixture
def youth(session: Session) -> Youth:
    instrument, _ = store_instrument(session, youth_instrument(), YOUTH_YAML)
    county = make_unit(session, kind="county", code="XH", name="西湖区")
    units = [make_unit(session, kind="youth_home", parent=county, code=code, name=name)
             for code, name in UNITS]
    make_unit(session, kind="youth_home", parent=county, code=OUTSIDE[0], name=OUTSIDE[1])
    round_ = rounds.create_round(session, name="2026年11月抽查", mode="spot_check",
                                 instrument=instrument, opens_on=OPENS, closes_on=CLOSES,
                                 units=units)
    rounds.open_round(session, round_)
    session.commit()
    return Youth(round_, units)


def invoke(runner: FlaskCliRunner, *args: object) -> Any:
    return runner.invoke(args=["import", *(str(arg) for arg in args)])


def counts(session: Session) -> dict[str, int]:
    """Rows of the tables a response import writes."""
    session.rollback()
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Response, Answer, Suggestion, ImportMapping)}


def stored(session: Session) -> dict[str, Response]:
    """The round's responses by submission key."""
    session.rollback()
    return {r.submission_key: r for r in session.scalars(select(Response))}


def answers(response: Response) -> dict[str, tuple[Any, ...]]:
    """item → (value, text, na, dont_know) of a stored response."""
    return {a.item_id: (a.value, a.text, a.na, a.dont_know) for a in response.answers}


def by_row_id(responses: dict[str, Response], row_id: str) -> Response:
    found = [r for key, r in responses.items() if key.rsplit(":", 1)[-1] == row_id]
    assert len(found) == 1, f"{len(found)} responses with row id {row_id}"
    return found[0]
