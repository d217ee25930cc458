"""Generating the response template of an instrument, as XLSX or CSV.

The XLSX has three sheets: ``responses`` (the header row to fill in: ``unit``, ``ref``,
``channel``, ``date``, ``duration_s``, then one column per item id, with drop-down lists
where the answers are codes), ``legend`` (per column: the question in Chinese and English,
its type, whether it is required and when it is shown, its codes) and ``units`` (the codes
and names of the units a row may name). The CSV form is the header in ``NAME.csv`` and the
legend and units in ``NAME.legend.csv``, both UTF-8 with BOM so Excel and WPS read Chinese.

For an ``experience`` round (``activities`` given, possibly empty) an ``activity`` column
follows ``duration_s`` and a fourth sheet ``activities`` (in CSV, a last block of the
legend file) lists the activities rows may name: id, unit code, date, title. The id is what
the team sees in the weekly activity list and what the column takes.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from surveys.importers.cells import column_letter
from surveys.importers.table import CHANNELS
from surveys.instrument import Instrument
from surveys.model import Item
from surveys.vocab import LIKERT, MULTI, NUMBER, RATING10, SINGLE, TEXT, YESNO

META_COLUMNS = ("unit", "ref", "channel", "date", "duration_s")
ACTIVITY_COLUMN = "activity"
LEGEND_HEADER = ("column", "题目", "question", "type", "required 必答", "shown when 显示条件",
                 "codes 填写代码", "n/a · don't know 不适用 · 不知道")
META_LEGEND = {
    "unit": ("单位代码或名称（见 units 表）", "unit code or name (see the units sheet)", "unit",
             "yes", "", "a code from the units sheet"),
    "ref": ("问卷编号（写在纸质问卷上，同一单位内不重复）",
            "the questionnaire's own number, written on the paper; unique within the unit",
            "text", "yes", "", "e.g. 017"),
    "channel": ("收集方式（空白为 paper）", "how it was collected (blank: paper)", "code", "no",
                "", ", ".join(CHANNELS)),
    "date": ("填写日期", "the day it was filled in", "date", "yes", "", "2026-11-05"),
    "duration_s": ("用时（秒）", "time taken, in seconds", "number", "no", "", "e.g. 300"),
    ACTIVITY_COLUMN: ("参加的活动编号（见 activities 表；空白为未注明）",
                      "the activity's id (see the activities sheet; blank: not recorded)",
                      "activity", "no", "", "an id from the activities sheet"),
}
ACTIVITIES_HEADER = ["id", "unit", "date", "title"]
DATA_ROWS = 5000
LIST_LIMIT = 255  # Excel's limit on an inline drop-down list
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TemplateActivity:
    """An activity a row may name, as the ``activities`` sheet lists it."""

    id: int
    unit_code: str
    held_on: dt.date
    title: str


@dataclass(frozen=True)
class TemplateSheets:
    header: list[str]
    legend: list[list[str]]
    units: list[list[str]]
    activities: list[list[str]] | None = None


def template_sheets(instrument: Instrument, units: Sequence[tuple[str, str]] = (),
                    activities: Sequence[TemplateActivity] | None = None) -> TemplateSheets:
    """The template of ``instrument``; ``units`` are the (code, name) pairs rows may name,
    ``activities`` (experience rounds only) the activities they may name."""
    meta = [*META_COLUMNS, *([ACTIVITY_COLUMN] if activities is not None else [])]
    header = [*meta, *(item.id for item in instrument.items)]
    legend = [list(LEGEND_HEADER)]
    legend += [[column, *META_LEGEND[column][:5], META_LEGEND[column][5], ""]
               for column in meta]
    legend += [_legend_row(item) for item in instrument.items]
    listed = None if activities is None else [ACTIVITIES_HEADER, *(
        [str(a.id), a.unit_code, a.held_on.isoformat(), _safe(a.title)] for a in activities)]
    return TemplateSheets(header, legend,
                          [["code", "name"], *([code, _safe(name)] for code, name in units)],
                          listed)


def _safe(text: str) -> str:
    """Text that Excel will not run as a formula (DESIGN.md: formula injection)."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def _legend_row(item: Item) -> list[str]:
    required = "yes" if item.required else "no"
    return [item.id, _safe(item.text.zh), _safe(item.text.en), item.type, required,
            _condition(item), _codes(item), _flags(item)]


def _condition(item: Item) -> str:
    if item.relevant is None:
        return "always"
    return f"{item.relevant.item} = {' / '.join(item.relevant.values)}"


def _codes(item: Item) -> str:
    if item.type == LIKERT and item.points:
        labels = [f"{p} = {label.zh}" for p in range(1, item.points + 1)
                  if (label := item.scale_label(p)) is not None]
        return "; ".join([f"1–{item.points}", *labels])
    if item.type == YESNO:
        return "1 = 是 yes; 0 = 否 no"
    if item.type == RATING10:
        return "0–10"
    if item.type == NUMBER:
        return "a number 数字"
    if item.type == TEXT:
        return f"free text 文字, at most {item.max_length} characters"
    options = "; ".join(f"{o.value} = {o.label.zh}" for o in item.options)
    if item.type == MULTI:
        return f"codes separated by commas 多选用逗号分隔, e.g. {item.options[0].value},"\
               f"{item.options[1].value}: {options}"
    return options


def _flags(item: Item) -> str:
    flags = (["na = 不适用"] if item.allow_na else []) + (
        ["dk = 不知道"] if item.allow_dont_know else [])
    return "; ".join(flags)


def _choices(item: Item) -> list[str] | None:
    """The codes of a drop-down list, or None where the answer is not one code."""
    codes: list[str] | None = None
    if item.type == SINGLE:
        codes = list(item.option_values)
    elif item.type == YESNO:
        codes = ["1", "0"]
    elif item.type == LIKERT and item.points:
        codes = [str(p) for p in range(1, item.points + 1)]
    elif item.type == RATING10:
        codes = [str(p) for p in range(11)]
    if codes is None:
        return None
    return codes + (["na"] if item.allow_na else []) + (["dk"] if item.allow_dont_know else [])


def write_template_xlsx(target: str | Path | BinaryIO, sheets: TemplateSheets,
                        instrument: Instrument) -> None:
    workbook = Workbook()
    responses = workbook.active
    responses.title = "responses"
    responses.append(sheets.header)
    responses.freeze_panes = "A2"
    for cell in responses[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(sheets.header):
        responses.column_dimensions[column_letter(index)].width = max(10, len(column) + 2)
    _add_validations(responses, sheets, instrument)
    for title, rows in _extra_sheets(sheets):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    workbook.save(target)


def _extra_sheets(sheets: TemplateSheets) -> list[tuple[str, list[list[str]]]]:
    extra = [("legend", sheets.legend), ("units", sheets.units)]
    return extra + ([("activities", sheets.activities)] if sheets.activities else [])


def _add_validations(sheet: Worksheet, sheets: TemplateSheets, instrument: Instrument) -> None:
    lists: dict[int, str] = {META_COLUMNS.index("channel"): _inline(list(CHANNELS))}
    if len(sheets.units) > 1:
        lists[META_COLUMNS.index("unit")] = f"units!$A$2:$A${len(sheets.units)}"
    first_item = sheets.header.index(instrument.items[0].id) if instrument.items else 0
    if sheets.activities is not None and len(sheets.activities) > 1:
        lists[sheets.header.index(ACTIVITY_COLUMN)] = \
            f"activities!$A$2:$A${len(sheets.activities)}"
    for index, item in enumerate(instrument.items, start=first_item):
        codes = _choices(item)
        if codes is not None and len(",".join(codes)) <= LIST_LIMIT:
            lists[index] = _inline(codes)
    for index, formula in lists.items():
        letter = column_letter(index)
        validation = DataValidation(type="list", formula1=formula, allow_blank=True,
                                    errorStyle="warning", showErrorMessage=True)
        validation.add(f"{letter}2:{letter}{DATA_ROWS}")
        sheet.add_data_validation(validation)


def _inline(codes: list[str]) -> str:
    return '"' + ",".join(codes) + '"'


def write_template_csv(path: Path, sheets: TemplateSheets) -> list[Path]:
    """Write ``path`` (the header) and ``path``'s ``.legend.csv``; returns both paths."""
    legend_path = path.with_name(f"{path.stem}.legend.csv")
    _write_csv(path, [sheets.header])
    activities = [[], *sheets.activities] if sheets.activities else []
    _write_csv(legend_path, [*sheets.legend, [], *sheets.units, *activities])
    return [path, legend_path]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
