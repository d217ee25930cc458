"""Roll-ups of a round's scores to a level of the hierarchy (county, township, city).

Choices:
- A unit belongs to the nearest unit of the wanted kind at or above it, itself included
  (a county committee evaluated in its own right counts in its county). Units with no such
  ancestor (e.g. the city's own departments under a county roll-up) are left out.
- Only groups with at least one unit in the round's scope get a row; rows sorted by code.
- `composite_raw` is the weighted composite of the pooled raw scores, missing when any
  weighted dimension is suppressed. Roll-ups carry no adjusted score.
- Complementary suppression is planned jointly over every level that is published anywhere
  (townships, counties, cities and the whole round: `hierarchy_plan`), so that no difference
  between published figures backs out a suppressed unit; see `reports.disclosure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reports.disclosure import LEVELS, ROOT_CODE, SuppressionPlan, plan_suppression
from reports.settings import DIMENSIONS
from reports.stats import group_summary
from reports.table import STAT_FIELDS, composite

if TYPE_CHECKING:
    from reports.score import RoundScores


def ancestors_of_kind(hierarchy: pd.DataFrame, kind: str) -> pd.Series:
    """unit_code → the code of the nearest unit of `kind` at or above it (None when none).

    `hierarchy` is a units table of the whole hierarchy (`unit_code`, `unit_kind`,
    `parent_code`). Walks up one level per step for all units at once.
    """
    codes = pd.Index(hierarchy["unit_code"])
    if not codes.is_unique:
        raise ValueError("hierarchy: unit_code must be unique")
    parent = pd.Index(codes).get_indexer(hierarchy["parent_code"])
    unknown = hierarchy["parent_code"].notna().to_numpy() & (parent < 0)
    if unknown.any():
        raise ValueError(f"hierarchy: parent {hierarchy['parent_code'][unknown].iloc[0]!r} "
                         "is not a unit")
    is_kind = (hierarchy["unit_kind"] == kind).to_numpy()
    current = np.arange(len(codes))
    found = np.full(len(codes), -1)
    for _ in range(len(codes) + 1):
        hit = (found < 0) & (current >= 0) & is_kind[np.maximum(current, 0)]
        found[hit] = current[hit]
        current = np.where((found < 0) & (current >= 0), parent[np.maximum(current, 0)], -1)
        if (current < 0).all():
            break
    else:
        raise ValueError("hierarchy: the parent links form a cycle")
    result = np.where(found >= 0, codes.to_numpy()[np.maximum(found, 0)], None)
    return pd.Series(result, index=codes, name="group_code", dtype=object)


def rollup(scores: RoundScores, groups: Mapping[str, str] | pd.Series,
           names: pd.DataFrame | None = None,
           withheld: Mapping[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """Pool each group's responses: n, raw, sd, se, CI per dimension, units and stars.

    `groups` maps unit_code → group code (units missing or mapped to None are left out).
    `names`, a units table, supplies `group_name` and `group_kind`. A group's dimension is
    suppressed when its pooled n < min_n and when `withheld` (per dimension, group codes
    from a joint `SuppressionPlan`) names it; without `withheld` the groups are planned on
    their own: suppressed when the suppressed units inside pool 1…min_n − 1 responses or
    responses that all have the same score (their score could otherwise be backed out).
    """
    table, settings = scores.table, scores.settings
    group_of = pd.Series(groups, dtype=object).reindex(table["unit_code"]).to_numpy()
    if withheld is None:
        withheld = plan_suppression([("group", group_of)], table, scores.responses,
                                    settings.min_n).groups("group")
    in_group = pd.notna(group_of)
    labels = np.sort(np.unique(group_of[in_group].astype(str)))
    unit_group = np.full(len(table), -1)
    unit_group[in_group] = np.searchsorted(labels, group_of[in_group].astype(str))
    frame = _group_header(labels, names)
    frame.insert(0, "round", settings.round_id)
    frame = pd.concat([frame, _unit_counts(table, unit_group, len(labels))], axis=1)
    response_group = _response_groups(scores.responses, table, unit_group)
    pooled = {}
    for d in DIMENSIONS:
        pooled[d] = _pooled_dimension(d, scores.responses[d].to_numpy(), response_group,
                                      np.isin(labels, list(withheld[d])), settings.min_n)
        frame = pd.concat([frame, pooled[d]], axis=1)
    raw = pd.DataFrame({d: pooled[d][f"{d}_raw"] for d in DIMENSIONS})
    frame["composite_raw"] = composite(raw, settings.weights)
    frame["composite_suppressed"] = frame[
        [f"{d}_suppressed" for d in settings.weighted_dimensions]].any(axis=1)
    return frame


def rollup_to_kind(scores: RoundScores, hierarchy: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Roll up to the ancestors of `kind` (see `ancestors_of_kind`), named from `hierarchy`,
    suppressed by the plan over all levels (`hierarchy_plan`)."""
    plan = hierarchy_plan(scores, hierarchy, kind)
    return rollup(scores, ancestors_of_kind(hierarchy, kind), names=hierarchy,
                  withheld=plan.groups(kind))


def hierarchy_plan(scores: RoundScores, hierarchy: pd.DataFrame | None,
                   kind: str | None = None) -> SuppressionPlan:
    """The joint suppression plan over the levels published anywhere — township, county,
    city (and `kind` when it is another) — and the whole round (level "all", group
    `ROOT_CODE`). Without a hierarchy only the whole round is planned."""
    codes = scores.table["unit_code"]
    groups: list[tuple[str, Sequence[object]]] = []
    if hierarchy is not None:
        levels = [*LEVELS] if kind is None or kind in LEVELS else [kind, *LEVELS]
        groups = [(level, ancestors_of_kind(hierarchy, level).reindex(codes).tolist())
                  for level in levels]
    groups.append(("all", [ROOT_CODE] * len(codes)))
    return plan_suppression(groups, scores.table, scores.responses, scores.settings.min_n)


def _group_header(labels: np.ndarray, names: pd.DataFrame | None) -> pd.DataFrame:
    header = pd.DataFrame({"group_code": labels.astype(object)})
    if names is None:
        header["group_name"] = None
        header["group_kind"] = None
        return header
    lookup = names.set_index("unit_code")
    header["group_name"] = lookup["unit_name"].reindex(labels).to_numpy(dtype=object)
    header["group_kind"] = lookup["unit_kind"].reindex(labels).to_numpy(dtype=object)
    return header


def _unit_counts(table: pd.DataFrame, unit_group: np.ndarray, n_groups: int) -> pd.DataFrame:
    inside = unit_group >= 0
    g = unit_group[inside]
    stars = table["stars"].to_numpy(dtype=float, na_value=np.nan)[inside]
    counts = {"units": np.bincount(g, minlength=n_groups),
              "units_published": np.bincount(g[~np.isnan(stars)], minlength=n_groups)}
    for star in range(1, 6):
        counts[f"stars_{star}"] = np.bincount(g[stars == star], minlength=n_groups)
    return pd.DataFrame({k: pd.array(v, dtype="Int64") for k, v in counts.items()})


def _response_groups(responses: pd.DataFrame, table: pd.DataFrame,
                     unit_group: np.ndarray) -> np.ndarray:
    """Group code per response (−1 for excluded responses and units outside every group)."""
    unit = pd.Index(table["unit_code"]).get_indexer(responses["unit_code"])
    group = unit_group[unit]
    return np.where(responses["excluded"].to_numpy(), -1, group)


def _pooled_dimension(d: str, values: np.ndarray, response_group: np.ndarray,
                      withheld: np.ndarray, min_n: int) -> pd.DataFrame:
    inside = response_group >= 0
    summary = group_summary(values[inside], response_group[inside], len(withheld))
    n = summary["n"].to_numpy()
    suppressed = (n < min_n) | withheld
    columns: dict[str, object] = {f"{d}_n": pd.array(n, dtype="Int64")}
    source = {"raw": "mean"} | {f: f for f in STAT_FIELDS[1:]}
    for field in STAT_FIELDS:
        columns[f"{d}_{field}"] = np.where(suppressed, np.nan, summary[source[field]])
    columns[f"{d}_suppressed"] = suppressed
    return pd.DataFrame(columns)
