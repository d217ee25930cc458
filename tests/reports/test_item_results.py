"""Item results per unit: n, mean, % positive with its Wilson interval, suppression."""

import math

import numpy as np
import pytest

from reports import RoundSettings, score_round
from reports.item_results import ITEM_RESULT_COLUMNS
from reports.testing import DONT_KNOW, make_answers, make_items, make_responses, make_units

ITEMS = make_items([
    ("aw", "likert", "awareness"),
    ("rev", "likert", "satisfaction", {"reverse": True}),
    ("yn", "yesno", "participation"),
    ("r10", "rating10", "satisfaction"),
    ("one", "single", "satisfaction", {"option_scores": {"x": 30.0, "y": 90.0}}),
    ("dk", "likert", "satisfaction"),
    ("free", "text", "none"),
])
U1 = [
    {"aw": 5, "rev": 1, "yn": True, "r10": 9, "one": "x", "dk": 5},
    {"aw": 4, "rev": 2, "yn": True, "r10": 8, "one": "y", "dk": DONT_KNOW},
    {"aw": 3, "rev": 3, "yn": False, "r10": 10, "one": "y", "dk": 4},
    {"aw": DONT_KNOW, "rev": 4, "yn": False, "r10": 2, "one": "x", "dk": 4},
    {"aw": 4, "rev": 5, "yn": True, "r10": 0, "one": "y", "dk": 4},
]
U2 = [{"aw": 5, "rev": 1}] * 4


@pytest.fixture(scope="module")
def results():
    answers = {f"u1-{k}": a for k, a in enumerate(U1)} | {f"u2-{k}": a for k, a in enumerate(U2)}
    answers["u1-excluded"] = {"aw": 1, "rev": 5, "yn": False, "r10": 0, "one": "x", "dk": 1}
    units = {r: r.split("-")[0] for r in answers}
    responses = make_responses(units, excluded={"u1-excluded": True})
    scores = score_round(make_answers(answers), responses, ITEMS, make_units(["u1", "u2"]),
                         RoundSettings("R", min_n=5))
    return scores.items.set_index(["unit_code", "item_id"])


def wilson(x: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


def test_columns_and_rows(results) -> None:
    assert [*results.index.names, *results.columns] == [
        "unit_code", "item_id", *(c for c in ITEM_RESULT_COLUMNS
                                  if c not in ("unit_code", "item_id"))]
    assert results.loc["u1"].index.tolist() == ["aw", "rev", "yn", "r10", "one", "dk"]


def test_likert_top_two_points_and_dont_know_zero(results) -> None:
    aw = results.loc[("u1", "aw")]
    # scores 100, 75, 50, 0 (don't know), 75: positive ≥ 75 → 3 of 5
    assert (aw["n"], aw["mean"], aw["positive_pct"]) == (5, 60.0, 60.0)
    assert (aw["positive_ci_low"], aw["positive_ci_high"]) == pytest.approx(wilson(3, 5))


def test_reversed_likert_is_positive_after_reversal(results) -> None:
    rev = results.loc[("u1", "rev")]
    # raw 1..5 reversed → 100, 75, 50, 25, 0: positive 2 of 5
    assert (rev["mean"], rev["positive_pct"]) == (50.0, 40.0)


def test_yesno_and_rating10(results) -> None:
    assert results.loc[("u1", "yn"), "positive_pct"] == 60.0
    r10 = results.loc[("u1", "r10")]
    assert (r10["mean"], r10["positive_pct"]) == (pytest.approx(58.0), 40.0)  # 90 and 100


def test_single_has_a_mean_but_no_positive_rule(results) -> None:
    one = results.loc[("u1", "one")]
    assert one["mean"] == pytest.approx(66.0)
    assert np.isnan(one[["positive_pct", "positive_ci_low", "positive_ci_high"]]
                    .to_numpy(float)).all()


def test_missing_dont_know_is_not_counted(results) -> None:
    dk = results.loc[("u1", "dk")]
    assert dk["n"] == 4
    assert dk["suppressed"]
    assert np.isnan(dk[["mean", "positive_pct"]].to_numpy(float)).all()


def test_rows_below_min_n_are_suppressed_but_keep_n(results) -> None:
    aw = results.loc[("u2", "aw")]
    assert aw["n"] == 4 and aw["suppressed"]
    assert np.isnan(aw[["mean", "positive_pct", "positive_ci_low", "positive_ci_high"]]
                    .to_numpy(float)).all()
    assert results.loc[("u2", "yn"), "n"] == 0
