"""Funnel plot: a dimension's raw unit score against its n, with control limits.

Limits around the mean μ of the published units' responses (from the ANOVA, which takes
only those) at μ ± z·σ/√n, σ their pooled within-unit sd (√MSW), z = 1.96 (95%) and 3.09
(99.8%), clipped to [0, 100]. Only published (not suppressed) units are plotted; units
outside the 99.8% limits are named.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from reports import labels
from reports.charts.base import GREY, INK, fit, no_data, plain_axes, text
from reports.model import ReportData

Z_95 = 1.959963984540054
Z_998 = 3.090232306167813
MAX_NAMED = 6


def draw_funnel(ax: Axes, data: ReportData, dimension: str = "awareness") -> None:
    table = data.table.loc[~data.table[f"{dimension}_suppressed"].astype(bool)]
    n = table[f"{dimension}_n"].to_numpy(dtype=float)
    score = table[f"{dimension}_raw"].to_numpy(dtype=float)
    keep = ~np.isnan(score)
    n, score, names = n[keep], score[keep], table["unit_name"].to_numpy()[keep]
    anova = data.anova[dimension]
    mu, sigma2 = float(anova["mu"]), float(anova["sigma2"])
    title = labels.dimension_label(dimension)
    if not len(n) or not (math.isfinite(mu) and math.isfinite(sigma2)):
        no_data(ax, f"{title}: 没有可绘制的单位 / nothing to plot")
        return
    sigma = math.sqrt(sigma2)
    grid = np.linspace(max(1.0, float(data.settings.min_n)), max(float(n.max()) * 1.08, 2.0),
                       200)
    for z, style, label in ((Z_95, "--", "95%"), (Z_998, "-", "99.8%")):
        half = z * sigma / np.sqrt(grid)
        ax.plot(grid, np.clip(mu + half, 0, 100), style, color=GREY, linewidth=0.8,
                label=f"{label} 控制限 limits")
        ax.plot(grid, np.clip(mu - half, 0, 100), style, color=GREY, linewidth=0.8)
    ax.axhline(mu, color=INK, linewidth=0.8)
    outside = np.abs(score - mu) > Z_998 * sigma / np.sqrt(n)
    colour = labels.DIMENSION_COLOURS[dimension]
    ax.scatter(n[~outside], score[~outside], s=9, color=colour, alpha=0.65, linewidths=0)
    ax.scatter(n[outside], score[outside], s=14, color=colour, edgecolors=INK,
               linewidths=0.6)
    _name_outliers(ax, n[outside], score[outside], names[outside], mu,
                   xmax=max(float(n.max()) * 1.08, 2.0))
    ax.set_ylim(0, 100)
    ax.set_xlim(0, grid[-1])
    ax.yaxis.set_major_locator(MaxNLocator(6))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("答卷数 n", fontsize=7)
    ax.set_ylabel("原始得分 raw score", fontsize=7)
    ax.grid(True, color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    plain_axes(ax)
    text(ax, 0.0, 1.02, f"{title}  μ = {labels.number(mu)}, σ = {labels.number(sigma)}",
         transform=ax.transAxes, fontsize=8, ha="left", va="bottom")
    text(ax, 1.0, 1.02, f"超出 99.8% 限 outside: {int(outside.sum())}",
         transform=ax.transAxes, fontsize=6.5, ha="right", va="bottom", color=GREY)
    ax.legend(loc="lower right", fontsize=6, frameon=False)


def _name_outliers(ax: Axes, n: np.ndarray, score: np.ndarray, names: np.ndarray, mu: float,
                   xmax: float) -> None:
    """Name the most extreme outliers, skipping a label that would sit on another one."""
    placed: list[tuple[float, float]] = []
    for i in np.argsort(-np.abs(score - mu), kind="stable"):
        x, y = float(n[i]) / xmax, float(score[i]) / 100
        if any(abs(x - px) < 0.16 and abs(y - py) < 0.05 for px, py in placed):
            continue
        placed.append((x, y))
        right = x > 0.7
        text(ax, n[i], score[i], fit(names[i], 9), fontsize=5.5, va="center",
             ha="right" if right else "left", color=INK,
             transform=ax.transData + _nudge(ax, -4 if right else 4))
        if len(placed) == MAX_NAMED:
            break


def _nudge(ax: Axes, points: float) -> ScaledTranslation:
    return ScaledTranslation(points / 72, 0, ax.get_figure(root=True).dpi_scale_trans)
