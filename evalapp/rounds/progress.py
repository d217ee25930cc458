"""How far a round has got: per unit and per county, for the evaluation team.

Per unit: observers' assignments, drafts under them (unfinished questionnaires), submitted
assignments, responses (not excluded) against the round's ``min_n``, and the days left until
the round closes. Counts are per unit, never per observer: a count of responses per
assignment would tie responses to an observer (DESIGN.md, anonymity). Counties add up
their units; units outside any county form one group without a code. Three grouped counts
whatever the round's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reports import csv_bytes

from ..models import Assignment, Draft, Response, Round, today_utc
from .scope import Hierarchy, scope_ids

NO_COUNTY_NAME = "(no county)"


@dataclass(frozen=True)
class UnitProgress:
    county_code: str
    county_name: str
    unit_code: str
    unit_name: str
    assigned: int
    drafts: int
    submitted: int
    responses: int
    excluded: int

    def short_of(self, min_n: int) -> int:
        """Responses still needed for the unit's scores to be published."""
        return max(0, min_n - self.responses)


@dataclass(frozen=True)
class CountyProgress:
    county_code: str
    county_name: str
    units: int
    assigned: int
    drafts: int
    submitted: int
    responses: int
    excluded: int
    units_at_min_n: int


@dataclass(frozen=True)
class RoundProgress:
    round_id: int
    status: str
    min_n: int
    closes_on: dt.date
    days_left: int
    units: tuple[UnitProgress, ...]
    counties: tuple[CountyProgress, ...]

    def unit_frame(self) -> pd.DataFrame:
        """One row per unit, with ``min_n``, ``short_of_min_n`` and ``days_left``."""
        rows = [asdict(unit) | {"min_n": self.min_n, "short_of_min_n": unit.short_of(self.min_n),
                                "days_left": self.days_left} for unit in self.units]
        columns = [f.name for f in fields(UnitProgress)] + ["min_n", "short_of_min_n",
                                                            "days_left"]
        return pd.DataFrame(rows, columns=columns)

    def county_frame(self) -> pd.DataFrame:
        columns = [f.name for f in fields(CountyProgress)]
        return pd.DataFrame([asdict(county) for county in self.counties], columns=columns)

    def csv(self) -> bytes:
        """The unit table as CSV, UTF-8 with BOM (Excel and WPS read the Chinese names)."""
        return csv_bytes(self.unit_frame())


def round_progress(session: Session, round_: Round, today: dt.date | None = None
                   ) -> RoundProgress:
    """The round's progress as of ``today`` (default: today, UTC)."""
    today = today or today_utc()
    hierarchy = Hierarchy.load(session)
    counts = _counts(session, round_.id)
    units = []
    for unit_id in scope_ids(session, round_.id):
        unit, county = hierarchy.by_id[unit_id], hierarchy.county_of(unit_id)
        units.append(UnitProgress(
            county.code if county else "", county.name if county else NO_COUNTY_NAME,
            unit.code, unit.name, *(counts[name].get(unit_id, 0) for name in COUNTS)))
    units.sort(key=lambda row: (row.county_code, row.unit_code))
    days_left = max(0, (round_.closes_on - today).days) if round_.status in ("draft", "open") \
        else 0
    return RoundProgress(round_.id, round_.status, round_.min_n, round_.closes_on, days_left,
                         tuple(units), _counties(units, round_.min_n))


COUNTS = ("assigned", "drafts", "submitted", "responses", "excluded")


def _counts(session: Session, round_id: int) -> dict[str, dict[int, int]]:
    """Unit id → count, for each of :data:`COUNTS`."""
    counts: dict[str, dict[int, int]] = {name: {} for name in COUNTS}
    queries = {
        ("assigned", "submitted"): select(
            Assignment.unit_id, func.count(),
            func.sum(case((Assignment.status == "submitted", 1), else_=0)))
        .where(Assignment.round_id == round_id).group_by(Assignment.unit_id),
        ("drafts",): select(Assignment.unit_id, func.count())
        .join(Draft, Draft.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_id).group_by(Assignment.unit_id),
        ("responses", "excluded"): select(
            Response.unit_id, func.sum(case((Response.excluded, 0), else_=1)),
            func.sum(case((Response.excluded, 1), else_=0)))
        .where(Response.round_id == round_id).group_by(Response.unit_id),
    }
    for names, query in queries.items():
        for unit_id, *values in session.execute(query):
            for name, value in zip(names, values, strict=True):
                counts[name][unit_id] = int(value or 0)
    return counts


def _counties(units: Sequence[UnitProgress], min_n: int) -> tuple[CountyProgress, ...]:
    groups: dict[tuple[str, str], list[UnitProgress]] = {}
    for unit in units:
        groups.setdefault((unit.county_code, unit.county_name), []).append(unit)
    return tuple(
        CountyProgress(code, name, len(members),
                       *(sum(getattr(unit, count) for unit in members) for count in COUNTS),
                       units_at_min_n=sum(1 for unit in members if unit.responses >= min_n))
        for (code, name), members in sorted(groups.items()))
