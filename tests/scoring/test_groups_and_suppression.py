"""From the database: α per respondent group of a routed instrument, and roll-ups whose
suppression is planned over every level (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy.orm import Session

import surveys
from evalapp.instruments.operations import store_instrument
from evalapp.models import Round, Unit
from evalapp.responses.recording import AnswerInput, Submission, record_responses
from evalapp.rounds import operations as rounds
from evalapp.scoring import service
from reports import cronbach_alpha
from tests.factories import make_unit
from tests.scoring.conftest import make_tiny_round, submit

ROUTED = """
id: routed
mode: daily
title: {zh: 分流问卷, en: Routed}
sections:
  - id: who
    title: {zh: 身份, en: Who}
    items:
      - id: role
        type: single
        required: true
        text: {zh: 身份, en: Role}
        options:
          - {value: observer, label: {zh: 观察员, en: Observer}}
          - {value: youth, label: {zh: 青年, en: Young person}}
  - id: items
    title: {zh: 题目, en: Items}
    items:
"""
ITEMS = [("o1", "observer"), ("o2", "observer"), ("o3", "observer"), ("y1", "youth"),
         ("y2", "youth")]
OBSERVERS = [(5, 4, 5), (2, 1, 2), (4, 4, 3), (1, 2, 2), (3, 3, 4)]
YOUTH = [(5, 5), (1, 2), (3, 4), (2, 2)]


def routed_yaml() -> str:
    items = [f"      - id: {item}\n        type: likert\n        points: 5\n"
             f"        dimension: satisfaction\n        relevant: {{item: role, equals: {who}}}\n"
             f"        text: {{zh: {item}, en: {item}}}\n" for item, who in ITEMS]
    return ROUTED + "".join(items)


def likert(value: int) -> AnswerInput:
    return AnswerInput(value=float(value), text=None, na=False, dont_know=False)


def routed_round(session: Session) -> Round:
    source = routed_yaml()
    instrument, _ = store_instrument(session, surveys.parse_instrument(source, "routed.yaml"),
                                     source)
    unit = make_unit(session)
    round_ = rounds.create_round(session, name="分流", mode="daily", instrument=instrument,
                                 opens_on=dt.date(2026, 11, 1), closes_on=dt.date(2026, 11, 20),
                                 units=[unit], min_n=2)
    rounds.open_round(session, round_)
    submissions = []
    for role, rows, items in (("observer", OBSERVERS, ITEMS[:3]), ("youth", YOUTH, ITEMS[3:])):
        for k, values in enumerate(rows):
            answers = {"role": AnswerInput(value=None, text=role, na=False, dont_know=False)}
            answers |= {item: likert(v) for (item, _), v in zip(items, values, strict=True)}
            submissions.append(Submission(unit_id=unit.id, submission_key=f"{role}{k}",
                                          submitted_on=dt.date(2026, 11, 2), answers=answers,
                                          channel="onsite"))
    record_responses(session, round_, submissions)
    session.commit()
    return round_


def test_routed_instrument_gets_alpha_per_respondent_group(session: Session) -> None:
    reliability = service.compute(session, routed_round(session)).reliability
    rows = reliability.loc[reliability["dimension"] == "satisfaction"].set_index("group")
    assert rows.index.tolist() == ["role=observer", "role=youth"]
    assert rows["n"].tolist() == [5, 4] and rows["items"].tolist() == [3, 2]
    observers = (np.array(OBSERVERS, float) - 1) * 25
    youth = (np.array(YOUTH, float) - 1) * 25
    assert rows.loc["role=observer", "alpha"] == pytest.approx(cronbach_alpha(observers))
    assert rows.loc["role=youth", "alpha"] == pytest.approx(cronbach_alpha(youth))


def city_with_two_counties(session: Session) -> list[Unit]:
    city = make_unit(session, kind="city")
    first, second = make_unit(session, kind="county", parent=city), \
        make_unit(session, kind="county", parent=city)
    return [make_unit(session, parent=county) for county in (first, first, second, second,
                                                              second)]


def test_a_lone_withheld_county_cannot_be_backed_out_of_the_city(session: Session) -> None:
    """County 1 hides one unit (n = 2): withheld. County 2's hidden units pool 5, so alone it
    could be shown; but the city minus county 2 minus the shown units would reveal county
    1's hidden unit. County 2 is withheld as well and the city figure stays."""
    units = city_with_two_counties(session)
    made = make_tiny_round(session, units=units, min_n=4)
    ratings = {0: [5] * 6, 1: [1, 5], 2: [3] * 5, 3: [1, 5], 4: [5, 1, 3]}
    for index, values in ratings.items():
        for k, v in enumerate(values):
            submit(session, made.round, units[index], (v, v, v), f"u{index}-{k}")
    session.commit()
    counties = service.rollup_table(session, made.round, "county")
    city = service.rollup_table(session, made.round, "city")
    assert counties["satisfaction_suppressed"].tolist() == [True, True]
    assert counties["satisfaction_n"].tolist() == [8, 10]
    assert city["satisfaction_suppressed"].tolist() == [False]
    assert city["satisfaction_n"].tolist() == [18]
