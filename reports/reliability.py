"""Reliability per dimension: Cronbach's α, item-rest correlations, ICC(1) and ICC(1,k).

α and the item-rest correlations use the unweighted item scores after reversal of the
non-excluded responses, **per respondent group**: the responses shown the same set of the
dimension's scored items (the instrument's `relevant` routing, evaluated on each response,
as the half rule does). Within a group, α is listwise over the responses that answered every
item shown to the group (a don't-know scored 0 counts as answered).

Why per group: the shipped instruments route observers and young people to different items,
so no response is shown every item of a dimension and a single listwise α over all items
would never have a case. A questionnaire without routing has one group, "all", whose α is the
plain listwise α over all the dimension's items. Groups are derived from the data (the shown
patterns), not from the sections, so nested conditions (an item shown only to young people
who gave feedback) split a group correctly. A group is labelled by the conditions of its
shown items (`role=observer`, `role=youth & y_gave_feedback=yes`); "common" is a group
shown only the unconditional items of a routed dimension.

α is NaN with fewer than two items or two complete responses, or when the total has no
variance; a correlation is NaN when either side is constant. ICC(1) and ICC(1,k) come from
the dimension's ANOVA and repeat on each of its rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.adjust import Anova

ALPHA_FLOOR = 0.7
RELIABILITY_COLUMNS = ("dimension", "group", "items", "n", "alpha", "icc1", "icck", "n0")
ITEM_REST_COLUMNS = ("dimension", "group", "item_id", "item_rest_r", "n")


def cronbach_alpha(matrix: np.ndarray) -> float:
    """α = k/(k−1) · (1 − Σ var(itemᵢ) / var(total)), variances with ddof 1; complete rows."""
    n, k = matrix.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = np.var(matrix.sum(axis=1), ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.var(matrix, axis=0, ddof=1).sum() / total_var))


def item_rest_correlations(matrix: np.ndarray) -> np.ndarray:
    """Pearson correlation of each item with the sum of the other items; complete rows."""
    n, k = matrix.shape
    if n < 2 or k < 2:
        return np.full(k, np.nan)
    rest = matrix.sum(axis=1, keepdims=True) - matrix
    item_dev = matrix - matrix.mean(axis=0)
    rest_dev = rest - rest.mean(axis=0)
    cov = (item_dev * rest_dev).sum(axis=0)
    scale = np.sqrt((item_dev**2).sum(axis=0) * (rest_dev**2).sum(axis=0))
    out = np.full(k, np.nan)
    np.divide(cov, scale, out=out, where=scale > 0)
    return out


def item_conditions(items: pd.DataFrame,
                    codes: np.ndarray) -> list[tuple[int, str] | None]:
    """Per item code: its `relevant` condition as (position of the controlling item,
    `item=value|value`), None when unconditional."""
    position = pd.Index(items["item_id"])
    conditions: list[tuple[int, str] | None] = []
    for code in codes:
        controller = items.at[code, "relevant_item"]
        if pd.isna(controller):
            conditions.append(None)
        else:
            text = f"{controller}={'|'.join(items.at[code, 'relevant_values'])}"
            conditions.append((int(position.get_loc(controller)), text))
    return conditions


def group_label(pattern: np.ndarray, conditions: list[tuple[int, str] | None]) -> str:
    """The label of the group shown the items `pattern` (see the module docstring): its
    items' distinct conditions, outer ones (on earlier items) first."""
    shown = sorted({c for c, s in zip(conditions, pattern, strict=True) if s and c})
    if shown:
        return " & ".join(text for _, text in shown)
    return "all" if pattern.all() else "common"


def respondent_groups(shown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct shown patterns (rows, largest group first) and each response's group.

    Responses shown none of the items get group −1.
    """
    any_shown = shown.any(axis=1)
    patterns, inverse, counts = np.unique(shown[any_shown], axis=0, return_inverse=True,
                                          return_counts=True)
    order = np.argsort(-counts, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    group = np.full(len(shown), -1, dtype=np.int64)
    group[any_shown] = rank[inverse.reshape(-1)]
    return patterns[order], group


def dimension_reliability(dimension: str, matrix: np.ndarray, shown: np.ndarray,
                          item_ids: list[str], conditions: list[tuple[int, str] | None],
                          anova: Anova) -> tuple[list[dict[str, object]], pd.DataFrame,
                                                 list[str]]:
    """Summary rows (one per respondent group), item-rest rows and warnings of a dimension.

    `matrix` holds the counted responses' item scores of the dimension (NaN = missing) and
    `shown` which of the items each was shown; `conditions` comes from `item_conditions`.
    """
    patterns, group = respondent_groups(shown)
    icc = {"icc1": anova.icc1, "icck": anova.icck, "n0": anova.n0}
    if not len(patterns):
        summary = {"dimension": dimension, "group": "all", "items": len(item_ids), "n": 0,
                   "alpha": float("nan")} | icc
        return [summary], _empty_item_rest(), []
    summaries, rests, warnings = [], [], []
    for g, pattern in enumerate(patterns):
        label = group_label(pattern, conditions)
        ids = [i for i, s in zip(item_ids, pattern, strict=True) if s]
        alpha, rest, n = _group_statistics(matrix[group == g][:, pattern])
        summaries.append({"dimension": dimension, "group": label, "items": len(ids), "n": n,
                          "alpha": alpha} | icc)
        rests.append(pd.DataFrame({"dimension": dimension, "group": label, "item_id": ids,
                                   "item_rest_r": rest, "n": n}))
        warnings += _warnings(dimension if label == "all" else f"{dimension} [{label}]",
                              alpha, ids, rest)
    return summaries, pd.concat(rests, ignore_index=True), warnings


def _group_statistics(matrix: np.ndarray) -> tuple[float, np.ndarray, int]:
    """α, item-rest correlations and n over the complete rows of one group."""
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    return cronbach_alpha(complete), item_rest_correlations(complete), len(complete)


def _warnings(name: str, alpha: float, item_ids: list[str], rest: np.ndarray) -> list[str]:
    warnings = []
    if alpha < ALPHA_FLOOR:
        warnings.append(f"{name}: Cronbach's alpha {alpha:.2f} is below {ALPHA_FLOOR}")
    for item_id, r in zip(item_ids, rest, strict=True):
        if r < 0:
            warnings.append(f"{name}: item {item_id} has a negative item-rest "
                            f"correlation ({r:.2f})")
    return warnings


def _empty_item_rest() -> pd.DataFrame:
    return pd.DataFrame({"dimension": pd.Series(dtype=object), "group": pd.Series(dtype=object),
                         "item_id": pd.Series(dtype=object),
                         "item_rest_r": pd.Series(dtype=float),
                         "n": pd.Series(dtype=np.int64)})
