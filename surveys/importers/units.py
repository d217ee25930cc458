"""Finding the unit a row names, by code or by name.

Both are compared by `cells.text_key` (NFKC, no spaces or zero-width characters, case
folded), so ``Ｂ００１``, ``b001`` and ``第一 团支部`` find ``B001`` / ``第一团支部``. A code wins
over a name; a name several units share is refused unless exactly one of them is in the
round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from surveys.importers.cells import text_key


@dataclass(frozen=True)
class UnitRef:
    """A unit a row may name; ``in_scope`` when the round evaluates it."""

    id: int
    code: str
    name: str
    in_scope: bool = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnknownUnit(ValueError):
    """The text names no unit, or several."""


class UnitIndex:
    def __init__(self, units: Iterable[UnitRef]) -> None:
        self._codes: dict[str, UnitRef] = {}
        self._names: dict[str, list[UnitRef]] = {}
        for unit in units:
            self._codes[text_key(unit.code)] = unit
            self._names.setdefault(text_key(unit.name), []).append(unit)

    def by_code(self, code: str) -> UnitRef | None:
        return self._codes.get(text_key(code))

    def knows(self, text: str) -> bool:
        key = text_key(text)
        return bool(key) and (key in self._codes or key in self._names)

    def resolve(self, text: str) -> UnitRef:
        """The unit ``text`` names; raises `UnknownUnit` with the reason otherwise."""
        key = text_key(text)
        if key in self._codes:
            return self._codes[key]
        named = self._names.get(key, [])
        candidates = [unit for unit in named if unit.in_scope] or named
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            codes = ", ".join(sorted(unit.code for unit in candidates))
            raise UnknownUnit(f"{text!r} names several units ({codes}); give the unit code")
        raise UnknownUnit(f"unknown unit {text!r}: no unit has this code or name")
