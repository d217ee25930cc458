"""A small round with a tiny instrument, whose scores can be worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

import surveys
from evalapp.instruments.operations import store_instrument
from evalapp.models import Round, Unit
from evalapp.responses.recording import AnswerInput, Submission, record_responses
from evalapp.rounds import operations as rounds
from tests.factories import make_unit

TINY = """
id: tiny
mode: spot_check
title: {zh: 小问卷, en: Tiny}
sections:
  - id: s
    title: {zh: 题目, en: Items}
    items:
      - id: know
        type: likert
        points: 5
        dimension: awareness
        text: {zh: 知道, en: Know}
      - id: join
        type: likert
        points: 5
        dimension: participation
        text: {zh: 参加, en: Join}
      - id: like
        type: likert
        points: 5
        dimension: satisfaction
        text: {zh: 满意, en: Like}
      - id: idea
        type: text
        suggestion: true
        text: {zh: 建议, en: Ideas}
"""


@dataclass
class TinyRound:
    round: Round
    units: list[Unit]


def answer(value: float) -> AnswerInput:
    return AnswerInput(value=value, text=None, na=False, dont_know=False)


def submit(session: Session, round_: Round, unit: Unit, values: tuple[int, int, int],
           key: str, day: dt.date = dt.date(2026, 11, 2)) -> str:
    answers = {item: answer(v) for item, v in zip(("know", "join", "like"), values, strict=True)}
    submission = Submission(unit_id=unit.id, submission_key=key, submitted_on=day,
                            answers=answers, channel="handout")
    return record_responses(session, round_, [submission])[0]


def make_tiny_round(session: Session, name: str = "小批次", opens: dt.date = dt.date(2026, 11, 1),
                    min_n: int = 2, units: list[Unit] | None = None) -> TinyRound:
    definition = surveys.parse_instrument(TINY, "tiny.yaml")
    instrument, _ = store_instrument(session, definition, TINY)
    if units is None:
        county = make_unit(session, kind="county")
        units = [make_unit(session, parent=county) for _ in range(3)]
    round_ = rounds.create_round(session, name=name, mode="spot_check", instrument=instrument,
                                 opens_on=opens, closes_on=opens + dt.timedelta(days=20),
                                 units=units, min_n=min_n)
    rounds.open_round(session, round_)
    return TinyRound(round_, units)


@pytest.fixture
def tiny(session: Session) -> TinyRound:
    """Unit A: 5,5,5 and 3,3,3 (scores 100 and 50); unit B: 1,1,1 and 1,3,5; unit C: one."""
    made = make_tiny_round(session)
    a, b, c = made.units
    submit(session, made.round, a, (5, 5, 5), "a1")
    submit(session, made.round, a, (3, 3, 3), "a2")
    submit(session, made.round, b, (1, 1, 1), "b1")
    submit(session, made.round, b, (1, 3, 5), "b2")
    submit(session, made.round, c, (4, 4, 4), "c1")
    session.commit()
    return made
