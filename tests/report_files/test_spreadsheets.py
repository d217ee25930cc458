"""The workbook and the CSV files: values against the score table, headers, formats,
neutralised formulas, encoding, reproducibility."""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from reports import TABLE_COLUMNS, labels
from reports.files import items_csv, items_frame, scores_csv, write_report
from reports.writers import neutralise
from reports.xlsx import workbook_bytes
from tests.report_files.conftest import FORMULA_NAME, Built


def sheet_rows(xlsx: bytes, name: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return list(book[name].iter_rows(values_only=True))


def expected_cell(value: object, hidden: bool) -> object:
    if hidden:
        return labels.SUPPRESSED
    if not labels.is_present(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        return float(np.round(float(value), 2))
    if isinstance(value, int | np.integer):
        return int(value)
    return neutralise(str(value))


def test_scores_sheet_equals_the_score_table(hostile: Built) -> None:
    table = hostile.data.table
    rows = sheet_rows(hostile.xlsx, "scores")
    assert list(rows[1]) == list(TABLE_COLUMNS)
    assert rows[0][TABLE_COLUMNS.index("awareness_raw")] == "知晓度原始得分"
    assert len(rows) == len(table) + 2
    for record, row in zip(table.to_dict("records"), rows[2:], strict=True):
        for column, cell in zip(TABLE_COLUMNS, row, strict=True):
            flag = ("composite_suppressed" if column.startswith("composite_")
                    or column in ("rank", "rank_in_kind", "stars")
                    else f"{column.split('_')[0]}_suppressed")
            hidden = (column not in ("composite_suppressed",) and not column.endswith("_n")
                      and not column.endswith("_suppressed") and flag in record
                      and bool(record[flag]) and not labels.is_present(record[column]))
            assert cell == expected_cell(record[column], hidden), (record["unit_code"], column)


def test_workbook_layout(hostile: Built) -> None:
    book = openpyxl.load_workbook(io.BytesIO(hostile.xlsx))
    assert book.sheetnames == ["scores", "items", "counties", "suggestions", "quality",
                               "reliability", "method"]
    scores = book["scores"]
    assert scores.freeze_panes == "A3"
    assert scores.auto_filter.ref.startswith("A2:")
    raw = scores.cell(3, TABLE_COLUMNS.index("awareness_raw") + 1)
    assert raw.number_format == "0.00"
    assert scores.column_dimensions["C"].width > 10
    method = {row[1]: row[2] for row in book["method"].iter_rows(min_row=3, values_only=True)}
    assert method["min_n"] == 5 and method["instrument_hash"] == "ab" * 32
    assert method["software_version"] == "t" and "generated_at" not in method
    items = book["items"]
    assert items.cell(2, 5).value == "item_text" and items.cell(1, 5).value == "题干"


def test_text_that_looks_like_a_formula_is_neutralised(hostile: Built) -> None:
    book = openpyxl.load_workbook(io.BytesIO(hostile.xlsx))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'" + FORMULA_NAME in texts
    for text in ("+cmd|' /C calc'!A0", "@SUM(1+1)", "=1+1", "\t制表符开头", "-2+3 减号开头"):
        assert "'" + text in texts and text not in texts
    assert all(not t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    for content in (scores_csv(hostile.data), items_csv(hostile.data)):
        decoded = content.decode("utf-8-sig")
        assert FORMULA_NAME not in decoded.replace("'" + FORMULA_NAME, "")


def test_suggestions_sheet_lists_every_suggestion(hostile: Built) -> None:
    rows = sheet_rows(hostile.xlsx, "suggestions")
    assert list(rows[1]) == ["unit_code", "unit_name", "item_id", "text", "status"]
    texts = [row[3] for row in rows[2:]]
    assert "只有两份答卷的单位的建议" in texts and "'@SUM(1+1)" in texts
    assert len(texts) == 9


def test_workbook_bytes_are_reproducible(hostile: Built) -> None:
    assert workbook_bytes(hostile.data) == hostile.xlsx
    with zipfile.ZipFile(io.BytesIO(hostile.xlsx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_csv_files_are_utf8_with_bom_and_reproducible(hostile: Built) -> None:
    scores = scores_csv(hostile.data)
    assert scores.startswith(b"\xef\xbb\xbf") and scores == scores_csv(hostile.data)
    frame = pd.read_csv(io.BytesIO(scores), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == list(TABLE_COLUMNS)
    assert "江安县阳春镇青年之家" in frame["unit_name"].tolist()
    assert "'" + FORMULA_NAME in frame["unit_name"].tolist()
    items = items_csv(hostile.data)
    assert items.startswith(b"\xef\xbb\xbf") and items == items_csv(hostile.data)
    lines = items.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(items_frame(hostile.data).columns)
    assert len(lines) == len(hostile.data.items) + 1
    assert "您对这里提供的服务了解多少？" in items.decode("utf-8-sig")


def test_write_report_writes_the_chosen_formats(hostile: Built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = write_report(hostile.data, tmp_path, formats=["csv", "xlsx"])
    assert [p.name for p in paths] == ["report.xlsx", "scores.csv", "items.csv"] or \
        sorted(p.name for p in paths) == ["items.csv", "report.xlsx", "scores.csv"]
    assert (tmp_path / "report.xlsx").read_bytes() == hostile.xlsx
    with pytest.raises(ValueError, match="unknown format 'doc'"):
        write_report(hostile.data, tmp_path, formats=["doc"])


def test_scores_in_the_workbook_have_two_decimals(hostile: Built) -> None:
    rows = sheet_rows(hostile.xlsx, "scores")
    numbers = [v for row in rows[2:] for v in row if isinstance(v, float)]
    assert numbers and all(math.isclose(v, round(v, 2)) for v in numbers)
