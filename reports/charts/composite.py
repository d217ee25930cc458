"""Composite score by unit, sorted: bars of the adjusted (ranked) composite, dots of the raw
composite with a conservative 95% interval, the city's pooled composite as a line.

Layout for many units: every ranked unit appears, `ROWS` per axes, one axes per page, in
rank order with the same scale and row height on every page (182 units → 4 pages, 1,000 →
17). Units without a composite are listed in the league table instead.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from reports import labels
from reports.charts.base import (
    CITY,
    GREY,
    INK,
    LIGHT,
    STAR_COLOURS,
    fit,
    literal,
    no_data,
    plain_axes,
    score_axis,
    spans,
    star_colour,
    text,
)
from reports.model import ReportData, composite_interval

ROWS = 60


def composite_pages(data: ReportData, rows: int = ROWS) -> list[tuple[int, int]]:
    """(start, stop) of the ranked units shown on each page."""
    total = len(data.ranked)
    return [(start, min(start + rows, total)) for start in range(0, total, rows)] or [(0, 0)]


def draw_composite(ax: Axes, data: ReportData, start: int = 0, stop: int | None = None,
                   rows: int | None = None) -> None:
    """Ranked units `start:stop` as horizontal bars; `rows` fixes the row height (the
    number of rows the axes has room for, default the number of units shown)."""
    shown = data.ranked.iloc[start:stop]
    if not len(shown):
        no_data(ax, "没有可排名的单位 / no ranked units")
        return
    rows = max(rows or len(shown), len(shown))
    y = np.arange(len(shown))
    adjusted = shown["composite_adjusted"].to_numpy(dtype=float)
    raw = shown["composite_raw"].to_numpy(dtype=float)
    interval = composite_interval(shown, data.settings.weights)
    ax.barh(y, adjusted, height=0.72, color=[star_colour(s) for s in shown["stars"]],
            linewidth=0)
    has_ci = interval["low"].notna().to_numpy()
    ax.errorbar(raw[has_ci], y[has_ci],
                xerr=spans(raw[has_ci], interval["low"].to_numpy()[has_ci],
                           interval["high"].to_numpy()[has_ci]),
                fmt="none", ecolor=INK, elinewidth=0.6, capsize=1.2)
    ax.plot(raw, y, "o", ms=2.0, color=INK, zorder=3)
    city = data.overall["composite_raw"].iloc[0]
    if labels.is_present(city):
        ax.axvline(float(city), color=CITY, linewidth=0.9, linestyle="--", zorder=4)
    for cut in data.settings.star_cutoffs:
        ax.axvline(cut, color=LIGHT, linewidth=0.6, zorder=0)
    score_axis(ax)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_yticks([])
    ax.tick_params(axis="x", labeltop=True, top=True, labelsize=6.5)
    plain_axes(ax)
    label_transform = ax.get_yaxis_transform()
    size = 6.5 if rows > 40 else 7.5
    for i, row in enumerate(shown.itertuples()):
        text(ax, -0.01, i, f"{int(row.rank)}", ha="right", va="center", fontsize=size,
             color=GREY, transform=label_transform)
        text(ax, -0.075, i, fit(row.unit_name, 15), ha="right", va="center", fontsize=size,
             transform=label_transform)
        text(ax, 1.01, i, labels.number(row.composite_adjusted), ha="left", va="center",
             fontsize=size, transform=label_transform)
    _legend(ax, data)


def _legend(ax: Axes, data: ReportData) -> None:
    handles = [Patch(color=STAR_COLOURS[s], label=f"{'★' * s}") for s in range(5, 0, -1)]
    handles += [
        Line2D([], [], marker="o", ms=2.5, color=INK, linewidth=0.6,
               label="原始得分及 95% 区间 raw, 95% interval"),
        Line2D([], [], color=CITY, linestyle="--", linewidth=0.9,
               label=literal(f"{data.overall_name} overall")),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=7,
              fontsize=6, frameon=False, handlelength=1.4, columnspacing=0.9,
              borderaxespad=2.4)
    ax.annotate("调整后\nadjusted", (1.01, 0.0), xycoords="axes fraction",
                xytext=(8, -3), textcoords="offset points", ha="left", va="top",
                fontsize=6, color=GREY, annotation_clip=False)
