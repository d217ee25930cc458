"""Reliability per dimension: listwise α, item-rest correlations, warnings."""

import numpy as np
import pytest

from reports import RoundSettings, cronbach_alpha, item_rest_correlations, score_round
from reports.testing import DONT_KNOW, make_answers, make_items, make_responses, make_units


def reliability_of(items, answers, **responses):
    scores = score_round(make_answers(answers),
                         make_responses(dict.fromkeys(answers, "u1"), **responses), items,
                         make_units(["u1"]), RoundSettings("R", min_n=1))
    return scores


def test_alpha_is_listwise_on_unweighted_reversed_scores() -> None:
    items = make_items([("a", "likert", "satisfaction", {"weight": 3.0}),
                        ("b", "likert", "satisfaction", {"reverse": True}),
                        ("c", "likert", "satisfaction")])
    answers = {"r1": {"a": 5, "b": 1, "c": 4}, "r2": {"a": 2, "b": 4, "c": 2},
               "r3": {"a": 4, "b": 2, "c": 5}, "r4": {"a": 1, "b": 5, "c": 1},
               "r5": {"a": 3}, "r6": {"a": 5, "b": 1, "c": 5}}
    scores = reliability_of(items, answers, excluded={"r6": True})
    expected = np.array([[100, 100, 75], [25, 25, 25], [75, 75, 100], [0, 0, 0]], float)
    row = scores.reliability.set_index("dimension").loc["satisfaction"]
    assert row["n"] == 4 and row["items"] == 3
    assert row["alpha"] == pytest.approx(cronbach_alpha(expected))
    rest = scores.item_rest.set_index("item_id")["item_rest_r"]
    assert rest.to_numpy() == pytest.approx(item_rest_correlations(expected))


def test_dont_know_zero_counts_as_answered_and_hidden_items_drop_the_response() -> None:
    items = make_items([("g", "yesno", "none"), ("a1", "yesno", "awareness"),
                        ("a2", "yesno", "awareness"),
                        ("a3", "yesno", "awareness", {"relevant_item": "g",
                                                      "relevant_values": ("yes",)})])
    answers = {"r1": {"g": True, "a1": True, "a2": True, "a3": DONT_KNOW},
               "r2": {"g": True, "a1": False, "a2": False, "a3": False},
               "r3": {"g": True, "a1": True, "a2": False, "a3": True},
               "r4": {"g": False, "a1": True, "a2": True}}
    row = reliability_of(items, answers).reliability.set_index("dimension").loc["awareness"]
    assert row["n"] == 3


def test_low_alpha_and_negative_item_rest_correlations_warn() -> None:
    items = make_items([(f"p{k}", "rating10", "participation") for k in range(3)])
    answers = {"r1": {"p0": 10, "p1": 0, "p2": 5}, "r2": {"p0": 0, "p1": 10, "p2": 5},
               "r3": {"p0": 5, "p1": 5, "p2": 10}, "r4": {"p0": 10, "p1": 0, "p2": 0}}
    warnings = reliability_of(items, answers).warnings
    assert any("participation: Cronbach's alpha" in w and "below 0.7" in w for w in warnings)
    assert any("participation: item p0 has a negative item-rest correlation" in w
               for w in warnings)


def test_undefined_statistics_are_nan_not_errors() -> None:
    assert np.isnan(cronbach_alpha(np.array([[1.0], [2.0]])))
    assert np.isnan(cronbach_alpha(np.array([[1.0, 2.0]])))
    assert np.isnan(cronbach_alpha(np.full((3, 2), 4.0)))
    assert np.isnan(item_rest_correlations(np.array([[1.0, 2.0], [1.0, 3.0]]))).all()
