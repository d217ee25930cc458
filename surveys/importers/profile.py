"""What a file's question columns hold: the distinct values the mapping has to read.

One pass over the rows; only question columns are read (never the dropped ones), and at
most `MAX_DISTINCT` values per question are kept, so free-text columns cost little.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from surveys.importers.cells import SKIPPED_NUMBERS, WJX_SEPARATOR, is_skipped, parse_number
from surveys.importers.table import WJX, WJX_NUMBER, WJX_TEXT, SourceLayout

MAX_DISTINCT = 300


@dataclass
class SourceProfile:
    """Row count and, per single-column question key, its distinct non-blank cells."""

    rows: int = 0
    values: dict[str, dict[str, int]] = field(default_factory=dict)

    def observed(self, key: str) -> list[str]:
        return list(self.values.get(key, {}))


def profile_rows(layout: SourceLayout, rows: Iterable[tuple[int, list[str]]]) -> SourceProfile:
    profile = SourceProfile()
    questions = [q for q in layout.questions if not q.has_option_columns]
    for question in questions:
        profile.values[question.key] = {}
    for _number, cells in rows:
        profile.rows += 1
        for question in questions:
            cell = question.columns[0].cell(cells)
            if is_skipped(cell):
                continue
            seen = profile.values[question.key]
            if cell in seen:
                seen[cell] += 1
            elif len(seen) < MAX_DISTINCT:
                seen[cell] = 1
    return profile


def resolve_format(layout: SourceLayout, profile: SourceProfile) -> str:
    """The flavour of a 问卷星 export whose header did not tell it.

    By number when there are ``第N题(…)`` columns, or a question holds -3/-2 (skipped),
    or every answer is a whole number; by text when an answer holds ┋ or other text.
    """
    if layout.format != WJX:
        return layout.format
    if any(question.has_option_columns for question in layout.questions):
        return WJX_NUMBER
    cells = [cell for seen in profile.values.values() for cell in seen]
    if any(cell.strip() in SKIPPED_NUMBERS for cell in cells):
        return WJX_NUMBER
    if any(WJX_SEPARATOR in cell for cell in cells):
        return WJX_TEXT
    whole = [parse_number(cell) for cell in cells]
    if cells and all(n is not None and n.is_integer() and "分" not in c
                     for n, c in zip(whole, cells, strict=True)):
        return WJX_NUMBER
    return WJX_TEXT
