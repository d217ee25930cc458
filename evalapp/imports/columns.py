"""Matching a file's header row to the fields of an import, and reading its rows as records.

Columns are matched by header name, never by position (智慧团建 and our own templates order
them differently). A header matches a field when its :func:`~.tabular.normalise_key` equals
one of the field's accepted names, or when it is several words (split on spaces, ``/``,
``|``, ``:`` and brackets) that each match the same field — so the templates' bilingual
``编码 code`` and a user's ``名称(name)`` both work. Unknown columns are ignored and reported
in the summary; a missing required column or two columns for one field stop the import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from .outcome import ImportFailed, Problem
from .tabular import normalise_key, read_rows

_WORD_SEPARATORS = re.compile(r"[\s/|:()\[\]【】]+")
MAX_PROBLEMS = 1000  # listed; a file with more says how many more there were


@dataclass(frozen=True)
class Field:
    """A column an importer understands: its key, label for messages and accepted headers."""

    key: str
    label: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted header: the label (our template's English name) first."""
        return tuple(dict.fromkeys((self.label, self.key, *self.aliases)))


@dataclass(frozen=True)
class Column:
    """Where a field is in this file: 0-based index and the header as the user wrote it."""

    field: str
    index: int
    header: str

    def __str__(self) -> str:
        return f"{self.header} ({get_column_letter(self.index + 1)})"


@dataclass(frozen=True)
class Record:
    """One data row: its spreadsheet row number and the text of each matched field."""

    row: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Sheet:
    """A file read against a list of fields, collecting problems instead of stopping."""

    file: str
    fields: dict[str, Field]
    columns: dict[str, Column] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header_row: int = 1
    unlisted: int = 0

    def has(self, key: str) -> bool:
        return key in self.columns

    def column_name(self, key: str) -> str:
        column = self.columns.get(key)
        return str(column) if column else self.fields[key].label

    def report(self, row: int | None, key: str | None, reason: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.unlisted += 1
            return
        column = self.column_name(key) if key else None
        self.problems.append(Problem(self.file, row, column, reason))

    def report_no_rows(self) -> None:
        self.report(self.header_row, None, "there are no data rows below the header")

    def raise_if_problems(self) -> None:
        if self.unlisted:
            raise ImportFailed([*self.problems, Problem(
                self.file, None, None, f"{self.unlisted} more problems are not listed; "
                                       "fix these and import again")])
        if self.problems:
            raise ImportFailed(self.problems)


def read_sheet(path: Path, fields: Sequence[Field], required: Sequence[Sequence[str]], *,
               display_name: str | None = None, sheet_hints: Sequence[str] = ()) -> Sheet:
    """Read every row of ``path``; raises :class:`ImportFailed` when the header is unusable.

    ``required`` lists groups of field keys: each group needs at least one column.
    """
    sheet, records = open_sheet(path, fields, required, display_name=display_name,
                                sheet_hints=sheet_hints)
    sheet.records.extend(records)
    if not sheet.records:
        sheet.report_no_rows()
    return sheet


def open_sheet(path: Path, fields: Sequence[Field], required: Sequence[Sequence[str]], *,
               display_name: str | None = None, sheet_hints: Sequence[str] = ()
               ) -> tuple[Sheet, Iterator[Record]]:
    """Like :func:`read_sheet`, but the records stream from the file as they are asked for
    (for files too large to hold; call it again to read the file once more)."""
    sheet = Sheet(display_name or path.name, {f.key: f for f in fields})
    rows = read_rows(path, display_name=sheet.file, sheet_hints=sheet_hints)
    first = next(rows, None)
    if first is None:
        raise ImportFailed([Problem(sheet.file, None, None,
                                    "the file is empty: it has no header row")])
    sheet.header_row, header = first
    _match_header(sheet, sheet.header_row, header, required)
    sheet.raise_if_problems()
    return sheet, (_record(sheet, number, cells) for number, cells in rows)


def _record(sheet: Sheet, number: int, cells: list[str]) -> Record:
    return Record(number, {key: cells[column.index] if column.index < len(cells) else ""
                           for key, column in sheet.columns.items()})


def _match_header(sheet: Sheet, row: int, header: list[str],
                  required: Sequence[Sequence[str]]) -> None:
    names = _accepted_names(sheet.fields.values())
    for index, text in enumerate(header):
        if not text:
            continue
        key = match_field(text, names)
        if key is None:
            sheet.ignored.append(text)
        elif key in sheet.columns:
            here = Column(key, index, text)
            sheet.problems.append(Problem(
                sheet.file, row, str(here),
                f"a second column for {sheet.fields[key].label}; "
                f"{sheet.columns[key]} already gives it"))
        else:
            sheet.columns[key] = Column(key, index, text)
    for group in required:
        if not any(key in sheet.columns for key in group):
            sheet.problems.append(Problem(sheet.file, row, sheet.fields[group[0]].label,
                                          _missing_column(sheet, group)))


def _missing_column(sheet: Sheet, group: Sequence[str]) -> str:
    accepted = dict.fromkeys(name for key in group for name in sheet.fields[key].names)
    reason = f"required column missing; accepted headers: {', '.join(accepted)}"
    if sheet.ignored:
        reason += f" (not recognised here: {', '.join(sheet.ignored)})"
    return reason


def _accepted_names(fields: Iterable[Field]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in fields:
        for name in item.names:
            names[normalise_key(name)] = item.key
    return names


def match_field(header: str, names: dict[str, str]) -> str | None:
    """The field a header names, or None (see the module docstring for the rule)."""
    whole = names.get(normalise_key(header))
    if whole is not None:
        return whole
    words = [w for w in _WORD_SEPARATORS.split(unicodedata.normalize("NFKC", header)) if w]
    keys = {names.get(normalise_key(word)) for word in words}
    if len(words) > 1 and len(keys) == 1 and None not in keys:
        return keys.pop()
    return None
