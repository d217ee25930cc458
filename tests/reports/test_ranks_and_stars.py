"""Competition ranks and stars from the published (2-decimal) adjusted composite."""

import numpy as np
import pandas as pd

from reports import RoundSettings, score_round
from reports.table import rank_and_stars
from reports.testing import make_answers, make_items, make_responses, make_units

VALUES = [90.0, 89.995, 89.994999, 80.0, 80.001, 79.99, 60.0, 59.999, np.nan, 10.0]


def test_ties_share_the_lowest_rank_and_the_next_rank_is_skipped() -> None:
    ranks = rank_and_stars(pd.Series(VALUES), pd.Series(["b"] * 10), (60, 70, 80, 90))
    # published: 90.00, 90.00 (89.995 rounds up), 89.99, 80.00, 80.00, 79.99, 60.00, 60.00
    assert ranks["rank"].tolist() == [1, 1, 3, 4, 4, 6, 7, 7, pd.NA, 9]


def test_star_edges_use_the_published_value() -> None:
    stars = rank_and_stars(pd.Series(VALUES), pd.Series(["b"] * 10), (60, 70, 80, 90))["stars"]
    assert stars.tolist() == [5, 5, 4, 4, 4, 3, 2, 2, pd.NA, 1]


def test_custom_cutoffs() -> None:
    values = pd.Series([85.0, 84.99, 75.0, 65.0, 49.99])
    stars = rank_and_stars(values, pd.Series(["b"] * 5), (50, 65, 75, 85))["stars"]
    assert stars.tolist() == [5, 4, 4, 3, 1]


def test_rank_in_kind_ranks_within_each_kind() -> None:
    values = pd.Series([70.0, 80.0, 75.0, 80.0, np.nan])
    kinds = pd.Series(["home", "branch", "home", "home", "branch"])
    ranks = rank_and_stars(values, kinds, (60, 70, 80, 90))
    assert ranks["rank"].tolist() == [4, 1, 3, 1, pd.NA]
    assert ranks["rank_in_kind"].tolist() == [3, 1, 2, 1, pd.NA]


def test_ranks_in_a_scored_round_skip_suppressed_units() -> None:
    items = make_items([("a", "yesno", "awareness"), ("p", "yesno", "participation"),
                        ("s", "yesno", "satisfaction")])
    plan = {"u1": (1, 1), "u2": (1, 1), "u3": (1, 0), "u4": (0, 0)}
    answers, units = {}, {}
    for unit, pattern in plan.items():
        for k in range(4):
            value = bool(pattern[k % 2])
            answers[f"{unit}{k}"] = {"a": value, "p": value, "s": value}
            units[f"{unit}{k}"] = unit
    answers["small"] = {"a": True, "p": True, "s": True}
    units["small"] = "u5"
    scope = make_units(["u1", "u2", "u3", "u4", "u5"], kinds={"u4": "home"})
    table = score_round(make_answers(answers), make_responses(units), items, scope,
                        RoundSettings("R", min_n=4)).table.set_index("unit_code")
    assert table["rank"].tolist() == [1, 1, 3, 4, pd.NA]
    assert table["rank_in_kind"].tolist() == [1, 1, 3, 1, pd.NA]
    assert table.loc["u5", "composite_suppressed"]
    assert pd.isna(table.loc["u5", "stars"])
