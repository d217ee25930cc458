"""Trend against the previous published round (same mode and instrument).

`draw_trend`: each unit's raw composite now against then, on the diagonal when unchanged;
coloured when a dimension changed significantly (|Δ| > 1.96·√(se₁² + se₂²)).
`draw_trend_deltas`: the distribution of Δ per dimension, significant changes coloured.
Only units published in both rounds appear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from reports import labels
from reports.charts.base import GREY, INK, LIGHT, no_data, plain_axes, text
from reports.model import ReportData
from reports.settings import DIMENSIONS

UP = "#1a9850"
DOWN = "#d73027"
NO_TREND = "没有可比较的上一轮 / no previous published round to compare with"


def direction(trend: pd.DataFrame) -> pd.Series:
    """'up', 'down' or 'same' per unit: a significant dimension change, by its sign
    ('down' wins when dimensions moved both ways)."""
    up = pd.Series(False, index=trend.index)
    down = pd.Series(False, index=trend.index)
    for d in DIMENSIONS:
        significant = trend[f"{d}_significant"].fillna(False).astype(bool)
        up |= significant & (trend[f"{d}_delta"] > 0)
        down |= significant & (trend[f"{d}_delta"] < 0)
    return pd.Series(np.where(down, "down", np.where(up, "up", "same")), index=trend.index)


def draw_trend(ax: Axes, data: ReportData) -> None:
    trend = data.trend
    if trend is None:
        no_data(ax, NO_TREND)
        return
    frame = trend.dropna(subset=["composite_previous", "composite_delta"])
    if not len(frame):
        no_data(ax, "两轮都有综合得分的单位为零 / no unit has a composite in both rounds")
        return
    before = frame["composite_previous"].to_numpy(dtype=float)
    now = before + frame["composite_delta"].to_numpy(dtype=float)
    moved = direction(frame).to_numpy()
    low = max(0.0, np.floor(min(before.min(), now.min()) / 10) * 10)
    ax.plot([low, 100], [low, 100], color=LIGHT, linewidth=0.8, zorder=0)
    for kind, colour, size in (("same", GREY, 8), ("up", UP, 14), ("down", DOWN, 14)):
        chosen = moved == kind
        ax.scatter(before[chosen], now[chosen], s=size, color=colour, alpha=0.75,
                   linewidths=0)
    ax.set_xlim(low, 100)
    ax.set_ylim(low, 100)
    ax.set_aspect("equal")
    ax.grid(True, color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    plain_axes(ax)
    previous = data.previous.name if data.previous else "上一轮"
    ax.set_xlabel(f"上一轮 previous: {previous}", fontsize=7, parse_math=False)
    ax.set_ylabel(f"本轮 this round: {data.info.name}", fontsize=7, parse_math=False)
    handles = [Line2D([], [], marker="o", linestyle="none", color=c, ms=4, label=s)
               for c, s in ((UP, f"显著上升 up ({int((moved == 'up').sum())})"),
                            (DOWN, f"显著下降 down ({int((moved == 'down').sum())})"),
                            (GREY, f"无显著变化 no significant change "
                                   f"({int((moved == 'same').sum())})"))]
    ax.legend(handles=handles, loc="upper left", fontsize=6.5, frameon=False)
    text(ax, 0.0, 1.02, "原始综合得分：本轮与上一轮 raw composite, this round vs previous",
         transform=ax.transAxes, fontsize=8.5, ha="left", va="bottom")


def draw_trend_deltas(ax: Axes, data: ReportData) -> None:
    trend = data.trend
    if trend is None:
        no_data(ax, NO_TREND)
        return
    rng = np.random.default_rng(0)  # fixed jitter: the same data draws the same chart
    found = False
    for row, d in enumerate(DIMENSIONS):
        delta = trend[f"{d}_delta"].to_numpy(dtype=float)
        significant = trend[f"{d}_significant"].fillna(False).to_numpy(dtype=bool)
        keep = ~np.isnan(delta)
        if not keep.any():
            continue
        found = True
        jitter = rng.uniform(-0.22, 0.22, len(delta))
        colours = np.where(significant & (delta > 0), UP,
                           np.where(significant & (delta < 0), DOWN, GREY))
        ax.scatter(delta[keep], row + jitter[keep], s=8, c=colours[keep], alpha=0.75,
                   linewidths=0)
        up = int((significant & (delta > 0)).sum())
        down = int((significant & (delta < 0)).sum())
        text(ax, 1.01, row, f"↑{up}  ↓{down}  / {int(keep.sum())}", fontsize=7,
             va="center", ha="left", transform=ax.get_yaxis_transform())
    if not found:
        no_data(ax, "没有可比较的得分 / no comparable scores")
        return
    ax.axvline(0, color=INK, linewidth=0.7)
    ax.set_yticks(range(len(DIMENSIONS)))
    ax.set_yticklabels([labels.DIMENSION_ZH[d] for d in DIMENSIONS], fontsize=8)
    ax.set_ylim(len(DIMENSIONS) - 0.5, -0.5)
    ax.xaxis.grid(True, color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    plain_axes(ax)
    ax.set_xlabel("变化 Δ（原始得分 raw score）", fontsize=7)
    text(ax, 0.0, 1.02, "各维度变化 change by dimension", transform=ax.transAxes,
         fontsize=8.5, ha="left", va="bottom")


def movers(data: ReportData, count: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The units whose raw composite rose most and fell most (by Δ, then code)."""
    if data.trend is None:
        empty = pd.DataFrame(columns=["unit_code", "unit_name", "composite_delta"])
        return empty, empty
    frame = data.trend.dropna(subset=["composite_delta"])
    rising = frame.sort_values(["composite_delta", "unit_code"], ascending=[False, True],
                               kind="stable")
    falling = frame.sort_values(["composite_delta", "unit_code"], ascending=[True, True],
                                kind="stable")
    return (rising.loc[rising["composite_delta"] > 0].head(count),
            falling.loc[falling["composite_delta"] < 0].head(count))
