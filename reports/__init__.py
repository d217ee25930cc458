"""Aggregation of evaluation rounds: scores, reliability, data quality and their files.

Pure functions of pandas DataFrames; no web framework, no database. The report files
(PDF, XLSX, CSV) are functions of a `ReportData` (`reports.model`); the PDF and workbook
writers load matplotlib and openpyxl only when first used.
"""

from typing import Any

from reports.adjust import Anova, one_way_anova
from reports.files import file_bytes, write_report
from reports.model import ReportData, RoundInfo, UnitCard, report_data
from reports.reliability import cronbach_alpha, item_rest_correlations
from reports.rollup import ancestors_of_kind, rollup, rollup_to_kind
from reports.score import RoundScores, score_round
from reports.settings import DIMENSIONS, RoundSettings
from reports.table import TABLE_COLUMNS
from reports.trend import trend
from reports.writers import csv_bytes, json_text, to_csv, to_json

__all__ = [
    "DIMENSIONS",
    "TABLE_COLUMNS",
    "Anova",
    "ReportData",
    "RoundInfo",
    "RoundScores",
    "RoundSettings",
    "UnitCard",
    "ancestors_of_kind",
    "cronbach_alpha",
    "csv_bytes",
    "file_bytes",
    "item_rest_correlations",
    "json_text",
    "one_way_anova",
    "report_data",
    "report_pdf",
    "rollup",
    "rollup_to_kind",
    "score_round",
    "to_csv",
    "to_json",
    "trend",
    "unit_card_pdf",
    "workbook_bytes",
    "write_report",
]


_LAZY = {"report_pdf": "reports.pdf", "unit_card_pdf": "reports.pdf",
         "workbook_bytes": "reports.xlsx"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
