"""Reading the rows of an export through a confirmed mapping.

`ResponseReader.read` turns one row into a `ParsedResponse`, or into the problems that
stop it — every problem of the row, each with its column: a missing or repeated row id,
an unknown unit, a bad date or duration, an unreadable cell, an answer out of range, an
answer to an item its condition hides, a required item that was shown but not answered.

**Source identity.** A row is known by where it comes from, never by its answers (two
young people may answer alike):

- 问卷星: ``wjx:<questionnaire>:<序号>``; 腾讯问卷: ``tencent:<questionnaire>:<编号>``.
  ``序号``/``编号`` is the export's own row number, stable across downloads (a later download
  of the same questionnaire has more rows, and so a different file hash, but the same
  numbers). ``<questionnaire>`` is the mapping's ``questionnaire`` (see `mapping`): the
  questions, not the file. When the unit is given at import rather than read from a
  column (one questionnaire per unit), its code joins the key:
  ``wjx:<questionnaire>:<unit>:<序号>``, since each copy numbers its rows from 1.
- The template: ``template:<unit code>:<ref>`` — ``ref`` is the number written on the
  paper questionnaire, unique within its unit.

The activity (``experience`` rounds only) does not join the key: it is what the row says,
not where it comes from.

**Activities.** Given an `ActivityIndex` (the round is an experience round), a row's
activity is read from our template's ``activity`` column or the mapping's activity question
and checked (`activities`): a blank cell leaves the response without an activity, as an
observer's submission under an assignment that names none. Without an index the round
records no activity, and a file or mapping that names one is refused at the header rather
than dropped: the evaluator filled that column in and would lose it unseen.
"""


from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from surveys.answers import Answer, validate_answer
from surveys.importers.activities import ActivityIndex, ActivityRef, UnknownActivity, activity_id
from surveys.importers.cells import (
    is_skipped,
    parse_date,
    parse_duration,
    strip_option_letter,
    text_key,
)
from surveys.importers.mapping import ResponseMapping
from surveys.importers.table import (
    FORMAT_NAMES,
    TEMPLATE,
    TENCENT,
    WJX,
    WJX_NUMBER,
    WJX_TEXT,
    SourceColumn,
    SourceLayout,
    SourceProblem,
    SourceQuestion,
)
from surveys.importers.template import header_item_id, parse_channel
from surveys.importers.units import UnitIndex, UnitRef, UnknownUnit
from surveys.importers.values import (
    CellError,
    answer_for_code,
    read_cell,
    read_option_columns,
    table_of,
)
from surveys.instrument import Instrument
from surveys.model import Item
from surveys.vocab import IDENTIFIER, MULTI

# Keys stay within the database's 128 characters: prefix, a 16-character questionnaire
# identity, a unit code of at most 64 and a row id of at most 36.
MAX_ROW_ID = 36
MAX_KEY = 128
KEY_PREFIXES = {TEMPLATE: "template", TENCENT: "tencent"}  # 问卷星's flavours share "wjx"
NO_ACTIVITY = ("this round records no activity (only experience rounds do): remove the "
               "activity column, or the activity from the mapping")


@dataclass(frozen=True)
class ParsedResponse:
    """One good row, ready to be stored."""

    row: int
    key: str
    row_id: str
    unit: UnitRef
    submitted_on: dt.date
    duration_s: int | None
    channel: str
    answers: dict[str, Answer]
    activity: ActivityRef | None = None


@dataclass(frozen=True)
class _Feed:
    question: SourceQuestion
    item: Item
    table: dict[str, str]


@dataclass
class _Row:
    number: int
    cells: list[str]
    problems: list[SourceProblem] = field(default_factory=list)

    def report(self, column: object | None, reason: str) -> None:
        self.problems.append(SourceProblem(self.number, None if column is None else str(column),
                                           reason))


class ResponseReader:
    """Reads rows of ``layout`` with ``mapping``; `header_problems` first, then `read`."""

    def __init__(self, layout: SourceLayout, mapping: ResponseMapping, instrument: Instrument,
                 units: UnitIndex, *, fixed_unit: UnitRef | None = None,
                 window: tuple[dt.date, dt.date] | None = None,
                 activities: ActivityIndex | None = None,
                 fixed_activity: ActivityRef | None = None) -> None:
        self.layout, self.mapping, self.instrument = layout, mapping, instrument
        self.units, self.fixed_unit, self.window = units, fixed_unit, window
        self.activities, self.fixed_activity = activities, fixed_activity
        self.problems: list[SourceProblem] = list(layout.problems)
        self._check_format()
        self.feeds = self._feeds()
        self.unit_question = self._unit_question()
        self.unit_table = {text_key(text): code for text, code in mapping.unit.values.items()}
        self.activity_column = self._activity_column()
        self.activity_table = {text_key(text): int(code) for text, code in
                               (mapping.activity.values if mapping.activity else {}).items()}
        self.fixed = self._fixed()
        self.seen: dict[str, int] = {}
        self._check_template_columns()

    def header_problems(self) -> list[SourceProblem]:
        return self.problems

    # --- the plan --------------------------------------------------------------------

    def _problem(self, reason: str, column: object | None = None) -> None:
        self.problems.append(SourceProblem(self.layout.header_row,
                                           None if column is None else str(column), reason))

    def _check_format(self) -> None:
        found, wanted = self.layout.format, self.mapping.format
        if found != wanted and not (found == WJX and wanted in (WJX_TEXT, WJX_NUMBER)):
            self._problem(f"this file is a {FORMAT_NAMES[found]}, the mapping is for a "
                          f"{FORMAT_NAMES[wanted]}")

    def _feeds(self) -> list[_Feed]:
        feeds = []
        for entry in self.mapping.mapped:
            question = self.layout.question(entry.source)
            item = self.instrument.item(entry.item or "")
            if question is None:
                self._problem(f"the mapping feeds item {item.id} from question "
                              f"{entry.source!r}, which this file does not have")
            elif question.has_option_columns and item.type != MULTI:
                self._problem(f"one column per option fits a multiple-choice item, not "
                              f"item {item.id} ({item.type})", question)
            else:
                feeds.append(_Feed(question, item, table_of(entry.values)))
        return feeds

    def _unit_question(self) -> SourceColumn | None:
        if self.fixed_unit is not None:
            return None
        if self.layout.format == TEMPLATE:
            return self.layout.unit
        source = self.mapping.unit.source
        question = self.layout.question(source) if source else None
        if question is not None and not question.has_option_columns:
            return question.columns[0]
        if source:
            self._problem(f"the mapping reads the unit from question {source!r}, which this "
                          "file does not have as one column")
        else:
            self._problem("no column names the unit: map one in the mapping, or give the unit "
                          "of every row at import")
        return None

    def _activity_column(self) -> SourceColumn | None:
        if self.fixed_activity is not None:  # given at import: no column is read
            return None
        source = self.mapping.activity.source if self.mapping.activity else None
        if self.layout.format == TEMPLATE:
            column = self.layout.activity
        else:
            question = self.layout.question(source) if source else None
            column = question.columns[0] if question and not question.has_option_columns \
                else None
            if source and column is None:
                self._problem(f"the mapping reads the activity from question {source!r}, "
                              "which this file does not have as one column")
        if self.activities is None and (column is not None or source):
            self._problem(NO_ACTIVITY, column)
            return None
        return column

    def _fixed(self) -> dict[str, Answer]:
        fixed = {}
        for item_id, code in self.mapping.fixed.items():
            answer = answer_for_code(self.instrument.item(item_id), code)
            if answer is not None:
                fixed[item_id] = answer
        return fixed

    def _check_template_columns(self) -> None:
        if self.layout.format != TEMPLATE:
            return
        fed = {text_key(feed.question.key) for feed in self.feeds}
        for question in self.layout.questions:
            word = header_item_id(question.key)
            if text_key(question.key) not in fed and IDENTIFIER.fullmatch(word):
                self._problem(f"instrument {self.instrument.id} has no item {word!r}", question)

    # --- one row ---------------------------------------------------------------------

    def read(self, number: int, cells: list[str]) -> ParsedResponse | list[SourceProblem]:
        """The response in the row, or every problem found in it."""
        row = _Row(number, cells)
        row_id = self._row_id(row)
        unit = self._unit(row)
        submitted_on = self._date(row)
        duration = self._duration(row)
        channel = self._channel(row)
        activity = self._activity(row, unit)
        answers = self._answers(row)
        key = self._key(row, row_id, unit)
        if row.problems or unit is None or submitted_on is None or channel is None:
            return row.problems
        return ParsedResponse(number, key, row_id, unit, submitted_on, duration, channel,
                              answers, activity)

    def _row_id(self, row: _Row) -> str:
        column = self.layout.row_id
        if column is None:
            return ""
        row_id = re.sub(r"\s+", " ", column.cell(row.cells)).strip()
        if not row_id:
            row.report(column, "missing row id: every row needs its own number")
        elif len(row_id) > MAX_ROW_ID:
            row.report(column, f"row id longer than {MAX_ROW_ID} characters")
        return row_id

    def _unit(self, row: _Row) -> UnitRef | None:
        if self.fixed_unit is not None:
            return self.fixed_unit
        column = self.unit_question
        if column is None:
            return None
        text = column.cell(row.cells)
        if not text:
            row.report(column, "missing unit")
            return None
        try:
            unit = self._resolve_unit(text)
        except UnknownUnit as error:
            row.report(column, str(error))
            return None
        if not unit.in_scope:
            row.report(column, f"unit {unit} is not evaluated in this round")
            return None
        return unit

    def _resolve_unit(self, text: str) -> UnitRef:
        code = self.unit_table.get(text_key(text))
        unit = self.units.by_code(code) if code is not None else None
        if code is not None and unit is None:
            raise UnknownUnit(f"the mapping translates {text!r} to unit code {code!r}, which "
                              "does not exist")
        return unit or self.units.resolve(text)

    def _activity(self, row: _Row, unit: UnitRef | None) -> ActivityRef | None:
        """The row's activity; None for a blank cell (allowed) or after reporting why the
        cell names none of the unit's activities."""
        if self.fixed_activity is not None:
            return self.fixed_activity
        column, index = self.activity_column, self.activities
        if column is None or index is None or unit is None:
            return None
        text = column.cell(row.cells)
        if is_skipped(text, by_number=self.mapping.format == WJX_NUMBER):
            return None
        try:
            return self._resolve_activity(index, text, unit)
        except UnknownActivity as error:
            row.report(column, str(error))
            return None

    def _resolve_activity(self, index: ActivityIndex, text: str, unit: UnitRef
                          ) -> ActivityRef:
        """Through the mapping's values first; a 问卷星 option number must be translated
        there (option 2 is not activity 2)."""
        number = self.activity_table.get(text_key(text))
        if number is not None:
            activity = index.by_id(number)
            if activity is None:
                raise UnknownActivity(f"the mapping translates {text!r} to activity "
                                      f"{str(number)!r}, which does not exist")
            return index.check(activity, unit)
        if self.mapping.format == WJX_NUMBER and activity_id(text) is not None:
            raise UnknownActivity(f"option {text!r} of the activity question: give its "
                                  "activity id in the mapping's activity values")
        if self.mapping.format == TENCENT:
            text = strip_option_letter(text)
        return index.resolve(text, unit)

    def _date(self, row: _Row) -> dt.date | None:
        column = self.layout.date
        if column is None:
            return None
        text = column.cell(row.cells)
        day = parse_date(text) if text else None
        if not text:
            row.report(column, "missing date")
        elif day is None:
            row.report(column, f"bad date {text!r}: write it as 2026-11-05 (a time may follow)")
        elif self.window and not self.window[0] <= day <= self.window[1]:
            row.report(column, f"date {day} is outside the round's window "
                               f"{self.window[0]} – {self.window[1]}")
        return day

    def _duration(self, row: _Row) -> int | None:
        column = self.layout.duration
        text = column.cell(row.cells) if column is not None else ""
        if not text or text.upper() == "NULL":
            return None
        seconds = parse_duration(text)
        if seconds is None:
            row.report(column, f"duration {text!r} is not a number of seconds")
        return seconds

    def _channel(self, row: _Row) -> str | None:
        column = self.layout.channel
        if self.layout.format != TEMPLATE or column is None:
            return self.mapping.channel
        text = column.cell(row.cells)
        channel = parse_channel(text)
        if channel is None:
            row.report(column, f"unknown channel {text!r}: use paper, phone, onsite, handout, "
                               "online or import (纸质, 电话, 现场, 发放, 线上, 导入)")
        return channel

    def _answers(self, row: _Row) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        unreadable: set[str] = set()
        for feed in self.feeds:
            try:
                answer = self._read(feed, row.cells)
            except CellError as error:
                row.report(error.column or feed.question, error.reason)
                unreadable.add(feed.item.id)
                continue
            if answer is not None:
                answers[feed.item.id] = answer
        if not answers and not unreadable:
            row.report(None, "the row answers none of the mapped questions")
        answers.update(self.fixed)
        self._validate(row, answers, unreadable)
        return answers

    def _read(self, feed: _Feed, cells: list[str]) -> Answer | None:
        question, format = feed.question, self.mapping.format
        if question.has_option_columns:
            return read_option_columns(feed.item, feed.table, question.columns,
                                       question.options, cells, format)
        return read_cell(feed.item, feed.table, question.columns[0].cell(cells), format)

    def _validate(self, row: _Row, answers: Mapping[str, Answer], unreadable: set[str]
                  ) -> None:
        """Each answer legal and shown, each shown required item answered (cells that could
        not be read are reported once, above)."""
        columns = {feed.item.id: feed.question for feed in self.feeds}
        for item in self.instrument.items:
            if item.id in unreadable:
                continue
            answer = answers.get(item.id)
            column = columns.get(item.id)
            where = f"item {item.id}" + ("" if column else " (no column in this file)")
            shown = item.is_shown(answers)
            if answer is None:
                if shown and item.required:
                    row.report(column, f"{where} is required but not answered")
            elif not shown and item.relevant is not None:
                if item.relevant.item in unreadable:
                    continue
                row.report(column, f"{where} is answered, but its condition on item "
                                   f"{item.relevant.item} hides it")
            elif reason := validate_answer(item, answer.value, answer.text, answer.na,
                                           answer.dont_know):
                row.report(column, f"{where}: {reason}{_found(answer)}")

    def _key(self, row: _Row, row_id: str, unit: UnitRef | None) -> str:
        if not row_id or (unit is None and self.fixed_unit is None):
            return ""
        if self.layout.format == TEMPLATE:
            key = f"template:{unit.code if unit else ''}:{row_id}"
        else:
            prefix = KEY_PREFIXES.get(self.mapping.format, "wjx")
            parts = [prefix, self.mapping.questionnaire]
            if self.fixed_unit is not None:
                parts.append(self.fixed_unit.code)
            if self.fixed_activity is not None:  # exports of one survey per activity
                parts.append(f"a{self.fixed_activity.id}")
            key = ":".join([*parts, row_id])
        if len(key) > MAX_KEY:
            row.report(self.layout.row_id, f"the row's identity {key!r} is longer than "
                                           f"{MAX_KEY} characters")
        elif key in self.seen:
            row.report(self.layout.row_id, f"row id {row_id} appears twice (also row "
                                           f"{self.seen[key]})")
        else:
            self.seen[key] = row.number
        return key


def _found(answer: Answer) -> str:
    if answer.value is not None:
        return f" (found {answer.value:g})"
    return ""
