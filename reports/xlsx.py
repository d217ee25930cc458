"""The round's Excel workbook (openpyxl), with the same bytes for the same data.

Sheets: `scores` (the score table), `items` (item results), `counties` (roll-ups, then the
whole round pooled), `trend` (when there is a previous round), `suggestions`, `quality`
(flagged or excluded responses), `reliability`, `method` (settings, instrument, versions).
Each sheet has two frozen header rows, Chinese above the English key, an auto-filter,
column widths from the content and number formats `0.00` (numbers are stored rounded to 2
decimals, as printed and as ranked). A suppressed score is the text `SUPPRESSED`, never a
number. Every text cell is neutralised like the CSV files (a leading apostrophe before
`= + - @`, tab or CR) and stored as a string, never as a formula.

Reproducible: workbook properties carry `ReportData.generated_at` (SOURCE_DATE_EPOCH) or a
fixed date, and every zip member has a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from reports import labels
from reports.charts.base import em_width
from reports.model import OVERALL_CODE, ReportData
from reports.settings import DIMENSIONS
from reports.writers import neutralise

FIXED_DATE = dt.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
KEY_FILL = PatternFill("solid", fgColor="F2F2F2")
FIELD_ZH = {
    "n": "答卷数", "raw": "原始得分", "sd": "标准差", "se": "标准误", "ci_low": "95%置信下限",
    "ci_high": "95%置信上限", "adjusted": "调整后得分", "suppressed": "样本不足",
    "previous": "上轮得分", "delta": "变化", "significant": "显著变化",
}
COLUMN_ZH = {
    "round": "评议批次", "unit_code": "单位编码", "unit_name": "单位名称", "unit_kind": "单位类型",
    "parent_code": "上级编码", "composite_raw": "综合得分（原始）",
    "composite_adjusted": "综合得分（调整后）", "composite_suppressed": "综合得分样本不足",
    "rank": "排名", "rank_in_kind": "同类排名", "stars": "星级", "item_id": "题目编号",
    "item_text": "题干", "dimension": "维度", "mean": "平均题目得分", "positive_pct": "正面率%",
    "positive_ci_low": "正面率95%下限", "positive_ci_high": "正面率95%上限",
    "suppressed": "样本不足", "group_code": "汇总单位编码", "group_name": "汇总单位名称",
    "group_kind": "汇总层级", "units": "单位数", "units_published": "已公布单位数",
    "text": "意见建议", "status": "处理状态", "response_id": "答卷编号", "excluded": "已排除",
    "excluded_reason": "排除原因", "straight_lining": "直线作答", "speeding": "作答过快",
    "duplicate": "重复答卷", "duplicate_of": "重复于", "flagged": "有标记",
    "previous_round": "上一轮", "composite_previous": "综合得分（上轮原始）",
    "composite_delta": "综合得分变化", "items": "题数", "alpha": "Cronbach α",
    "group": "答题人分组",
    "icc1": "ICC(1)", "icck": "ICC(1,k)", "n0": "n₀", "item_rest_r": "题目-其余相关",
    "key": "项目", "value": "值",
} | {f"stars_{s}": f"{s}星单位数" for s in range(1, 6)}


def workbook_bytes(data: ReportData) -> bytes:
    """The workbook as bytes (identical for identical data)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = (data.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
             if data.generated_at is not None else FIXED_DATE)
    properties = workbook.properties
    properties.creator = "evalapp"
    properties.lastModifiedBy = None
    properties.created = properties.modified = stamp
    properties.title = f"{data.info.name} 评议结果"
    for name, frame in sheets(data):
        write_sheet(workbook.create_sheet(name), frame)
    write_method(workbook.create_sheet("method"), data)
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


def sheets(data: ReportData) -> list[tuple[str, pd.DataFrame]]:
    """The data sheets, in order, as frames."""
    texts = data.item_texts.set_index("item_id")["text_zh"]
    names = data.table.set_index("unit_code")["unit_name"]
    items = data.items.copy()
    items.insert(2, "unit_name", items["unit_code"].map(names))
    items.insert(4, "item_text", items["item_id"].map(texts))
    counties = pd.concat([data.counties, data.overall.assign(group_kind="all")],
                         ignore_index=True)
    counties["group_code"] = counties["group_code"].replace(OVERALL_CODE, "ALL")
    quality = data.quality.copy()
    quality.insert(2, "unit_name", quality["unit_code"].map(names))
    result = [("scores", data.table), ("items", items), ("counties", counties)]
    if data.trend is not None:
        result.append(("trend", data.trend))
    result += [("suggestions", data.suggestions), ("quality", quality),
               ("reliability", _reliability(data))]
    return result


def _reliability(data: ReportData) -> pd.DataFrame:
    summary = data.reliability.assign(item_id=None, item_rest_r=np.nan)
    rest = data.item_rest.assign(items=pd.NA, alpha=np.nan, icc1=np.nan, icck=np.nan,
                                 n0=np.nan)
    columns = ["dimension", "group", "item_id", "items", "n", "alpha", "icc1", "icck", "n0",
               "item_rest_r"]
    return pd.concat([summary[columns], rest[columns]], ignore_index=True)


def header_zh(column: str) -> str:
    if column in COLUMN_ZH:
        return COLUMN_ZH[column]
    for d in DIMENSIONS:
        if column.startswith(f"{d}_") and column[len(d) + 1:] in FIELD_ZH:
            return labels.DIMENSION_ZH[d] + FIELD_ZH[column[len(d) + 1:]]
    return column


def suppression_flag(column: str, columns: Sequence[str]) -> str | None:
    """The `*_suppressed` column that hides `column`'s value, if any."""
    for d in DIMENSIONS:
        if column.startswith(f"{d}_") and not column.endswith(("_n", "_suppressed")) \
                and f"{d}_suppressed" in columns:
            return f"{d}_suppressed"
    if (column.startswith("composite_") or column in ("rank", "rank_in_kind", "stars")) \
            and column != "composite_suppressed" and "composite_suppressed" in columns:
        return "composite_suppressed"
    if column in ("mean", "positive_pct", "positive_ci_low", "positive_ci_high") \
            and "suppressed" in columns:
        return "suppressed"
    return None


def write_sheet(sheet: Worksheet, frame: pd.DataFrame) -> None:
    columns = list(frame.columns)
    sheet.append([header_zh(c) for c in columns])
    sheet.append(columns)
    flags = {c: suppression_flag(c, columns) for c in columns}
    kinds = {c: _kind(frame[c]) for c in columns}
    widths = [max(_width(header_zh(c)), _width(c)) for c in columns]
    for record in frame.itertuples(index=False, name=None):
        row = dict(zip(columns, record, strict=True))
        cells = []
        for j, column in enumerate(columns):
            flag = flags[column]
            hidden = flag is not None and bool(row[flag]) and not labels.is_present(row[column])
            cell = _cell(sheet, row[column], kinds[column], hidden)
            cells.append(cell)
            if kinds[column] == "text" or hidden:
                widths[j] = max(widths[j], min(_width(str(cell.value or "")), 60))
            else:
                widths[j] = max(widths[j], 8)
        sheet.append(cells)
    _finish(sheet, widths, len(frame))


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "float"
    return "text"


def _cell(sheet: Worksheet, value: Any, kind: str, hidden: bool) -> Cell:
    cell = Cell(sheet)
    if hidden:
        _text(cell, labels.SUPPRESSED)
        cell.font = Font(color="808080")
    elif not labels.is_present(value):
        cell.value = None
    elif kind == "bool" or isinstance(value, bool | np.bool_):
        cell.value = bool(value)
    elif kind == "int":
        cell.value = int(value)
        cell.number_format = "0"
    elif kind == "float" or isinstance(value, float | np.floating):
        number = float(np.round(float(value), 2))
        cell.value = number if math.isfinite(number) else None
        cell.number_format = "0.00"
    elif isinstance(value, int | np.integer):
        cell.value = int(value)
    else:
        _text(cell, str(value))
    return cell


def _text(cell: Cell, value: str) -> None:
    """A string cell, never a formula; formula-like text gets a leading apostrophe."""
    cell.value = neutralise(value)
    cell.data_type = "s"


def _width(text: str) -> float:
    return em_width(text) * 2 + 2


def _finish(sheet: Worksheet, widths: Iterable[float], rows: int) -> None:
    widths = list(widths)
    for j, width in enumerate(widths, start=1):
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = round(min(max(width, 6.0), 62.0), 1)
        top, key = sheet.cell(1, j), sheet.cell(2, j)
        top.font = Font(bold=True)
        top.fill, key.fill = HEADER_FILL, KEY_FILL
        key.font = Font(color="595959", italic=True)
        top.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    if widths:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(widths))}{rows + 2}"


def method_rows(data: ReportData) -> list[tuple[str, str, object]]:
    """(Chinese label, key, value) rows of the method sheet."""
    info, s, counts = data.info, data.settings, data.counts
    rows: list[tuple[str, str, object]] = [
        ("评议批次编号", "round_id", info.round_id), ("评议批次", "round_name", info.name),
        ("评议方式", "mode", info.mode), ("状态", "status", info.status),
        ("结果来源", "source", "发布时冻结 frozen at publication" if info.frozen
         else "按当前数据计算 computed from current data"),
        ("开始日期", "opens_on", info.opens_on.isoformat() if info.opens_on else None),
        ("结束日期", "closes_on", info.closes_on.isoformat() if info.closes_on else None),
        ("问卷编号", "instrument_id", info.instrument_key),
        ("问卷版本", "instrument_version", info.instrument_version),
        ("问卷名称", "instrument_title", info.instrument_title),
        ("问卷哈希", "instrument_hash", info.instrument_hash),
        *((f"权重：{labels.DIMENSION_ZH[d]}", f"weight_{d}", s.weights[d]) for d in DIMENSIONS),
        ("最少答卷数", "min_n", s.min_n),
        *((f"{k + 2}星分界", f"star_cutoff_{k + 2}", c) for k, c in enumerate(s.star_cutoffs)),
        ("样本不足的标记", "suppressed_label", labels.SUPPRESSED),
        ("评议单位数", "units", counts.units),
        ("已排名单位数", "units_ranked", counts.units_ranked),
        ("答卷数", "responses", counts.responses), ("计入答卷数", "counted", counts.counted),
        ("排除答卷数", "excluded", counts.excluded),
        ("观察任务数", "assignments", counts.assignments),
        ("已提交任务数", "assignments_submitted", counts.assignments_submitted),
        ("数据版本", "data_version", info.data_version),
        ("软件版本", "software_version", info.software_version),
    ]
    if data.previous is not None:
        rows.append(("上一轮", "previous_round", f"{data.previous.round_id} {data.previous.name}"))
    if data.generated_at is not None:
        rows.append(("生成时间（UTC）", "generated_at",
                     data.generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")))
    rows += [("提示", "warning", w) for w in data.warnings]
    return rows


def write_method(sheet: Worksheet, data: ReportData) -> None:
    frame = pd.DataFrame(method_rows(data), columns=["label", "key", "value"])
    sheet.append(["项目", "键", "值"])
    sheet.append(["label", "key", "value"])
    for label, key, value in frame.itertuples(index=False, name=None):
        cells = [_cell(sheet, label, "text", False), _cell(sheet, key, "text", False),
                 _cell(sheet, value, "text" if isinstance(value, str) else "auto", False)]
        sheet.append(cells)
    _finish(sheet, [22, 24, 72], len(frame))


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry the same timestamp and permissions."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        with open(filename, "rb") as handle:
            self.writestr(arcname or str(filename), handle.read())
