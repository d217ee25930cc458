"""Importing units and observers from CSV and XLSX (see README.md in this folder).

The importers are plain functions over a session: they check the whole file, raise
:class:`ImportFailed` listing every problem, or apply it without committing. The CLI and the
upload page both call them.
"""

from .observers import import_observers
from .outcome import ImportFailed, ImportSummary, Problem
from .tabular import read_rows
from .units import import_units

__all__ = [
    "ImportFailed",
    "ImportSummary",
    "Problem",
    "import_observers",
    "import_units",
    "read_rows",
]
