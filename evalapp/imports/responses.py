"""Importing responses collected elsewhere: our template, 问卷星 and 腾讯问卷 exports.

Two operations, for the CLI and the upload page alike (see README.md, "Responses"):

- `inspect_responses` reads the file's header and its answer values and returns the
  proposed mapping (or what a given one does with the file) with what the evaluator should
  check (`Inspection.review`). Nothing is written.
- `import_responses` reads every row through a mapping, checks all of them, and only when
  the whole file is good stores the new ones with `record_responses`. Without a mapping it
  infers one and refuses (`MappingNeedsConfirmation`) unless every question maps
  unambiguously.

In an ``experience`` round each row may name its activity (our template's ``activity``
column, or the mapping's activity question): it must exist, belong to the row's unit and
be held within the round's window; a blank cell stores the response without an activity,
as an observer's submission under an assignment that names none (the scores are per unit;
DESIGN.md has "unit (and activity)"). Other rounds record no activity, and a file or
mapping naming one is refused rather than silently dropped (`surveys.importers.rows`).
`response_template` writes the template both the command line and the page hand out.

The file is read in passes rather than held in memory: the checking pass keeps only the
row keys, the writing pass stores `WRITE_CHUNK` responses at a time, all in the caller's
transaction (no commit here). Identifying columns are never read; see
`surveys.importers.table`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.importers import (
    FORMAT_NAMES,
    ActivityIndex,
    ActivityRef,
    MappingReview,
    ParsedResponse,
    ResponseMapping,
    ResponseReader,
    SourceLayout,
    SourceProblem,
    TemplateActivity,
    TemplateSheets,
    UnitIndex,
    UnitRef,
    UnknownActivity,
    infer_mapping,
    parse_layout,
    profile_rows,
    review_mapping,
    template_sheets,
)
from surveys.importers.activities import activity_id as written_activity_id
from surveys.importers.table import TEMPLATE
from surveys.importers.units import UnknownUnit
from surveys.instrument import Instrument as Definition

from .. import audit
from ..instruments.operations import definition_of
from ..models import Activity, Response, Round, RoundUnit, Unit
from ..operations import OperationError
from ..responses.recording import (
    ACCEPTING_STATUSES,
    QUERY_CHUNK,
    Submission,
    SubmissionError,
    record_responses,
)
from .outcome import ImportFailed, Problem
from .tabular import read_rows

SHEET_HINTS = ("responses", "答卷")
EXPERIENCE = "experience"
WRITE_CHUNK = 1000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Inspection:
    """A file read against a round: its layout and the mapping proposed or given."""

    file: str
    layout: SourceLayout
    review: MappingReview

    @property
    def needs_confirmation(self) -> bool:
        return not self.review.certain


class MappingNeedsConfirmation(OperationError):
    """No mapping was given and the inferred one has guesses the evaluator must check."""

    def __init__(self, inspection: Inspection) -> None:
        self.inspection = inspection
        super().__init__(f"{inspection.file}: nothing imported; the mapping needs your "
                         "confirmation")


@dataclass(frozen=True)
class ResponseImportSummary:
    file: str
    format: str
    rows: int
    imported: int
    already: int
    mapping: str | None
    questionnaire: str
    dropped_columns: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    def __str__(self) -> str:
        source = FORMAT_NAMES.get(self.format, self.format)
        mapping = f", mapping {self.mapping!r}" if self.mapping else ""
        return (f"{self.file}: {self.rows} responses — {self.imported} imported, "
                f"{self.already} already imported ({source}{mapping})")


@dataclass(frozen=True)
class _Source:
    """The file: its header, and its data rows as often as they are needed."""

    path: Path
    name: str
    header_row: int
    header: list[str]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        rows = read_rows(self.path, display_name=self.name, sheet_hints=SHEET_HINTS)
        next(rows, None)
        return rows


@dataclass(frozen=True)
class _Context:
    round: Round
    definition: Definition
    units: UnitIndex
    codes: dict[int, str]
    fixed_unit: UnitRef | None
    activities: ActivityIndex | None = None
    fixed_activity: ActivityRef | None = None


@dataclass(frozen=True)
class _Row:
    """What the checking pass keeps of a good row: enough to compare with a stored one."""

    number: int
    unit_id: int
    activity_id: int | None


def inspect_responses(session: Session, round_: Round, path: Path, *,
                      format: str | None = None, mapping: ResponseMapping | None = None,
                      unit: str | None = None, activity: str | None = None,
                      display_name: str | None = None) -> Inspection:
    """The layout of ``path`` and the proposed mapping (or what ``mapping`` does with it).

    ``unit`` (code or name) gives every row's unit when the file has no unit column;
    ``activity`` (an id, experience rounds) every row's activity, and so its unit, when the
    file is about one activity. Raises `ImportFailed` when the file or its header cannot be
    read.
    """
    context = _context(session, round_, unit, activity)
    source, layout = _open(path, display_name or path.name, format)
    return _inspect(source, layout, context, mapping)


def import_responses(session: Session, round_: Round, path: Path,
                     mapping: ResponseMapping | None = None, *, format: str | None = None,
                     unit: str | None = None, activity: str | None = None,
                     actor_id: int | None = None, display_name: str | None = None,
                     mapping_name: str | None = None,
                     dry_run: bool = False) -> ResponseImportSummary:
    """Store the responses of ``path`` in ``round_``, all or nothing; flushes, never commits.

    Raises `MappingNeedsConfirmation` (no ``mapping`` and an uncertain inference),
    `ImportFailed` (every problem of the file, nothing written) or `OperationError` (the
    round takes no responses, an unknown ``unit`` or ``activity``). ``dry_run`` checks
    without writing.
    """
    _check_round(round_)
    context = _context(session, round_, unit, activity)
    source, layout = _open(path, display_name or path.name, format)
    if mapping is None:
        inspection = _inspect(source, layout, context, None)
        # Our template needs no confirmation: its columns are item ids, its cells codes, and
        # a column naming no item is refused below with the other problems of the file.
        if inspection.needs_confirmation and layout.format != TEMPLATE:
            raise MappingNeedsConfirmation(inspection)
        mapping = inspection.review.mapping
    keys = _check_rows(source, layout, mapping, context)
    stored = _stored_units(session, round_.id, keys)
    _check_identities(source.name, keys, stored, context, layout,
                      _reader(layout, mapping, context).activity_column)
    imported = 0 if dry_run else _write(session, source, layout, mapping, context, stored)
    summary = ResponseImportSummary(
        source.name, mapping.format, len(keys), len(keys) - len(stored) if dry_run else imported,
        len(stored), mapping_name, mapping.questionnaire,
        tuple(str(c) for c in layout.dropped), tuple(str(c) for c in layout.ignored))
    if not dry_run:
        audit.record(session, "import", "response", round_.id, actor_id, file=source.name,
                     format=mapping.format, mapping=mapping_name,
                     questionnaire=mapping.questionnaire, rows=summary.rows,
                     imported=summary.imported, already=summary.already)
        session.flush()
    return summary


# --- preparing -------------------------------------------------------------------------


def _check_round(round_: Round) -> None:
    if round_.status not in ACCEPTING_STATUSES:
        raise OperationError(f"round {round_.id} is {round_.status}: it takes no responses "
                             "(import while it is open or closed)")


def _context(session: Session, round_: Round, unit: str | None,
             activity: str | None = None) -> _Context:
    scope = set(session.scalars(select(RoundUnit.unit_id).where(RoundUnit.round_id == round_.id)))
    refs = [UnitRef(id_, code, name, id_ in scope)
            for id_, code, name in session.execute(select(Unit.id, Unit.code, Unit.name))]
    units = UnitIndex(refs)
    activities = _activity_index(session, round_)
    fixed_unit, fixed_activity = _fixed_unit(units, unit, round_), None
    if activity is not None:
        fixed_activity, fixed_unit = _fixed_activity(units, activities, activity, fixed_unit,
                                                     round_)
    return _Context(round_, definition_of(round_.instrument), units,
                    {ref.id: ref.code for ref in refs}, fixed_unit, activities, fixed_activity)


def _activity_index(session: Session, round_: Round) -> ActivityIndex | None:
    """Every activity, for an experience round (None otherwise: it records none).

    All of them, not only the window's, so that a row naming another unit's activity or
    one held outside the window is told exactly that rather than "unknown"; four small
    columns per activity, a few thousand a year.
    """
    if round_.mode != EXPERIENCE:
        return None
    rows = session.execute(select(Activity.id, Activity.unit_id, Unit.code, Activity.held_on,
                                  Activity.title).join(Unit, Unit.id == Activity.unit_id))
    return ActivityIndex((ActivityRef(*row) for row in rows),
                         (round_.opens_on, round_.closes_on))


def response_template(session: Session, round_: Round) -> TemplateSheets:
    """Our template for ``round_``: its units, and in an experience round the activities
    its rows may name (the units' activities within the window, as assignments name them).
    """
    definition = definition_of(round_.instrument)
    units = [(unit.code, unit.name) for unit in round_.units]
    return template_sheets(definition, units, _template_activities(session, round_))


def _template_activities(session: Session, round_: Round) -> list[TemplateActivity] | None:
    if round_.mode != EXPERIENCE:
        return None
    rows = session.execute(
        select(Activity.id, Unit.code, Activity.held_on, Activity.title)
        .join(Unit, Unit.id == Activity.unit_id)
        .join(RoundUnit, RoundUnit.unit_id == Activity.unit_id)
        .where(RoundUnit.round_id == round_.id, Activity.held_on >= round_.opens_on,
               Activity.held_on <= round_.closes_on)
        .order_by(Unit.code, Activity.held_on, Activity.title, Activity.id))
    return [TemplateActivity(*row) for row in rows]


def _fixed_unit(units: UnitIndex, text: str | None, round_: Round) -> UnitRef | None:
    if text is None:
        return None
    try:
        unit = units.resolve(text)
    except UnknownUnit as error:
        raise OperationError(f"--unit: {error}") from error
    if not unit.in_scope:
        raise OperationError(f"unit {unit} is not evaluated in round {round_.id}")
    return unit


def _fixed_activity(units: UnitIndex, activities: ActivityIndex | None, text: str,
                    given_unit: UnitRef | None, round_: Round) -> tuple[ActivityRef, UnitRef]:
    """The activity of every row and, implied by it, their unit (it must agree with a unit
    given too); the activity must be held within the round's window."""
    if activities is None:
        raise OperationError(f"round {round_.id} records no activity: an activity for every "
                             "row is for experience rounds")
    number = written_activity_id(text)
    activity = None if number is None else activities.by_id(number)
    if activity is None:
        raise OperationError(f"unknown activity {text!r}: no activity has this id")
    unit = given_unit or units.resolve(activity.unit_code)
    if not unit.in_scope:
        raise OperationError(f"unit {unit} is not evaluated in round {round_.id}")
    try:
        return activities.check(activity, unit), unit
    except UnknownActivity as error:
        raise OperationError(str(error)) from error


def _open(path: Path, name: str, format: str | None) -> tuple[_Source, SourceLayout]:
    rows = read_rows(path, display_name=name, sheet_hints=SHEET_HINTS)
    first = next(rows, None)
    rows.close()
    if first is None:
        raise ImportFailed([Problem(name, None, None, "the file is empty: it has no header row")])
    source = _Source(path, name, first[0], first[1])
    layout = parse_layout(source.header, source.header_row, format)
    _raise(name, layout.problems)
    return source, layout


def _inspect(source: _Source, layout: SourceLayout, context: _Context,
             mapping: ResponseMapping | None) -> Inspection:
    profile = profile_rows(layout, source.rows())
    given = {"unit_given": context.fixed_unit is not None,
             "activity_given": context.fixed_activity is not None}
    if mapping is None:
        review = infer_mapping(layout, profile, context.definition, context.units,
                               activities=context.activities, **given)
    else:
        review = review_mapping(mapping, layout, profile, context.definition, context.units,
                                activities=context.activities, **given)
    return Inspection(source.name, layout, review)


def _reader(layout: SourceLayout, mapping: ResponseMapping, context: _Context
            ) -> ResponseReader:
    return ResponseReader(layout, mapping, context.definition, context.units,
                          fixed_unit=context.fixed_unit,
                          window=(context.round.opens_on, context.round.closes_on),
                          activities=context.activities,
                          fixed_activity=context.fixed_activity)


# --- checking --------------------------------------------------------------------------


def _check_rows(source: _Source, layout: SourceLayout, mapping: ResponseMapping,
                context: _Context) -> dict[str, _Row]:
    """Read every row; key → its row of a good file, else `ImportFailed`."""
    if mapping.instrument != context.definition.id:
        raise OperationError(f"the mapping is for instrument {mapping.instrument}, the round "
                             f"uses {context.definition.id}")
    reader = _reader(layout, mapping, context)
    _raise(source.name, reader.header_problems())
    problems: list[SourceProblem] = []
    keys: dict[str, _Row] = {}
    for number, cells in source.rows():
        result = reader.read(number, cells)
        if isinstance(result, ParsedResponse):
            keys[result.key] = _Row(result.row, result.unit.id,
                                    result.activity.id if result.activity else None)
        else:
            problems.extend(result)
    if not keys and not problems:
        problems.append(SourceProblem(layout.header_row, None,
                                      "there are no data rows below the header"))
    _raise(source.name, problems)
    return keys


def _stored_units(session: Session, round_id: int, keys: dict[str, _Row]
                  ) -> dict[str, tuple[int, int | None]]:
    """Key → (unit id, activity id) of the rows the round already holds."""
    ordered = sorted(keys)
    found: dict[str, tuple[int, int | None]] = {}
    for start in range(0, len(ordered), QUERY_CHUNK):
        chunk = ordered[start:start + QUERY_CHUNK]
        for key, unit_id, activity_id in session.execute(
                select(Response.submission_key, Response.unit_id, Response.activity_id).where(
                    Response.round_id == round_id, Response.submission_key.in_(chunk))):
            found[key] = (unit_id, activity_id)
    return found


def _check_identities(name: str, keys: dict[str, _Row],
                      stored: dict[str, tuple[int, int | None]], context: _Context,
                      layout: SourceLayout, activity_column: object | None) -> None:
    """A row already imported must name the same unit; otherwise two sources share an
    identity (e.g. copies of one questionnaire, one per unit) and rows would be lost. It
    must name the same activity too: a stored response does not change, so a row that now
    says otherwise would be skipped unseen."""
    column = str(layout.row_id) if layout.row_id else None
    problems = []
    for key, (unit_id, activity_id) in stored.items():
        row = keys[key]
        if unit_id != row.unit_id:
            problems.append(Problem(name, row.number, column, (
                f"this row was imported before for unit {context.codes.get(unit_id)}, but "
                f"names unit {context.codes.get(row.unit_id)}: is this another questionnaire "
                "with the same questions? Give it its own \"questionnaire\" identity in the "
                "mapping, or give the unit at import (--unit)")))
        elif activity_id != row.activity_id:
            where = str(activity_column) if activity_column is not None else column
            problems.append(Problem(name, row.number, where, (
                f"this row was imported before with activity {activity_id or 'none'}, but "
                f"names activity {row.activity_id or 'none'}: an imported response does not "
                "change; exclude it and import the corrected row under a new row id")))
    if problems:
        raise ImportFailed(problems)


def _raise(name: str, problems: Sequence[SourceProblem]) -> None:
    if not problems:
        return
    listed = [Problem(name, p.row, p.column, p.reason) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        listed.append(Problem(name, None, None, f"{len(problems) - MAX_PROBLEMS} more problems "
                                                f"after the first {MAX_PROBLEMS} listed"))
    raise ImportFailed(listed)


# --- writing ---------------------------------------------------------------------------


def _write(session: Session, source: _Source, layout: SourceLayout, mapping: ResponseMapping,
           context: _Context, stored: dict[str, int]) -> int:
    """Store the rows not yet stored, `WRITE_CHUNK` at a time; the count stored."""
    reader = _reader(layout, mapping, context)
    batch: list[Submission] = []
    rows: dict[str, int] = {}
    imported = 0
    for number, cells in source.rows():
        parsed = reader.read(number, cells)
        if not isinstance(parsed, ParsedResponse):
            raise ImportFailed([Problem(source.name, number, None,
                                        "the file changed while it was imported")])
        if parsed.key in stored:
            continue
        batch.append(_submission(parsed))
        rows[parsed.key] = number
        if len(batch) >= WRITE_CHUNK:
            imported += _record(session, context.round, batch, rows, source.name)
    return imported + _record(session, context.round, batch, rows, source.name)


def _submission(parsed: ParsedResponse) -> Submission:
    return Submission(unit_id=parsed.unit.id, submission_key=parsed.key,
                      submitted_on=parsed.submitted_on, answers=parsed.answers,
                      channel=parsed.channel, duration_s=parsed.duration_s,
                      activity_id=parsed.activity.id if parsed.activity else None)


def _record(session: Session, round_: Round, batch: list[Submission], rows: dict[str, int],
            name: str) -> int:
    if not batch:
        return 0
    try:
        record_responses(session, round_, batch)
    except SubmissionError as error:
        raise ImportFailed([Problem(name, rows.get(error.submission_key), None,
                                    str(error))]) from error
    count = len(batch)
    batch.clear()
    return count
