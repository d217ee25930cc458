"""Reliability per dimension: Cronbach's α, item-rest correlations, ICC(1) and ICC(1,k).

α and the item-rest correlations use the unweighted item scores after reversal of the
non-excluded responses that answered every scored item of the dimension (listwise; a
don't-know scored 0 counts as answered, so a response shown fewer items by `relevant`
drops out). α is NaN with fewer than two items or two complete responses, or when the
total has no variance; a correlation is NaN when either side is constant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.adjust import Anova

ALPHA_FLOOR = 0.7


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


def dimension_reliability(dimension: str, matrix: np.ndarray, item_ids: list[str],
                          anova: Anova) -> tuple[dict[str, object], pd.DataFrame, list[str]]:
    """Summary row, item-rest rows and warnings for one dimension.

    `matrix` holds the counted responses' item scores of the dimension (NaN = missing).
    """
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    alpha = cronbach_alpha(complete)
    correlations = item_rest_correlations(complete)
    summary = {"dimension": dimension, "items": len(item_ids), "n": len(complete),
               "alpha": alpha, "icc1": anova.icc1, "icck": anova.icck, "n0": anova.n0}
    item_rest = pd.DataFrame({"dimension": dimension, "item_id": item_ids,
                              "item_rest_r": correlations, "n": len(complete)})
    warnings = []
    if alpha < ALPHA_FLOOR:
        warnings.append(f"{dimension}: Cronbach's alpha {alpha:.2f} is below {ALPHA_FLOOR}")
    for item_id, r in zip(item_ids, correlations, strict=True):
        if r < 0:
            warnings.append(f"{dimension}: item {item_id} has a negative item-rest "
                            f"correlation ({r:.2f})")
    return summary, item_rest, warnings
