"""The league table as the dashboard shows it: the score table with each unit's county,
filtered by county and kind, sorted by any column.

Suppressed values are NaN in the score table already (`reports.table`); they are blanked
here again from the `_suppressed` flags, so no sort order can rank a hidden number. Blank
values sort last in either direction; ties keep the league order (rank, then unit code).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reports.model import ReportData
from reports.settings import DIMENSIONS

from .unit_page import plain

NO_COUNTY = "none"  # the county filter's value for units outside every county
SCORED = ("composite", *DIMENSIONS)
# sort key → (column, whether its first click sorts descending)
SORTS: dict[str, tuple[str, bool]] = {
    "rank": ("rank", False),
    "stars": ("stars", True),
    "unit": ("unit_code", False),
    "kind": ("unit_kind", False),
    "county": ("county_code", False),
    **{f"{d}_{field}": (f"{d}_{field}", True)
       for d in SCORED for field in ("adjusted", "raw")},
    **{f"{d}_n": (f"{d}_n", True) for d in DIMENSIONS},
}


@dataclass(frozen=True)
class Area:
    code: str
    name: str


def league(data: ReportData, sort: str = "rank", descending: bool | None = None,
           county: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """The rows shown, as plain values (None for blanks)."""
    column, natural = SORTS[sort]
    frame = with_counties(data)
    if county == NO_COUNTY:
        frame = frame.loc[frame["county_code"].isna()]
    elif county:
        frame = frame.loc[frame["county_code"] == county]
    if kind:
        frame = frame.loc[frame["unit_kind"] == kind]
    first = not (natural if descending is None else descending)
    frame = frame.sort_values([column, "rank", "unit_code"], ascending=[first, True, True],
                              na_position="last", kind="stable")
    return [{key: plain(value) for key, value in row.items()}
            for row in frame.to_dict("records")]


def with_counties(data: ReportData) -> pd.DataFrame:
    """The score table with `county_code` and `county_name`, suppressed values blanked."""
    counties = data.units.loc[:, ["unit_code", "county_code", "county_name"]]
    frame = data.table.merge(counties, on="unit_code", how="left")
    for d in SCORED:
        hidden = frame[f"{d}_suppressed"].astype(bool)
        fields = ("raw", "adjusted") if d == "composite" else \
            ("raw", "adjusted", "sd", "se", "ci_low", "ci_high")
        for field in fields:
            frame.loc[hidden, f"{d}_{field}"] = math.nan
    hidden = frame["composite_suppressed"].astype(bool)
    for field in ("rank", "rank_in_kind", "stars"):
        frame[field] = frame[field].astype("Int64").mask(hidden)
    return frame


def areas(data: ReportData) -> list[Area]:
    """The counties of the round's units, by code, and `NO_COUNTY` when some have none."""
    units = data.units
    found = (units.dropna(subset=["county_code"]).drop_duplicates("county_code")
             .sort_values("county_code"))
    choices = [Area(str(row.county_code), str(plain(row.county_name) or row.county_code))
               for row in found.itertuples()]
    if units["county_code"].isna().any():
        choices.append(Area(NO_COUNTY, ""))
    return choices


def kinds(data: ReportData) -> list[str]:
    """The kinds of the round's units, sorted."""
    return sorted(str(kind) for kind in data.table["unit_kind"].dropna().unique())
