"""A round's suppressed units reach published figures only through their pooled responses:
moving answers between them, each keeping its number of responses, changes nothing that is
published — the unit table with its adjusted scores, the roll-ups, item results,
reliability and the ANOVA figures of the appendix.

Were the ANOVA taken over the suppressed units too (as DESIGN.md has it), its between-unit
sum of squares would tell two suppressed units apart: together with their pooled sum, which
a roll-up publishes, it gives both means.
"""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import RoundInfo, RoundSettings, report_data, score_round
from reports.testing import make_answers, make_items, make_responses, make_units

ITEMS = make_items([("s1", "rating10", "satisfaction"), ("s2", "rating10", "satisfaction"),
                    ("note", "text", "none")])
WEIGHTS = {"awareness": 0, "participation": 0, "satisfaction": 1}
MIN_N = 4
RATINGS = st.sampled_from([0, 3, 5, 8, 10])
PAIRS = st.tuples(RATINGS, RATINGS)

Responses = dict[str, list[tuple[int, int]]]


def published(ratings: Responses) -> dict[str, object]:
    """Every figure the round's reports show (frames with suppressed cells blank)."""
    units = sorted(ratings)
    parents = {"K0": "C", "K1": "C"} | {u: "K1" if u.startswith("p") and int(u[1:]) % 2
                                        else "K0" for u in units}
    kinds = {"C": "city", "K0": "county", "K1": "county"}
    hierarchy = make_units(["C", "K0", "K1", *units], parents=parents, kinds=kinds)
    answers, unit_of = {}, {}
    for unit, pairs in ratings.items():
        for k, (first, second) in enumerate(pairs):
            answers[f"{unit}-{k}"] = {"s1": first, "s2": second, "note": f"{unit}-{k}"}
            unit_of[f"{unit}-{k}"] = unit
    scores = score_round(make_answers(answers), make_responses(unit_of), ITEMS,
                         hierarchy.loc[hierarchy["unit_code"].isin(units)],
                         RoundSettings("R", min_n=MIN_N, weights=WEIGHTS))
    report = report_data(scores, RoundInfo("R", "R"), ITEMS, hierarchy=hierarchy)
    frames = {name: getattr(report, name) for name in
              ("table", "counties", "overall", "items", "reliability", "item_rest")}
    return frames | {"anova": pd.DataFrame(report.anova)}


def assert_same_publication(one: Responses, other: Responses) -> None:
    first, second = published(one), published(other)
    for name, frame in first.items():
        pd.testing.assert_frame_equal(frame, second[name], check_exact=False, rtol=1e-9,
                                      obj=name)


def moved(ratings: Responses, suppressed: list[str], order: list[int]) -> Responses:
    """The suppressed units' responses pooled, reordered and dealt back in the same sizes."""
    pool = [pair for unit in suppressed for pair in ratings[unit]]
    pool = [pool[i] for i in order]
    dealt, start = dict(ratings), 0
    for unit in suppressed:
        size = len(ratings[unit])
        dealt[unit], start = pool[start:start + size], start + size
    return dealt


PUBLISHED_UNITS = {f"p{j}": [(j, 10 - j), (2 * j, 5), (10, j), (3, 3), (j, j)]
                   for j in range(5)}


def test_two_suppressed_units_with_opposite_scores_look_like_two_average_ones() -> None:
    apart = PUBLISHED_UNITS | {"s0": [(0, 0), (0, 0)], "s1": [(10, 10), (10, 10)]}
    mixed = PUBLISHED_UNITS | {"s0": [(0, 0), (10, 10)], "s1": [(0, 0), (10, 10)]}
    assert_same_publication(apart, mixed)
    table = published(apart)["table"].set_index("unit_code")
    assert table.loc[["s0", "s1"], "satisfaction_suppressed"].all()
    assert not np.isnan(table.loc["p0", "satisfaction_adjusted"])


@st.composite
def rounds(draw: st.DrawFn) -> tuple[Responses, list[str], list[int]]:
    """Published units with MIN_N…7 responses, 2–3 suppressed ones in the first county
    with 1…MIN_N−1 each, and a reordering of the suppressed units' pooled responses."""
    ratings = {f"p{j}": draw(st.lists(PAIRS, min_size=MIN_N, max_size=7))
               for j in range(draw(st.integers(2, 5)))}
    suppressed = [f"s{j}" for j in range(draw(st.integers(2, 3)))]
    for unit in suppressed:
        ratings[unit] = draw(st.lists(PAIRS, min_size=1, max_size=MIN_N - 1))
    size = sum(len(ratings[unit]) for unit in suppressed)
    return ratings, suppressed, draw(st.permutations(range(size)))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(rounds())
def test_published_figures_depend_on_suppressed_units_only_through_their_pool(
        case: tuple[Responses, list[str], list[int]]) -> None:
    ratings, suppressed, order = case
    assert_same_publication(ratings, moved(ratings, suppressed, order))
