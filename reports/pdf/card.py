"""A unit's report card: one page with its scores against its county and the city, its
item results, its change since the previous round and its suggestions.

Suggestions are respondents' free text: drawn with mathtext off, control characters and
glyphs no report font has replaced (`reports.fonts.printable`), wrapped and cut to two lines
each; at most `MAX_SUGGESTIONS` are shown, the rest are counted (all are in the workbook).
"""

from __future__ import annotations

from matplotlib.figure import Figure

from reports import labels
from reports.charts import draw_unit_dimensions, draw_unit_items
from reports.charts.base import GREY, INK, wrap
from reports.fonts import printable
from reports.model import ReportData, UnitCard
from reports.pdf.layout import (
    ACCENT,
    BODY_W,
    MARGIN_L,
    PAGE_H,
    PAGE_W,
    Column,
    chart_axes,
    paragraph,
    put,
    table,
)
from reports.settings import DIMENSIONS

MAX_SUGGESTIONS = 8
ITEM_ROW_H = 0.215


def responses(card: UnitCard) -> int:
    """The unit's counted responses: the largest n of its dimensions."""
    return max(int(n) if labels.is_present(n) else 0
               for n in (card.row[f"{d}_n"] for d in DIMENSIONS))


def withholds_suggestions(card: UnitCard) -> bool:
    """Below `min_n` responses a suggestion could point to the person who wrote it, so the
    cards (this PDF and the web page) leave the unit's suggestions out; the workbook, for
    the evaluation team, keeps them."""
    return responses(card) < card.settings.min_n


def draw_card(fig: Figure, data: ReportData, unit_code: str) -> None:
    card = data.card(unit_code)
    row = card.row
    put(fig, MARGIN_L, 0.8, str(row["unit_name"]), fontsize=17, color=ACCENT, va="top")
    county = card.county["group_name"] if card.county is not None else None
    facts = [str(row["unit_code"]), labels.kind_label(row["unit_kind"])]
    if county:
        facts.append(str(county))
    put(fig, MARGIN_L, 1.25, " · ".join(facts), fontsize=8.5, color=GREY, va="top")
    _headline(fig, data, card)
    top = 1.95
    put(fig, MARGIN_L, top - 0.05, "三个维度 Dimensions", fontsize=10, color=ACCENT,
        va="bottom")
    draw_unit_dimensions(chart_axes(fig, MARGIN_L + 0.75, top + 0.3, BODY_W - 0.95, 1.35),
                         card)
    y = _dimension_table(fig, card, top + 2.0)
    y += 0.25
    n_items = len(card.items)
    put(fig, MARGIN_L, y, "题目结果：正面率及 Wilson 95% 区间 Items: % positive",
        fontsize=10, color=ACCENT, va="top")
    items_top = y + 0.55
    items_h = max(ITEM_ROW_H * n_items, 0.5)
    draw_unit_items(chart_axes(fig, MARGIN_L + 3.05, items_top, BODY_W - 4.05, items_h), card)
    _suggestions(fig, card, items_top + items_h + 0.45)


def _headline(fig: Figure, data: ReportData, card: UnitCard) -> None:
    row = card.row
    right = PAGE_W - MARGIN_L
    if labels.is_present(row["rank"]):
        put(fig, right, 0.78, labels.number(row["composite_adjusted"]), fontsize=22,
            color=INK, va="top", ha="right")
        put(fig, right - 1.35, 0.8, labels.stars(row["stars"]), fontsize=13, color="#e6a100",
            va="top", ha="right")
        put(fig, right - 1.35, 1.12, f"排名 rank {labels.integer(row['rank'])} / "
            f"{len(data.ranked)}", fontsize=8, color=GREY, va="top", ha="right")
        put(fig, right, 1.28, "调整后综合得分 adjusted composite", fontsize=6.5, color=GREY,
            va="top", ha="right")
    else:
        put(fig, right, 0.85, labels.SUPPRESSED, fontsize=11, color=GREY, va="top",
            ha="right")
        put(fig, right, 1.15, f"有效答卷少于 {card.settings.min_n} 份，不排名 no rank",
            fontsize=7.5, color=GREY, va="top", ha="right")


def _dimension_table(fig: Figure, card: UnitCard, top: float) -> float:
    row, trend = card.row, card.trend
    county, overall = card.county, card.overall
    rows, colours = [], []
    for d in DIMENSIONS:
        hidden = bool(row[f"{d}_suppressed"])
        delta, mark = labels.MISSING, ""
        if trend is not None and labels.is_present(trend[f"{d}_delta"]):
            delta = labels.signed(trend[f"{d}_delta"])
            significant = trend[f"{d}_significant"]
            if labels.is_present(significant) and bool(significant):
                mark = "显著 sig."
        rows.append([
            labels.DIMENSION_ZH[d], labels.integer(row[f"{d}_n"]),
            labels.number(row[f"{d}_raw"], hidden),
            labels.ci(row[f"{d}_ci_low"], row[f"{d}_ci_high"], hidden),
            labels.number(row[f"{d}_adjusted"], hidden),
            _pooled(county, d), _pooled(overall, d), delta, mark,
        ])
        colours.append([None] * 7 + [_delta_colour(trend, d)] * 2)
    hidden = bool(row["composite_suppressed"])
    composite_delta = labels.MISSING
    if trend is not None:
        composite_delta = labels.signed(trend["composite_delta"])
    rows.append([labels.COMPOSITE_ZH, "", labels.number(row["composite_raw"], hidden), "",
                 labels.number(row["composite_adjusted"], hidden),
                 _pooled(county, "composite"), _pooled(overall, "composite"),
                 composite_delta, ""])
    colours.append([None] * 9)
    columns = [
        Column("维度", 0.75, "left"), Column("n", 0.4), Column("原始\nraw", 0.7),
        Column("95% 置信区间\n95% CI", 1.15), Column("调整后\nadjusted", 0.75),
        Column("县（区）\ncounty", 0.8), Column(f"{card.overall_name[:6]}\ncity", 0.8),
        Column("比上轮\nΔ previous", 0.8), Column("", 0.75, "left"),
    ]
    return table(fig, top, columns, rows, row_h=0.22, size=7.5, header_h=0.36,
                 colours=colours)


def _pooled(group: object, d: str) -> str:
    if group is None:
        return labels.MISSING
    return labels.number(group[f"{d}_raw"], bool(group[f"{d}_suppressed"]))  # type: ignore[index]


def _delta_colour(trend: object, d: str) -> str | None:
    if trend is None:
        return None
    significant = trend[f"{d}_significant"]  # type: ignore[index]
    if not (labels.is_present(significant) and bool(significant)):
        return None
    return "#1a9850" if trend[f"{d}_delta"] > 0 else "#d73027"  # type: ignore[index]


def _suggestions(fig: Figure, card: UnitCard, y: float) -> None:
    texts = card.suggestions
    put(fig, MARGIN_L, y, f"意见建议 Suggestions（{len(texts)}）", fontsize=10, color=ACCENT,
        va="top")
    y += 0.32
    if texts and withholds_suggestions(card):
        paragraph(fig, y, [
            f"本单位有效答卷少于 {card.settings.min_n} 份，为保护答题人，意见建议不在报告卡中显示"
            "（评议组可在 Excel 工作簿中查看）。",
            f"Withheld: with fewer than {card.settings.min_n} responses a suggestion could point "
            "to the person who wrote it (the evaluation team has them in the workbook).",
        ], size=8, colour=GREY)
        return
    if not texts:
        paragraph(fig, y, ["本轮没有收到意见建议。 No suggestions this round."], size=8,
                  colour=GREY)
        return
    room = int((PAGE_H - 0.75 - y) / (8 * 1.45 / 72))
    lines: list[str] = []
    shown = 0
    for suggestion in texts[:MAX_SUGGESTIONS]:
        wrapped = wrap(printable(suggestion), 76, 2)
        if len(lines) + len(wrapped) > room - 1:
            break
        lines += ["· " + wrapped[0], *("  " + line for line in wrapped[1:])]
        shown += 1
    if shown < len(texts):
        lines.append(f"另有 {len(texts) - shown} 条，见 Excel 工作簿 suggestions 表。 "
                     f"{len(texts) - shown} more in the workbook's suggestions sheet.")
    paragraph(fig, y, lines, size=8, leading=1.45)
