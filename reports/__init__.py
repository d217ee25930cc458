"""Aggregation of evaluation rounds: scores, reliability, data quality and their files.

Pure functions of pandas DataFrames; no web framework, no database.
"""

from reports.adjust import Anova, one_way_anova
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
    "RoundScores",
    "RoundSettings",
    "ancestors_of_kind",
    "cronbach_alpha",
    "csv_bytes",
    "item_rest_correlations",
    "json_text",
    "one_way_anova",
    "rollup",
    "rollup_to_kind",
    "score_round",
    "to_csv",
    "to_json",
    "trend",
]
