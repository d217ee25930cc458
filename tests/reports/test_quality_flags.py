"""Data-quality flags: straight-lining, speeding, duplicates, with exclusions shown."""

import numpy as np
import pandas as pd
import pytest

import reports.quality
from reports import RoundSettings, score_round
from reports.testing import (
    DONT_KNOW,
    NOT_APPLICABLE,
    make_answers,
    make_items,
    make_responses,
    make_units,
)

LIKERT = [(f"l{k}", "likert", "satisfaction", {"points": 7.0} if k == 0 else {})
          for k in range(7)]
ITEMS = make_items([*LIKERT, ("t", "text", "none")])


def flags(answers: dict, units: dict | None = None, **responses) -> pd.DataFrame:
    units = units or dict.fromkeys(answers, "u1")
    scores = score_round(make_answers(answers), make_responses(units, **responses), ITEMS,
                         make_units(sorted(set(units.values()))), RoundSettings("R"))
    return scores.quality.set_index("response_id")


def likert(values: list) -> dict:
    return {f"l{k}": v for k, v in enumerate(values)}


def test_straight_lining_needs_six_equal_likert_answers() -> None:
    quality = flags({
        "six": likert([3] * 6),
        "five": likert([3] * 5),
        "varied": likert([3] * 6 + [4]),
        "na_ignored": likert([2] * 6 + [NOT_APPLICABLE]),
        "dk_ignored": likert([DONT_KNOW, 5, 5, 5, 5, 5, 5]),
        "dk_short": likert([DONT_KNOW, 5, 5, 5, 5, 5]),
    })
    assert quality["straight_lining"].to_dict() == {
        "dk_ignored": True, "dk_short": False, "five": False, "na_ignored": True,
        "six": True, "varied": False}


def test_speeding_is_below_three_tenths_of_the_median() -> None:
    durations = {"a": 100.0, "b": 100.0, "c": 100.0, "d": 29.9, "e": 30.0, "f": np.nan}
    quality = flags({r: likert([1, 2]) | {"t": r} for r in durations}, duration_s=durations)
    assert quality["speeding"].to_dict() == {"a": False, "b": False, "c": False, "d": True,
                                             "e": False, "f": False}


def test_no_duration_anywhere_means_no_speeding() -> None:
    assert not flags({"a": likert([1])})["speeding"].any()


def test_every_copy_but_the_first_is_flagged() -> None:
    same = likert([1, 2, 3]) | {"t": "好"}
    answers = {"r1": same, "r2": same, "r3": same, "r4": same, "other": likert([1, 2, 4]),
               "empty1": {}, "empty2": {}}
    units = dict.fromkeys(answers, "u1") | {"r4": "u2"}
    dates = {"r1": "2024-05-03", "r2": "2024-05-02", "r3": "2024-05-02"}
    quality = flags(answers, units, submitted_on=dates, excluded={"r2": True})
    assert quality["duplicate"].to_dict() == {
        "r1": True, "r2": False, "r3": True, "r4": False, "other": False,
        "empty1": False, "empty2": False}
    assert quality.loc[["r1", "r3"], "duplicate_of"].tolist() == ["r2", "r2"]
    assert quality.loc["r2", "excluded"] and not quality.loc["r1", "excluded"]
    assert quality["flagged"].sum() == 2


def test_unknown_dates_come_last() -> None:
    same = likert([4, 4])
    quality = flags({"a": same, "b": same}, submitted_on={"b": "2024-01-01"})
    assert quality["duplicate_of"].dropna().to_dict() == {"a": "b"}


@pytest.mark.parametrize("change", [
    {"l1": NOT_APPLICABLE}, {"l1": DONT_KNOW}, {"t": "other"}, {"l1": 3},
])
def test_any_difference_breaks_a_duplicate(change: dict) -> None:
    base = likert([1, 2]) | {"t": "x"}
    assert not flags({"a": base, "b": base | change})["duplicate"].any()


def test_hash_collisions_are_settled_by_exact_comparison(monkeypatch) -> None:
    monkeypatch.setattr(reports.quality, "_response_hashes",
                        lambda answers, n: np.zeros(n, dtype=np.uint64))
    a, b = likert([1, 2]), likert([2, 1])
    quality = flags({"r1": a, "r2": b, "r3": b, "r4": a, "r5": likert([5, 5])})
    assert quality["duplicate_of"].dropna().to_dict() == {"r3": "r2", "r4": "r1"}


def test_flags_do_not_depend_on_row_order() -> None:
    same = likert([1, 2, 3])
    answers = make_answers({"r1": same, "r2": same, "r3": likert([2] * 6)})
    responses = make_responses({"r1": "u1", "r2": "u1", "r3": "u1"},
                               duration_s={"r1": 10.0, "r2": 100.0, "r3": 90.0})
    first = score_round(answers, responses, ITEMS, make_units(["u1"]), RoundSettings("R"))
    second = score_round(answers.iloc[::-1], responses.iloc[::-1], ITEMS, make_units(["u1"]),
                         RoundSettings("R"))
    pd.testing.assert_frame_equal(first.quality, second.quality)
    assert first.quality["duplicate_of"].dropna().to_dict() == {1: "r1"}
