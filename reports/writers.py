"""CSV and JSON writers for score tables, item results, roll-ups and trends.

CSV: numbers with 2 decimals (rounded with pandas' `round`, the same rounding that ranks
and stars use, then printed with `%.2f`), UTF-8 with BOM so Excel and WPS read Chinese
text, `\\n` line ends, blanks for missing values. Text cells starting with `= + - @`, tab or
CR get a leading apostrophe (formula injection). JSON: full precision (shortest repr that
round-trips), NaN and NA as null, one object per row.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np
import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(table: pd.DataFrame) -> bytes:
    frame = table.copy()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_float_dtype(series.dtype):
            frame[column] = series.round(2)
        elif not pd.api.types.is_numeric_dtype(series.dtype) \
                and not pd.api.types.is_bool_dtype(series.dtype):
            frame[column] = series.map(neutralise, na_action="ignore")
    text = frame.to_csv(index=False, float_format="%.2f", lineterminator="\n")
    return text.encode("utf-8-sig")


def to_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    with open(path, "wb") as handle:
        handle.write(csv_bytes(table))


def json_text(table: pd.DataFrame) -> str:
    records = [{column: _plain(value) for column, value in zip(table.columns, row, strict=True)}
               for row in table.itertuples(index=False, name=None)]
    return json.dumps(records, ensure_ascii=False, allow_nan=False, indent=1)


def to_json(table: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(json_text(table))
        handle.write("\n")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value
