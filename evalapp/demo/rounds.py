"""The demo's rounds, their assignments, activities and responses.

- three monthly daily rounds over every evaluated unit, fully answered: the two older ones
  published (so reports show trends), the latest closed and waiting for publication;
- an open experience round over youth homes and branches, with two or three activities per
  unit: activities already held have been visited and answered, later ones wait;
- an open spot-check round of 40 sampled units, about half of them visited so far;
- next month's spot-check round, still a draft.

Dates are relative to ``today`` so the open rounds are open whenever the demo is seeded.
The demo observer (`city.DEMO_OBSERVER`) has pending visits in both open rounds.
Observers are spread evenly (least-loaded first, ties broken at random) and never sent to
a unit they are affiliated with.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection as AbstractCollection
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from ..instruments.operations import definition_of
from ..models import ACTIVITY_TYPES, DIMENSIONS, Activity, Assignment, Instrument, Round, Unit, User
from ..responses.recording import Submission, record_responses
from ..rounds.operations import (
    assign_observer,
    close_round,
    create_round,
    open_round,
    publish_round,
)
from .city import City
from .collection import Collection, Visit, draw_size, unit_submissions
from .names import ACTIVITY_TITLES

# Logit locations: young people know branches less well than they like them.
DIMENSION_MEANS = {"awareness": 0.5, "participation": 0.8, "satisfaction": 1.3}
QUALITY_SD = 0.6
OFFSET_SD = 0.35
LENIENCY_SD = 0.25
THIRD_OBSERVER_SHARE = 0.3
EXPERIENCE_KINDS = ("youth_home", "branch")
ACTIVITIES_PER_UNIT = (2, 3)
SPOT_CHECK_KINDS = ("youth_home", "branch", "district", "industry")
SPOT_CHECK_SIZE = 40
VISITED_SHARE = 0.55
DEMO_EXPERIENCE_TASKS = 4
DEMO_SPOT_CHECK_TASKS = 3
# Three monthly daily rounds: the first two get published, the latest stays closed.
DAILY_ROUNDS_DAYS_AGO = (110, 80, 50)


@dataclass
class Seeding:
    """The state shared by the rounds of one seed run."""

    session: Session
    city: City
    instruments: Mapping[str, Instrument]
    rng: np.random.Generator
    rater_secret: str
    today: dt.date
    locations: dict[int, dict[str, float]] = field(default_factory=dict)
    leniency: dict[int, float] = field(default_factory=dict)
    affiliated: dict[int, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit in self.city.evaluated:
            quality = self.rng.normal(0.0, QUALITY_SD)
            self.locations[unit.id] = {
                d: DIMENSION_MEANS[d] + quality + self.rng.normal(0.0, OFFSET_SD)
                for d in DIMENSIONS
            }
        for observer in self.city.observers:
            self.leniency[observer.id] = float(self.rng.normal(0.0, LENIENCY_SD))
            self.affiliated[observer.id] = {unit.id for unit in observer.affiliations}


def seed_rounds(session: Session, city: City, instruments: Mapping[str, Instrument],
                rng: np.random.Generator, rater_secret: str, today: dt.date) -> list[Round]:
    """Create the three rounds with their assignments and responses; flushes."""
    seeding = Seeding(session, city, instruments, rng, rater_secret, today)
    daily = [_daily(seeding, days_ago) for days_ago in DAILY_ROUNDS_DAYS_AGO]
    for round_ in daily[:-1]:
        publish_round(session, round_)
    return [*daily, _experience(seeding), _spot_check(seeding), _next_spot_check(seeding)]


def _daily(s: Seeding, days_ago: int) -> Round:
    """A monthly open-day round that opened ``days_ago`` days ago, answered and closed."""
    opens = s.today - dt.timedelta(days=days_ago)
    closes = opens + dt.timedelta(days=14)
    units = s.city.evaluated
    round_ = _create(s, "daily", f"{opens.year}年{opens.month}月日常工作评议", opens, closes,
                     units)
    open_days = (opens + dt.timedelta(days=3), opens + dt.timedelta(days=10))
    load: Counter[int] = Counter()
    visits: dict[int, list[Visit]] = {}
    for unit in units:
        day = open_days[int(s.rng.integers(len(open_days)))]
        chosen = _assign(s, round_, unit, s.city.observers, _observer_count(s), load)
        visits[unit.id] = [_submit(assignment, observer, unit, None, day)
                           for assignment, observer in chosen]
    open_round(s.session, round_)
    _record(s, round_, units, visits)
    return close_round(s.session, round_)


def _experience(s: Seeding) -> Round:
    opens, closes = s.today - dt.timedelta(days=24), s.today + dt.timedelta(days=35)
    units = [unit for unit in s.city.evaluated if unit.kind in EXPERIENCE_KINDS]
    quarter = (opens.month - 1) // 3 + 1
    round_ = _create(s, "experience", f"{opens.year}年第{quarter}季度参与体验评议", opens,
                     closes, units)
    activities = _activities(s, units, opens, closes)
    demo_tasks = _demo_activity_tasks(s, round_, units, activities)
    demo = s.city.demo_observer
    others = [observer for observer in s.city.observers if observer is not demo]
    load: Counter[int] = Counter()
    visits: dict[int, list[Visit]] = {}
    for unit in units:
        visits[unit.id] = []
        # observer id → activity id: one observer per activity, a different one for each
        taken = {demo.id: demo_tasks[unit.id]} if unit.id in demo_tasks else {}
        for activity in activities[unit.id]:
            if activity.id in taken.values():
                continue
            for assignment, observer in _assign(s, round_, unit, others, 1, load, activity,
                                                avoid=taken):
                taken[observer.id] = activity.id
                if activity.held_on < s.today:
                    visits[unit.id].append(
                        _submit(assignment, observer, unit, activity, activity.held_on))
    open_round(s.session, round_)
    _record(s, round_, units, visits)
    return round_


def _demo_activity_tasks(s: Seeding, round_: Round, units: Sequence[Unit],
                         activities: Mapping[int, Sequence[Activity]]) -> dict[int, int]:
    """Send the demo observer to the next activity of a few units; unit id → activity id."""
    demo = s.city.demo_observer
    upcoming = {unit.id: [a for a in activities[unit.id] if a.held_on >= s.today]
                for unit in units if unit.id not in s.affiliated[demo.id]}
    candidates = [unit for unit in units if upcoming.get(unit.id)]
    picks = s.rng.choice(len(candidates), size=DEMO_EXPERIENCE_TASKS, replace=False)
    tasks: dict[int, int] = {}
    for index in sorted(int(i) for i in picks):
        unit = candidates[index]
        activity = upcoming[unit.id][0]
        assign_observer(s.session, round_, unit, demo, activity)
        tasks[unit.id] = activity.id
    return tasks


def _spot_check(s: Seeding) -> Round:
    opens, closes = s.today - dt.timedelta(days=9), s.today + dt.timedelta(days=21)
    candidates = [unit for unit in s.city.evaluated if unit.kind in SPOT_CHECK_KINDS]
    picks = s.rng.choice(len(candidates), size=SPOT_CHECK_SIZE, replace=False)
    units = sorted((candidates[int(i)] for i in picks), key=lambda unit: unit.code)
    quarter = (opens.month - 1) // 3 + 1
    round_ = _create(s, "spot_check", f"{opens.year}年第{quarter}轮重点抽查", opens, closes,
                     units)
    demo = s.city.demo_observer
    eligible = [unit for unit in units if unit.id not in s.affiliated[demo.id]]
    picks = s.rng.choice(len(eligible), size=DEMO_SPOT_CHECK_TASKS, replace=False)
    demo_units = {eligible[int(index)].id for index in picks}
    others = [observer for observer in s.city.observers if observer is not demo]
    load: Counter[int] = Counter()
    visits: dict[int, list[Visit]] = {}
    for unit in units:
        count = _observer_count(s)
        if unit.id in demo_units:  # the demo observer's visit is still to come
            assign_observer(s.session, round_, unit, demo)
            count -= 1
        chosen = _assign(s, round_, unit, others, count, load)
        visited = unit.id not in demo_units and s.rng.random() < VISITED_SHARE
        day = opens + dt.timedelta(days=int(s.rng.integers(0, (s.today - opens).days)))
        visits[unit.id] = [_submit(assignment, observer, unit, None, day)
                           for assignment, observer in chosen] if visited else []
    open_round(s.session, round_)
    _record(s, round_, units, visits)
    return round_


def _next_spot_check(s: Seeding) -> Round:
    """Next month's spot check, planned but not opened: a draft with its sample drawn."""
    opens, closes = s.today + dt.timedelta(days=25), s.today + dt.timedelta(days=45)
    candidates = [unit for unit in s.city.evaluated if unit.kind in SPOT_CHECK_KINDS]
    picks = s.rng.choice(len(candidates), size=SPOT_CHECK_SIZE, replace=False)
    units = sorted((candidates[int(i)] for i in picks), key=lambda unit: unit.code)
    quarter = (opens.month - 1) // 3 + 1
    return _create(s, "spot_check", f"{opens.year}年第{quarter}轮重点抽查（计划）", opens,
                   closes, units)


def _create(s: Seeding, mode: str, name: str, opens: dt.date, closes: dt.date,
            units: Sequence[Unit]) -> Round:
    return create_round(s.session, name=name, mode=mode, instrument=s.instruments[mode],
                        opens_on=opens, closes_on=closes, units=units)


def _observer_count(s: Seeding) -> int:
    return 3 if s.rng.random() < THIRD_OBSERVER_SHARE else 2


def _assign(s: Seeding, round_: Round, unit: Unit, pool: Sequence[User], count: int,
            load: Counter[int], activity: Activity | None = None,
            avoid: AbstractCollection[int] = ()) -> list[tuple[Assignment, User]]:
    """Assign the ``count`` least-loaded eligible observers of ``pool`` to ``unit``."""
    eligible = [observer for observer in pool
                if unit.id not in s.affiliated[observer.id] and observer.id not in avoid]
    ties = s.rng.random(len(eligible))
    order = sorted(range(len(eligible)), key=lambda i: (load[eligible[i].id], ties[i]))
    chosen = []
    for index in order[:count]:
        observer = eligible[index]
        chosen.append((assign_observer(s.session, round_, unit, observer, activity), observer))
        load[observer.id] += 1
    return chosen


def _submit(assignment: Assignment, observer: User, unit: Unit, activity: Activity | None,
            day: dt.date) -> Visit:
    """Mark the assignment submitted (no date: see ``Assignment``) and return the visit."""
    assignment.status = "submitted"
    return Visit(observer, unit, activity, day)


def _activities(s: Seeding, units: Sequence[Unit], opens: dt.date, closes: dt.date
                ) -> dict[int, list[Activity]]:
    """Two or three activities per unit from its weekly list, held within the round."""
    span = (closes - opens).days
    activities: dict[int, list[Activity]] = {}
    for unit in units:
        count = int(s.rng.integers(ACTIVITIES_PER_UNIT[0], ACTIVITIES_PER_UNIT[1] + 1))
        rows = []
        for _ in range(count):
            kind = ACTIVITY_TYPES[int(s.rng.integers(len(ACTIVITY_TYPES)))]
            titles = ACTIVITY_TITLES[kind]
            rows.append(Activity(
                unit_id=unit.id, title=titles[int(s.rng.integers(len(titles)))], type=kind,
                held_on=opens + dt.timedelta(days=int(s.rng.integers(0, span + 1))),
                place=unit.address))
        activities[unit.id] = sorted(rows, key=lambda activity: activity.held_on)
        s.session.add_all(rows)
    s.session.flush()
    return activities


def _record(s: Seeding, round_: Round, units: Sequence[Unit],
            visits: Mapping[int, Sequence[Visit]]) -> None:
    collection = Collection(round_, definition_of(round_.instrument), s.rng, s.rater_secret,
                            s.locations, s.leniency, s.today)
    submissions: list[Submission] = []
    for unit in units:
        submissions += unit_submissions(collection, unit, visits.get(unit.id, ()),
                                        draw_size(s.rng))
    record_responses(s.session, round_, submissions)
    s.session.flush()
