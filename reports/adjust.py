"""The one-way random-effects ANOVA of a dimension score on unit, and empirical-Bayes scores.

Follows the scoring specification: n₀ = (N − Σnⱼ²/N)/(J − 1), σ² = MSW,
τ² = max(0, (MSB − MSW)/n₀) (0 when J < 2 or N = J), μ the response-weighted mean,
Bⱼ = τ²/(τ² + σ²/nⱼ) (0 when τ² = 0), adjusted = μ + Bⱼ(meanⱼ − μ).
ICC(1) and ICC(1,k) are the Shrout & Fleiss (1979) one-way forms in the same terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Anova:
    """ANOVA figures of one dimension; NaN where undefined (e.g. MSB when J < 2)."""

    n_total: int
    n_units: int
    mu: float
    msb: float
    msw: float
    n0: float
    tau2: float

    @property
    def sigma2(self) -> float:
        return self.msw

    @property
    def icc1(self) -> float:
        """ICC(1) = τ²/(τ² + σ²): the reliability of one response."""
        return _share(self.tau2, self.sigma2)

    @property
    def icck(self) -> float:
        """ICC(1,k) = τ²/(τ² + σ²/n₀): the reliability of a unit mean of n₀ responses."""
        return _share(self.tau2, self.sigma2 / self.n0 if self.n0 > 0 else np.nan)

    def as_dict(self) -> dict[str, float | int]:
        return {"n_total": self.n_total, "n_units": self.n_units, "mu": self.mu,
                "msb": self.msb, "msw": self.msw, "n0": self.n0, "tau2": self.tau2,
                "sigma2": self.sigma2, "icc1": self.icc1, "icck": self.icck}


def one_way_anova(values: np.ndarray, groups: np.ndarray) -> Anova:
    """One-way random-effects ANOVA of `values` on `groups` (any labels); NaN values dropped."""
    values = np.asarray(values, dtype=float)
    present = ~np.isnan(values)
    codes, _ = pd.factorize(np.asarray(groups)[present], sort=True)
    x = values[present]
    n = np.bincount(codes).astype(float)
    big_n, j = float(n.sum()), len(n)
    if big_n == 0:
        return Anova(0, 0, np.nan, np.nan, np.nan, np.nan, 0.0)
    mean = np.bincount(codes, weights=x) / n
    mu = float(x.sum() / big_n)
    ssb = float(np.sum(n * (mean - mu) ** 2))
    ssw = float(np.sum((x - mean[codes]) ** 2))
    msb = ssb / (j - 1) if j >= 2 else np.nan
    msw = ssw / (big_n - j) if big_n > j else np.nan
    n0 = (big_n - float(np.sum(n * n)) / big_n) / (j - 1) if j >= 2 else np.nan
    tau2 = max(0.0, (msb - msw) / n0) if j >= 2 and big_n > j else 0.0
    return Anova(int(big_n), j, mu, msb, msw, n0, tau2)


def shrinkage(anova: Anova, n: np.ndarray) -> np.ndarray:
    """Bⱼ per unit of size nⱼ (NaN for nⱼ = 0; 0 when τ² = 0)."""
    n = np.asarray(n, dtype=float)
    factor = np.where(n > 0, 0.0, np.nan)
    if anova.tau2 > 0:
        sampling = np.divide(anova.sigma2, n, out=np.full(len(n), np.inf), where=n > 0)
        factor = np.where(n > 0, anova.tau2 / (anova.tau2 + sampling), np.nan)
    return factor


def adjusted_scores(anova: Anova, n: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """μ + Bⱼ(meanⱼ − μ) per unit; NaN for units without responses."""
    return anova.mu + shrinkage(anova, n) * (np.asarray(mean, dtype=float) - anova.mu)


def _share(part: float, rest: float) -> float:
    total = part + rest
    return float(part / total) if np.isfinite(total) and total > 0 else np.nan
