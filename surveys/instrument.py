"""Instruments (questionnaires): the schema, the YAML loader and the validator.

An instrument is a YAML mapping::

    id: daily                        # identifier: [a-z][a-z0-9_]*, at most 64 characters
    mode: daily                      # daily | experience | spot_check
    title: {zh: 日常工作评议, en: Routine work review}
    description: {zh: ..., en: ...}  # optional
    sections:                        # at least one
      - id: report                   # identifier, unique among sections
        title: {zh: ..., en: ...}
        description: {zh: ..., en: ...}   # optional: instructions shown above the section
        items: [...]                 # at least one

Every item has ``id`` (identifier, unique in the instrument), ``type`` and ``text: {zh, en}``
(both required and non-empty), and optionally:

- ``dimension``: awareness | participation | satisfaction | none (default none)
- ``weight``: a number > 0 (default 1)
- ``required``, ``allow_na``, ``allow_dont_know``: true | false (default false)
- ``dont_know``: zero | missing — how a don't-know is scored; default zero for awareness
  items (not knowing is what awareness measures), missing otherwise
- ``relevant``: ``{item: OTHER_ID, equals: V}`` or ``{item: OTHER_ID, in: [V, ...]}`` — the
  item is shown only when the earlier item OTHER_ID was answered with one of the values.
  V must be a legal answer of OTHER_ID: an option value (single, multi), yes or no (yesno;
  YAML's bare yes/no booleans are accepted), a whole number on the scale (likert, rating10)
  or any number (number). Text items cannot be referenced.

Fields by type (any other field is an error):

- ``likert``: ``points`` (required, 3–11); ``labels`` (optional): a list of exactly
  ``points`` texts, one per point, or ``{low: TEXT, high: TEXT}`` for the two ends;
  ``reverse``
- ``yesno``, ``rating10`` (0–10): ``reverse``
- ``single``: ``options`` (required, at least 2): ``[{value, label: TEXT, score}]``; value is
  ``[A-Za-z0-9_][A-Za-z0-9_-]*`` and unique in the item (bare integers and yes/no are read as
  strings); ``score`` 0–100 is optional; ``reverse``
- ``multi``: ``options`` as for single, without scores
- ``number``: ``min`` and ``max`` (both or neither, min < max): the scoring anchors;
  ``reverse``
- ``text``: ``max_length`` (1–100000, default 2000); ``suggestion: true`` turns the answer
  into a Suggestion

``reverse: true`` is refused where the item can produce no score (single without option
scores, number without min and max). An item is *scored* when its dimension is not none and
it can produce a score. How answers are stored is described in `surveys.answers`.

Problems are collected over the whole file and raised together as one `InstrumentError`.
`Instrument.to_dict` gives the normalised form (defaults filled in) that the database stores;
it is itself a valid instrument document, and `content_hash` is computed from it, so layout,
comments and spelled-out defaults do not change the hash.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from surveys.model import Item, Option, Relevance, Section, Text
from surveys.problems import InstrumentError, Problem
from surveys.reader import load_yaml, read_document
from surveys.vocab import DIMENSIONS

__all__ = [
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Problem",
    "Relevance",
    "Section",
    "Text",
    "load_instrument",
    "parse_instrument",
]


@dataclass(frozen=True)
class Instrument:
    id: str
    mode: str
    title: Text
    sections: tuple[Section, ...]
    description: Text | None = None

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """All items in instrument order."""
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def item(self, item_id: str) -> Item:
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise KeyError(f"instrument {self.id} has no item {item_id!r}") from None

    def scored_items(self, dimension: str) -> tuple[Item, ...]:
        if dimension not in DIMENSIONS:
            raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
        return tuple(i for i in self.items if i.scored and i.dimension == dimension)

    @cached_property
    def content_hash(self) -> str:
        """sha256 hex of the canonical JSON of `to_dict` (sorted keys, no whitespace)."""
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "mode": self.mode, "title": self.title.to_dict()}
        if self.description is not None:
            data["description"] = self.description.to_dict()
        data["sections"] = [section.to_dict() for section in self.sections]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<stored instrument>") -> Instrument:
        """Rebuild (and re-validate) an instrument from `to_dict` output or a parsed file."""
        return cls(**read_document(data, source))

    def items_frame(self) -> pd.DataFrame:
        """One row per item, the item metadata the scoring in `reports` consumes.

        ``position`` counts items from 1 in instrument order; ``points``, ``min`` and ``max``
        are NaN where they do not apply; ``option_scores``, ``relevant_item`` and
        ``relevant_values`` are None where they do not apply.
        """
        placed = ((section.id, item) for section in self.sections for item in section.items)
        rows = [
            _item_row(item, section_id, n) for n, (section_id, item) in enumerate(placed, start=1)
        ]
        frame = pd.DataFrame(rows, columns=list(FRAME_DTYPES))
        frame = frame.astype({k: v for k, v in FRAME_DTYPES.items() if v != "object"})
        frame["relevant_item"] = pd.Series([r["relevant_item"] for r in rows], dtype=object)
        return frame


FRAME_DTYPES = {
    "item_id": "str", "section_id": "str", "position": "int64", "type": "str",
    "dimension": "str", "weight": "float64", "reverse": "bool", "required": "bool",
    "allow_na": "bool", "allow_dont_know": "bool", "dont_know": "str", "points": "float64",
    "min": "float64", "max": "float64", "option_scores": "object", "suggestion": "bool",
    "relevant_item": "object", "relevant_values": "object", "scored": "bool",
    "text_zh": "str", "text_en": "str",
}  # fmt: skip


def _item_row(item: Item, section_id: str, position: int) -> dict[str, Any]:
    relevant = item.relevant
    return {
        "item_id": item.id,
        "section_id": section_id,
        "position": position,
        "type": item.type,
        "dimension": item.dimension,
        "weight": item.weight,
        "reverse": item.reverse,
        "required": item.required,
        "allow_na": item.allow_na,
        "allow_dont_know": item.allow_dont_know,
        "dont_know": item.dont_know,
        "points": math.nan if item.points is None else float(item.points),
        "min": math.nan if item.min is None else item.min,
        "max": math.nan if item.max is None else item.max,
        "option_scores": item.option_scores,
        "suggestion": item.suggestion,
        "relevant_item": None if relevant is None else relevant.item,
        "relevant_values": None if relevant is None else relevant.values,
        "scored": item.scored,
        "text_zh": item.text.zh,
        "text_en": item.text.en,
    }


def parse_instrument(text: str, source: str) -> Instrument:
    """Read an instrument from YAML text; ``source`` names the file in problem messages."""
    return Instrument.from_dict(load_yaml(text, source), source)


def load_instrument(path: str | Path) -> Instrument:
    """Read an instrument file (UTF-8 YAML)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start})"
        raise InstrumentError([Problem(path.name, None, None, message)]) from None
    return parse_instrument(text, path.name)
