"""Trends against the previous round's score table."""

import numpy as np
import pandas as pd
import pytest

from reports import DIMENSIONS, trend


def table(round_id: str, rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    """A score table with raw, se and suppression per dimension (only what trend reads)."""
    frame = pd.DataFrame({"round": round_id, "unit_code": list(rows),
                          "unit_name": [f"{u} name" for u in rows], "unit_kind": "branch"})
    for d in DIMENSIONS:
        frame[f"{d}_raw"] = [r.get(f"{d}_raw", 50.0) for r in rows.values()]
        frame[f"{d}_se"] = [r.get(f"{d}_se", 1.0) for r in rows.values()]
        frame[f"{d}_suppressed"] = [bool(r.get(f"{d}_suppressed", False)) for r in rows.values()]
    frame["composite_raw"] = [r.get("composite_raw", 50.0) for r in rows.values()]
    return frame


def test_delta_and_significance() -> None:
    previous = table("R1", {"u1": {"satisfaction_raw": 60.0, "satisfaction_se": 4.0},
                            "u2": {"satisfaction_raw": 60.0, "satisfaction_se": 4.0}})
    current = table("R2", {"u1": {"satisfaction_raw": 70.0, "satisfaction_se": 3.0},
                           "u2": {"satisfaction_raw": 69.7, "satisfaction_se": 3.0}})
    result = trend(current, previous).set_index("unit_code")
    assert result["previous_round"].unique().tolist() == ["R1"]
    # limit = 1.96 · √(3² + 4²) = 9.8
    assert result.at["u1", "satisfaction_delta"] == pytest.approx(10.0)
    assert result.at["u1", "satisfaction_significant"]
    assert result.at["u2", "satisfaction_delta"] == pytest.approx(9.7)
    assert not result.at["u2", "satisfaction_significant"]
    assert result.at["u1", "satisfaction_previous"] == 60.0


def test_no_delta_when_either_round_is_suppressed_or_the_unit_is_new() -> None:
    previous = table("R1", {"u1": {"awareness_suppressed": True, "awareness_raw": np.nan},
                            "u2": {}})
    current = table("R2", {"u1": {}, "u2": {"awareness_suppressed": True,
                                            "awareness_raw": np.nan}, "u3": {}})
    result = trend(current, previous).set_index("unit_code")
    assert result["awareness_delta"].isna().all()
    assert result["awareness_significant"].isna().all()
    assert np.isnan(result.at["u3", "participation_delta"])
    assert result.at["u1", "participation_delta"] == 0.0
    assert not result.at["u1", "participation_significant"]


def test_significance_is_unknown_without_a_standard_error() -> None:
    previous = table("R1", {"u1": {"satisfaction_se": np.nan, "satisfaction_raw": 10.0}})
    current = table("R2", {"u1": {"satisfaction_raw": 90.0}})
    result = trend(current, previous)
    assert result.at[0, "satisfaction_delta"] == 80.0
    assert pd.isna(result.at[0, "satisfaction_significant"])


def test_composite_delta_is_shown_without_a_test() -> None:
    result = trend(table("R2", {"u1": {"composite_raw": 72.5}}),
                   table("R1", {"u1": {"composite_raw": 70.0}}))
    assert result.at[0, "composite_delta"] == 2.5
    assert "composite_significant" not in result.columns


def test_duplicate_units_in_the_previous_table_are_refused() -> None:
    previous = pd.concat([table("R1", {"u1": {}})] * 2)
    with pytest.raises(ValueError, match="more than once"):
        trend(table("R2", {"u1": {}}), previous)
