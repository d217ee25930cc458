"""Unit × dimension heat map of the adjusted scores (and the adjusted composite).

Units in league-table order (ranked, then the others by code), `ROWS` per panel, two panels
per page; every cell carries its value with 2 decimals; a suppressed cell is grey and says
样本不足. The colour scale is the same on every page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from reports import labels
from reports.charts.base import GREY, HEAT_CMAP, SUPPRESSED_FILL, fit, no_data, text
from reports.model import ReportData
from reports.settings import DIMENSIONS

ROWS = 62
COLUMNS = (*DIMENSIONS, "composite")


def heat_order(data: ReportData) -> pd.DataFrame:
    return pd.concat([data.ranked, data.unranked], ignore_index=True)


def heat_norm(data: ReportData) -> Normalize:
    """A colour scale from the published adjusted scores (5th to 100th percentile)."""
    values = data.table[[f"{d}_adjusted" for d in DIMENSIONS]].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    low = float(np.floor(np.percentile(values, 5) / 5) * 5) if len(values) else 0.0
    return Normalize(vmin=min(low, 95.0), vmax=100.0)


def draw_heatmap(ax: Axes, data: ReportData, start: int = 0, stop: int | None = None,
                 rows: int | None = None) -> None:
    """Units `start:stop` of the league order; `rows` fixes the row height."""
    shown = heat_order(data).iloc[start:stop]
    if not len(shown):
        no_data(ax, "没有单位 / no units")
        return
    rows = max(rows or len(shown), len(shown))
    norm = heat_norm(data)
    cmap = colormaps[HEAT_CMAP].with_extremes(bad="white")
    values = np.full((rows, len(COLUMNS)), np.nan)
    suppressed = np.zeros((rows, len(COLUMNS)), dtype=bool)
    for j, column in enumerate(COLUMNS):
        values[:len(shown), j] = shown[f"{column}_adjusted"].to_numpy(dtype=float)
        suppressed[:len(shown), j] = shown[f"{column}_suppressed"].to_numpy(dtype=bool)
    masked = np.ma.masked_invalid(values)
    ax.imshow(masked, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest",
              extent=(-0.5, len(COLUMNS) - 0.5, rows - 0.5, -0.5))
    for i in range(len(shown)):
        for j in range(len(COLUMNS)):
            if suppressed[i, j]:
                ax.add_patch(_cell(i, j))
                text(ax, j, i, labels.SUPPRESSED_SHORT, ha="center", va="center",
                     fontsize=5.5, color=GREY)
            elif not np.isnan(values[i, j]):
                shade = norm(values[i, j])
                colour = "white" if shade < 0.15 or shade > 0.85 else "black"
                text(ax, j, i, labels.number(values[i, j]), ha="center", va="center",
                     fontsize=5.8, color=colour)
    ax.set_xlim(-0.5, len(COLUMNS) - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks(range(len(COLUMNS)))
    ax.set_xticklabels([labels.DIMENSION_ZH.get(c, labels.COMPOSITE_ZH) for c in COLUMNS],
                       fontsize=7)
    ax.xaxis.set_ticks_position("top")
    ax.tick_params(length=0)
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    transform = ax.get_yaxis_transform()
    for i, row in enumerate(shown.itertuples()):
        rank = labels.integer(row.rank) if labels.is_present(row.rank) else ""
        text(ax, -0.02, i, f"{fit(row.unit_name, 13)}  {rank}", ha="right", va="center",
             fontsize=6, transform=transform)


def _cell(i: int, j: int) -> Rectangle:
    return Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=SUPPRESSED_FILL, edgecolor="white",
                     linewidth=0.5)
