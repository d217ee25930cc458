"""The two charts of a unit's report card.

`draw_unit_dimensions`: per dimension the unit's raw score with its 95% CI, its adjusted
score, and its county's and the city's pooled scores. `draw_unit_items`: per scored item
the % positive with its Wilson 95% interval and the median over units; items without a
positive rule (single choice, number) show their mean item score as text. Suppressed
values are never drawn; their row says 样本不足.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from reports import labels
from reports.charts.base import (
    CITY,
    COUNTY,
    GREY,
    INK,
    fit,
    literal,
    no_data,
    plain_axes,
    score_axis,
    spans,
    text,
)
from reports.model import UnitCard
from reports.settings import DIMENSIONS

ITEM_LABEL_EM = 24.0


def draw_unit_dimensions(ax: Axes, card: UnitCard) -> None:
    row = card.row
    y = np.arange(len(DIMENSIONS))
    for i, d in enumerate(DIMENSIONS):
        colour = labels.DIMENSION_COLOURS[d]
        if bool(row[f"{d}_suppressed"]):
            text(ax, 50, i, f"本单位 {labels.SUPPRESSED}（n = {labels.integer(row[f'{d}_n'])}）",
                 ha="center", va="center", fontsize=7, color=GREY)
        else:
            raw, low, high = (row[f"{d}_{f}"] for f in ("raw", "ci_low", "ci_high"))
            if labels.is_present(low) and labels.is_present(high):
                below, above = (float(v[0]) for v in spans(raw, low, high))
                ax.hlines(i, raw - below, raw + above, color=colour, linewidth=1.4)
                ax.plot([raw - below, raw + above], [i, i], "|", ms=6, mew=1.4, color=colour)
            ax.plot([raw], [i], "o", ms=6, color=colour, zorder=3)
            ax.plot([row[f"{d}_adjusted"]], [i], "D", ms=5, markerfacecolor="white",
                    markeredgecolor=INK, markeredgewidth=0.9, zorder=4)
        for reference, colour_ref, marker, offset in ((card.county, COUNTY, "v", -0.28),
                                                      (card.overall, CITY, "s", -0.28)):
            if reference is None or bool(reference[f"{d}_suppressed"]):
                continue
            ax.plot([reference[f"{d}_raw"]], [i + offset], marker, ms=4.5, color=colour_ref,
                    zorder=2)
    score_axis(ax)
    ax.set_ylim(len(DIMENSIONS) - 0.5, -0.6)
    ax.set_yticks(y)
    ax.set_yticklabels([labels.DIMENSION_ZH[d] for d in DIMENSIONS], fontsize=9)
    ax.tick_params(axis="y", length=0)
    plain_axes(ax)
    county_name = card.county["group_name"] if card.county is not None else None
    handles = [
        Line2D([], [], marker="o", color=GREY, linestyle="-", ms=5,
               label="本单位原始得分及 95% CI raw"),
        Line2D([], [], marker="D", linestyle="none", markerfacecolor="white",
               markeredgecolor=INK, ms=4.5, label="调整后 adjusted"),
    ]
    if county_name:
        handles.append(Line2D([], [], marker="v", linestyle="none", color=COUNTY, ms=4.5,
                              label=literal(f"{fit(county_name, 8)}（县区汇总）")))
    handles.append(Line2D([], [], marker="s", linestyle="none", color=CITY, ms=4.5,
                          label=literal(f"{fit(card.overall_name, 8)}（全市汇总）")))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=4,
              fontsize=6.3, frameon=False, borderaxespad=0.2, handletextpad=0.3,
              columnspacing=0.8)


def draw_unit_items(ax: Axes, card: UnitCard) -> None:
    items = card.items.sort_values("position", kind="stable").reset_index(drop=True)
    if not len(items):
        no_data(ax, "没有计分题目 / no scored items")
        return
    transform = ax.get_yaxis_transform()
    shown = []
    for i, item in enumerate(items.itertuples()):
        label = fit(item.text_zh if isinstance(item.text_zh, str) else item.item_id,
                    ITEM_LABEL_EM)
        text(ax, -0.01, i, label, ha="right", va="center", fontsize=6.3, transform=transform)
        n = labels.integer(item.n)
        if bool(item.suppressed):
            text(ax, 50, i, f"{labels.SUPPRESSED_SHORT}（n = {n}）", ha="center", va="center",
                 fontsize=6.3, color=GREY)
            continue
        if labels.is_present(item.positive_pct):
            shown.append(i)
            note = f"{labels.number(item.positive_pct)}%"
        else:
            note = f"均分 mean {labels.number(item.mean)}"
        text(ax, 1.01, i, f"{note}  n={n}", ha="left", va="center", fontsize=6.3,
             transform=transform)
    if shown:
        rows = items.iloc[shown]
        pct = rows["positive_pct"].to_numpy(dtype=float)
        ax.barh(shown, pct, height=0.62, alpha=0.75, linewidth=0,
                color=[labels.DIMENSION_COLOURS.get(d, GREY) for d in rows["dimension"]])
        low, high = spans(pct, rows["positive_ci_low"], rows["positive_ci_high"])
        ax.errorbar(pct, shown, xerr=[low, high], fmt="none", ecolor=INK, elinewidth=0.6,
                    capsize=1.5)
    medians = items["median_pct"].to_numpy(dtype=float)
    has = ~np.isnan(medians) & ~items["suppressed"].to_numpy(dtype=bool)
    if has.any():
        y = np.flatnonzero(has)
        ax.vlines(medians[has], y - 0.38, y + 0.38, color=INK, linewidth=1.0)
    score_axis(ax)
    ax.set_xticks(np.arange(0, 101, 20))
    ax.set_xticklabels([f"{v}%" for v in range(0, 101, 20)], fontsize=6.5)
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_yticks([])
    plain_axes(ax)
    handles = [Line2D([], [], color=labels.DIMENSION_COLOURS[d], linewidth=5, alpha=0.75,
                      label=labels.DIMENSION_ZH[d]) for d in DIMENSIONS]
    handles.append(Line2D([], [], color=INK, linewidth=1.0, label="各单位中位数 median of units"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=4,
              fontsize=6.3, frameon=False, borderaxespad=0.2)
