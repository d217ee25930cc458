"""Score distributions: histograms of the units' adjusted scores (filled) and raw scores
(outline) per dimension and for the composite, and the number of units per star rating.
Only published scores enter.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from reports import labels
from reports.charts.base import GREY, INK, LIGHT, STAR_COLOURS, no_data, plain_axes, text
from reports.model import ReportData

BINS = np.arange(0, 100.1, 5)


def draw_distribution(ax: Axes, data: ReportData, dimension: str = "composite") -> None:
    suppressed = data.table[f"{dimension}_suppressed"].astype(bool)
    adjusted = data.table.loc[~suppressed, f"{dimension}_adjusted"].dropna().to_numpy(float)
    raw = data.table.loc[~suppressed, f"{dimension}_raw"].dropna().to_numpy(float)
    title = labels.dimension_label(dimension)
    if not len(adjusted):
        no_data(ax, f"{title}: 没有已发布的得分 / no published scores")
        return
    colour = labels.DIMENSION_COLOURS[dimension]
    ax.hist(adjusted, bins=BINS, color=colour, alpha=0.55, label="调整后 adjusted")
    ax.hist(raw, bins=BINS, histtype="step", color=INK, linewidth=0.9, label="原始 raw")
    for cut in data.settings.star_cutoffs if dimension == "composite" else ():
        ax.axvline(cut, color=GREY, linewidth=0.6, linestyle=":")
    ax.set_xlim(0, 100)
    ax.set_xticks(np.arange(0, 101, 20))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.grid(True, color=LIGHT, linewidth=0.5)
    ax.set_axisbelow(True)
    plain_axes(ax)
    ax.set_ylabel("单位数 units", fontsize=7)
    median = float(np.median(adjusted))
    text(ax, 0.0, 1.02, title, transform=ax.transAxes, fontsize=8.5, ha="left", va="bottom")
    text(ax, 1.0, 1.02, f"n = {len(adjusted)}，中位数 median {labels.number(median)}",
         transform=ax.transAxes, fontsize=6.5, ha="right", va="bottom", color=GREY)
    ax.legend(loc="upper left", fontsize=6, frameon=False)


def draw_stars(ax: Axes, data: ReportData) -> None:
    """Units per star rating, and those without a composite."""
    stars = data.table["stars"].dropna().astype(int)
    counts = [int((stars == s).sum()) for s in range(1, 6)]
    missing = int(data.table["stars"].isna().sum())
    x = np.arange(6)
    colours = [STAR_COLOURS[s] for s in range(1, 6)] + ["#eeeeee"]
    bars = ax.bar(x, [*counts, missing], color=colours, edgecolor=[*(["none"] * 5), "#bbbbbb"],
                  linewidth=0.5)
    for bar, count in zip(bars, [*counts, missing], strict=True):
        text(ax, bar.get_x() + bar.get_width() / 2, bar.get_height(), str(count),
             ha="center", va="bottom", fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(x)
    ax.set_xticklabels([*("★" * s for s in range(1, 6)), labels.SUPPRESSED_SHORT],
                       fontsize=6.5)
    ax.yaxis.grid(True, color=LIGHT, linewidth=0.5)
    ax.set_axisbelow(True)
    plain_axes(ax)
    ax.set_ylabel("单位数 units", fontsize=7)
    ax.margins(y=0.15)
    text(ax, 0.0, 1.02, "星级分布 Stars", transform=ax.transAxes, fontsize=8.5, ha="left",
         va="bottom")
