"""Change of each unit's scores against its previous published round.

Δ = raw_now − raw_before per dimension, only when neither round suppresses it; significant
when |Δ| > 1.96 · √(se₁² + se₂²) (NA when either se is missing, e.g. n = 1 with min_n = 1).
Choice: the composite's Δ (no test) is that of `composite_raw`, matching the dimensions.
Selecting the previous round (same mode and instrument id) is the caller's business.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.settings import DIMENSIONS

TREND_KEYS = ("unit_code", "unit_name", "unit_kind")


def trend(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of `current` (two score tables); units new in `current` get NA."""
    if not previous["unit_code"].is_unique:
        raise ValueError("previous score table: unit_code occurs more than once")
    before = previous.set_index("unit_code").reindex(current["unit_code"])
    frame = current.loc[:, ["round", *TREND_KEYS]].reset_index(drop=True)
    frame.insert(1, "previous_round", previous["round"].iloc[0] if len(previous) else None)
    for d in DIMENSIONS:
        frame = pd.concat([frame, _dimension_trend(d, current, before)], axis=1)
    now = current["composite_raw"].to_numpy(dtype=float)
    then = before["composite_raw"].to_numpy(dtype=float)
    frame["composite_previous"] = then
    frame["composite_delta"] = now - then
    return frame


def _dimension_trend(d: str, current: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    published = ~current[f"{d}_suppressed"].to_numpy(dtype=bool) \
        & ~before[f"{d}_suppressed"].to_numpy(dtype=bool, na_value=True)
    then = np.where(published, before[f"{d}_raw"].to_numpy(dtype=float), np.nan)
    delta = np.where(published, current[f"{d}_raw"].to_numpy(dtype=float) - then, np.nan)
    se_now = current[f"{d}_se"].to_numpy(dtype=float)
    se_then = before[f"{d}_se"].to_numpy(dtype=float)
    limit = 1.96 * np.sqrt(se_now**2 + se_then**2)
    testable = ~np.isnan(delta) & ~np.isnan(limit)
    significant = pd.array(np.where(testable, np.abs(delta) > limit, None), dtype="boolean")
    return pd.DataFrame({f"{d}_previous": then, f"{d}_delta": delta,
                         f"{d}_significant": significant})
