"""Item scores on 0-100 for each answer row, as the scoring specification defines them.

Likert, yesno and rating10 answers are small integers, so their final scores (reversal
included) come from a per-item lookup table built with the exact formulas; single answers
from a table of option scores; number answers are computed.

Choices where the specification is silent:
- A single-choice answer whose code has no score (or is not in `option_scores`) is
  descriptive for that response: its score is missing, and the item still counts as shown
  in the half rule, like an n/a.
- n/a wins over don't know when a row carries both flags.
- Raw values outside their type's range (likert 1..k, rating10 0..10, yesno 0/1, all
  integral) are refused with a ValueError naming the response and the item.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POSITIVE_TOLERANCE = 1e-9
MAX_RAW = 11  # the largest integer raw value of a discrete type (likert with 11 points)
MISSING_COLUMN = MAX_RAW + 1
DISCRETE_TYPES = ("likert", "yesno", "rating10")
COMPUTED_TYPES = ("number", "single")


def item_scores(answers: pd.DataFrame, items: pd.DataFrame,
                responses: pd.DataFrame) -> np.ndarray:
    """Score each row of encoded `answers` (see `inputs.RoundData`); NaN marks missing."""
    i = answers["i"].to_numpy()
    value = answers["value"].to_numpy()
    na = answers["na"].to_numpy()
    dont_know = answers["dk"].to_numpy() & ~na
    kind = items["type"].to_numpy()
    discrete = np.isin(kind, DISCRETE_TYPES)[i]
    integral = (value >= 0) & (value <= MAX_RAW) & (value == np.floor(value))
    column = np.where(discrete & integral, value, MISSING_COLUMN).astype(np.intp)
    scores, valid = discrete_tables(items)
    _refuse_invalid(answers, items, responses,
                    discrete & ~na & ~dont_know & ~np.isnan(value) & ~valid[i, column])
    score = scores[i, column]
    for item_type, scorer in (("number", _number_scores), ("single", _single_scores)):
        rows = np.flatnonzero((kind == item_type)[i])
        if len(rows):
            score[rows] = scorer(answers.iloc[rows], items)
    score[na] = np.nan
    score[dont_know] = _dont_know_scores(items)[i[dont_know]]
    return score


def discrete_tables(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per item and integer raw value 0..11 (then a last column for no value): the final
    score (NaN for unscored items) and whether the value is in the type's range."""
    raw = np.arange(MAX_RAW + 1, dtype=float)
    kind = items["type"].to_numpy()[:, None]
    k = items["points"].to_numpy()[:, None]
    valid = np.select([kind == "likert", kind == "yesno", kind == "rating10"],
                      [(raw >= 1) & (raw <= k), raw <= 1, raw <= 10], False)
    base = np.select([kind == "likert", kind == "yesno", kind == "rating10"],
                     [(raw - 1) / np.where(kind == "likert", k - 1, 1) * 100,
                      raw * 100, raw * 10], np.nan)
    base = np.where(items["reverse"].to_numpy()[:, None], 100 - base, base)
    base = np.where(valid & items["scored"].to_numpy()[:, None], base, np.nan)
    no_value = np.full((len(items), 1), np.nan)
    return np.hstack([base, no_value]), np.hstack([valid, no_value == 0])


def positive_threshold(items: pd.DataFrame) -> np.ndarray:
    """Per item: the lowest final score that counts as positive (NaN: no positive rule).

    likert: the top two points, 100·(k−2)/(k−1); yesno: 100; rating10: 90. Single and number
    items have no positive rule. A don't-know scores 0, below every threshold, so it is never
    positive. A small tolerance absorbs the rounding of (v−1)/(k−1)·100.
    """
    kind = items["type"].to_numpy()
    k = items["points"].to_numpy()
    threshold = np.select(
        [kind == "likert", kind == "yesno", kind == "rating10"],
        [100.0 * (k - 2.0) / (k - 1.0), np.full(len(kind), 100.0), np.full(len(kind), 90.0)],
        np.nan,
    )
    return threshold - POSITIVE_TOLERANCE


def _dont_know_scores(items: pd.DataFrame) -> np.ndarray:
    zero = (items["dont_know"].to_numpy() == "zero") & items["scored"].to_numpy()
    return np.where(zero, 0.0, np.nan)


def _number_scores(rows: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    i = rows["i"].to_numpy()
    low, high = items["min"].to_numpy()[i], items["max"].to_numpy()[i]
    span = np.where(high > low, high - low, np.nan)
    score = np.clip((rows["value"].to_numpy() - low) / span, 0.0, 1.0) * 100.0
    score = np.where(items["reverse"].to_numpy()[i], 100.0 - score, score)
    return np.where(items["scored"].to_numpy()[i], score, np.nan)


def _single_scores(rows: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    """Option scores through a table item × option code (last column: no score)."""
    options = [(item, code, float(score))
               for item, scores in enumerate(items["option_scores"])
               if isinstance(scores, dict)
               for code, score in scores.items() if score is not None]
    codes = pd.Index(sorted({code for _, code, _ in options}), dtype=object)
    table = np.full((len(items), len(codes) + 1), np.nan)
    for item, code, score in options:
        table[item, codes.get_loc(code)] = score
    table = np.where(items["reverse"].to_numpy()[:, None], 100.0 - table, table)
    table[~items["scored"].to_numpy()] = np.nan
    column = codes.get_indexer(rows["text"].to_numpy())
    return table[rows["i"].to_numpy(), column]


def _refuse_invalid(answers: pd.DataFrame, items: pd.DataFrame, responses: pd.DataFrame,
                    invalid: np.ndarray) -> None:
    if invalid.any():
        row = int(np.flatnonzero(invalid)[0])
        response_id = responses["response_id"].iloc[answers["r"].iat[row]]
        item_id = items["item_id"].iloc[answers["i"].iat[row]]
        raise ValueError(f"answers: response {response_id!r}, item {item_id!r}: "
                         f"value {answers['value'].iat[row]!r} is out of range")
