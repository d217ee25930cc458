"""Reliability per dimension and respondent group: listwise α, item-rest correlations,
warnings."""

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


def test_dont_know_zero_counts_as_answered_and_hidden_items_form_their_own_group() -> None:
    items = make_items([("g", "yesno", "none"), ("a1", "yesno", "awareness"),
                        ("a2", "yesno", "awareness"),
                        ("a3", "yesno", "awareness", {"relevant_item": "g",
                                                      "relevant_values": ("yes",)})])
    answers = {"r1": {"g": True, "a1": True, "a2": True, "a3": DONT_KNOW},
               "r2": {"g": True, "a1": False, "a2": False, "a3": False},
               "r3": {"g": True, "a1": True, "a2": False, "a3": True},
               "r4": {"g": False, "a1": True, "a2": True}}
    rows = reliability_of(items, answers).reliability.set_index("group")
    assert rows.loc["g=yes", ["items", "n"]].tolist() == [3, 3]
    assert rows.loc["common", ["items", "n"]].tolist() == [2, 1]


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


ROUTED = make_items([
    ("role", "single", "none", {"option_scores": {}}),
    ("o1", "likert", "satisfaction", {"relevant_item": "role", "relevant_values": ("obs",)}),
    ("o2", "likert", "satisfaction", {"relevant_item": "role", "relevant_values": ("obs",)}),
    ("o3", "likert", "satisfaction", {"relevant_item": "role", "relevant_values": ("obs",),
                                      "reverse": True}),
    ("y1", "rating10", "satisfaction", {"relevant_item": "role",
                                        "relevant_values": ("youth",)}),
    ("fb", "yesno", "none", {"relevant_item": "role", "relevant_values": ("youth",)}),
    ("y2", "rating10", "satisfaction", {"relevant_item": "fb", "relevant_values": ("yes",)}),
    ("y3", "rating10", "satisfaction", {"relevant_item": "role",
                                        "relevant_values": ("youth",)}),
])
OBSERVERS = [(5, 4, 1), (2, 2, 4), (4, 5, 2), (1, 2, 5), (3, 3, 3), (5, 5, 2)]
YOUTH_FEEDBACK = [(9, 8, 10), (3, 4, 2), (6, 7, 5), (2, 0, 1), (8, 8, 9)]
YOUTH_PLAIN = [(7, 6), (2, 3), (9, 10), (4, 6)]


def routed_answers() -> dict[str, dict[str, object]]:
    answers: dict[str, dict[str, object]] = {}
    for k, (a, b, c) in enumerate(OBSERVERS):
        answers[f"o{k}"] = {"role": "obs", "o1": a, "o2": b, "o3": c}
    for k, (a, b, c) in enumerate(YOUTH_FEEDBACK):
        answers[f"f{k}"] = {"role": "youth", "fb": True, "y1": a, "y2": b, "y3": c}
    for k, (a, c) in enumerate(YOUTH_PLAIN):
        answers[f"p{k}"] = {"role": "youth", "fb": False, "y1": a, "y3": c}
    answers["p9"] = {"role": "youth", "fb": False, "y1": 5}
    return answers


def test_routed_items_get_alpha_per_respondent_group() -> None:
    """No response is shown every satisfaction item, yet each group has its own α."""
    scores = reliability_of(ROUTED, routed_answers())
    rows = scores.reliability.loc[scores.reliability["dimension"] == "satisfaction"]
    assert rows["group"].tolist() == ["role=obs", "role=youth", "role=youth & fb=yes"]
    assert rows["items"].tolist() == [3, 2, 3]
    assert rows["n"].tolist() == [6, 4, 5]  # p9 answered one of its two items
    observers = np.array([[(a - 1) * 25, (b - 1) * 25, 100 - (c - 1) * 25]
                          for a, b, c in OBSERVERS], float)
    feedback = np.array(YOUTH_FEEDBACK, float) * 10
    plain = np.array(YOUTH_PLAIN, float) * 10
    expected = [cronbach_alpha(m) for m in (observers, plain, feedback)]
    assert rows["alpha"].to_numpy() == pytest.approx(expected)
    assert rows["icc1"].nunique() == 1
    rest = scores.item_rest.loc[scores.item_rest["group"] == "role=youth & fb=yes"]
    assert rest["item_id"].tolist() == ["y1", "y2", "y3"]
    assert rest["item_rest_r"].to_numpy() == pytest.approx(item_rest_correlations(feedback))
    assert (rest["n"] == 5).all()


def test_an_unrouted_dimension_has_one_group_called_all() -> None:
    scores = reliability_of(ROUTED, routed_answers())
    awareness = scores.reliability.loc[scores.reliability["dimension"] == "awareness"]
    assert awareness[["group", "items", "n"]].values.tolist() == [["all", 0, 0]]
    assert np.isnan(awareness["alpha"]).all()


def test_group_warnings_name_the_group() -> None:
    answers = {f"r{k}": {"role": "obs", "o1": a, "o2": 6 - a, "o3": c}
               for k, (a, c) in enumerate([(1, 2), (2, 4), (4, 1), (5, 3)])}
    warnings = reliability_of(ROUTED, answers).warnings
    assert any(w.startswith("satisfaction [role=obs]: Cronbach's alpha") for w in warnings)
    assert any(w.startswith("satisfaction [role=obs]: item o1 has a negative") for w in warnings)
