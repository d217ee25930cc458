"""`ReportData`: everything a round's report files need, read-only and picklable.

Built by `report_data` from a round's `RoundScores` (and, for a published round, its frozen
score table and item results, which then take precedence): the files never compute a score
themselves; they arrange, format and chart what scoring produced. The only figures derived
here are descriptive arrangements of published values (the composite's display interval, the
median of units' published item percentages) and counts.

`evalapp.reporting` fills it from the database; `reports.sample` from synthetic rounds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reports.disclosure import ROOT_CODE, SuppressionPlan
from reports.rollup import ancestors_of_kind, hierarchy_plan, rollup
from reports.score import RoundScores
from reports.settings import DIMENSIONS, RoundSettings

QUALITY_FLAGS = ("straight_lining", "speeding", "duplicate")
OVERALL_CODE = ROOT_CODE


def source_date() -> dt.datetime | None:
    """The time given by SOURCE_DATE_EPOCH (reproducible builds), else None."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise ValueError(f"SOURCE_DATE_EPOCH must be a Unix time, got {value!r}") from error


@dataclass(frozen=True)
class RoundInfo:
    """What the cover and the method sheet say about a round."""

    round_id: int | str
    name: str
    mode: str = "daily"
    status: str = "closed"
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    instrument_key: str = ""
    instrument_version: int | None = None
    instrument_title: str = ""
    instrument_hash: str = ""
    data_version: str = ""
    software_version: str = ""
    frozen: bool = False


@dataclass(frozen=True)
class Counts:
    """Sizes of the round. Assignment counts are None where the round has none."""

    units: int
    units_ranked: int
    responses: int
    counted: int
    excluded: int
    assignments: int | None = None
    assignments_submitted: int | None = None

    @property
    def response_rate(self) -> float | None:
        """Share of assigned visits that were submitted, in percent."""
        if not self.assignments:
            return None
        return 100.0 * (self.assignments_submitted or 0) / self.assignments


@dataclass(frozen=True)
class UnitCard:
    """One unit's report card: its row of the score table and what it is compared with."""

    row: pd.Series
    county: pd.Series | None
    overall: pd.Series
    overall_name: str
    items: pd.DataFrame
    trend: pd.Series | None
    suggestions: tuple[str, ...]
    settings: RoundSettings


@dataclass(frozen=True)
class ReportData:
    """A round's report inputs. Every frame honours suppression (see `reports.table`)."""

    info: RoundInfo
    settings: RoundSettings
    counts: Counts
    table: pd.DataFrame
    items: pd.DataFrame
    item_texts: pd.DataFrame
    units: pd.DataFrame
    counties: pd.DataFrame
    overall: pd.DataFrame
    overall_name: str
    reliability: pd.DataFrame
    item_rest: pd.DataFrame
    anova: Mapping[str, Mapping[str, float]]
    quality: pd.DataFrame
    suggestions: pd.DataFrame
    trend: pd.DataFrame | None = None
    previous: RoundInfo | None = None
    warnings: tuple[str, ...] = ()
    generated_at: dt.datetime | None = field(default_factory=source_date)

    @functools.cached_property
    def ranked(self) -> pd.DataFrame:
        """The published units by rank (then code): what the league table lists first."""
        ranked = self.table.loc[self.table["rank"].notna()]
        return ranked.sort_values(["rank", "unit_code"], kind="stable").reset_index(drop=True)

    @functools.cached_property
    def unranked(self) -> pd.DataFrame:
        """Units without a composite (not enough responses), by code."""
        return self.table.loc[self.table["rank"].isna()].reset_index(drop=True)

    @functools.cached_property
    def card_order(self) -> list[str]:
        """Report cards follow the league table: ranked units, then the others by code."""
        return [*self.ranked["unit_code"], *self.unranked["unit_code"]]

    @functools.cached_property
    def item_medians(self) -> pd.Series:
        """Per item: the median over units of the published % positive (a reference line)."""
        published = self.items.dropna(subset=["positive_pct"])
        return published.groupby("item_id")["positive_pct"].median()

    @functools.cached_property
    def _cards(self) -> _CardIndex:
        """Indexes for `card`, built once (a report draws a card per unit)."""
        items = self.items.merge(self.item_texts, on=["item_id", "dimension"], how="left")
        items = items.assign(median_pct=items["item_id"].map(self.item_medians))
        return _CardIndex(
            table=self.table.set_index("unit_code", drop=False),
            county_of=self.units.set_index("unit_code")["county_code"].to_dict(),
            counties=self.counties.set_index("group_code", drop=False),
            items={code: frame.reset_index(drop=True)
                   for code, frame in items.groupby("unit_code", sort=False)},
            no_items=items.iloc[0:0],
            trend=None if self.trend is None else self.trend.set_index("unit_code", drop=False),
            suggestions=self.suggestions.groupby("unit_code", sort=False)["text"]
            .agg(tuple).to_dict(),
        )

    def card(self, unit_code: str) -> UnitCard:
        """The report card of one unit (KeyError when it is not in the round)."""
        index = self._cards
        if unit_code not in index.table.index:
            raise KeyError(f"unit {unit_code!r} is not in round {self.info.round_id}")
        county_code = index.county_of.get(unit_code)
        county = index.counties.loc[county_code] \
            if county_code is not None and county_code in index.counties.index else None
        trend = index.trend.loc[unit_code] \
            if index.trend is not None and unit_code in index.trend.index else None
        return UnitCard(row=index.table.loc[unit_code], county=county,
                        overall=self.overall.iloc[0], overall_name=self.overall_name,
                        items=index.items.get(unit_code, index.no_items), trend=trend,
                        suggestions=index.suggestions.get(unit_code, ()),
                        settings=self.settings)


@dataclass(frozen=True)
class _CardIndex:
    table: pd.DataFrame
    county_of: dict[str, str | None]
    counties: pd.DataFrame
    items: dict[str, pd.DataFrame]
    no_items: pd.DataFrame
    trend: pd.DataFrame | None
    suggestions: dict[str, tuple[str, ...]]


def composite_interval(table: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """A conservative 95% display interval around the raw composite.

    The scoring specification gives the composite no interval, and the dimensions' scores
    are correlated within responses, so no exact interval can be formed from the table.
    The weighted mean of the dimensions' own CI half-widths (below and above) bounds the
    half-width of a weighted mean however the dimensions correlate. NaN where any weighted
    dimension lacks a CI (suppressed, or n < 2).
    """
    used = [d for d in DIMENSIONS if weights[d] > 0]
    w = np.array([weights[d] for d in used]) / sum(weights[d] for d in used)
    raw = table[[f"{d}_raw" for d in used]].to_numpy(dtype=float)
    low = table[[f"{d}_ci_low" for d in used]].to_numpy(dtype=float)
    high = table[[f"{d}_ci_high" for d in used]].to_numpy(dtype=float)
    centre = table["composite_raw"].to_numpy(dtype=float)
    return pd.DataFrame({"low": np.clip(centre - (raw - low) @ w, 0, 100),
                         "high": np.clip(centre + (high - raw) @ w, 0, 100)},
                        index=table.index)


def report_data(scores: RoundScores, info: RoundInfo, item_frame: pd.DataFrame, *,
                table: pd.DataFrame | None = None, items: pd.DataFrame | None = None,
                hierarchy: pd.DataFrame | None = None, trend: pd.DataFrame | None = None,
                previous: RoundInfo | None = None, suggestions: pd.DataFrame | None = None,
                exclusion_reasons: Mapping[str, str | None] | None = None,
                assignments: tuple[int, int] | None = None,
                warnings: tuple[str, ...] | None = None,
                generated_at: dt.datetime | None = None) -> ReportData:
    """Assemble the report of a scored round.

    `table` and `items` default to the scores' own (a published round passes its frozen
    ones). `item_frame` is the instrument's `items_frame()`; `hierarchy` the units table
    of the whole hierarchy (for county roll-ups and the city's name); `suggestions` has
    `unit_code`, `item_id`, `text` and optionally `status`; `exclusion_reasons` maps excluded
    response ids to their reasons; `assignments` is (assigned, submitted).
    """
    table = scores.table if table is None else table
    items = scores.items if items is None else items
    scored = dataclasses.replace(scores, table=table)
    units = _units(table, hierarchy)
    plan = hierarchy_plan(scored, hierarchy)
    counties = _counties(scored, hierarchy, plan)
    overall, overall_name = _overall(scored, hierarchy, plan)
    counts = Counts(
        units=len(table), units_ranked=int(table["rank"].notna().sum()),
        responses=len(scores.responses), counted=int((~scores.responses["excluded"]).sum()),
        excluded=int(scores.responses["excluded"].sum()),
        assignments=assignments[0] if assignments else None,
        assignments_submitted=assignments[1] if assignments else None,
    )
    return ReportData(
        info=info, settings=scores.settings, counts=counts, table=table.reset_index(drop=True),
        items=items.reset_index(drop=True), item_texts=_item_texts(item_frame),
        units=units, counties=counties, overall=overall, overall_name=overall_name,
        reliability=scores.reliability, item_rest=scores.item_rest,
        anova={d: dict(scores.anova[d].as_dict()) for d in DIMENSIONS},
        quality=_quality(scores.quality, exclusion_reasons or {}),
        suggestions=_suggestions(suggestions, table),
        trend=trend, previous=previous,
        warnings=tuple(scores.warnings if warnings is None else warnings),
        generated_at=generated_at if generated_at is not None else source_date(),
    )


def _units(table: pd.DataFrame, hierarchy: pd.DataFrame | None) -> pd.DataFrame:
    units = table.loc[:, ["unit_code", "unit_name", "unit_kind", "parent_code"]].copy()
    units["county_code"] = None
    units["county_name"] = None
    if hierarchy is not None and len(hierarchy):
        county = ancestors_of_kind(hierarchy, "county")
        names = hierarchy.set_index("unit_code")["unit_name"]
        codes = county.reindex(units["unit_code"]).to_numpy(dtype=object)
        units["county_code"] = codes
        units["county_name"] = [names.get(c) if c is not None else None for c in codes]
    return units.astype({"county_code": object, "county_name": object})


def _counties(scores: RoundScores, hierarchy: pd.DataFrame | None,
              plan: SuppressionPlan) -> pd.DataFrame:
    if hierarchy is None or not (hierarchy["unit_kind"] == "county").any():
        return rollup(scores, {}).iloc[0:0]
    groups = ancestors_of_kind(hierarchy, "county")
    return rollup(scores, groups, names=hierarchy, withheld=plan.groups("county"))


def _overall(scores: RoundScores, hierarchy: pd.DataFrame | None,
             plan: SuppressionPlan) -> tuple[pd.DataFrame, str]:
    """All units of the round pooled; named after their city when they share one."""
    codes = scores.table["unit_code"]
    frame = rollup(scores, dict.fromkeys(codes, OVERALL_CODE), withheld=plan.groups("all"))
    name = "全部单位 / all units"
    if hierarchy is not None and (hierarchy["unit_kind"] == "city").any():
        cities = ancestors_of_kind(hierarchy, "city").reindex(codes)
        if cities.notna().all() and cities.nunique() == 1:
            city = cities.iloc[0]
            name = str(hierarchy.set_index("unit_code").loc[city, "unit_name"])
    frame["group_name"] = name
    return frame, name


def _item_texts(item_frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["item_id", "dimension", "type", "position", "text_zh", "text_en"]
    frame = item_frame.loc[item_frame["scored"].astype(bool), columns]
    return frame.reset_index(drop=True)


def _quality(quality: pd.DataFrame, reasons: Mapping[str, str | None]) -> pd.DataFrame:
    """Flagged or excluded responses only, with the exclusion reason."""
    frame = quality.loc[quality["flagged"] | quality["excluded"]].copy()
    frame["excluded_reason"] = [reasons.get(r) if e else None
                                for r, e in zip(frame["response_id"], frame["excluded"],
                                                strict=True)]
    return frame.reset_index(drop=True)


def _suggestions(suggestions: pd.DataFrame | None, table: pd.DataFrame) -> pd.DataFrame:
    """Suggestions of units in the round, ordered by unit and text (never by arrival)."""
    columns = ["unit_code", "unit_name", "item_id", "text", "status"]
    if suggestions is None or not len(suggestions):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = suggestions.copy()
    if "status" not in frame:
        frame["status"] = "new"
    frame = frame.loc[frame["text"].notna() & (frame["text"].astype(str).str.strip() != "")]
    names = table.set_index("unit_code")["unit_name"]
    frame = frame.loc[frame["unit_code"].isin(names.index)]
    frame["unit_name"] = frame["unit_code"].map(names)
    frame["text"] = frame["text"].astype(str)
    frame = frame.sort_values(["unit_code", "item_id", "text"], kind="stable")
    return frame.loc[:, columns].reset_index(drop=True)
