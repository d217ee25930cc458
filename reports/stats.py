"""Small vectorised statistics shared by unit scores, roll-ups and item results."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SUMMARY_COLUMNS = ("n", "mean", "sd", "se", "ci_low", "ci_high")
Z_975 = float(stats.norm.ppf(0.975))


def group_summary(values: np.ndarray, groups: np.ndarray, n_groups: int) -> pd.DataFrame:
    """Per group over the non-NaN values: n, mean, sd (ddof 1), se, t-based 95% CI.

    The CI is clipped to [0, 100]; sd, se and CI are NaN when n < 2 and the mean is NaN when
    n = 0. The within-group sum of squares `ss` (two-pass, for accuracy) comes along for the
    ANOVA. Row g of the result is group code g.
    """
    present = ~np.isnan(values)
    g, x = groups[present], values[present]
    n = np.bincount(g, minlength=n_groups)
    mean = _ratio(np.bincount(g, weights=x, minlength=n_groups), n)
    deviation = x - mean[g]
    ss = np.bincount(g, weights=deviation * deviation, minlength=n_groups)
    several = n >= 2
    sd = np.sqrt(_ratio(ss, n - 1, several))
    se = _ratio(sd, np.sqrt(n), several)
    half = np.full(n_groups, np.nan)
    half[several] = stats.t.ppf(0.975, n[several] - 1) * se[several]
    return pd.DataFrame({
        "n": n.astype(np.int64), "mean": mean, "sd": sd, "se": se,
        "ci_low": np.clip(mean - half, 0.0, 100.0), "ci_high": np.clip(mean + half, 0.0, 100.0),
        "ss": ss,
    })


def wilson_interval(positive: np.ndarray, n: np.ndarray,
                    z: float = Z_975) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, as fractions; NaN where n = 0."""
    n = np.asarray(n, dtype=float)
    p = _ratio(np.asarray(positive, dtype=float), n)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def _ratio(numerator: np.ndarray, denominator: np.ndarray,
           where: np.ndarray | None = None) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or `where` is False."""
    mask = denominator != 0 if where is None else where & (denominator != 0)
    out = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=mask)
    return out
