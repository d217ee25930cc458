"""Rounds at the edges: one unit, only single responses, nothing at all, all excluded."""

import numpy as np
import pandas as pd
import pytest

from reports import TABLE_COLUMNS, RoundSettings, rollup, score_round
from reports.testing import make_answers, make_items, make_responses, make_units

ITEMS = make_items([("a", "yesno", "awareness"), ("p", "rating10", "participation"),
                    ("s", "likert", "satisfaction")])


def run(answers: dict, units: dict, scope: list[str], min_n: int = 1, **responses):
    return score_round(make_answers(answers), make_responses(units, **responses), ITEMS,
                       make_units(scope), RoundSettings("R", min_n=min_n))


def test_one_unit_keeps_its_own_mean() -> None:
    answers = {f"r{k}": {"a": k % 2 == 0, "p": k, "s": 1 + k % 5} for k in range(6)}
    scores = run(answers, dict.fromkeys(answers, "u1"), ["u1"])
    row = scores.table.iloc[0]
    for d in ("awareness", "participation", "satisfaction"):
        assert row[f"{d}_adjusted"] == pytest.approx(row[f"{d}_raw"])
        assert scores.anova[d].n_units == 1 and scores.anova[d].tau2 == 0
        assert np.isnan(scores.anova[d].n0)
    assert row["rank"] == 1 and row["rank_in_kind"] == 1
    assert len(scores.warnings) == 3


def test_only_single_response_units() -> None:
    answers = {"r1": {"a": True, "p": 10, "s": 5}, "r2": {"a": False, "p": 0, "s": 1}}
    scores = run(answers, {"r1": "u1", "r2": "u2"}, ["u1", "u2"])
    anova = scores.anova["satisfaction"]
    assert (anova.n_total, anova.n_units, anova.tau2) == (2, 2, 0.0)
    assert np.isnan(anova.sigma2) and np.isnan(anova.icc1)
    assert scores.table["satisfaction_adjusted"].tolist() == [50.0, 50.0]
    assert scores.table["satisfaction_sd"].isna().all()
    assert scores.table["rank"].tolist() == [1, 1]


def test_only_single_response_units_with_the_default_min_n_publish_nothing() -> None:
    answers = {"r1": {"a": True, "p": 10, "s": 5}, "r2": {"a": False, "p": 0, "s": 1}}
    scores = run(answers, {"r1": "u1", "r2": "u2"}, ["u1", "u2"], min_n=5)
    assert scores.table["composite_suppressed"].all()
    assert scores.table["rank"].isna().all() and scores.table["stars"].isna().all()


def assert_nothing_published(scores, n_units: int) -> None:
    table = scores.table
    assert tuple(table.columns) == TABLE_COLUMNS and len(table) == n_units
    assert (table["satisfaction_n"] == 0).all()
    assert table[[c for c in TABLE_COLUMNS if c.endswith("suppressed")]].all().all()
    assert table[["composite_raw", "composite_adjusted"]].isna().all().all()
    assert table[["rank", "stars"]].isna().all().all()
    assert scores.items["suppressed"].all()
    assert scores.reliability["alpha"].isna().all()
    assert all(scores.anova[d].n_total == 0 for d in scores.anova)
    assert any("no counted response" in w for w in scores.warnings)


def test_no_responses_at_all() -> None:
    scores = run({}, {}, ["u1", "u2"])
    assert_nothing_published(scores, 2)
    assert scores.quality.empty


def test_responses_without_answers() -> None:
    scores = run({}, {"r1": "u1"}, ["u1"])
    assert_nothing_published(scores, 1)
    assert scores.responses["satisfaction_shown"].tolist() == [1]


def test_all_responses_excluded() -> None:
    answers = {f"r{k}": {"a": True, "p": 5, "s": 3} for k in range(5)}
    scores = run(answers, dict.fromkeys(answers, "u1"), ["u1"],
                 excluded=dict.fromkeys(answers, True))
    assert_nothing_published(scores, 1)
    assert scores.quality["excluded"].all() and len(scores.quality) == 5
    assert rollup(scores, {"u1": "g"}).at[0, "satisfaction_n"] == 0


def test_an_empty_scope() -> None:
    scores = run({}, {}, [])
    assert scores.table.empty and tuple(scores.table.columns) == TABLE_COLUMNS
    assert scores.items.empty


def test_an_instrument_without_items_in_a_dimension() -> None:
    items = make_items([("s", "likert", "satisfaction")])
    scores = score_round(make_answers({"r1": {"s": 5}}), make_responses({"r1": "u1"}), items,
                         make_units(["u1"]), RoundSettings("R", min_n=1))
    assert scores.table.at[0, "awareness_n"] == 0
    assert scores.table.at[0, "satisfaction_raw"] == 100.0
    assert pd.isna(scores.table.at[0, "rank"])
