"""Roll-ups: pooled statistics, unit and star counts, complementary suppression."""

import numpy as np
import pandas as pd
import pytest

from reports import RoundSettings, ancestors_of_kind, rollup, rollup_to_kind, score_round
from reports.rollup import hierarchy_plan
from reports.testing import make_answers, make_items, make_responses, make_units

HIERARCHY = make_units(
    ["C", "K1", "K2", "T1", "T2", "b1", "b2", "b3", "b4", "b5", "b6", "d1"],
    parents={"K1": "C", "K2": "C", "T1": "K1", "T2": "K2", "b1": "T1", "b2": "T1",
             "b3": "K1", "b4": "T2", "b5": "T2", "b6": "K2", "d1": "C"},
    kinds={"C": "city", "K1": "county", "K2": "county", "T1": "township", "T2": "township",
           "d1": "department"})
RATINGS = {"b1": [1, 2, 3, 4, 5], "b2": [6, 7, 8, 9, 10], "b3": [5, 5],
           "b4": [5, 6, 7, 8, 9], "b5": [10, 10, 10], "b6": [0, 2], "d1": [3, 4, 5, 6, 7]}
SCOPE = ["b1", "b2", "b3", "b4", "b5", "b6", "d1"]


@pytest.fixture(scope="module")
def scores():
    items = make_items([("s", "rating10", "satisfaction")])
    answers, units = {}, {}
    for unit, ratings in RATINGS.items():
        for k, rating in enumerate(ratings):
            answers[f"{unit}-{k}"] = {"s": rating}
            units[f"{unit}-{k}"] = unit
    answers["gone"], units["gone"] = {"s": 0}, "b4"
    responses = make_responses(units, excluded={"gone": True})
    weights = {"awareness": 0, "participation": 0, "satisfaction": 1}
    scope = HIERARCHY.loc[HIERARCHY["unit_code"].isin(SCOPE)]
    return score_round(make_answers(answers), responses, items, scope,
                       RoundSettings("R", min_n=5, weights=weights))


def test_ancestors_of_kind_include_the_unit_itself_and_skip_units_without_one() -> None:
    county = ancestors_of_kind(HIERARCHY, "county")
    assert county.to_dict() == {"C": None, "K1": "K1", "K2": "K2", "T1": "K1", "T2": "K2",
                                "b1": "K1", "b2": "K1", "b3": "K1", "b4": "K2", "b5": "K2",
                                "b6": "K2", "d1": None}
    assert ancestors_of_kind(HIERARCHY, "city").dropna().nunique() == 1


def test_ancestors_of_kind_refuses_unknown_parents_and_cycles() -> None:
    with pytest.raises(ValueError, match="parent 'zz'"):
        ancestors_of_kind(make_units(["a"], parents={"a": "zz"}), "county")
    loop = make_units(["a", "b"], parents={"a": "b", "b": "a"})
    with pytest.raises(ValueError, match="cycle"):
        ancestors_of_kind(loop, "county")


def test_county_rollup_pools_responses_and_suppresses_complementarily(scores) -> None:
    counties = rollup(scores, ancestors_of_kind(HIERARCHY, "county"), names=HIERARCHY)
    counties = counties.set_index("group_code")
    assert counties.index.tolist() == ["K1", "K2"]
    assert counties.loc["K1", "group_name"] == "K1 name"
    assert counties.loc["K1", "group_kind"] == "county"
    assert counties["units"].tolist() == [3, 3]
    # K1: pooled n 12 ≥ 5, but its one suppressed unit (b3, n = 2) could be backed out
    assert counties.loc["K1", "satisfaction_n"] == 12
    assert counties.loc["K1", "satisfaction_suppressed"]
    assert np.isnan(counties.loc["K1", ["satisfaction_raw", "satisfaction_sd"]]
                    .to_numpy(float)).all()
    # K2: suppressed units b5 (3) and b6 (2) pool to 5 = min_n: published on its own
    pooled = np.array([5, 6, 7, 8, 9, 10, 10, 10, 0, 2]) * 10.0
    assert counties.loc["K2", "satisfaction_n"] == 10
    assert not counties.loc["K2", "satisfaction_suppressed"]
    assert counties.loc["K2", "satisfaction_raw"] == pytest.approx(pooled.mean())
    assert counties.loc["K2", "satisfaction_sd"] == pytest.approx(pooled.std(ddof=1))
    assert counties.loc["K2", "satisfaction_se"] == pytest.approx(pooled.std(ddof=1)
                                                                  / np.sqrt(10))
    assert counties.loc["K2", "composite_raw"] == pytest.approx(pooled.mean())


def test_levels_are_planned_together_so_no_difference_reveals_a_unit(scores) -> None:
    """Alone, K2 is safe; but the city minus K2 minus the shown units b1, b2, d1 would be
    b3 (n = 2, hidden in the withheld K1). The plan withholds K2 (its hidden units already
    pool to 5) rather than the city, and T2 (b5 alone hidden) rather than K2."""
    counties = rollup_to_kind(scores, HIERARCHY, "county").set_index("group_code")
    city = rollup_to_kind(scores, HIERARCHY, "city").set_index("group_code")
    townships = rollup_to_kind(scores, HIERARCHY, "township").set_index("group_code")
    assert counties["satisfaction_suppressed"].tolist() == [True, True]
    assert counties.loc["K2", "satisfaction_n"] == 10
    assert not city.loc["C", "satisfaction_suppressed"]
    assert townships["satisfaction_suppressed"].to_dict() == {"T1": False, "T2": True}
    plan = hierarchy_plan(scores, HIERARCHY)
    assert plan.withheld["satisfaction"] == {("county", "K1"), ("county", "K2"),
                                             ("township", "T2")}


def test_rollups_count_units_and_stars(scores) -> None:
    counties = rollup_to_kind(scores, HIERARCHY, "county").set_index("group_code")
    assert counties.loc["K2", "units"] == 3
    table = scores.table.set_index("unit_code")
    stars = table.loc[["b4", "b5", "b6"], "stars"]
    assert counties.loc["K2", "units_published"] == stars.notna().sum() == 1
    for star in range(1, 6):
        assert counties.loc["K2", f"stars_{star}"] == (stars == star).sum()


def test_township_rollup_suppresses_a_small_hidden_remainder(scores) -> None:
    townships = rollup_to_kind(scores, HIERARCHY, "township").set_index("group_code")
    assert not townships.loc["T1", "satisfaction_suppressed"]
    assert townships.loc["T1", "satisfaction_raw"] == pytest.approx(55.0)
    assert townships.loc["T2", "satisfaction_suppressed"]  # b5 alone (n = 3) is hidden


def test_rollup_with_a_plain_mapping_and_no_names(scores) -> None:
    city = rollup(scores, dict.fromkeys(SCOPE, "all"))
    assert city["group_code"].tolist() == ["all"]
    assert city.at[0, "satisfaction_n"] == sum(len(r) for r in RATINGS.values())
    assert not city.at[0, "satisfaction_suppressed"]  # hidden units pool to 2 + 3 + 2 = 7
    assert city.at[0, "units"] == 7
    assert pd.isna(city.at[0, "group_name"])


def test_excluded_responses_are_not_pooled(scores) -> None:
    counties = rollup(scores, {"b4": "x"})
    assert counties.at[0, "satisfaction_n"] == 5
    assert counties.at[0, "satisfaction_raw"] == pytest.approx(70.0)


def test_a_group_below_min_n_is_suppressed(scores) -> None:
    small = rollup(scores, {"b3": "x"})
    assert small.at[0, "satisfaction_n"] == 2
    assert small.at[0, "satisfaction_suppressed"]
