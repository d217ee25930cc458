"""Properties of score_round over generated rounds (bounded hypothesis runs)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import DIMENSIONS, RoundSettings, score_round
from reports.testing import (
    DONT_KNOW,
    NOT_APPLICABLE,
    make_answers,
    make_items,
    make_responses,
    make_units,
)

BOUNDED = settings(max_examples=50, deadline=None)
ITEMS = make_items([
    ("a1", "likert", "awareness"), ("a2", "yesno", "awareness"),
    ("p1", "rating10", "participation"),
    ("p2", "likert", "participation", {"points": 7.0, "weight": 2.0}),
    ("s1", "likert", "satisfaction", {"reverse": True}),
    ("s2", "single", "satisfaction", {"option_scores": {"x": 0.0, "y": 40.0, "z": None}}),
    ("s3", "number", "satisfaction", {"min": 0.0, "max": 20.0,
                                      "relevant_item": "a2", "relevant_values": ("yes",)}),
])
FLAGS = st.sampled_from([None, NOT_APPLICABLE, DONT_KNOW])
ANSWER = {
    "a1": st.integers(1, 5) | FLAGS, "a2": st.booleans() | FLAGS,
    "p1": st.integers(0, 10) | FLAGS, "p2": st.integers(1, 7) | FLAGS,
    "s1": st.integers(1, 5) | FLAGS, "s2": st.sampled_from(["x", "y", "z"]) | FLAGS,
    "s3": st.floats(-5, 30, allow_nan=False) | FLAGS,
}
UNITS = ["u1", "u2", "u3", "u4"]


@st.composite
def rounds(draw: st.DrawFn) -> dict:
    n = draw(st.integers(0, 24))
    answers = {f"r{k:02d}": {i: draw(s) for i, s in ANSWER.items()} for k in range(n)}
    units = {r: draw(st.sampled_from(UNITS)) for r in answers}
    excluded = {r: draw(st.booleans()) for r in answers}
    return {"answers": answers, "units": units, "excluded": excluded,
            "min_n": draw(st.integers(1, 4)), "seed": draw(st.integers(0, 2**32 - 1))}


def score(case: dict, shuffle: bool = False):
    answers = make_answers(case["answers"])
    responses = make_responses(case["units"], excluded=case["excluded"])
    units = make_units(UNITS, kinds={"u4": "home"})
    if shuffle:
        rng = np.random.default_rng(case["seed"])
        answers = answers.iloc[rng.permutation(len(answers))]
        responses = responses.iloc[rng.permutation(len(responses))]
        units = units.iloc[rng.permutation(len(units))]
    return score_round(answers, responses, ITEMS, units,
                       RoundSettings("R", min_n=case["min_n"]))


@BOUNDED
@given(rounds())
def test_every_score_lies_in_0_100(case: dict) -> None:
    scores = score(case)
    columns = [f"{d}_{f}" for d in DIMENSIONS for f in
               ("raw", "ci_low", "ci_high", "adjusted")] + ["composite_raw",
                                                            "composite_adjusted"]
    values = scores.table[columns].to_numpy(dtype=float)
    assert ((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 100)).all()
    d = scores.responses[list(DIMENSIONS)].to_numpy(dtype=float)
    assert ((d[~np.isnan(d)] >= 0) & (d[~np.isnan(d)] <= 100)).all()
    item_means = scores.items["mean"].dropna()
    assert item_means.between(0, 100).all()


@BOUNDED
@given(rounds())
def test_row_order_does_not_matter(case: dict) -> None:
    first, second = score(case), score(case, shuffle=True)
    for name in ("table", "items", "reliability", "item_rest", "quality", "responses"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name),
                                      check_exact=True)
    for d in DIMENSIONS:
        pd.testing.assert_series_equal(pd.Series(first.anova[d].as_dict()),
                                       pd.Series(second.anova[d].as_dict()), check_exact=True)
    assert first.warnings == second.warnings


@BOUNDED
@given(rounds())
def test_adjusted_lies_between_raw_and_the_round_mean(case: dict) -> None:
    scores = score(case | {"min_n": 1})
    for d in DIMENSIONS:
        mu = scores.anova[d].mu
        raw = scores.table[f"{d}_raw"].to_numpy(dtype=float)
        adjusted = scores.table[f"{d}_adjusted"].to_numpy(dtype=float)
        present = ~np.isnan(raw)
        low = np.minimum(raw, mu)[present] - 1e-9
        high = np.maximum(raw, mu)[present] + 1e-9
        assert ((adjusted[present] >= low) & (adjusted[present] <= high)).all()


@BOUNDED
@given(rounds())
def test_suppressed_units_get_no_rank_no_stars_and_no_numbers(case: dict) -> None:
    table = score(case).table
    hidden = table["composite_suppressed"].to_numpy()
    assert table.loc[hidden, ["rank", "rank_in_kind", "stars"]].isna().all().all()
    assert table.loc[~hidden, ["rank", "rank_in_kind", "stars"]].notna().all().all()
    for d in DIMENSIONS:
        suppressed = table[f"{d}_suppressed"].to_numpy()
        assert (suppressed == (table[f"{d}_n"].to_numpy() < case["min_n"])).all()
        numbers = table.loc[suppressed, [f"{d}_{f}" for f in
                                         ("raw", "sd", "se", "ci_low", "ci_high", "adjusted")]]
        assert numbers.isna().all().all()


@BOUNDED
@given(pattern=st.lists(st.integers(0, 10), min_size=1, max_size=4),
       small=st.integers(1, 3), factor=st.integers(2, 3),
       others=st.lists(st.lists(st.integers(0, 10), min_size=1, max_size=4),
                       min_size=1, max_size=3))
def test_more_responses_are_shrunk_less(pattern: list[int], small: int, factor: int,
                                        others: list[list[int]]) -> None:
    """Units A and B have the same raw mean; B has `factor` times A's responses."""
    items = make_items([("s", "rating10", "satisfaction")])
    plan = {"A": pattern * small, "B": pattern * small * factor}
    plan |= {f"o{k}": ratings for k, ratings in enumerate(others)}
    answers, units = {}, {}
    for unit, ratings in plan.items():
        for k, rating in enumerate(ratings):
            answers[f"{unit}-{k}"], units[f"{unit}-{k}"] = {"s": rating}, unit
    scores = score_round(make_answers(answers), make_responses(units), items,
                         make_units(list(plan)), RoundSettings("R", min_n=1))
    table = scores.table.set_index("unit_code")
    shift = (table["satisfaction_adjusted"] - table["satisfaction_raw"]).abs()
    assert shift["B"] <= shift["A"] + 1e-9
