"""The league table: ranked units by rank, then the units without a composite.

Columns: rank, stars, unit, kind, composite (adjusted, raw) and per dimension adjusted, raw
and n. Suppressed values read 样本不足; a unit without a composite has no rank or stars.
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
from matplotlib.figure import Figure

from reports import labels
from reports.charts.base import GREY
from reports.model import ReportData
from reports.pdf.layout import Column, heading, paragraph, table
from reports.settings import DIMENSIONS

ROWS = 46
FIRST_ROWS = 41
COLUMNS = [
    Column("排名\nrank", 0.34), Column("星级\nstars", 0.48, "center"),
    Column("单位 unit", 1.4, "left", max_em=13.5), Column("类型 kind", 0.58, "left", max_em=5.5),
    Column("调整\nadj.", 0.44), Column("原始\nraw", 0.44),
    *(c for _ in DIMENSIONS for c in (Column("调整\nadj.", 0.42), Column("原始\nraw", 0.42),
                                      Column("n", 0.28))),
]
GROUPS = [("", 4), ("综合 composite", 2),
          *((labels.dimension_label(d), 3) for d in DIMENSIONS)]


def league_rows(data: ReportData) -> pd.DataFrame:
    """Ranked units by rank, then the others by code: the table's row order."""
    return pd.concat([data.ranked, data.unranked], ignore_index=True)


def league_pages(data: ReportData) -> list[tuple[int, int]]:
    """(start, stop) rows of each page, spread evenly (the first page, which carries the
    heading, holds at most `FIRST_ROWS`)."""
    total = len(data.table)
    count = 1 if total <= FIRST_ROWS else 1 + math.ceil((total - FIRST_ROWS) / ROWS)
    per_page = math.ceil(total / count)
    first = min(per_page, FIRST_ROWS)
    rest = math.ceil((total - first) / (count - 1)) if count > 1 else 0
    bounds = [0, first, *range(first + rest, total, rest or 1), total] if count > 1 \
        else [0, total]
    return list(itertools.pairwise(sorted(set(bounds))))  or [(0, 0)]


def row_cells(row: pd.Series) -> list[str]:
    composite_hidden = bool(row["composite_suppressed"])
    cells = [
        labels.integer(row["rank"]), labels.stars(row["stars"]), str(row["unit_name"]),
        labels.kind_label(row["unit_kind"]),
        *_pair(row["composite_adjusted"], row["composite_raw"], composite_hidden),
    ]
    for d in DIMENSIONS:
        hidden = bool(row[f"{d}_suppressed"])
        cells += [*_pair(row[f"{d}_adjusted"], row[f"{d}_raw"], hidden),
                  labels.integer(row[f"{d}_n"])]
    return cells


def _pair(adjusted: object, raw: object, hidden: bool) -> list[str]:
    """Adjusted and raw score cells; a suppressed pair says 样本不足 once."""
    if hidden:
        return [labels.SUPPRESSED_SHORT, ""]
    return [labels.number(adjusted), labels.number(raw)]


def draw_league(fig: Figure, data: ReportData, start: int, stop: int) -> None:
    y = 0.95
    if start == 0:
        y = heading(fig, y, "排名总表", "League table")
        y = paragraph(fig, y, [
            f"按调整后综合得分排名；“样本不足”表示有效答卷少于 {data.settings.min_n} 份，不公布"
            "分数。"
            f"{len(data.ranked)} 个单位已排名，{len(data.unranked)} 个单位样本不足。",
            "Ranked by the adjusted composite; 样本不足 = not enough responses (n < "
            f"{data.settings.min_n}): no score is published. n = counted responses with the "
            "dimension's score.",
        ], size=7.5, colour=GREY)
        y += 0.05
    rows = league_rows(data).iloc[start:stop]
    cells = [row_cells(row) for _, row in rows.iterrows()]
    dim_rows = [i for i, (_, row) in enumerate(rows.iterrows()) if pd.isna(row["rank"])]
    table(fig, y, COLUMNS, cells, row_h=0.198, size=6.6, groups=GROUPS, dim_rows=dim_rows)
