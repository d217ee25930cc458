"""Pages of charts: composite bars, heat map, counties, funnels, distributions, trend."""

from __future__ import annotations

from matplotlib.figure import Figure

from reports import labels
from reports.charts import composite as composite_chart
from reports.charts import counties as county_chart
from reports.charts import (
    draw_composite,
    draw_counties,
    draw_county_stars,
    draw_distribution,
    draw_funnel,
    draw_heatmap,
    draw_stars,
    draw_trend,
    draw_trend_deltas,
)
from reports.charts import heatmap as heat_chart
from reports.charts.base import GREY
from reports.charts.trend import movers
from reports.model import ReportData
from reports.pdf.layout import (
    BODY_W,
    MARGIN_L,
    PAGE_H,
    Column,
    chart_axes,
    heading,
    paragraph,
    table,
)
from reports.settings import DIMENSIONS

MOVERS = 8
BOTTOM = PAGE_H - 0.85  # the lowest axes edge: tick labels go below it


def composite_pages(data: ReportData) -> list[tuple[int, int]]:
    return composite_chart.composite_pages(data)


def draw_composite_page(fig: Figure, data: ReportData, start: int, stop: int) -> None:
    y = 0.95
    if start == 0:
        y = heading(fig, y, "综合得分排序", "Composite score by unit")
        y = paragraph(fig, y, [
            "条形为调整后综合得分（用于排名，颜色表示星级）；黑点为原始综合得分，须线为保守的 95"
            "% 区间。",
            "Bars: adjusted composite (ranked; colour = stars). Dots: raw composite with a "
            "conservative 95% interval.",
        ], size=7.5, colour=GREY)
    top = y + 0.45
    ax = chart_axes(fig, MARGIN_L + 1.55, top, BODY_W - 2.05, BOTTOM - top)
    several = len(data.ranked) > composite_chart.ROWS
    draw_composite(ax, data, start, stop, rows=composite_chart.ROWS if several else None)


def heatmap_pages(data: ReportData) -> list[tuple[int, int]]:
    per_page = 2 * heat_chart.ROWS
    total = len(data.table)
    return [(start, min(start + per_page, total)) for start in range(0, total, per_page)] \
        or [(0, 0)]


def draw_heatmap_page(fig: Figure, data: ReportData, start: int, stop: int) -> None:
    y = 0.95
    if start == 0:
        y = heading(fig, y, "单位 × 维度热力图", "Units × dimensions: adjusted scores")
        y = paragraph(fig, y, ["按排名顺序；灰色格为样本不足。 In league order; grey cells: "
                               "not enough responses."], size=7.5, colour=GREY)
    top = y + 0.35
    middle = start + heat_chart.ROWS
    width = (BODY_W - 0.3) / 2 - 1.25
    for i, (a, b) in enumerate(((start, min(middle, stop)), (middle, stop))):
        ax = chart_axes(fig, MARGIN_L + 1.25 + i * (width + 1.55), top, width, BOTTOM - top)
        if b > a:
            draw_heatmap(ax, data, a, b, rows=heat_chart.ROWS)
        else:
            ax.set_axis_off()


def county_pages(data: ReportData) -> list[tuple[int, int]]:
    total = len(data.counties)
    rows = county_chart.ROWS
    return [(start, min(start + rows, total)) for start in range(0, total, rows)] or [(0, 0)]


def draw_county_page(fig: Figure, data: ReportData, start: int, stop: int) -> None:
    y = 0.95
    if start == 0:
        y = heading(fig, y, "县（区）比较", "County comparison (pooled roll-ups)")
        y = paragraph(fig, y, [
            "汇总该县（区）所有单位的答卷计算；为防止反推未公布的小单位分数，部分汇总不公布。",
            "Pooled over the responses of the county's units; a roll-up is withheld when it "
            "would reveal a suppressed unit's score.",
        ], size=7.5, colour=GREY)
    count = max(stop - start, 1)
    dots_h = min(0.34 * count + 0.3, 5.2)
    top = y + 0.5
    draw_counties(chart_axes(fig, MARGIN_L + 1.0, top, BODY_W - 1.6, dots_h), data, start,
                  stop)
    top += dots_h + 1.0
    stars_h = min(0.24 * count + 0.2, BOTTOM - top - 0.3)
    draw_county_stars(chart_axes(fig, MARGIN_L + 1.0, top, BODY_W - 1.6, stars_h), data,
                      start, stop)


def draw_funnel_page(fig: Figure, data: ReportData) -> None:
    y = heading(fig, 0.95, "漏斗图", "Funnel plots: score against number of responses")
    y = paragraph(fig, y, [
        "虚线和实线分别为全市平均的 95% 和 99.8% 控制限（合并组内标准差）；限外的单位与全市差异"
        "明显，"
        "不只是偶然。",
        "Dashed and solid lines: 95% and 99.8% limits around the round mean (pooled within-unit "
        "sd); units outside differ from the city by more than chance.",
    ], size=7.5, colour=GREY)
    top = y + 0.3
    height = (BOTTOM - top - 2 * 0.55) / 3
    for d in DIMENSIONS:
        draw_funnel(chart_axes(fig, MARGIN_L + 0.5, top, BODY_W - 0.6, height), data, d)
        top += height + 0.55


def draw_distribution_page(fig: Figure, data: ReportData) -> None:
    y = heading(fig, 0.95, "得分分布", "Score distributions")
    top = y + 0.3
    width = (BODY_W - 0.9) / 2
    height = (BOTTOM - top - 2 * 0.6) / 3
    panels = [*DIMENSIONS, "composite"]
    for k, d in enumerate(panels):
        row, col = divmod(k, 2)
        ax = chart_axes(fig, MARGIN_L + 0.45 + col * (width + 0.6), top + row * (height + 0.6),
                        width, height)
        draw_distribution(ax, data, d)
    draw_stars(chart_axes(fig, MARGIN_L + 0.45, top + 2 * (height + 0.6), width, height), data)


def draw_trend_page(fig: Figure, data: ReportData) -> None:
    previous = data.previous.name if data.previous else ""
    y = heading(fig, 0.95, "与上一轮比较", f"Trend against the previous round {previous}".strip())
    top = y + 0.35
    draw_trend(chart_axes(fig, MARGIN_L + 0.55, top, 3.5, 3.5), data)
    rising, falling = movers(data, MOVERS)
    columns = [Column("单位 unit", 1.75, "left", max_em=14), Column("Δ 综合 composite", 0.85)]
    x = MARGIN_L + 4.45
    y2 = top - 0.2
    for title, frame in (("综合得分上升最多 most improved", rising),
                         ("综合得分下降最多 most declined", falling)):
        y2 = paragraph(fig, y2, [title], size=8, x=x)
        rows = [[r.unit_name, labels.signed(r.composite_delta)] for r in frame.itertuples()]
        y2 = table(fig, y2, columns, rows or [["—", ""]], left=x, header_h=0.22,
                   row_h=0.175, size=6.8) + 0.2
    top += 4.35
    draw_trend_deltas(chart_axes(fig, MARGIN_L + 0.9, top, BODY_W - 1.9, 2.5), data)
    paragraph(fig, top + 3.05, [
        "只比较两轮都公布了分数的单位；变化超过 1.96 倍合成标准误为显著（彩色）。"
        "综合得分的变化不做检验。",
        "Only units published in both rounds; coloured = significant "
        "(|Δ| > 1.96·√(se₁² + se₂²)). The composite's change is shown without a test.",
    ], size=7.5, colour=GREY)
