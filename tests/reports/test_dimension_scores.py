"""Response dimension scores: weights, the half rule and relevance."""

import math

import pandas as pd
import pytest

from reports import RoundSettings, score_round
from reports.relevance import canonical_number
from reports.testing import (
    DONT_KNOW,
    NOT_APPLICABLE,
    make_answers,
    make_items,
    make_responses,
    make_units,
)


def responses_frame(items: pd.DataFrame, answers: dict) -> pd.DataFrame:
    scores = score_round(make_answers(answers), make_responses(dict.fromkeys(answers, "u1")),
                         items, make_units(["u1"]), RoundSettings("R", min_n=1))
    return scores.responses.set_index("response_id")


def dimension(items: pd.DataFrame, answers: dict, name: str) -> dict[str, float]:
    return responses_frame(items, answers)[name].to_dict()


FOUR = make_items([(f"s{k}", "likert", "satisfaction") for k in range(1, 5)])


def test_weighted_mean_of_answered_items() -> None:
    items = make_items([("s1", "likert", "satisfaction", {"weight": 2.0}),
                        ("s2", "yesno", "satisfaction"),
                        ("s3", "rating10", "satisfaction", {"weight": 0.5})])
    scores = dimension(items, {"r1": {"s1": 5, "s2": False, "s3": 4},
                               "r2": {"s1": 3, "s2": True}}, "satisfaction")
    assert scores["r1"] == pytest.approx((2 * 100 + 0 + 0.5 * 40) / 3.5)
    assert scores["r2"] == pytest.approx((2 * 50 + 100) / 3)


@pytest.mark.parametrize(("answered", "present"), [(4, True), (3, True), (2, True),
                                                   (1, False), (0, False)])
def test_half_rule_counts_answered_against_shown(answered: int, present: bool) -> None:
    answers = {f"s{k}": 5 for k in range(1, answered + 1)}
    frame = responses_frame(FOUR, {"r1": answers | {"s4": None} if answered < 4 else answers})
    assert math.isnan(frame.at["r1", "satisfaction"]) is not present
    assert frame.at["r1", "satisfaction_shown"] == 4
    assert frame.at["r1", "satisfaction_answered"] == answered


def test_not_applicable_and_missing_dont_know_count_as_shown_but_unanswered() -> None:
    scores = dimension(FOUR, {"r1": {"s1": 5, "s2": NOT_APPLICABLE, "s3": DONT_KNOW},
                              "r2": {"s1": 5, "s2": 1, "s3": NOT_APPLICABLE}},
                       "satisfaction")
    assert math.isnan(scores["r1"])
    assert scores["r2"] == 50.0


def test_dont_know_zero_counts_as_answered_in_awareness() -> None:
    items = make_items([(f"a{k}", "yesno", "awareness") for k in range(1, 5)])
    scores = dimension(items, {"r1": {"a1": True, "a2": DONT_KNOW, "a3": DONT_KNOW}},
                       "awareness")
    assert scores["r1"] == pytest.approx(100 / 3)


GATED = make_items([
    ("used", "yesno", "none"),
    ("s1", "likert", "satisfaction"),
    ("s2", "likert", "satisfaction"),
    ("s3", "likert", "satisfaction", {"relevant_item": "used", "relevant_values": ("yes",)}),
    ("s4", "likert", "satisfaction", {"relevant_item": "used", "relevant_values": ("yes",)}),
])


def test_hidden_items_leave_the_denominator() -> None:
    frame = responses_frame(GATED, {"no": {"used": False, "s1": 5},
                                    "yes": {"used": True, "s1": 5},
                                    "unanswered": {"s1": 5}})
    assert frame["satisfaction_shown"].to_dict() == {"no": 2, "yes": 4, "unanswered": 2}
    assert frame.at["no", "satisfaction"] == 100.0
    assert frame.at["unanswered", "satisfaction"] == 100.0
    assert math.isnan(frame.at["yes", "satisfaction"])


def test_answers_stored_for_hidden_items_are_ignored() -> None:
    scores = dimension(GATED, {"r1": {"used": False, "s1": 5, "s2": 5, "s3": 1, "s4": 1}},
                       "satisfaction")
    assert scores["r1"] == 100.0


@pytest.mark.parametrize("flag", [NOT_APPLICABLE, DONT_KNOW])
def test_a_controlling_answer_of_na_or_dont_know_hides(flag: str) -> None:
    frame = responses_frame(GATED, {"r1": {"used": flag, "s1": 5}})
    assert frame.at["r1", "satisfaction_shown"] == 2


def test_chained_relevance_hides_the_whole_chain() -> None:
    items = make_items([
        ("a", "yesno", "none"),
        ("b", "single", "none", {"relevant_item": "a", "relevant_values": ("yes",)}),
        ("c", "likert", "participation", {"relevant_item": "b", "relevant_values": ("x",)}),
        ("d", "likert", "participation"),
    ])
    frame = responses_frame(items, {"off": {"a": False, "b": "x", "c": 1, "d": 5},
                                    "on": {"a": True, "b": "x", "c": 1, "d": 5},
                                    "half": {"a": True, "b": "y", "c": 1, "d": 5}})
    assert frame["participation_shown"].to_dict() == {"off": 1, "on": 2, "half": 1}
    assert frame["participation"].to_dict() == {"off": 100.0, "on": 50.0, "half": 100.0}


@pytest.mark.parametrize(("controller", "answer", "values", "shown"), [
    (("g", "single", "none"), "b", ("a", "b"), True),
    (("g", "single", "none"), "c", ("a", "b"), False),
    (("g", "multi", "none"), ["c", "b"], ("b",), True),
    (("g", "multi", "none"), ["c", "d"], ("b",), False),
    (("g", "likert", "none"), 4, ("4", "5"), True),
    (("g", "likert", "none"), 3, ("4", "5"), False),
    (("g", "rating10", "none"), 10, ("10",), True),
    (("g", "number", "none"), 2.5, ("2.5",), True),
    (("g", "number", "none"), 3.0, ("3",), True),
    (("g", "number", "none"), 3.0, ("3.0",), False),
    (("g", "yesno", "none"), False, ("no",), True),
])
def test_relevance_matches_canonical_strings(controller: tuple, answer: object,
                                             values: tuple, shown: bool) -> None:
    items = make_items([controller, ("s", "likert", "satisfaction",
                                     {"relevant_item": "g", "relevant_values": values})])
    frame = responses_frame(items, {"r1": {"g": answer, "s": 5}})
    assert frame.at["r1", "satisfaction_shown"] == int(shown)
    assert bool(frame.at["r1", "satisfaction"] == 100.0) is shown


def test_canonical_number() -> None:
    assert [canonical_number(v) for v in (3.0, 2.5, 0.1, -2.0)] == ["3", "2.5", "0.1", "-2"]


def test_relevance_cycles_and_unknown_items_are_refused() -> None:
    cycle = make_items([
        ("a", "yesno", "none", {"relevant_item": "b", "relevant_values": ("yes",)}),
        ("b", "yesno", "none", {"relevant_item": "a", "relevant_values": ("yes",)}),
    ])
    with pytest.raises(ValueError, match="cycle"):
        responses_frame(cycle, {"r1": {"a": True}})
    unknown = make_items([("a", "yesno", "none", {"relevant_item": "zz",
                                                  "relevant_values": ("yes",)})])
    with pytest.raises(ValueError, match="relevant_item 'zz'"):
        responses_frame(unknown, {"r1": {"a": True}})
    no_values = make_items([("g", "yesno", "none"),
                            ("a", "yesno", "none", {"relevant_item": "g",
                                                    "relevant_values": "yes"})])
    with pytest.raises(ValueError, match="relevant_values"):
        responses_frame(no_values, {"r1": {"a": True}})


def test_a_response_shown_no_item_of_a_dimension_has_no_score() -> None:
    items = make_items([("g", "yesno", "none"),
                        ("s", "likert", "satisfaction", {"relevant_item": "g",
                                                         "relevant_values": ("yes",)})])
    frame = responses_frame(items, {"r1": {"g": False}})
    assert frame.at["r1", "satisfaction_shown"] == 0
    assert math.isnan(frame.at["r1", "satisfaction"])
