"""The report files of a round, by name, as bytes; and writing them to a folder.

    scores.csv    the score table (`reports.writers.csv_bytes`: UTF-8 with BOM, 2 decimals,
                  blanks for suppressed values, text neutralised)
    items.csv     item results, with the unit's name and the item's text
    report.xlsx   the workbook (`reports.xlsx`)
    report.pdf    the round report (`reports.pdf`)
    card-<unit code>.pdf   a unit's report card

Every file is a function of `ReportData` alone, so the same data gives the same bytes
(the PDF: the same pages and fixed metadata).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from reports.model import ReportData
from reports.writers import csv_bytes

FORMATS = ("pdf", "xlsx", "csv")
FORMAT_FILES = {"pdf": ("report.pdf",), "xlsx": ("report.xlsx",),
                "csv": ("scores.csv", "items.csv")}
ITEM_COLUMNS = ("round", "unit_code", "unit_name", "item_id", "item_text", "dimension", "n",
                "mean", "positive_pct", "positive_ci_low", "positive_ci_high", "suppressed")


def scores_csv(data: ReportData) -> bytes:
    return csv_bytes(data.table)


def items_frame(data: ReportData) -> pd.DataFrame:
    """Item results with the unit's name and the item's Chinese text."""
    names = data.table.set_index("unit_code")["unit_name"]
    texts = data.item_texts.set_index("item_id")["text_zh"]
    frame = data.items.assign(unit_name=data.items["unit_code"].map(names),
                              item_text=data.items["item_id"].map(texts))
    return frame.loc[:, list(ITEM_COLUMNS)]


def items_csv(data: ReportData) -> bytes:
    return csv_bytes(items_frame(data))


def card_name(unit_code: str) -> str:
    """A file name for a unit's card that is safe whatever the unit code holds."""
    safe = re.sub(r"[^0-9A-Za-z._-]+", "_", str(unit_code)).strip("._") or "unit"
    return f"card-{safe}.pdf"


def file_bytes(data: ReportData, name: str, workers: int | None = None) -> bytes:
    """One report file by its name (see the module's list)."""
    if name == "scores.csv":
        return scores_csv(data)
    if name == "items.csv":
        return items_csv(data)
    if name == "report.xlsx":
        from reports.xlsx import workbook_bytes

        return workbook_bytes(data)
    if name == "report.pdf":
        from reports.pdf import report_pdf

        return report_pdf(data, workers=workers)
    raise ValueError(f"unknown report file {name!r}; expected one of "
                     f"{[n for names in FORMAT_FILES.values() for n in names]}")


def unit_card_bytes(data: ReportData, unit_code: str) -> bytes:
    from reports.pdf import unit_card_pdf

    return unit_card_pdf(data, unit_code)


def names_for(formats: Iterable[str]) -> list[str]:
    """File names of the given formats (ValueError for an unknown format)."""
    names = []
    for fmt in formats:
        if fmt not in FORMAT_FILES:
            raise ValueError(f"unknown format {fmt!r}; expected some of {', '.join(FORMATS)}")
        names.extend(FORMAT_FILES[fmt])
    return names


def write_report(data: ReportData, folder: str | os.PathLike[str],
                 formats: Iterable[str] = FORMATS, workers: int | None = None) -> list[Path]:
    """Write the files of `formats` into `folder` (created if needed); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names_for(formats):
        path = folder / name
        path.write_bytes(file_bytes(data, name, workers))
        paths.append(path)
    return paths
