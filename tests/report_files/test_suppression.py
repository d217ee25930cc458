"""No file shows a suppressed number: PDF text, workbook cells and CSV are searched for the
values the suppressed unit would have had (scored with min_n = 1)."""

from __future__ import annotations

import io
import re

import numpy as np
import openpyxl
import pandas as pd

from reports import labels
from reports.files import items_csv, scores_csv
from reports.settings import DIMENSIONS
from tests.report_files.conftest import SUPPRESSED_UNIT, Built, hostile_report

STATS = ("raw", "sd", "se", "ci_low", "ci_high", "adjusted")


def hidden_values(built: Built) -> set[str]:
    """2-decimal figures of the suppressed unit that no published figure shares."""
    open_data = hostile_report(min_n=1)
    row = open_data.table.set_index("unit_code").loc[SUPPRESSED_UNIT]
    values = [row[f"{d}_{s}"] for d in DIMENSIONS for s in STATS]
    values += [row["composite_raw"], row["composite_adjusted"]]
    items = open_data.items.loc[open_data.items["unit_code"] == SUPPRESSED_UNIT]
    values += [v for c in ("mean", "positive_pct", "positive_ci_low", "positive_ci_high")
               for v in items[c]]
    hidden = {labels.number(v) for v in values if labels.is_present(v)}
    published = published_values(built)
    assert hidden - published, "the test round needs distinctive suppressed values"
    return hidden - published


def published_values(built: Built) -> set[str]:
    frames = [built.data.table, built.data.items, built.data.counties, built.data.overall]
    out = set()
    for frame in frames:
        for column in frame.columns:
            if pd.api.types.is_float_dtype(frame[column].dtype):
                out |= {labels.number(v) for v in frame[column] if labels.is_present(v)}
    return out


def occurs(value: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text) is not None


def test_the_suppressed_unit_is_suppressed(hostile: Built) -> None:
    row = hostile.data.table.set_index("unit_code").loc[SUPPRESSED_UNIT]
    assert all(bool(row[f"{d}_suppressed"]) for d in DIMENSIONS)
    assert all(np.isnan(row[f"{d}_{s}"]) for d in DIMENSIONS for s in STATS)


def test_no_suppressed_value_in_the_pdf(hostile: Built) -> None:
    text = "\n".join(hostile.pages)
    leaked = [v for v in hidden_values(hostile) if occurs(v, text)]
    assert leaked == []


def test_no_suppressed_value_in_the_workbook(hostile: Built) -> None:
    hidden = hidden_values(hostile)
    book = openpyxl.load_workbook(io.BytesIO(hostile.xlsx))
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float):
                    assert labels.number(value) not in hidden, (sheet.title, row)
                elif isinstance(value, str):
                    assert not any(occurs(v, value) for v in hidden), (sheet.title, value)
    scores = book["scores"]
    header = [c.value for c in scores[2]]
    unit_row = next(r for r in scores.iter_rows(min_row=3, values_only=True)
                    if r[1] == SUPPRESSED_UNIT)
    assert unit_row[header.index("awareness_raw")] == labels.SUPPRESSED
    assert unit_row[header.index("rank")] == labels.SUPPRESSED


def test_no_suppressed_value_in_the_csv_files(hostile: Built) -> None:
    hidden = hidden_values(hostile)
    for content in (scores_csv(hostile.data), items_csv(hostile.data)):
        text = content.decode("utf-8-sig")
        assert [v for v in hidden if occurs(v, text)] == []
