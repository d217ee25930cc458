"""Builders of the four input frames from compact specs, for tests and benchmarks.

    items = make_items([("a1", "likert", "awareness"), ("s1", "single", "satisfaction",
                         {"option_scores": {"a": 100.0, "b": 0.0}})])
    answers = make_answers({"r1": {"a1": 4, "s1": "a"}, "r2": {"a1": DONT_KNOW}})

The items frame has the columns of `surveys.Instrument.items_frame()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

NOT_APPLICABLE = "<n/a>"
DONT_KNOW = "<don't know>"
SCORABLE_TYPES = ("likert", "yesno", "rating10")


def make_items(specs: Iterable[tuple[Any, ...]]) -> pd.DataFrame:
    """One row per spec `(item_id, type, dimension[, overrides])`.

    Defaults: weight 1, 5 likert points, don't know scored zero in awareness and missing
    elsewhere, `scored` when the type and its fields give a score.
    """
    rows = [_item_row(position, spec) for position, spec in enumerate(specs, start=1)]
    return pd.DataFrame(rows, columns=list(_item_row(0, ("x", "text", "none"))))


def _item_row(position: int, spec: tuple[Any, ...]) -> dict[str, Any]:
    item_id, item_type, dimension = spec[:3]
    overrides: Mapping[str, Any] = spec[3] if len(spec) > 3 else {}
    row: dict[str, Any] = {
        "item_id": item_id, "section_id": "s1", "position": position, "type": item_type,
        "dimension": dimension, "weight": 1.0, "reverse": False, "required": False,
        "allow_na": True, "allow_dont_know": True,
        "dont_know": "zero" if dimension == "awareness" else "missing",
        "points": 5.0 if item_type == "likert" else np.nan, "min": np.nan, "max": np.nan,
        "option_scores": None, "suggestion": False, "relevant_item": None,
        "relevant_values": None, "scored": False, "text_zh": item_id, "text_en": item_id,
    }
    row.update(overrides)
    if "scored" not in overrides:
        row["scored"] = _scorable(row)
    return row


def _scorable(row: Mapping[str, Any]) -> bool:
    if row["type"] in SCORABLE_TYPES:
        return True
    if row["type"] == "number":
        return bool(np.isfinite(row["min"]) and np.isfinite(row["max"]))
    scores = row["option_scores"] or {}
    return row["type"] == "single" and any(s is not None for s in scores.values())


def make_answers(answers: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Tidy answers from {response_id: {item_id: answer}}.

    An answer is a number (bools for yesno), a str (single code or text), a list of codes
    (multi), `NOT_APPLICABLE`, `DONT_KNOW`, or None (an unanswered row).
    """
    rows = [_answer_row(r, i, a) for r, items in answers.items() for i, a in items.items()]
    frame = pd.DataFrame(rows, columns=["response_id", "item_id", "value", "text", "na",
                                        "dont_know"])
    return frame.astype({"value": float, "na": bool, "dont_know": bool, "text": object})


def _answer_row(response_id: str, item_id: str, answer: Any) -> tuple[Any, ...]:
    value, text = np.nan, None
    if isinstance(answer, list | tuple):
        text = ",".join(answer)
    elif isinstance(answer, str) and answer not in (NOT_APPLICABLE, DONT_KNOW):
        text = answer
    elif isinstance(answer, bool | int | float):
        value = float(answer)
    return (response_id, item_id, value, text, answer == NOT_APPLICABLE, answer == DONT_KNOW)


def make_responses(units: Mapping[str, str], **columns: Mapping[str, Any]) -> pd.DataFrame:
    """Responses from {response_id: unit_code}; keyword columns override per response, e.g.
    `excluded={"r3": True}`, `duration_s={"r1": 30.0}`, `submitted_on={"r1": "2024-05-01"}`.
    """
    ids = list(units)
    defaults: dict[str, Any] = {"excluded": False, "duration_s": np.nan, "rater_code": None,
                                "submitted_on": None}
    frame = pd.DataFrame({"response_id": ids, "unit_code": [units[r] for r in ids]})
    for column, default in defaults.items():
        given = columns.get(column, {})
        frame[column] = [given.get(r, default) for r in ids]
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    return frame.astype({"excluded": bool, "duration_s": float, "rater_code": object})


def make_units(codes: Iterable[str], kind: str = "branch",
               parents: Mapping[str, str] | None = None,
               kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Units named after their codes; `parents` and `kinds` override per unit."""
    codes = list(codes)
    parents, kinds = parents or {}, kinds or {}
    return pd.DataFrame({
        "unit_code": codes, "unit_name": [f"{c} name" for c in codes],
        "unit_kind": [kinds.get(c, kind) for c in codes],
        "parent_code": pd.Series([parents.get(c) for c in codes], dtype=object),
    })
