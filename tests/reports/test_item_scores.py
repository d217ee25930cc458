"""Item scores, hand-computed from the scoring specification."""

import math

import numpy as np
import pandas as pd
import pytest

from reports.inputs import prepare
from reports.item_scores import item_scores, positive_threshold
from reports.testing import (
    DONT_KNOW,
    NOT_APPLICABLE,
    make_answers,
    make_items,
    make_responses,
    make_units,
)


def score(spec: tuple, answer: object) -> float:
    """The final score of one answer to one item."""
    items = make_items([spec])
    data = prepare(make_answers({"r1": {spec[0]: answer}}), make_responses({"r1": "u1"}),
                   items, make_units(["u1"]))
    scores = item_scores(data.answers, data.items, data.responses)
    return float(scores[0]) if len(scores) else math.nan


@pytest.mark.parametrize(("points", "value", "expected"), [
    (5, 1, 0.0), (5, 2, 25.0), (5, 4, 75.0), (5, 5, 100.0),
    (3, 2, 50.0), (7, 3, 2 / 6 * 100), (11, 11, 100.0), (4, 2, 100 / 3),
])
def test_likert_is_v_minus_1_over_k_minus_1(points: int, value: int, expected: float) -> None:
    assert score(("q", "likert", "satisfaction", {"points": float(points)}), value) \
        == pytest.approx(expected)


@pytest.mark.parametrize(("points", "value", "expected"), [(5, 2, 75.0), (7, 7, 0.0),
                                                           (3, 1, 100.0)])
def test_reverse_likert_is_100_minus_s(points: int, value: int, expected: float) -> None:
    spec = ("q", "likert", "satisfaction", {"points": float(points), "reverse": True})
    assert score(spec, value) == pytest.approx(expected)


@pytest.mark.parametrize(("answer", "reverse", "expected"), [
    (True, False, 100.0), (False, False, 0.0), (1, True, 0.0), (0, True, 100.0),
])
def test_yesno(answer: object, reverse: bool, expected: float) -> None:
    assert score(("q", "yesno", "participation", {"reverse": reverse}), answer) == expected


@pytest.mark.parametrize(("value", "reverse", "expected"), [
    (0, False, 0.0), (7, False, 70.0), (10, False, 100.0), (7, True, 30.0),
])
def test_rating10_is_ten_times_v(value: int, reverse: bool, expected: float) -> None:
    assert score(("q", "rating10", "satisfaction", {"reverse": reverse}), value) \
        == pytest.approx(expected)


def test_single_uses_the_option_score_and_unscored_options_are_missing() -> None:
    spec = ("q", "single", "satisfaction",
            {"option_scores": {"good": 100.0, "ok": 60.0, "other": None}})
    assert score(spec, "good") == 100.0
    assert score(spec, "ok") == 60.0
    assert math.isnan(score(spec, "other"))
    assert math.isnan(score(spec, "not-an-option"))
    reversed_spec = (*spec[:3], spec[3] | {"reverse": True})
    assert score(reversed_spec, "ok") == 40.0


def test_single_without_scores_and_multi_and_text_are_descriptive() -> None:
    assert math.isnan(score(("q", "single", "none", {"option_scores": {"a": None}}), "a"))
    assert math.isnan(score(("q", "multi", "none"), ["a", "b"]))
    assert math.isnan(score(("q", "text", "none"), "fine"))


@pytest.mark.parametrize(("value", "expected"), [(5, 50.0), (-3, 0.0), (40, 100.0), (0, 0.0)])
def test_number_with_a_range_is_clipped_linear(value: float, expected: float) -> None:
    spec = ("q", "number", "participation", {"min": 0.0, "max": 10.0})
    assert score(spec, value) == expected


def test_number_without_a_range_is_descriptive() -> None:
    assert math.isnan(score(("q", "number", "none"), 12))


@pytest.mark.parametrize("item_type", ["likert", "yesno", "rating10"])
def test_not_applicable_is_missing(item_type: str) -> None:
    assert math.isnan(score(("q", item_type, "awareness"), NOT_APPLICABLE))


@pytest.mark.parametrize("reverse", [False, True])
def test_dont_know_in_awareness_scores_zero_and_is_never_reversed(reverse: bool) -> None:
    assert score(("q", "likert", "awareness", {"reverse": reverse}), DONT_KNOW) == 0.0
    assert score(("q", "yesno", "awareness", {"reverse": reverse}), DONT_KNOW) == 0.0


def test_dont_know_elsewhere_is_missing_unless_set_to_zero() -> None:
    assert math.isnan(score(("q", "likert", "satisfaction"), DONT_KNOW))
    assert score(("q", "likert", "satisfaction", {"dont_know": "zero", "reverse": True}),
                 DONT_KNOW) == 0.0
    assert math.isnan(score(("q", "likert", "awareness", {"dont_know": "missing"}), DONT_KNOW))


def test_dont_know_on_a_descriptive_item_gets_no_score() -> None:
    assert math.isnan(score(("q", "text", "awareness", {"dont_know": "zero"}), DONT_KNOW))


def test_a_row_flagged_both_na_and_dont_know_counts_as_na() -> None:
    items = make_items([("q", "likert", "awareness")])
    answers = pd.DataFrame({"response_id": ["r1"], "item_id": ["q"], "value": [np.nan],
                            "text": [None], "na": [True], "dont_know": [True]})
    data = prepare(answers, make_responses({"r1": "u1"}), items, make_units(["u1"]))
    assert np.isnan(item_scores(data.answers, data.items, data.responses)).all()


@pytest.mark.parametrize(("spec", "value"), [
    (("q", "likert", "satisfaction"), 6), (("q", "likert", "satisfaction"), 0),
    (("q", "likert", "satisfaction"), 2.5), (("q", "rating10", "satisfaction"), 11),
    (("q", "rating10", "satisfaction"), -1), (("q", "yesno", "satisfaction"), 2),
])
def test_out_of_range_values_are_refused_naming_response_and_item(spec: tuple,
                                                                  value: float) -> None:
    with pytest.raises(ValueError, match=r"response 'r1', item 'q'"):
        score(spec, value)


def test_positive_thresholds_per_type() -> None:
    items = make_items([("l5", "likert", "none"), ("l7", "likert", "none", {"points": 7.0}),
                        ("yn", "yesno", "none"), ("r10", "rating10", "none"),
                        ("n", "number", "none", {"min": 0.0, "max": 1.0})])
    threshold = positive_threshold(items)
    assert threshold[:4] == pytest.approx([75.0, 500 / 6, 100.0, 90.0])
    assert np.isnan(threshold[4])
