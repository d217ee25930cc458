"""Per-unit statistics, the empirical-Bayes adjustment, suppression and the composite."""

import math

import numpy as np
import pandas as pd
import pytest

from reports import TABLE_COLUMNS, RoundSettings, score_round
from reports.testing import make_answers, make_items, make_responses, make_units

ITEMS = make_items([("a", "rating10", "awareness"), ("p", "rating10", "participation"),
                    ("s", "rating10", "satisfaction")])


def round_of(values: dict[str, list[dict[str, int]]], **settings: object):
    """Score a round where unit u gets one response per dict of item → rating."""
    answers, units = {}, {}
    for unit, rows in values.items():
        for k, row in enumerate(rows):
            answers[f"{unit}-{k}"] = row
            units[f"{unit}-{k}"] = unit
    scope = make_units(sorted({*values, "empty"}))
    return score_round(make_answers(answers), make_responses(units), ITEMS, scope,
                       RoundSettings("R1", **settings))


# Satisfaction ratings 6, 8, 10, 7, 9 in u1 and 4, 5 in u2 (scores ×10).
SATISFACTION = {"u1": [{"s": v} for v in (6, 8, 10, 7, 9)], "u2": [{"s": v} for v in (4, 5)]}


def row(scores, unit: str) -> pd.Series:
    return scores.table.set_index("unit_code").loc[unit]


def test_table_has_the_published_columns_and_one_row_per_unit_in_scope() -> None:
    scores = round_of(SATISFACTION)
    assert tuple(scores.table.columns) == TABLE_COLUMNS
    assert scores.table["unit_code"].tolist() == ["empty", "u1", "u2"]
    assert (scores.table["round"] == "R1").all()
    for column in ("satisfaction_n", "rank", "rank_in_kind", "stars"):
        assert scores.table[column].dtype == "Int64"


def test_n_mean_sd_se_and_t_interval() -> None:
    u1 = row(round_of(SATISFACTION, min_n=2), "u1")
    # scores 60, 80, 100, 70, 90: mean 80, squared deviations 400+0+400+100+100 = 1000
    assert u1["satisfaction_n"] == 5
    assert u1["satisfaction_raw"] == pytest.approx(80.0)
    assert u1["satisfaction_sd"] == pytest.approx(math.sqrt(1000 / 4))
    assert u1["satisfaction_se"] == pytest.approx(math.sqrt(250 / 5))
    half = 2.7764451051977987 * math.sqrt(50)  # t(0.975, 4) · se
    assert u1["satisfaction_ci_low"] == pytest.approx(80 - half)
    assert u1["satisfaction_ci_high"] == pytest.approx(80 + half)


def test_interval_is_clipped_to_0_100() -> None:
    u2 = row(round_of(SATISFACTION, min_n=2), "u2")
    # 40, 50: mean 45, se 5, t(0.975, 1) = 12.706 → 45 ± 63.5
    assert u2["satisfaction_se"] == pytest.approx(5.0)
    assert (u2["satisfaction_ci_low"], u2["satisfaction_ci_high"]) == (0.0, 100.0)


def test_no_sd_se_or_interval_when_n_is_1() -> None:
    u1 = row(round_of({"u1": [{"s": 7}], "u2": [{"s": 5}]}, min_n=1), "u1")
    assert u1["satisfaction_raw"] == 70.0
    assert np.isnan(u1[["satisfaction_sd", "satisfaction_se", "satisfaction_ci_low",
                        "satisfaction_ci_high"]].to_numpy(dtype=float)).all()


def test_adjusted_score_by_hand() -> None:
    scores = round_of(SATISFACTION, min_n=2)
    anova = scores.anova["satisfaction"]
    # N = 7, J = 2, μ = 490/7 = 70; SSB = 5·10² + 2·25² = 1750, SSW = 1000 + 50 = 1050
    assert (anova.n_total, anova.n_units, anova.mu) == (7, 2, pytest.approx(70.0))
    assert anova.msb == pytest.approx(1750.0)
    assert anova.msw == pytest.approx(210.0)
    assert anova.n0 == pytest.approx((7 - 29 / 7) / 1)
    assert anova.tau2 == pytest.approx((1750 - 210) / (20 / 7))  # 539
    table = scores.table.set_index("unit_code")
    assert table.at["u1", "satisfaction_adjusted"] == pytest.approx(70 + 539 / 581 * 10)
    assert table.at["u2", "satisfaction_adjusted"] == pytest.approx(70 - 539 / 644 * 25)


def test_the_adjustment_leaves_suppressed_units_out() -> None:
    # u2 (n 2 < 5) is left out of the ANOVA (tests/reports/test_suppressed_units_pool.py
    # shows why): one unit remains, so τ² = 0 and u1's adjusted score is its own mean
    scores = round_of(SATISFACTION, min_n=5)
    anova = scores.anova["satisfaction"]
    assert (anova.n_total, anova.n_units, anova.mu, anova.tau2) == (5, 1, 80.0, 0.0)
    table = scores.table.set_index("unit_code")
    assert table.at["u1", "satisfaction_adjusted"] == pytest.approx(80.0)
    assert table.at["u2", "satisfaction_suppressed"]


@pytest.mark.parametrize(("min_n", "suppressed"), [(3, True), (2, False)])
def test_suppression_at_min_n_minus_1_and_at_min_n(min_n: int, suppressed: bool) -> None:
    u2 = row(round_of(SATISFACTION, min_n=min_n), "u2")
    assert u2["satisfaction_n"] == 2
    assert bool(u2["satisfaction_suppressed"]) is suppressed
    published = u2[[f"satisfaction_{f}" for f in
                    ("raw", "sd", "se", "ci_low", "ci_high", "adjusted")]].to_numpy(float)
    assert bool(np.isnan(published).all()) is suppressed
    assert bool(np.isnan(published).any()) is suppressed


def test_a_unit_without_responses_has_n_0_and_is_suppressed() -> None:
    empty = row(round_of(SATISFACTION, min_n=1), "empty")
    assert empty["satisfaction_n"] == 0
    assert empty["satisfaction_suppressed"] and empty["composite_suppressed"]
    assert np.isnan(empty["satisfaction_adjusted"])
    assert pd.isna(empty["rank"]) and pd.isna(empty["stars"])


def test_tau2_zero_gives_the_round_mean_and_a_warning() -> None:
    scores = round_of({"u1": [{"s": 5}, {"s": 9}], "u2": [{"s": 9}, {"s": 5}]}, min_n=1)
    assert scores.anova["satisfaction"].tau2 == 0
    assert scores.table["satisfaction_adjusted"].dropna().tolist() == [70.0, 70.0]
    assert any("satisfaction: no difference between units" in w for w in scores.warnings)


def test_composite_with_weights_ignores_zero_weight_dimensions() -> None:
    rows = {"u1": [{"a": 5, "p": 8}] * 3, "u2": [{"a": 9, "p": 6}] * 3}
    weights = {"awareness": 2.0, "participation": 1.0, "satisfaction": 0.0}
    scores = round_of(rows, min_n=3, weights=weights)
    table = scores.table.set_index("unit_code")
    assert table.at["u1", "satisfaction_suppressed"]
    assert table.at["u1", "composite_raw"] == pytest.approx((2 * 50 + 80) / 3)
    assert table.at["u2", "composite_raw"] == pytest.approx((2 * 90 + 60) / 3)
    # within-unit variance 0, so Bⱼ = 1 and adjusted = raw
    assert table.at["u1", "composite_adjusted"] == pytest.approx((2 * 50 + 80) / 3)
    assert not table.at["u1", "composite_suppressed"]


def test_composite_is_missing_when_any_weighted_dimension_is_suppressed() -> None:
    rows = {"u1": [{"a": 5, "p": 8, "s": 7}] * 3 + [{"a": 5, "p": 8}] * 2,
            "u2": [{"a": 9, "p": 6, "s": 7}] * 5}
    table = round_of(rows, min_n=5).table.set_index("unit_code")
    assert table.at["u1", "satisfaction_n"] == 3
    assert table.at["u1", "composite_suppressed"]
    assert np.isnan(table.at["u1", "composite_raw"])
    assert np.isnan(table.at["u1", "composite_adjusted"])
    assert pd.isna(table.at["u1", "rank"])
    assert table.at["u2", "composite_raw"] == pytest.approx((90 + 60 + 70) / 3)
    assert table.at["u2", "rank"] == 1


def test_excluded_responses_do_not_count() -> None:
    answers = make_answers({"r1": {"s": 10}, "r2": {"s": 0}, "r3": {"s": 6}})
    responses = make_responses({"r1": "u1", "r2": "u1", "r3": "u1"}, excluded={"r2": True})
    scores = score_round(answers, responses, ITEMS, make_units(["u1"]),
                         RoundSettings("R1", min_n=1))
    assert scores.table.at[0, "satisfaction_n"] == 2
    assert scores.table.at[0, "satisfaction_raw"] == 80.0
    assert scores.anova["satisfaction"].n_total == 2
