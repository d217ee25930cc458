"""Item results per unit: n, mean item score, and % positive with a Wilson 95% interval.

Counted over non-excluded responses with the item's score present (a don't-know scored 0
counts and is never positive). Rows with n < min_n are suppressed: n stays, every other
figure is NaN. Items without a positive rule (single, number) have NaN percentages.
Rows: units by code, then items in instrument order; every unit × scored item appears.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.stats import wilson_interval

ITEM_RESULT_COLUMNS = (
    "round", "unit_code", "item_id", "dimension", "n", "mean", "positive_pct",
    "positive_ci_low", "positive_ci_high", "suppressed",
)


def item_results(matrix: np.ndarray, item_codes: np.ndarray, items: pd.DataFrame,
                 thresholds: np.ndarray, unit: np.ndarray, n_units: int,
                 min_n: int) -> pd.DataFrame:
    """Results for the items `item_codes`, whose scores are the columns of `matrix`.

    `matrix` holds only the rows of counted (non-excluded) responses; `unit` is their unit
    code; `thresholds` is `item_scores.positive_threshold` for all items.
    """
    k = len(item_codes)
    rows, cols = np.nonzero(~np.isnan(matrix))
    scores = matrix[rows, cols]
    key = unit[rows] * k + cols
    size = n_units * k
    n = np.bincount(key, minlength=size)
    total = np.bincount(key, weights=scores, minlength=size)
    threshold = thresholds[item_codes]
    positive = np.bincount(key, weights=scores >= threshold[cols], minlength=size)
    has_rule = np.tile(~np.isnan(threshold), n_units)
    suppressed = n < min_n
    low, high = wilson_interval(positive, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
    hide = suppressed | (n == 0)
    hide_pct = hide | ~has_rule
    return pd.DataFrame({
        "unit": np.repeat(np.arange(n_units), k),
        "i": np.tile(item_codes, n_units),
        "item_id": np.tile(items["item_id"].to_numpy()[item_codes], n_units),
        "dimension": np.tile(items["dimension"].to_numpy()[item_codes], n_units),
        "n": pd.array(n, dtype="Int64"),
        "mean": np.where(hide, np.nan, mean),
        "positive_pct": np.where(hide_pct, np.nan, 100.0 * positive / np.maximum(n, 1)),
        "positive_ci_low": np.where(hide_pct, np.nan, 100.0 * low),
        "positive_ci_high": np.where(hide_pct, np.nan, 100.0 * high),
        "suppressed": suppressed,
    })


def finish_item_results(parts: list[pd.DataFrame], units: pd.DataFrame,
                        round_id: str | int) -> pd.DataFrame:
    """Concatenate item groups, order rows and name units."""
    if not parts:
        return pd.DataFrame({c: [] for c in ITEM_RESULT_COLUMNS})
    frame = pd.concat(parts, ignore_index=True).sort_values(["unit", "i"], kind="stable")
    frame["unit_code"] = units["unit_code"].to_numpy()[frame["unit"].to_numpy()]
    frame["round"] = round_id
    return frame.loc[:, list(ITEM_RESULT_COLUMNS)].reset_index(drop=True)
