"""Validation and integer encoding of the four input frames of a round.

Every later step works on integer codes: a response's code is its position after sorting by
`response_id`, a unit's after sorting by `unit_code`, an item's is its position in the
instrument (the order of the `items` frame). Sorting makes every sum run in the same order
whatever the order of the input rows, so the results are bit-for-bit reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports.settings import DIMENSIONS

ITEM_TYPES = ("likert", "yesno", "single", "multi", "rating10", "number", "text")
ITEM_COLUMNS = (
    "item_id", "section_id", "position", "type", "dimension", "weight", "reverse",
    "dont_know", "points", "min", "max", "option_scores", "relevant_item", "relevant_values",
    "scored",
)
ANSWER_COLUMNS = ("response_id", "item_id", "value", "text", "na", "dont_know")
RESPONSE_COLUMNS = ("response_id", "unit_code", "excluded", "duration_s", "submitted_on")
UNIT_COLUMNS = ("unit_code", "unit_name", "unit_kind", "parent_code")


@dataclass(frozen=True)
class RoundData:
    """The validated, encoded inputs of one round.

    `answers` holds only answered rows (a value, a text or a flag) with the columns `r`
    (response code), `i` (item code), `value`, `text` (object, None when empty), `has_text`,
    `na`, `dk`.
    `responses` carries `unit` (unit code); `items` carries `dim` (index into DIMENSIONS, -1
    for items outside the three dimensions or not scored).
    """

    answers: pd.DataFrame
    responses: pd.DataFrame
    items: pd.DataFrame
    units: pd.DataFrame


def prepare(answers: pd.DataFrame, responses: pd.DataFrame, items: pd.DataFrame,
            units: pd.DataFrame) -> RoundData:
    """Validate the inputs (ValueError naming the offending row or field) and encode them."""
    unit_frame = prepare_units(units)
    item_frame = prepare_items(items)
    response_frame = _prepare_responses(responses, unit_frame)
    answer_frame = _prepare_answers(answers, response_frame, item_frame)
    return RoundData(answer_frame, response_frame, item_frame, unit_frame)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the columns {missing}")


def prepare_units(units: pd.DataFrame) -> pd.DataFrame:
    require_columns(units, UNIT_COLUMNS, "units")
    frame = units.loc[:, list(UNIT_COLUMNS)].astype({"unit_code": object})
    _require_unique(frame["unit_code"], "units.unit_code")
    frame["parent_code"] = frame["parent_code"].astype(object).where(
        frame["parent_code"].notna(), None)
    return frame.sort_values("unit_code", kind="stable").reset_index(drop=True)


def prepare_items(items: pd.DataFrame) -> pd.DataFrame:
    """Check the instrument's item metadata and add the `dim` code."""
    require_columns(items, ITEM_COLUMNS, "items")
    frame = items.reset_index(drop=True).copy()
    _require_unique(frame["item_id"], "items.item_id")
    for column, allowed in (("type", ITEM_TYPES), ("dimension", (*DIMENSIONS, "none")),
                            ("dont_know", ("zero", "missing"))):
        bad = frame.loc[~frame[column].isin(allowed), ["item_id", column]]
        if len(bad):
            item_id, value = bad.iloc[0]
            raise ValueError(f"item {item_id!r}: {column} {value!r} is not one of {allowed}")
    for column in ("reverse", "scored"):
        frame[column] = frame[column].to_numpy(dtype=bool, na_value=False)
    for column in ("weight", "points", "min", "max"):
        frame[column] = frame[column].to_numpy(dtype=float, na_value=np.nan)
    for check in (_check_scorable, _check_weights, _check_relevance):
        check(frame)
    in_dimension = frame["scored"] & frame["dimension"].isin(DIMENSIONS)
    codes = pd.Index(DIMENSIONS).get_indexer(frame["dimension"])
    frame["dim"] = np.where(in_dimension, codes, -1).astype(np.int64)
    return frame


def _check_scorable(frame: pd.DataFrame) -> None:
    """A scored item must have what its type needs to give a score."""
    kind = frame["type"]
    points_ok = frame["points"].between(3, 11) & (frame["points"] % 1 == 0)
    range_ok = frame["min"].notna() & frame["max"].notna() & (frame["max"] > frame["min"])
    has_scores = frame["option_scores"].map(_has_option_score)
    ok = ((kind == "likert") & points_ok) | kind.isin(("yesno", "rating10")) \
        | ((kind == "number") & range_ok) | ((kind == "single") & has_scores)
    bad = frame.loc[frame["scored"] & ~ok, ["item_id", "type"]]
    if len(bad):
        item_id, item_type = bad.iloc[0]
        raise ValueError(f"item {item_id!r}: a scored {item_type} item needs "
                         "likert points 3-11, number min < max, or single option scores")


def _has_option_score(scores: object) -> bool:
    return isinstance(scores, dict) and any(s is not None for s in scores.values())


def _check_weights(frame: pd.DataFrame) -> None:
    weights = frame["weight"]
    bad = frame.loc[frame["scored"] & ~(np.isfinite(weights) & (weights > 0)), "item_id"]
    if len(bad):
        raise ValueError(f"item {bad.iloc[0]!r}: weight must be a positive number")


def _check_relevance(frame: pd.DataFrame) -> None:
    known = set(frame["item_id"])
    conditions = frame.loc[frame["relevant_item"].notna(),
                           ["item_id", "relevant_item", "relevant_values"]]
    for item_id, parent, values in conditions.itertuples(index=False):
        if parent not in known or parent == item_id:
            raise ValueError(f"item {item_id!r}: relevant_item {parent!r} is not another item")
        if isinstance(values, str) or not values or not all(isinstance(v, str) for v in values):
            raise ValueError(f"item {item_id!r}: relevant_values must be a non-empty tuple of "
                             f"str, got {values!r}")


def _prepare_responses(responses: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    require_columns(responses, RESPONSE_COLUMNS, "responses")
    frame = responses.loc[:, list(RESPONSE_COLUMNS)].astype({"response_id": object})
    _require_unique(frame["response_id"], "responses.response_id")
    frame["excluded"] = frame["excluded"].to_numpy(dtype=bool, na_value=False)
    frame["duration_s"] = frame["duration_s"].to_numpy(dtype=float, na_value=np.nan)
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    frame = frame.sort_values("response_id", kind="stable").reset_index(drop=True)
    unit = pd.Index(units["unit_code"]).get_indexer(frame["unit_code"])
    if (unit < 0).any():
        stray = frame.loc[unit < 0].iloc[0]
        raise ValueError(f"response {stray.response_id!r}: unit {stray.unit_code!r} is not in "
                         "the round's units")
    frame["unit"] = unit.astype(np.int64)
    return frame


def _prepare_answers(answers: pd.DataFrame, responses: pd.DataFrame,
                     items: pd.DataFrame) -> pd.DataFrame:
    """Encode answers and drop unanswered rows (no value, no text, no flag).

    `text` stays an object column (None for no text) beside a `has_text` mask: inferring a
    string dtype for millions of rows would cost more than the rest of the scoring.
    """
    require_columns(answers, ANSWER_COLUMNS, "answers")
    r = _codes(answers["response_id"], responses["response_id"], "response_id")
    i = _codes(answers["item_id"], items["item_id"], "item_id")
    text, has_text = _texts(answers["text"])
    frame = pd.DataFrame({
        "r": r, "i": i,
        "value": answers["value"].to_numpy(dtype=float, na_value=np.nan),
        "text": pd.Series(text, dtype=object, copy=False),
        "has_text": has_text,
        "na": answers["na"].to_numpy(dtype=bool, na_value=False),
        "dk": answers["dont_know"].to_numpy(dtype=bool, na_value=False),
    })
    answered = frame["value"].notna().to_numpy() | has_text | frame["na"].to_numpy() \
        | frame["dk"].to_numpy()
    if not answered.all():
        frame = frame.loc[answered].reset_index(drop=True)
    _require_unique_pairs(frame, items, responses)
    return frame


def _texts(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Texts as an object array with None for no text ('' included), and the has-text mask."""
    has_text = column.notna().to_numpy().copy()
    text = column.to_numpy(dtype=object)
    if has_text.any():
        has_text[has_text] = text[has_text] != ""
    return np.where(has_text, text, None), has_text


def _codes(values: pd.Series, known: pd.Series, name: str) -> np.ndarray:
    codes = pd.Index(known).get_indexer(values)
    if (codes < 0).any():
        stray = values.to_numpy()[np.flatnonzero(codes < 0)[0]]
        raise ValueError(f"answers: {name} {stray!r} is unknown")
    return codes.astype(np.int64)


def _require_unique(values: pd.Series, name: str) -> None:
    if values.isna().any():
        raise ValueError(f"{name} must not be empty")
    duplicated = values[values.duplicated()]
    if len(duplicated):
        raise ValueError(f"{name} {duplicated.iloc[0]!r} occurs more than once")


def _require_unique_pairs(frame: pd.DataFrame, items: pd.DataFrame,
                          responses: pd.DataFrame) -> None:
    key = frame["r"].to_numpy() * len(items) + frame["i"].to_numpy()
    if (np.diff(key) > 0).all():  # already ordered by response and item: nothing to hash
        return
    index = pd.Index(key)
    if not index.is_unique:
        r, i = divmod(int(key[index.duplicated()][0]), len(items))
        raise ValueError(f"answers: response {responses['response_id'].iloc[r]!r} answers "
                         f"item {items['item_id'].iloc[i]!r} more than once")
