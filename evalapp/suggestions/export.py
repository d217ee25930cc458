"""Suggestions as an XLSX workbook for the evaluation team and the units it forwards to.

One sheet 意见建议 with Chinese headers, a frozen header row and a filter. Text a
spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) gets a leading
apostrophe, as in every CSV and XLSX the project writes (`reports.writers.neutralise`);
characters XLSX cannot hold are dropped. The same suggestions give byte-identical files:
the workbook's timestamps and the archive's member dates are fixed.

The export carries no submission date: a suggestion forwarded to a unit with the day it was
written would tell the unit when an observer visited (DESIGN.md, anonymity). The round
names the period.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.writers import neutralise

from .. import audit
from ..instruments.operations import definition_of
from ..models import Round, Suggestion
from ..rounds.scope import Hierarchy
from .operations import list_suggestions

SHEET_TITLE = "意见建议"
STATUS_LABELS = {"new": "待处理", "forwarded": "已转交", "resolved": "已办结"}
HEADERS = ("编号", "批次编号", "批次", "县区", "单位代码", "单位名称", "题目", "意见建议",
           "状态", "处理记录", "状态更新日期")
WIDTHS = (8, 9, 28, 14, 14, 28, 30, 60, 9, 50, 13)
WRAPPED = ("意见建议", "处理记录")
FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SuggestionRow:
    """One line of the export, in the order of :data:`HEADERS`."""

    id: int
    round_id: int
    round_name: str
    county: str
    unit_code: str
    unit_name: str
    question: str
    text: str
    status: str
    note: str
    status_changed_on: str


def export_xlsx(
    session: Session,
    *,
    round_id: int | None = None,
    unit_code: str | None = None,
    under: str | None = None,
    status: str | None = None,
    actor_id: int | None = None,
) -> bytes:
    """The suggestions the filters select (see `list_suggestions`) as XLSX bytes.

    Records an ``export`` audit event; the caller commits.
    """
    suggestions = list_suggestions(session, round_id=round_id, unit_code=unit_code,
                                   under=under, status=status)
    filters = {"round_id": round_id, "unit_code": unit_code, "under": under, "status": status}
    return workbook_bytes(export_rows(session, suggestions, filters, actor_id))


def export_rows(session: Session, suggestions: Sequence[Suggestion],
                filters: Mapping[str, Any], actor_id: int | None = None
                ) -> list[SuggestionRow]:
    """The export's rows; records the ``export`` audit event with the filters used."""
    audit.record(session, "export", "suggestion", None, actor_id, format="xlsx",
                 count=len(suggestions),
                 filters={key: value for key, value in filters.items() if value is not None})
    rounds = {r.id: r for r in session.scalars(
        select(Round).where(Round.id.in_({s.round_id for s in suggestions})))}
    questions = {round_id: _questions(round_) for round_id, round_ in rounds.items()}
    hierarchy = Hierarchy.load(session)
    rows = []
    for s in suggestions:
        county = hierarchy.county_of(s.unit_id)
        rows.append(SuggestionRow(
            s.id, s.round_id, rounds[s.round_id].name, county.name if county else "",
            s.unit.code, s.unit.name, questions[s.round_id].get(s.item_id, s.item_id), s.text,
            STATUS_LABELS[s.status], s.note or "",
            s.status_changed_on.isoformat() if s.status_changed_on else ""))
    return rows


def _questions(round_: Round) -> dict[str, str]:
    return {item.id: item.text.zh for item in definition_of(round_.instrument).items}


def workbook_bytes(rows: Sequence[SuggestionRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(value) for value in astuple(row)])
    _layout(sheet, len(rows))
    return _fixed_bytes(workbook)


def _safe(value: object) -> object:
    """Text cells neutralised (see the module docstring); blanks as empty cells."""
    if not isinstance(value, str):
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)) or None


def _layout(sheet: Worksheet, count: int) -> None:
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{count + 1}"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for header in WRAPPED:
        column = get_column_letter(HEADERS.index(header) + 1)
        for cell in sheet[column][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _fixed_bytes(workbook: Workbook) -> bytes:
    """Save with fixed timestamps, then rewrite the archive with fixed member dates."""
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member.filename))
    return fixed.getvalue()
