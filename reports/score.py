"""The entry point: score one round from its tidy answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from reports.adjust import Anova, adjusted_scores, one_way_anova
from reports.dimensions import dimension_score, score_matrix
from reports.inputs import RoundData, prepare
from reports.item_results import finish_item_results, item_results
from reports.item_scores import item_scores, positive_threshold
from reports.quality import quality_flags
from reports.relevance import is_shown, shown_counts, shown_keys, shown_matrix
from reports.reliability import (
    RELIABILITY_COLUMNS,
    dimension_reliability,
    item_conditions,
)
from reports.settings import DIMENSIONS, RoundSettings
from reports.stats import group_summary
from reports.table import dimension_columns, score_table


@dataclass(frozen=True)
class RoundScores:
    """Everything computed for a round.

    `responses` (one row per response: unit, exclusion, D per dimension with its answered
    and shown counts) is working data for roll-ups and checks: it is per person and must
    never be published. Everything else honours `min_n`.
    """

    settings: RoundSettings
    table: pd.DataFrame
    items: pd.DataFrame
    reliability: pd.DataFrame
    item_rest: pd.DataFrame
    quality: pd.DataFrame
    anova: Mapping[str, Anova]
    responses: pd.DataFrame
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Dimension:
    """Intermediate results of one dimension."""

    columns: pd.DataFrame
    anova: Anova
    scores: pd.DataFrame
    items: pd.DataFrame
    reliability: list[dict[str, object]]
    item_rest: pd.DataFrame
    warnings: list[str]


def score_round(answers: pd.DataFrame, responses: pd.DataFrame, items: pd.DataFrame,
                units: pd.DataFrame, settings: RoundSettings) -> RoundScores:
    """Score a round as the DESIGN.md scoring specification defines it.

    `answers`, `responses`, `items` and `units` are the tidy frames described in
    `reports.inputs`; the result does not depend on the order of their rows.
    """
    if not isinstance(settings, RoundSettings):
        raise ValueError(f"settings must be a RoundSettings, got {type(settings).__name__}")
    data = prepare(answers, responses, items, units)
    keys = shown_keys(data.answers, data.items)
    data = _without_hidden_answers(data, keys)
    scored = np.flatnonzero(data.items["scored"].to_numpy())
    matrix = score_matrix(data.answers, item_scores(data.answers, data.items, data.responses),
                          scored, len(data.items), len(data.responses))
    thresholds = positive_threshold(data.items)
    results = {d: _score_dimension(d, data, matrix, scored, keys, thresholds, settings)
               for d in DIMENSIONS}
    extra = _descriptive_item_results(data, matrix, scored, thresholds, settings)
    return RoundScores(
        settings=settings,
        table=score_table(data.units, {d: results[d].columns for d in DIMENSIONS}, settings),
        items=finish_item_results([*(results[d].items for d in DIMENSIONS), extra],
                                  data.units, settings.round_id),
        reliability=pd.DataFrame([row for d in DIMENSIONS for row in results[d].reliability],
                                 columns=list(RELIABILITY_COLUMNS)),
        item_rest=pd.concat([results[d].item_rest for d in DIMENSIONS], ignore_index=True),
        quality=quality_flags(data),
        anova=MappingProxyType({d: results[d].anova for d in DIMENSIONS}),
        responses=_response_frame(data, {d: results[d].scores for d in DIMENSIONS}),
        warnings=tuple(w for d in DIMENSIONS for w in results[d].warnings),
    )


def _without_hidden_answers(data: RoundData, keys: np.ndarray) -> RoundData:
    """Drop answers stored for items the response was not shown (see `reports.relevance`)."""
    shown = is_shown(data.answers, data.items, keys)
    if shown.all():
        return data
    answers = data.answers.loc[shown].reset_index(drop=True)
    return RoundData(answers, data.responses, data.items, data.units)


def _score_dimension(d: str, data: RoundData, all_scores: np.ndarray, scored: np.ndarray,
                     keys: np.ndarray, thresholds: np.ndarray,
                     settings: RoundSettings) -> _Dimension:
    """Scores, adjustment, item results and reliability of one dimension.

    `all_scores` is the responses × scored items matrix, `scored` its item codes.
    """
    items, responses = data.items, data.responses
    in_dimension = items["dim"].to_numpy()[scored] == DIMENSIONS.index(d)
    codes, matrix = scored[in_dimension], all_scores[:, in_dimension]
    per_response = dimension_score(matrix, items["weight"].to_numpy()[codes],
                                   shown_counts(codes, items, keys, len(responses)))
    counted = ~responses["excluded"].to_numpy()
    unit = responses["unit"].to_numpy()
    values = np.where(counted, per_response["score"].to_numpy(), np.nan)
    summary = group_summary(values, unit, len(data.units))
    anova = _published_anova(values, unit, summary["n"].to_numpy(), settings.min_n)
    adjusted = adjusted_scores(anova, summary["n"].to_numpy(), summary["mean"].to_numpy())
    shown = shown_matrix(codes, items, keys, len(responses))
    reliability, item_rest, warnings = dimension_reliability(
        d, matrix[counted], shown[counted], items["item_id"].to_numpy()[codes].tolist(),
        item_conditions(items, codes), anova)
    return _Dimension(
        columns=dimension_columns(d, summary, adjusted, settings.min_n),
        anova=anova,
        scores=per_response,
        items=item_results(matrix[counted], codes, items, thresholds, unit[counted],
                           len(data.units), settings.min_n),
        reliability=reliability,
        item_rest=item_rest,
        warnings=[*_anova_warnings(d, anova), *warnings],
    )


def _published_anova(values: np.ndarray, unit: np.ndarray, n: np.ndarray, min_n: int) -> Anova:
    """The ANOVA over the responses of the units published in this dimension (n ≥ min_n).

    DESIGN.md includes the suppressed units. But μ, τ² and σ² can be solved from the
    published raw and adjusted scores and n (three published units suffice; the appendix
    prints τ² and σ² outright), and they hold the suppressed units' between- and
    within-unit sums of squares: with two suppressed units whose pooled responses are
    published in a roll-up, their two means follow from the pooled sum and the between-unit
    sum of squares. Left out, the suppressed units reach published figures only through
    the roll-ups, whose pools `reports.disclosure` keeps at min_n or more.
    """
    published = n[unit] >= min_n
    return one_way_anova(np.where(published, values, np.nan), unit)


def _descriptive_item_results(data: RoundData, all_scores: np.ndarray, scored: np.ndarray,
                              thresholds: np.ndarray, settings: RoundSettings) -> pd.DataFrame:
    """Item results of scored items outside the three dimensions."""
    items = data.items
    outside = items["dim"].to_numpy()[scored] < 0
    codes, matrix = scored[outside], all_scores[:, outside]
    counted = ~data.responses["excluded"].to_numpy()
    return item_results(matrix[counted], codes, items, thresholds,
                        data.responses["unit"].to_numpy()[counted], len(data.units),
                        settings.min_n)


def _anova_warnings(d: str, anova: Anova) -> list[str]:
    if anova.n_total == 0:
        return [f"{d}: no counted response has a {d} score"]
    if anova.tau2 == 0:
        return [f"{d}: no difference between units is detectable (tau² = 0); "
                "adjusted scores equal the round mean"]
    return []


def _response_frame(data: RoundData, scores: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    frame = data.responses.loc[:, ["response_id", "unit_code", "excluded"]].copy()
    for d in DIMENSIONS:
        frame[d] = scores[d]["score"].to_numpy()
        frame[f"{d}_answered"] = scores[d]["answered"].to_numpy()
        frame[f"{d}_shown"] = scores[d]["shown"].to_numpy()
    return frame
