"""Complementary suppression: an attacker holding every published figure cannot back out a
suppressed unit's score, nor a pooled figure of fewer than min_n responses."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reports import RoundInfo, RoundSettings, report_data, rollup_to_kind, score_round
from reports.disclosure import nesting
from reports.testing import make_answers, make_items, make_responses, make_units

ITEMS = make_items([("s", "rating10", "satisfaction")])
WEIGHTS = {"awareness": 0, "participation": 0, "satisfaction": 1}
MIN_N = 4
ATTACK = settings(max_examples=60, deadline=None, derandomize=True)


@st.composite
def cities(draw: st.DrawFn) -> dict:
    """A city with counties, townships, branches under either, and departments; each unit
    with 0…7 ratings drawn from few values (so that equal and extreme scores occur)."""
    parents: dict[str, str] = {}
    for k in range(draw(st.integers(1, 3))):
        parents[f"K{k}"] = "C"
        for t in range(draw(st.integers(0, 2))):
            parents[f"K{k}T{t}"] = f"K{k}"
    above = [*sorted(parents), "C"]
    units = {f"u{j}": draw(st.sampled_from(above)) for j in range(draw(st.integers(2, 9)))}
    ratings = {u: draw(st.lists(st.sampled_from([0, 5, 10]), max_size=7)) for u in units}
    return {"parents": parents | units, "ratings": ratings}


def published_figures(case: dict) -> tuple[pd.DataFrame, list[tuple[list[str], float, float]]]:
    """Score the city and collect what is shown: the unit table and, for every published
    roll-up (townships, counties, the city, the report's counties and whole round), its
    member units, n and mean."""
    codes = ["C", *case["parents"]]
    kinds = {c: "city" if c == "C" else "township" if "T" in c else "county"
             for c in codes if c not in case["ratings"]} | dict.fromkeys(case["ratings"], "branch")
    hierarchy = make_units(codes, parents=case["parents"], kinds=kinds)
    answers, unit_of = {}, {}
    for unit, ratings in case["ratings"].items():
        for k, rating in enumerate(ratings):
            answers[f"{unit}-{k}"] = {"s": rating}
            unit_of[f"{unit}-{k}"] = unit
    scope = hierarchy.loc[hierarchy["unit_code"].isin(case["ratings"])]
    scores = score_round(make_answers(answers), make_responses(unit_of), ITEMS, scope,
                         RoundSettings("R", min_n=MIN_N, weights=WEIGHTS))
    report = report_data(scores, RoundInfo("R", "R"), ITEMS, hierarchy=hierarchy)
    frames = [rollup_to_kind(scores, hierarchy, kind) for kind in ("township", "county", "city")]
    frames += [report.counties, report.overall]
    members = _members(hierarchy, scores.table["unit_code"])
    figures = []
    for frame in frames:
        for row in frame.itertuples():
            if not row.satisfaction_suppressed:
                group = members.get(row.group_code, list(scores.table["unit_code"]))
                figures.append((group, float(row.satisfaction_n), row.satisfaction_raw))
    return scores.table, figures


def _members(hierarchy: pd.DataFrame, units: pd.Series) -> dict[str, list[str]]:
    parent = hierarchy.set_index("unit_code")["parent_code"].to_dict()
    members: dict[str, list[str]] = {}
    for unit in units:
        node = unit
        while node is not None:
            members.setdefault(node, []).append(unit)
            node = parent.get(node)
    return members


def attack(table: pd.DataFrame, figures: list) -> tuple[np.ndarray, np.ndarray, list[str], dict]:
    """The equations an attacker can write on the suppressed units' sums of scores."""
    rows = table.set_index("unit_code")
    hidden = [u for u in rows.index
              if rows.at[u, "satisfaction_suppressed"] and rows.at[u, "satisfaction_n"] > 0]
    n = {u: int(rows.at[u, "satisfaction_n"]) for u in rows.index}
    shown_sum = {u: n[u] * rows.at[u, "satisfaction_raw"] for u in rows.index
                 if not rows.at[u, "satisfaction_suppressed"]}
    a, b = [], []
    for group, total_n, mean in figures:
        a.append([1.0 if u in group else 0.0 for u in hidden])
        b.append(total_n * mean - sum(shown_sum.get(u, 0.0) for u in group))
    return np.array(a).reshape(len(a), len(hidden)), np.array(b), hidden, n


def derivable(a: np.ndarray, vector: np.ndarray) -> bool:
    """Is `vector`·x fixed by a·x = b (is it in the row space of a)?"""
    if not len(a):
        return False
    return np.linalg.matrix_rank(np.vstack([a, vector])) == np.linalg.matrix_rank(a)


@ATTACK
@given(cities())
def test_no_suppressed_unit_or_small_pool_can_be_backed_out(case: dict) -> None:
    table, figures = published_figures(case)
    a, b, hidden, n = attack(table, figures)
    for size in range(1, len(hidden) + 1):
        for subset in itertools.combinations(range(len(hidden)), size):
            pooled = sum(n[hidden[i]] for i in subset)
            if pooled < MIN_N:
                vector = np.zeros(len(hidden))
                vector[list(subset)] = 1.0
                assert not derivable(a, vector), [hidden[i] for i in subset]
    bounds = [(0.0, 100.0 * n[u]) for u in hidden]
    for i, unit in enumerate(hidden):
        cost = np.zeros(len(hidden))
        cost[i] = 1.0
        low = linprog(cost, A_eq=a if len(a) else None, b_eq=b if len(a) else None,
                      bounds=bounds)
        high = linprog(-cost, A_eq=a if len(a) else None, b_eq=b if len(a) else None,
                       bounds=bounds)
        assert low.status == 0 and high.status == 0
        assert (-high.fun - low.fun) / n[unit] > 1e-6, unit


CITY = {"K0": "C", "K1": "C", "a": "K0", "b": "K0", "c": "K1", "d": "K1", "e": "K1"}


def city_round(ratings: dict[str, list[int]]) -> tuple:
    case = {"parents": CITY, "ratings": ratings}
    return published_figures(case)


def test_a_lone_withheld_county_is_not_revealed_by_the_city_figure() -> None:
    """K0 is withheld for its one hidden unit b; the city minus K1 would give b, so K1
    (whose hidden units pool safely) is withheld too, and the city stays published."""
    _, figures = city_round({"a": [5] * 6, "b": [0, 10], "c": [5] * 5, "d": [0, 10],
                             "e": [10, 0, 5]})
    groups = [sorted(group) for group, _, _ in figures]
    assert groups == [["a", "b", "c", "d", "e"]] * 2  # the city and the whole round


def test_an_atom_of_equal_scores_is_withheld() -> None:
    """K1's hidden units d and e pool 5 responses, but all are 100: that reveals both."""
    _, figures = city_round({"a": [5] * 6, "b": [5] * 5, "c": [5] * 5, "d": [10] * 2,
                             "e": [10] * 3})
    assert not any(sorted(group) == ["c", "d", "e"] for group, _, _ in figures)


def test_nesting_refuses_groups_that_do_not_nest() -> None:
    with pytest.raises(ValueError, match="do not nest: township 'T'"):
        nesting([("township", ["T", "T"]), ("county", ["K1", "K2"])])
