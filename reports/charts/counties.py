"""County comparison: pooled (roll-up) scores with 95% CIs, and stars by county.

`draw_counties` shows each county's three dimensions (raw pooled mean and its 95% CI) and
its composite, sorted by composite, with the city's pooled values as reference lines; a
suppressed roll-up says 样本不足. `draw_county_stars` stacks each county's units by stars.
At most `ROWS` counties per axes (province scale paginates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from reports import labels
from reports.charts.base import (
    GREY,
    STAR_COLOURS,
    fit,
    literal,
    no_data,
    plain_axes,
    score_axis,
    spans,
    text,
)
from reports.model import ReportData
from reports.settings import DIMENSIONS

ROWS = 30
OFFSETS = {"awareness": -0.24, "participation": -0.08, "satisfaction": 0.08,
           "composite": 0.24}


def county_order(data: ReportData) -> pd.DataFrame:
    """Counties by pooled composite (highest first), suppressed ones last, then by code."""
    frame = data.counties.copy()
    frame["_key"] = frame["composite_raw"].fillna(-1.0)
    return frame.sort_values(["_key", "group_code"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def draw_counties(ax: Axes, data: ReportData, start: int = 0,
                  stop: int | None = None) -> None:
    shown = county_order(data).iloc[start:stop]
    if not len(shown):
        no_data(ax, "没有县（区）汇总 / no county roll-ups")
        return
    y = np.arange(len(shown))
    for d in (*DIMENSIONS, "composite"):
        colour = labels.DIMENSION_COLOURS[d]
        values = shown[f"{d}_raw"].to_numpy(dtype=float)
        if d != "composite":
            low = shown[f"{d}_ci_low"].to_numpy(dtype=float)
            high = shown[f"{d}_ci_high"].to_numpy(dtype=float)
            ok = ~np.isnan(low)
            ax.errorbar(values[ok], y[ok] + OFFSETS[d],
                        xerr=spans(values[ok], low[ok], high[ok]), fmt="none",
                        ecolor=colour, elinewidth=0.8, capsize=1.5)
        marker = "D" if d == "composite" else "o"
        ax.plot(values, y + OFFSETS[d], marker, ms=3.5, color=colour, linestyle="none")
        city = data.overall[f"{d}_raw"].iloc[0]
        if labels.is_present(city):
            ax.axvline(float(city), color=colour, linewidth=0.6, linestyle=":", alpha=0.8)
    score_axis(ax)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_yticks([])
    plain_axes(ax)
    transform = ax.get_yaxis_transform()
    for i, row in enumerate(shown.itertuples()):
        text(ax, -0.01, i, fit(row.group_name or row.group_code, 10), ha="right",
             va="center", fontsize=7.5, transform=transform)
        if row.composite_suppressed:
            text(ax, 0.5, i, labels.SUPPRESSED, ha="center", va="center", fontsize=7,
                 color=GREY, transform=transform)
        else:
            text(ax, 1.01, i, labels.number(row.composite_raw), ha="left", va="center",
                 fontsize=7, transform=transform)
    handles = [Line2D([], [], marker="D" if d == "composite" else "o", ms=3.5,
                      color=labels.DIMENSION_COLOURS[d], linestyle="none",
                      label=labels.dimension_label(d)) for d in (*DIMENSIONS, "composite")]
    handles.append(Line2D([], [], color=GREY, linestyle=":",
                          label=literal(f"{data.overall_name}（虚线 dotted）")))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=5,
              fontsize=6.5, frameon=False, borderaxespad=0.0, handletextpad=0.3)
    ax.set_xlabel("汇总原始得分及 95% 置信区间 pooled raw score, 95% CI", fontsize=7)


def draw_county_stars(ax: Axes, data: ReportData, start: int = 0,
                      stop: int | None = None) -> None:
    """Each county's units by stars, and how many have no composite."""
    shown = county_order(data).iloc[start:stop]
    if not len(shown):
        no_data(ax, "没有县（区）汇总 / no county roll-ups")
        return
    y = np.arange(len(shown))
    left = np.zeros(len(shown))
    for star in range(5, 0, -1):
        counts = shown[f"stars_{star}"].to_numpy(dtype=float)
        ax.barh(y, counts, left=left, color=STAR_COLOURS[star], height=0.65,
                label="★" * star)
        left += counts
    missing = (shown["units"] - shown["units_published"]).to_numpy(dtype=float)
    ax.barh(y, missing, left=left, color="#eeeeee", height=0.65, label=labels.SUPPRESSED_SHORT,
            hatch="///", edgecolor="#bbbbbb", linewidth=0)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_yticks([])
    plain_axes(ax)
    transform = ax.get_yaxis_transform()
    for i, row in enumerate(shown.itertuples()):
        text(ax, -0.01, i, fit(row.group_name or row.group_code, 10), ha="right",
             va="center", fontsize=7.5, transform=transform)
    ax.set_xlabel("单位数 units", fontsize=7)
    ax.xaxis.grid(True, color="#e5e5e5", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=6, fontsize=6.5,
              frameon=False, borderaxespad=0.0)
