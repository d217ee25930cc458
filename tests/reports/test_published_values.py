"""Reliability and agreement statistics pinned to published values."""

import numpy as np
import pandas as pd
import pytest

from reports import (
    RoundSettings,
    cronbach_alpha,
    item_rest_correlations,
    one_way_anova,
    score_round,
)
from reports.stats import wilson_interval
from reports.testing import make_answers, make_items, make_responses, make_units

# Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
# reliability. Psychological Bulletin 86(2), 420-428: their example of 6 targets rated by
# 4 judges, with BMS = 11.24, WMS = 6.26, ICC(1,1) = .17, ICC(1,4) = .44, ICC(3,4) = .91.
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
                          [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], dtype=float)


def test_shrout_fleiss_one_way_anova() -> None:
    anova = one_way_anova(SHROUT_FLEISS.ravel(), np.repeat(np.arange(6), 4))
    assert anova.msb == pytest.approx(11.24, abs=0.005)
    assert anova.msw == pytest.approx(6.26, abs=0.005)
    assert anova.n0 == 4
    assert round(anova.icc1, 2) == 0.17
    assert round(anova.icck, 2) == 0.44
    assert anova.icc1 == pytest.approx(0.1657, abs=5e-5)
    assert anova.icck == pytest.approx(0.4428, abs=5e-5)


def test_shrout_fleiss_through_score_round() -> None:
    """The table as 6 units × 4 responses of one rating10 item (ICCs are scale-free)."""
    items = make_items([("q", "rating10", "satisfaction")])
    answers, units = {}, {}
    for target, ratings in enumerate(SHROUT_FLEISS):
        for judge, rating in enumerate(ratings):
            answers[f"t{target}j{judge}"] = {"q": int(rating)}
            units[f"t{target}j{judge}"] = f"t{target}"
    scores = score_round(make_answers(answers), make_responses(units), items,
                         make_units([f"t{t}" for t in range(6)]), RoundSettings("R", min_n=4))
    reliability = scores.reliability.set_index("dimension").loc["satisfaction"]
    assert round(reliability["icc1"], 2) == 0.17
    assert round(reliability["icck"], 2) == 0.44
    assert reliability["icc1"] == pytest.approx(0.1657, abs=5e-5)


def test_cronbach_alpha_equals_shrout_fleiss_icc_3_k() -> None:
    """Judges as items and targets as respondents: α = ICC(3,k) = (BMS − EMS)/BMS.

    Shrout & Fleiss (1979) give ICC(3,4) = .91 for this table. By hand: item variances (ddof 1)
    judge 1: 9,6,8,7,10,6, mean 7.667, Σd² = 13.333, var 2.667; judge 2: 2.7;
    judge 3: 2.667; judge 4: 6.267; Σ = 14.3. Totals 24,12,26,16,30,19, mean 21.167,
    Σd² = 224.833, var 44.967. α = 4/3 · (1 − 14.3/44.967) = 0.9093.
    """
    assert cronbach_alpha(SHROUT_FLEISS) == pytest.approx(0.9093, abs=5e-5)
    assert round(cronbach_alpha(SHROUT_FLEISS), 2) == 0.91


def test_cronbach_alpha_through_score_round() -> None:
    items = make_items([(f"j{j}", "rating10", "participation") for j in range(4)])
    answers = {f"t{t}": {f"j{j}": int(v) for j, v in enumerate(row)}
               for t, row in enumerate(SHROUT_FLEISS)}
    scores = score_round(make_answers(answers), make_responses(dict.fromkeys(answers, "u1")),
                         items, make_units(["u1"]), RoundSettings("R"))
    reliability = scores.reliability.set_index("dimension").loc["participation"]
    assert reliability["alpha"] == pytest.approx(0.9093, abs=5e-5)
    assert reliability["n"] == 6 and reliability["items"] == 4


@pytest.mark.parametrize(("positive", "n", "low", "high"), [
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_newcombe_1998(positive: int, n: int, low: float,
                                               high: float) -> None:
    """Newcombe, R. G. (1998), Statistics in Medicine 17, 857-872, Table II, method 3."""
    lower, upper = wilson_interval(np.array([positive]), np.array([n]))
    assert (lower[0], upper[0]) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_item_rest_correlations_match_pandas() -> None:
    frame = pd.DataFrame(SHROUT_FLEISS)
    expected = [frame[c].corr(frame.drop(columns=c).sum(axis=1)) for c in frame]
    assert item_rest_correlations(SHROUT_FLEISS) == pytest.approx(expected)
