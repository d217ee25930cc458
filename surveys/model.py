"""The parsed instrument's parts: texts, options, conditions, items and sections.

They are frozen, hashable values built by `surveys.reader`; `surveys.instrument` documents
the YAML schema they come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.answers import Answer, strings_for_type
from surveys.vocab import (
    DONT_KNOW_MISSING,
    LIKERT,
    MULTI,
    NO_DIMENSION,
    NUMBER,
    RATING10,
    SINGLE,
    TEXT,
    TYPE_FIELDS,
    VALUE_TYPES,
    YESNO,
)


@dataclass(frozen=True)
class Text:
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str | None = None) -> str:
        """The English text for ``en``/``en_US``/..., else (and when it is empty) Chinese."""
        if lang and lang.lower().startswith("en") and self.en:
            return self.en
        return self.zh

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Option:
    """A choice of a single or multi item; ``score`` (0–100) only on single items."""

    value: str
    label: Text
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "label": self.label.to_dict()}
        if self.score is not None:
            data["score"] = self.score
        return data


@dataclass(frozen=True)
class Relevance:
    """Show an item only when the earlier item ``item`` has one of ``values``.

    ``values`` are canonical answer strings (see `surveys.answers.canonical_strings`);
    ``item_type`` is the referenced item's type, resolved when the instrument is read, so
    that an item can evaluate its condition from the answers alone.
    """

    item: str
    values: tuple[str, ...]
    item_type: str

    def is_met(self, answers: Mapping[str, Answer]) -> bool:
        answer = answers.get(self.item)
        if answer is None or answer.na or answer.dont_know:
            return False
        given = strings_for_type(self.item_type, answer.value, answer.text)
        return not set(given).isdisjoint(self.values)

    def to_dict(self) -> dict[str, Any]:
        """``in`` holds numbers for numeric items and strings otherwise, as in a file."""
        numeric = self.item_type in VALUE_TYPES and self.item_type != YESNO
        return {"item": self.item, "in": [_number(v) if numeric else v for v in self.values]}


@dataclass(frozen=True)
class Item:
    """One question. Fields that do not apply to the type keep their defaults."""

    id: str
    type: str
    text: Text
    dimension: str = NO_DIMENSION
    weight: float = 1.0
    reverse: bool = False
    required: bool = False
    allow_na: bool = False
    allow_dont_know: bool = False
    dont_know: str = DONT_KNOW_MISSING
    points: int | None = None
    labels: tuple[Text, ...] = ()
    anchors: tuple[Text, Text] | None = None
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    suggestion: bool = False
    relevant: Relevance | None = None

    @property
    def can_score(self) -> bool:
        """True when an answer to this item yields a 0–100 score, whatever its dimension."""
        if self.type in (LIKERT, YESNO, RATING10):
            return True
        if self.type == SINGLE:
            return any(o.score is not None for o in self.options)
        return self.type == NUMBER and self.min is not None and self.max is not None

    @property
    def scored(self) -> bool:
        return self.dimension != NO_DIMENSION and self.can_score

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @property
    def option_scores(self) -> dict[str, float] | None:
        """Option value → score for the scored options of a single item; None otherwise."""
        if self.type != SINGLE:
            return None
        return {o.value: o.score for o in self.options if o.score is not None}

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(f"item {self.id} has no option {value!r}")

    def scale_label(self, point: int) -> Text | None:
        """The label of a likert point: its own label, or the low/high anchor at the ends."""
        if self.labels and self.points and 1 <= point <= self.points:
            return self.labels[point - 1]
        if self.anchors and point in (1, self.points):
            return self.anchors[0] if point == 1 else self.anchors[1]
        return None

    def is_shown(self, answers: Mapping[str, Answer]) -> bool:
        """Whether the item applies given the answers so far (``relevant`` is met)."""
        return self.relevant is None or self.relevant.is_met(answers)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "text": self.text.to_dict(),
            "dimension": self.dimension,
            "weight": self.weight,
            "required": self.required,
            "allow_na": self.allow_na,
            "allow_dont_know": self.allow_dont_know,
            "dont_know": self.dont_know,
        }
        data.update(self._type_dict())
        if self.relevant is not None:
            data["relevant"] = self.relevant.to_dict()
        return data

    def _type_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.type == LIKERT:
            data["points"] = self.points
            if self.labels:
                data["labels"] = [label.to_dict() for label in self.labels]
            elif self.anchors:
                low, high = self.anchors
                data["labels"] = {"low": low.to_dict(), "high": high.to_dict()}
        if self.type in (SINGLE, MULTI):
            data["options"] = [option.to_dict() for option in self.options]
        if self.type == NUMBER and self.min is not None:
            data["min"], data["max"] = self.min, self.max
        if self.type == TEXT:
            data["max_length"], data["suggestion"] = self.max_length, self.suggestion
        if "reverse" in TYPE_FIELDS[self.type]:
            data["reverse"] = self.reverse
        return data


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    description: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title.to_dict()}
        if self.description is not None:
            data["description"] = self.description.to_dict()
        data["items"] = [item.to_dict() for item in self.items]
        return data


def _number(text: str) -> int | float:
    """The number a canonical answer string stands for (see `format_number`)."""
    number = float(text)
    return int(number) if number.is_integer() else number
