"""An open experience round over the samples' three units, with activities to name.

The youth questionnaire of the samples, stored as an ``experience`` instrument; activities
of QN01 and QN02 inside the round's window, one of QN01 before it, and one title that two
units share (a title names the row's own unit's activity).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

import surveys
from evalapp.instruments.operations import store_instrument
from evalapp.models import Activity, Round, Unit
from evalapp.rounds import operations as rounds
from tests.factories import make_unit
from tests.surveys.importers.samples import (
    UNITS,
    WJX_META,
    WJX_QUESTIONS,
    WJX_TEXT_ANSWERS,
    YOUTH_YAML,
    wjx_meta,
)

OPENS, CLOSES = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
EXPERIENCE_YAML = YOUTH_YAML.replace("id: youth_check", "id: youth_experience").replace(
    "mode: spot_check", "mode: experience")
ACTIVITIES = {  # name → (unit code, day, title)
    "reading": ("QN01", dt.date(2026, 11, 5), "青年读书会"),
    "volunteer": ("QN01", dt.date(2026, 11, 12), "周末志愿服务"),
    "basketball": ("QN02", dt.date(2026, 11, 6), "城南篮球赛"),
    "old": ("QN01", dt.date(2026, 10, 10), "往期读书会"),
    "reading2": ("QN02", dt.date(2026, 11, 7), "青年读书会"),
}


@dataclass
class Experience:
    round: Round
    units: dict[str, Unit]
    activities: dict[str, int]  # name → activity id

    @property
    def id(self) -> str:
        return str(self.round.id)


def experience_instrument() -> surveys.Instrument:
    return surveys.parse_instrument(EXPERIENCE_YAML, "youth_experience.yaml")


def make_experience(session: Session, county_code: str = "XH") -> Experience:
    """The round (open) and its activities; commits."""
    instrument, _ = store_instrument(session, experience_instrument(), EXPERIENCE_YAML)
    county = make_unit(session, kind="county", code=county_code, name="西湖区")
    units = {code: make_unit(session, kind="youth_home", parent=county, code=code, name=name)
             for code, name in UNITS}
    activities = {}
    for name, (code, day, title) in ACTIVITIES.items():
        activity = Activity(unit_id=units[code].id, held_on=day, title=title, type="other")
        session.add(activity)
        session.flush()
        activities[name] = activity.id
    round_ = rounds.create_round(session, name="2026年11月体验评议", mode="experience",
                                 instrument=instrument, opens_on=OPENS, closes_on=CLOSES,
                                 units=list(units.values()))
    rounds.open_round(session, round_)
    session.commit()
    return Experience(round_, units, activities)


def one_activity_rows() -> list[list[str]]:
    """A 问卷星 survey made for one activity: no unit question, no activity question."""
    rows = [[*WJX_META, *WJX_QUESTIONS[1:]]]
    for number, answers in enumerate(WJX_TEXT_ANSWERS, start=1):
        rows.append([*wjx_meta(number, day="2026/11/20"), *answers[1:]])
    return rows
