"""Importing responses collected with other tools: our template, 问卷星 and 腾讯问卷 exports.

Pure functions over rows of cells (no Flask, no database): `evalapp.imports.responses`
reads the file, calls these and stores the result.

1. `parse_layout` reads the header row into a neutral `SourceLayout` (row id, date,
   duration, questions; identifying columns dropped unread).
2. `profile_rows` collects the distinct values of each question column.
3. `infer_mapping` proposes a `ResponseMapping` (question → item, option → code, the unit
   column) with a `MappingReview` that marks what the evaluator should check;
   `review_mapping` shows what a saved mapping does with a new file.
4. `ResponseReader` reads each row through the confirmed mapping into a `ParsedResponse`
   or its problems.

`template_sheets` / `write_template_xlsx` / `write_template_csv` generate our template.
In an ``experience`` round rows also name their activity (`activities`).
"""

from surveys.importers.activities import ActivityIndex, ActivityRef, UnknownActivity
from surveys.importers.formats import detect_format, parse_layout
from surveys.importers.inference import (
    ActivityReview,
    MappingReview,
    QuestionReview,
    UnitReview,
    infer_mapping,
    review_mapping,
)
from surveys.importers.mapping import (
    ActivityMap,
    MappingError,
    QuestionMap,
    ResponseMapping,
    UnitMap,
)
from surveys.importers.profile import SourceProfile, profile_rows, resolve_format
from surveys.importers.rows import ParsedResponse, ResponseReader
from surveys.importers.table import (
    CHANNELS,
    FORMAT_CHOICES,
    FORMAT_NAMES,
    FORMATS,
    SourceColumn,
    SourceLayout,
    SourceProblem,
    SourceQuestion,
)
from surveys.importers.template_writer import (
    TemplateActivity,
    TemplateSheets,
    template_sheets,
    write_template_csv,
    write_template_xlsx,
)
from surveys.importers.units import UnitIndex, UnitRef

__all__ = [
    "CHANNELS",
    "FORMATS",
    "FORMAT_CHOICES",
    "FORMAT_NAMES",
    "ActivityIndex",
    "ActivityMap",
    "ActivityRef",
    "ActivityReview",
    "MappingError",
    "MappingReview",
    "ParsedResponse",
    "QuestionMap",
    "QuestionReview",
    "ResponseMapping",
    "ResponseReader",
    "SourceColumn",
    "SourceLayout",
    "SourceProblem",
    "SourceProfile",
    "SourceQuestion",
    "TemplateActivity",
    "TemplateSheets",
    "UnitIndex",
    "UnitMap",
    "UnitRef",
    "UnitReview",
    "UnknownActivity",
    "detect_format",
    "infer_mapping",
    "parse_layout",
    "profile_rows",
    "resolve_format",
    "review_mapping",
    "template_sheets",
    "write_template_csv",
    "write_template_xlsx",
]
