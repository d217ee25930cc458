"""How the demo's responses come in: who answers, through which channel, when and how fast.

A *visit* is an observer's submitted assignment. Each visit gives the observer's own
response (on site), and young people met there add more: questionnaires handed out, phone
interviews, and in daily rounds feedback through the committee's online channels. Responses
an observer collected carry that observer's rater code; online feedback carries none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from surveys.answers import Answer
from surveys.instrument import Instrument as Definition

from ..anonymity import rater_code
from ..models import Activity, Round, Unit, User
from ..responses.recording import Submission
from .answers import Respondent, draw_answers, item_difficulties

SMALL_UNIT_SHARE = 0.12
SMALL_N = (1, 4)
USUAL_N = (6, 20)
RESPONDENT_SD = 0.55
OBSERVER_SD = 0.3
STRAIGHT_LINER_SHARE = 0.03
SPEEDER_SHARE = 0.05
SPEEDER_SECONDS = (20, 60)
# Median seconds to fill in the questionnaire, by channel (log-normal, sd 0.35 on log scale).
MEDIAN_SECONDS = {"onsite": 420, "handout": 240, "phone": 330, "online": 200}
PHONE_DELAY_DAYS = 3


@dataclass(frozen=True)
class Channel:
    """One way of collecting responses: its channel, the routing answers it presets (item
    id → option value) and its share of the young people's responses."""

    channel: str
    presets: Mapping[str, str]
    share: float = 1.0


@dataclass(frozen=True)
class Style:
    """How a mode collects: the observer's own response, then young people's."""

    own: Channel
    others: tuple[Channel, ...]


STYLES = {
    "daily": Style(
        own=Channel("onsite", {"role": "observer"}),
        others=(Channel("handout", {"role": "youth"}, 0.4),
                Channel("phone", {"role": "youth"}, 0.3),
                Channel("online", {"role": "youth"}, 0.3)),
    ),
    "experience": Style(own=Channel("onsite", {}), others=(Channel("handout", {}),)),
    "spot_check": Style(
        own=Channel("onsite", {"record_type": "checklist"}),
        others=(Channel("handout", {"record_type": "youth_onsite"}, 0.65),
                Channel("phone", {"record_type": "youth_phone"}, 0.35)),
    ),
}


@dataclass(frozen=True)
class Visit:
    """An observer's submitted assignment: where, which activity, on which day."""

    observer: User
    unit: Unit
    activity: Activity | None
    on: dt.date


@dataclass
class Collection:
    """Everything needed to turn one round's visits into submissions."""

    round_: Round
    definition: Definition
    rng: np.random.Generator
    rater_secret: str
    # unit id → dimension → logit location of the unit
    locations: Mapping[int, Mapping[str, float]]
    # observer id → leniency (added to the observer's own ratings)
    leniency: Mapping[int, float]
    today: dt.date
    difficulties: dict[str, float] = field(init=False)
    style: Style = field(init=False)

    def __post_init__(self) -> None:
        self.difficulties = item_difficulties(self.definition, self.rng)
        self.style = STYLES[self.round_.mode]


def draw_size(rng: np.random.Generator) -> int:
    """How many responses a unit gets: mostly 6–20, sometimes only 1–4 (then suppressed)."""
    low, high = SMALL_N if rng.random() < SMALL_UNIT_SHARE else USUAL_N
    return int(rng.integers(low, high + 1))


def unit_submissions(collection: Collection, unit: Unit, visits: Sequence[Visit],
                     size: int) -> list[Submission]:
    """``size`` submissions for ``unit``: one per visit (while they last), then young people's."""
    if not visits:
        return []
    plan = [(visit, True) for visit in visits[:size]]
    plan += [(visits[number % len(visits)], False) for number in range(size - len(plan))]
    return [
        _submission(collection, visit, own, f"demo-{collection.round_.mode}-{unit.code}-{n:03d}")
        for n, (visit, own) in enumerate(plan, start=1)
    ]


def _submission(collection: Collection, visit: Visit, own: bool, key: str) -> Submission:
    """The observer's own response to the visit (``own``), or a young person's."""
    rng = collection.rng
    if own:
        channel = collection.style.own
        shift = collection.leniency.get(visit.observer.id, 0.0) + rng.normal(0, OBSERVER_SD)
        on = visit.on
    else:
        channel = _pick_channel(rng, collection.style.others)
        shift = rng.normal(0, RESPONDENT_SD)
        on = _day(collection, visit, channel.channel)
    location = {d: value + shift for d, value in collection.locations[visit.unit.id].items()}
    straight = int(rng.integers(3, 6)) if rng.random() < STRAIGHT_LINER_SHARE else None
    presets = {item_id: Answer(text=value) for item_id, value in channel.presets.items()}
    answers = draw_answers(collection.definition, Respondent(location, straight),
                           collection.difficulties, rng, presets)
    collected = channel.channel != "online"
    code = rater_code(collection.rater_secret, visit.observer.id, collection.round_.id,
                      visit.unit.id)
    return Submission(
        unit_id=visit.unit.id,
        activity_id=visit.activity.id if visit.activity else None,
        channel=channel.channel,
        rater_code=code if collected else None,
        duration_s=_duration(rng, channel.channel),
        submission_key=key,
        submitted_on=on,
        answers=answers,
    )


def _pick_channel(rng: np.random.Generator, channels: Sequence[Channel]) -> Channel:
    shares = np.array([channel.share for channel in channels])
    return channels[int(rng.choice(len(channels), p=shares / shares.sum()))]


def _day(collection: Collection, visit: Visit, channel: str) -> dt.date:
    """The visit's day; phone interviews follow within days, online feedback any time."""
    round_, rng = collection.round_, collection.rng
    last = min(round_.closes_on, collection.today)
    if channel == "phone":
        return min(visit.on + dt.timedelta(days=int(rng.integers(0, PHONE_DELAY_DAYS + 1))), last)
    if channel == "online":
        span = max((last - round_.opens_on).days, 0)
        return round_.opens_on + dt.timedelta(days=int(rng.integers(0, span + 1)))
    return visit.on


def _duration(rng: np.random.Generator, channel: str) -> int:
    if rng.random() < SPEEDER_SHARE:
        return int(rng.integers(SPEEDER_SECONDS[0], SPEEDER_SECONDS[1] + 1))
    return round(math.exp(rng.normal(math.log(MEDIAN_SECONDS[channel]), 0.35)))
