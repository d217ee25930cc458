"""The score table: one row per unit in the round's scope, suppression applied.

Suppressed numbers are NaN in the table itself, so no writer can leak them. Rows are sorted
by `unit_code`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reports.settings import DIMENSIONS, RoundSettings

UNIT_FIELDS = ("unit_code", "unit_name", "unit_kind", "parent_code")
STAT_FIELDS = ("raw", "sd", "se", "ci_low", "ci_high")
DIMENSION_FIELDS = ("n", *STAT_FIELDS, "adjusted", "suppressed")
TABLE_COLUMNS = (
    "round", *UNIT_FIELDS,
    *(f"{d}_{f}" for d in DIMENSIONS for f in DIMENSION_FIELDS),
    "composite_raw", "composite_adjusted", "composite_suppressed",
    "rank", "rank_in_kind", "stars",
)


def dimension_columns(dimension: str, summary: pd.DataFrame, adjusted: np.ndarray,
                      min_n: int) -> pd.DataFrame:
    """The `{d}_*` columns from a unit summary (see `stats.group_summary`)."""
    suppressed = summary["n"].to_numpy() < min_n
    values = {"raw": summary["mean"].to_numpy(), "adjusted": np.asarray(adjusted, dtype=float)}
    values |= {f: summary[f].to_numpy() for f in STAT_FIELDS[1:]}
    columns: dict[str, object] = {f"{dimension}_n": pd.array(summary["n"], dtype="Int64")}
    for field in (*STAT_FIELDS, "adjusted"):
        columns[f"{dimension}_{field}"] = np.where(suppressed, np.nan, values[field])
    columns[f"{dimension}_suppressed"] = suppressed
    return pd.DataFrame(columns)


def composite(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Σ W_d·score_d / Σ W_d over the dimensions with W_d > 0; NaN if any of them is NaN.

    `scores` has one column per dimension.
    """
    used = [d for d in DIMENSIONS if weights[d] > 0]
    w = np.array([weights[d] for d in used])
    values = scores[used].to_numpy(dtype=float)
    return pd.Series(values @ w / w.sum(), index=scores.index)


def rank_and_stars(composite_adjusted: pd.Series, kinds: pd.Series,
                   cutoffs: Sequence[float]) -> pd.DataFrame:
    """Competition ranks (overall and within kind) and stars from the published value.

    The value ranked and starred is the composite rounded to 2 decimals with pandas' `round`
    (as printed in the files), so two units shown with the same score share a rank, and
    89.995 (which rounds to 90.0) earns five stars at the default cut-offs. NaN (suppressed)
    gets no rank and no stars.
    """
    published = composite_adjusted.round(2)
    rank = published.rank(method="min", ascending=False)
    in_kind = published.groupby(kinds, dropna=False).rank(method="min", ascending=False)
    stars = np.searchsorted(np.asarray(cutoffs, dtype=float), published.fillna(-np.inf),
                            side="right") + 1
    return pd.DataFrame({
        "rank": rank.astype("Int64"),
        "rank_in_kind": in_kind.astype("Int64"),
        "stars": pd.array(np.where(published.isna(), None, stars), dtype="Int64"),
    }, index=composite_adjusted.index)


def score_table(units: pd.DataFrame, dimensions: Mapping[str, pd.DataFrame],
                settings: RoundSettings) -> pd.DataFrame:
    """Assemble the table from the units (sorted by code) and each dimension's columns."""
    table = pd.concat([units.loc[:, list(UNIT_FIELDS)].reset_index(drop=True),
                       *(dimensions[d].reset_index(drop=True) for d in DIMENSIONS)], axis=1)
    table.insert(0, "round", settings.round_id)
    raw = table[[f"{d}_raw" for d in DIMENSIONS]].set_axis(DIMENSIONS, axis=1)
    adjusted = table[[f"{d}_adjusted" for d in DIMENSIONS]].set_axis(DIMENSIONS, axis=1)
    table["composite_raw"] = composite(raw, settings.weights)
    table["composite_adjusted"] = composite(adjusted, settings.weights)
    table["composite_suppressed"] = table[
        [f"{d}_suppressed" for d in settings.weighted_dimensions]].any(axis=1)
    table = table.join(rank_and_stars(table["composite_adjusted"], table["unit_kind"],
                                      settings.star_cutoffs))
    return table.loc[:, list(TABLE_COLUMNS)]
