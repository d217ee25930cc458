"""Raw answer conventions: how an answer to each item type is stored, read and checked.

This module is the single source of truth for the form builder, the importers and the
scoring. An answer is ``(value, text, na, dont_know)``:

===========  ============================================================================
item type    stored as
===========  ============================================================================
likert       ``value`` = v, an integer 1..k (k = the item's ``points``)
rating10     ``value`` = v, an integer 0..10
number       ``value`` = any finite number (``min``/``max`` are scoring anchors, not limits)
yesno        ``value`` = 1 (yes) or 0 (no)
single       ``text`` = the chosen option's value
multi        ``text`` = the chosen option values joined by ``,`` in the item's option order
text         ``text`` = the free text (not blank, at most ``max_length`` characters)
===========  ============================================================================

``na`` (not applicable) and ``dont_know`` carry neither value nor text, are mutually
exclusive, and are legal only where the item allows them. An item left unanswered has no
answer row at all, so an empty answer is illegal.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from surveys.problems import is_number
from surveys.vocab import (
    LIKERT,
    MULTI,
    MULTI_SEPARATOR,
    RATING10,
    SINGLE,
    TEXT,
    VALUE_TYPES,
    YESNO,
)

if TYPE_CHECKING:
    from surveys.model import Item

YES = "yes"
NO = "no"


@dataclass(frozen=True)
class Answer:
    """One stored answer to one item."""

    value: float | None = None
    text: str | None = None
    na: bool = False
    dont_know: bool = False

    @property
    def is_substantive(self) -> bool:
        """True when the answer is a value or text, not n/a or don't know."""
        has_content = self.value is not None or self.text is not None
        return has_content and not (self.na or self.dont_know)


def format_number(value: float) -> str:
    """``3`` for integral values (also ``3.0``), else the float's repr (``2.5``)."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def strings_for_type(item_type: str, value: float | None, text: str | None) -> tuple[str, ...]:
    """The answer as the strings conditions compare against (see `canonical_strings`)."""
    if item_type == YESNO:
        return () if value is None else ((YES,) if value == 1 else (NO,))
    if item_type in VALUE_TYPES:
        return () if value is None else (format_number(value),)
    if item_type == MULTI:
        return tuple(text.split(MULTI_SEPARATOR)) if text else ()
    return (text,) if text else ()


def canonical_strings(item: Item, value: float | None, text: str | None) -> tuple[str, ...]:
    """yesno → ('yes',) or ('no',); single → (code,); multi → the codes; numeric types →
    the number formatted by `format_number`; text → (text,); nothing answered → ()."""
    return strings_for_type(item.type, value, text)


def encode_multi(item: Item, codes: Iterable[str]) -> str:
    """The stored text of a multi answer: the chosen codes, in the item's option order."""
    chosen = set(codes)
    unknown = chosen - set(item.option_values)
    if unknown:
        raise ValueError(f"item {item.id}: unknown options {', '.join(sorted(unknown))}")
    return MULTI_SEPARATOR.join(v for v in item.option_values if v in chosen)


def value_range(item: Item) -> tuple[int, int] | None:
    """The legal (low, high) of a likert, rating10 or yesno value; None for other types."""
    if item.type == LIKERT and item.points is not None:
        return 1, item.points
    if item.type == RATING10:
        return 0, 10
    if item.type == YESNO:
        return 0, 1
    return None


def validate_answer(
    item: Item,
    value: float | None,
    text: str | None,
    na: bool = False,
    dont_know: bool = False,
) -> str | None:
    """The reason the answer is illegal for ``item``, or None when it is legal."""
    if na or dont_know:
        return _check_flags(item, value, text, na, dont_know)
    if item.type in VALUE_TYPES:
        if text is not None:
            return f"a {item.type} answer is a number, not text"
        return _check_value(item, value)
    if value is not None:
        return f"a {item.type} answer is text, not a number"
    return _check_text(item, text)


def _check_flags(
    item: Item, value: float | None, text: str | None, na: bool, dont_know: bool
) -> str | None:
    if na and dont_know:
        return "an answer cannot be both not applicable and don't know"
    if na and not item.allow_na:
        return "not applicable is not allowed for this item"
    if dont_know and not item.allow_dont_know:
        return "don't know is not allowed for this item"
    if value is not None or text is not None:
        return "an answer marked not applicable or don't know carries no value or text"
    return None


def _check_value(item: Item, value: float | None) -> str | None:
    if value is None:
        return "no answer given"
    if not is_number(value) or not math.isfinite(value):
        return "must be a finite number"
    bounds = value_range(item)
    if bounds is None:
        return None
    low, high = bounds
    if not float(value).is_integer() or not low <= value <= high:
        if item.type == YESNO:
            return "must be 1 (yes) or 0 (no)"
        return f"must be a whole number from {low} to {high}"
    return None


def _check_text(item: Item, text: str | None) -> str | None:
    if text is None:
        return "no answer given"
    if not isinstance(text, str):
        return "must be text"
    if item.type == SINGLE:
        return None if text in item.option_values else f"unknown option {reprlib.repr(text)}"
    if item.type == MULTI:
        return _check_multi(item, text)
    if item.type == TEXT and not text.strip():
        return "the text is empty"
    if item.max_length is not None and len(text) > item.max_length:
        return f"the text is longer than {item.max_length} characters"
    return None


def _check_multi(item: Item, text: str) -> str | None:
    if not text:
        return "no option selected"
    codes = text.split(MULTI_SEPARATOR)
    unknown = [c for c in codes if c not in item.option_values]
    if unknown:
        return f"unknown option {unknown[0]!r}"
    if text != encode_multi(item, codes):
        return "options must be listed once each, in the item's option order"
    return None
