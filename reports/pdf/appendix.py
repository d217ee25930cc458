"""Appendix: reliability (α, item-rest correlations, ICC) and data quality (flags,
exclusions, warnings)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from reports import labels
from reports.charts.base import GREY, wrap
from reports.fonts import printable
from reports.model import QUALITY_FLAGS, ReportData
from reports.pdf.layout import BODY_W, Column, heading, paragraph, table
from reports.reliability import ALPHA_FLOOR

ITEM_REST_ROWS = 38
WARN = "#d73027"


def item_rest_pages(data: ReportData) -> list[tuple[int, int]]:
    """Row ranges of the item-rest table per page; the first page also holds the α table
    (one row per dimension and respondent group, each a little taller) and its notes."""
    total = len(data.item_rest)
    first = max(ITEM_REST_ROWS // 4, ITEM_REST_ROWS - 8 - (11 * len(data.reliability)) // 10)
    starts = [0, *range(first, total, ITEM_REST_ROWS)]
    return [(start, min(stop, total))
            for start, stop in zip(starts, [*starts[1:], total], strict=True)
            if start < total] or [(0, 0)]


RELIABILITY_COLUMNS = (
    Column("维度 dimension", 1.2, "left"), Column("答题人分组 group", 1.7, "left", max_em=16),
    Column("题数\nitems", 0.4), Column("完整答卷\ncomplete n", 0.6), Column("α", 0.45),
    Column("ICC(1)", 0.5), Column("ICC(1,k)", 0.55), Column("n₀", 0.45), Column("τ²", 0.55),
    Column("σ²", 0.6),
)


def reliability_rows(data: ReportData) -> tuple[list[list[str]], list[list[str | None]]]:
    """Cells and colours of the α/ICC table: one row per dimension and respondent group.

    ICC and the ANOVA's variances belong to the dimension, so they are printed on its first
    row only.
    """
    rows, colours, seen = [], [], set()
    for r in data.reliability.itertuples():
        anova = data.anova.get(r.dimension, {})
        first = r.dimension not in seen
        seen.add(r.dimension)
        icc = [labels.number(r.icc1), labels.number(r.icck), labels.number(r.n0),
               labels.number(anova.get("tau2")), labels.number(anova.get("sigma2"))]
        rows.append([labels.dimension_label(r.dimension) if first else "", str(r.group),
                     labels.integer(r.items), labels.integer(r.n), labels.number(r.alpha),
                     *(icc if first else [""] * len(icc))])
        low = labels.is_present(r.alpha) and r.alpha < ALPHA_FLOOR
        colours.append([None] * 4 + [WARN if low else None] + [None] * 5)
    return rows, colours


def draw_reliability(fig: Figure, data: ReportData, start: int, stop: int) -> None:
    y = heading(fig, 0.95, "附录 A 信度", "Appendix A: reliability")
    if start == 0:
        y = paragraph(fig, y, [
            f"α 为 Cronbach 内部一致性系数（低于 {ALPHA_FLOOR} 标红）；ICC(1) 为单份答卷区分单位"
            "的信度，"
            "ICC(1,k) 为单位平均分（约 n₀ 份答卷）的信度。"
            "α 按答题人分组（显示相同题目的答卷）计算。",
            "α: Cronbach's alpha per respondent group (responses shown the same items, e.g. "
            "observers and young people), over those answering every item shown; ICC(1): "
            "reliability of one response, ICC(1,k): of a unit mean of n₀ responses (Shrout & "
            "Fleiss one-way forms).",
        ], size=7.5, colour=GREY)
        rows, colours = reliability_rows(data)
        y = table(fig, y + 0.1, RELIABILITY_COLUMNS, rows, row_h=0.22, size=7.5,
                  colours=colours)
        if (data.reliability["n"] < 2).any():
            y = paragraph(fig, y + 0.1, [
                "α 按答题人分组计算（显示相同题目的答卷为一组，如观察员与青年）；"
                "完整答卷少于 2 份的组，α 记为“—”。",
                "α is computed per respondent group (responses shown the same items); a group with "
                "fewer than two complete responses has none.",
            ], size=7, colour=GREY)
        y += 0.35
    y = paragraph(fig, y, ["题目与其余题目的相关（负值标红） Item-rest correlations"], size=9)
    texts = data.item_texts.set_index("item_id")["text_zh"]
    rows, colours = [], []
    for r in data.item_rest.iloc[start:stop].itertuples():
        rows.append([labels.DIMENSION_ZH.get(r.dimension, r.dimension), str(r.group),
                     str(r.item_id), str(texts.get(r.item_id, "")),
                     labels.number(r.item_rest_r), labels.integer(r.n)])
        negative = labels.is_present(r.item_rest_r) and r.item_rest_r < 0
        colours.append([None, None, None, None, WARN if negative else None, None])
    columns = [Column("维度", 0.5, "left"), Column("分组 group", 1.5, "left", max_em=13),
               Column("题目 item", 1.2, "left", max_em=12),
               Column("题干 text", BODY_W - 4.4, "left", max_em=24),
               Column("r", 0.55), Column("n", 0.65)]
    table(fig, y + 0.05, columns, rows or [["—", "", "", "", "", ""]], row_h=0.2, size=7,
          colours=colours if rows else ())


def flag_counts(data: ReportData) -> pd.DataFrame:
    """Responses per quality flag, and how many of them are excluded."""
    quality = data.quality
    rows = []
    for flag in QUALITY_FLAGS:
        flagged = quality[flag].astype(bool) if len(quality) else pd.Series(dtype=bool)
        rows.append({"flag": flag, "responses": int(flagged.sum()),
                     "excluded": int((flagged & quality["excluded"].astype(bool)).sum())
                     if len(quality) else 0})
    any_flag = quality["flagged"].astype(bool) if len(quality) else pd.Series(dtype=bool)
    rows.append({"flag": "any", "responses": int(any_flag.sum()),
                 "excluded": int((any_flag & quality["excluded"].astype(bool)).sum())
                 if len(quality) else 0})
    return pd.DataFrame(rows)


def exclusion_counts(data: ReportData) -> pd.DataFrame:
    """Excluded responses by reason (most frequent first)."""
    excluded = data.quality.loc[data.quality["excluded"].astype(bool)] if len(data.quality) \
        else data.quality
    reasons = excluded["excluded_reason"].fillna("（未说明 no reason given）") \
        if len(excluded) else pd.Series(dtype=object)
    counts = reasons.value_counts().rename_axis("reason").reset_index(name="responses")
    return counts.sort_values(["responses", "reason"], ascending=[False, True],
                              kind="stable").reset_index(drop=True)


def draw_quality(fig: Figure, data: ReportData) -> None:
    y = heading(fig, 0.95, "附录 B 数据质量", "Appendix B: data quality")
    counts = data.counts
    y = paragraph(fig, y, [
        f"答卷 {counts.responses} 份，计入 {counts.counted} 份，排除 {counts.excluded} 份。被标"
        "记的答卷仍计入，"
        "除非评议组以书面理由排除；逐份清单见 Excel 工作簿 quality 表。",
        f"{counts.responses} responses, {counts.counted} counted, {counts.excluded} excluded. "
        "Flagged responses count unless excluded with a reason; the workbook lists them.",
    ], size=7.5, colour=GREY)
    flags = flag_counts(data)
    rows = [[labels.FLAG_ZH.get(r.flag, "任一标记 any flag"), str(r.responses), str(r.excluded)]
            for r in flags.itertuples()]
    y = table(fig, y + 0.1, [Column("标记 flag", 2.6, "left"), Column("答卷 responses", 1.2),
                             Column("其中已排除 excluded", 1.5)], rows, row_h=0.22, size=7.5)
    y = paragraph(fig, y + 0.3, ["排除原因 Exclusions by reason"], size=9)
    reasons = exclusion_counts(data)
    rows = [[printable(str(r.reason)), str(r.responses)] for r in reasons.head(15).itertuples()]
    if len(reasons) > 15:
        rows.append([f"其他 {len(reasons) - 15} 种原因 other reasons",
                     str(int(reasons["responses"].iloc[15:].sum()))])
    y = table(fig, y + 0.05, [Column("原因 reason", BODY_W - 1.3, "left", max_em=70),
                              Column("答卷 responses", 1.3)],
              rows or [["没有排除的答卷 none", "0"]], row_h=0.21, size=7.5)
    if data.warnings:
        y = paragraph(fig, y + 0.3, ["计算中的提示 Warnings from scoring"], size=9)
        lines = [line for w in data.warnings[:20] for line in wrap("· " + w, 100, 2)]
        paragraph(fig, y, lines, size=7, colour=GREY)
