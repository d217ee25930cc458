"""Problems found while reading an instrument, and the small field readers that find them.

The readers never stop at the first problem: each records what is wrong in a shared list and
returns ``None`` (or the default), so one pass over a file reports everything at once.
"""

from __future__ import annotations

import difflib
import math
import reprlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.vocab import IDENTIFIER, MAX_ID_LENGTH

MISSING: Any = object()


@dataclass(frozen=True)
class Problem:
    """One problem in an instrument file; ``item`` and ``field`` are None when not relevant."""

    source: str
    item: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [f"item {self.item}"] if self.item else []
        if self.field:
            where.append(f"field {self.field}")
        prefix = f"{self.source}: {', '.join(where)}" if where else self.source
        return f"{prefix}: {self.message}"


class InstrumentError(ValueError):
    """An instrument failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Checker:
    """Collects the problems of one source."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InstrumentError(self.problems)


@dataclass(frozen=True)
class Scope:
    """Where a reader is: the item being read and the field path prefix inside it."""

    checker: Checker
    item: str | None = None
    prefix: str = ""

    def add(self, key: str | None, message: str) -> None:
        name = f"{self.prefix}{key}" if key else self.prefix.rstrip(".") or None
        self.checker.problems.append(Problem(self.checker.source, self.item, name, message))

    def nested(self, prefix: str) -> Scope:
        return Scope(self.checker, self.item, f"{self.prefix}{prefix}")

    def for_item(self, item: str) -> Scope:
        return Scope(self.checker, item, "")

    @property
    def count(self) -> int:
        return len(self.checker.problems)


def check_keys(
    scope: Scope,
    raw: Mapping[Any, Any],
    allowed: Collection[str],
    required: Collection[str] = (),
    known: Collection[str] = (),
    owner: str = "",
) -> None:
    """Report unknown keys (with a spelling hint), known keys not used by ``owner``, and
    missing required keys."""
    for key in raw:
        if key in allowed:
            continue
        if key in known:
            scope.add(str(key), f"not used by {owner}")
            continue
        hint = difflib.get_close_matches(str(key), [*allowed], n=1)
        suffix = f"; did you mean {hint[0]}?" if hint else f" (allowed: {', '.join(allowed)})"
        scope.add(str(key), f"unknown field{suffix}")
    for key in required:
        if key not in raw:
            scope.add(key, "is required")


def is_number(value: object) -> bool:
    """True for int and float but not bool (YAML's yes/no are booleans, not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_float(value: object) -> float | None:
    """The value as a finite float (``-0.0`` becomes ``0.0``), or None."""
    if not is_number(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return None
    return number + 0.0 if math.isfinite(number) else None


def get_bool(scope: Scope, raw: Mapping[Any, Any], key: str, default: bool = False) -> bool:
    value = raw.get(key, MISSING)
    if value is MISSING:
        return default
    if not isinstance(value, bool):
        scope.add(key, "must be true or false")
        return default
    return value


def get_number(
    scope: Scope,
    raw: Mapping[Any, Any],
    key: str,
    default: float | None = None,
    low: float | None = None,
    high: float | None = None,
    above: float | None = None,
    rule: str = "must be a finite number",
) -> float | None:
    """A finite float within [low, high] and greater than ``above``; ``rule`` is the message
    when it is not."""
    value = raw.get(key, MISSING)
    if value is MISSING:
        return default
    number = to_float(value)
    out_of_range = number is not None and (
        (low is not None and number < low)
        or (high is not None and number > high)
        or (above is not None and number <= above)
    )
    if number is None or out_of_range:
        scope.add(key, rule)
        return None
    return number


def get_int(
    scope: Scope, raw: Mapping[Any, Any], key: str, low: int, high: int, default: int | None = None
) -> int | None:
    value = raw.get(key, MISSING)
    if value is MISSING:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        scope.add(key, f"must be an integer from {low} to {high}")
        return None
    return value


def get_choice(
    scope: Scope,
    raw: Mapping[Any, Any],
    key: str,
    choices: Sequence[str],
    default: str | None = None,
) -> str | None:
    value = raw.get(key, MISSING)
    if value is MISSING:
        return default
    if not isinstance(value, str) or value not in choices:
        scope.add(key, f"must be one of {', '.join(choices)} (found {shown(value)})")
        return None
    return value


def get_identifier(scope: Scope, raw: Mapping[Any, Any], key: str) -> str | None:
    value = raw.get(key, MISSING)
    if value is MISSING:
        return None
    if not is_identifier(value):
        scope.add(
            key,
            "must be an identifier: a lower-case letter, then lower-case letters, digits "
            f"or _, at most {MAX_ID_LENGTH} characters (found {shown(value)})",
        )
        return None
    return value


def shown(value: object) -> str:
    """A short repr for messages: a bad value may be a whole nested structure."""
    return reprlib.repr(value)


def is_identifier(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_ID_LENGTH
        and IDENTIFIER.fullmatch(value) is not None
    )
