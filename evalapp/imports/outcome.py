"""What an import reports: the problems that stopped it, or the counts of what it did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..operations import OperationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file; ``row`` and ``column`` are None when not relevant.

    ``row`` is the spreadsheet row number (the header is row 1 in a normal file) and
    ``column`` the header as written in the file, with its column letter.
    """

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


class ImportFailed(OperationError):
    """A file was refused; ``problems`` lists every problem found, in row order.

    Nothing was written: importers validate the whole file before changing the session.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.row or 0)
        count = len(self.problems)
        files = sorted({problem.file for problem in self.problems})
        heading = (f"{', '.join(files)}: nothing imported, "
                   f"{count} problem{'s' if count != 1 else ''}:")
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class ImportSummary:
    """The counts of one successful import (``what`` is ``units`` or ``observers``)."""

    what: str
    file: str
    created: int
    updated: int
    unchanged: int
    ignored_columns: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (f"{self.file}: {self.rows} {self.what} — {self.created} created, "
                f"{self.updated} updated, {self.unchanged} unchanged")
