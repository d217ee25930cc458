"""The cover (round, dates, instrument, counts, contents) and the one-page method summary."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from reports import labels
from reports.charts.base import GREY, INK, wrap
from reports.model import ReportData
from reports.pdf.layout import (
    ACCENT,
    BODY_W,
    MARGIN_L,
    PAGE_W,
    Column,
    heading,
    paragraph,
    put,
    table,
)
from reports.settings import DIMENSIONS


def draw_cover(fig: Figure, data: ReportData, contents: Sequence[tuple[str, int]]) -> None:
    info, counts = data.info, data.counts
    fig.add_artist(Rectangle((0, 1 - 2.3 / 11.69), 1, 2.3 / 11.69, transform=fig.transFigure,
                             facecolor=ACCENT, linewidth=0))
    put(fig, MARGIN_L, 0.8, "青年观察员第三方评议报告", fontsize=24, color="white", va="top")
    put(fig, MARGIN_L, 1.45, "Youth observers' third-party evaluation report", fontsize=11,
        color="white", va="top")
    put(fig, MARGIN_L, 2.75, info.name, fontsize=18, color=INK, va="top")
    mode = f"{labels.MODE_ZH.get(info.mode, info.mode)} · {labels.MODE_EN.get(info.mode, '')}"
    window = " – ".join(d.isoformat() for d in (info.opens_on, info.closes_on) if d)
    status = labels.STATUS_ZH.get(info.status, info.status)
    if info.frozen:
        status += "（发布时冻结的结果 results frozen at publication）"
    elif info.status != "published":
        status += "（结果尚未发布，可能变化 preliminary: results may change）"
    facts = [
        ("评议方式 Mode", mode),
        ("评议时间 Window", window or labels.MISSING),
        ("问卷 Instrument", f"{info.instrument_title}（{info.instrument_key} "
                          f"v{info.instrument_version or '?'}）"),
        ("状态 Status", status),
    ]
    y = 3.35
    for key, value in facts:
        put(fig, MARGIN_L, y, key, fontsize=9, color=GREY, va="top")
        put(fig, MARGIN_L + 1.6, y, value, fontsize=9.5, color=INK, va="top")
        y += 0.3
    boxes = [
        ("评议单位 units", f"{counts.units}"),
        ("已排名 ranked", f"{counts.units_ranked}"),
        ("答卷 responses", f"{counts.responses}"),
        ("计入 counted", f"{counts.counted}"),
    ]
    rate = counts.response_rate
    if rate is not None:
        boxes.append(("任务完成率 visits done", f"{rate:.2f}%"))
    width = BODY_W / len(boxes)
    for i, (key, value) in enumerate(boxes):
        x = MARGIN_L + i * width
        put(fig, x, y + 0.35, value, fontsize=20, color=ACCENT, va="top")
        put(fig, x, y + 0.8, key, fontsize=8, color=GREY, va="top")
    y += 1.25
    notes = [f"排除的答卷 excluded responses: {counts.excluded}"]
    if rate is not None:
        notes.append(f"观察任务 assigned visits: {counts.assignments_submitted} / "
                     f"{counts.assignments} 已提交 submitted")
    y = paragraph(fig, y, notes, size=8, colour=GREY)
    overall = data.overall.iloc[0]
    rows = [[f"{data.overall_name} 汇总 pooled",
             *(labels.number(overall[f"{d}_raw"], bool(overall[f"{d}_suppressed"]))
               for d in DIMENSIONS),
             labels.number(overall["composite_raw"], bool(overall["composite_suppressed"]))]]
    columns = [Column("", 2.2, "left"),
               *(Column(labels.dimension_label(d), 1.2) for d in DIMENSIONS),
               Column(labels.dimension_label("composite"), 1.3)]
    y = table(fig, y + 0.15, columns, rows, row_h=0.26, size=9)
    put(fig, MARGIN_L, y + 0.5, "目录 Contents", fontsize=12, color=ACCENT, va="top")
    y += 0.9
    for title, page in contents:
        put(fig, MARGIN_L + 0.1, y, title, fontsize=9, va="top")
        put(fig, PAGE_W - MARGIN_L, y, str(page), fontsize=9, va="top", ha="right")
        y += 0.27


def method_lines(data: ReportData) -> list[str]:
    """The method summary in plain language: Chinese, then English, per topic."""
    s = data.settings
    weights = "，".join(f"{labels.DIMENSION_ZH[d]} {s.weights[d]:g}" for d in DIMENSIONS)
    c2, c3, c4, c5 = (f"{c:g}" for c in s.star_cutoffs)
    topics = [
        ("一、题目得分。每个回答换算为 0–100 分：k 级量表为 (选项 − 1)/(k − 1) × 100"
         "（5 级量表依次为 0、25、50、75、100 分）；是否题“是”100 分、“否”0 分；0–10 评分"
         "乘以 10；单选题按选项分值；反向题取 100 减原分。“不适用”不计入；知晓度题目答"
         "“不知道”计 0 分（不知道本身就是知晓度要测量的），其他题目答“不知道”不计入。",
         "Item scores: every answer becomes 0–100 (k-point scales (v − 1)/(k − 1) × 100, "
         "yes 100, no 0, ratings × 10, option scores; reversed items 100 − s). Not "
         "applicable is left out; don't know scores 0 on awareness items, is left out "
         "elsewhere."),
        ("二、维度得分。一份答卷在某一维度的得分是该维度已答题目得分的加权平均；答了所显示"
         "题目的一半以上才计分。单位得分是其有效答卷的平均分，并给出 95% 置信区间。",
         "Dimension scores: the weighted mean of a response's answered items of the "
         "dimension, when it answered at least half of those shown; a unit's score is the "
         "mean over its counted responses, with a 95% confidence interval."),
        ("三、调整后得分。答卷少的单位，平均分受偶然因素影响大。调整后得分把每个单位的平均分"
         "按其证据多少向全市平均“收缩”：答卷越多，越接近自己的平均分；答卷越少，越接近全市"
         "平均（经验贝叶斯，单因素随机效应方差分析，只用公布分数的单位的答卷，以免反推出"
         "样本不足单位的分数）。排名和星级都用调整后得分，对小单位更公平。",
         "Adjusted scores pull each unit's mean toward the city mean in proportion to how "
         "little evidence it has (empirical Bayes from a one-way random-effects ANOVA over "
         "the units whose scores are published, so that it reveals nothing of the others); "
         "ranks and stars use them, which is fairer to small units."),
        (f"四、样本不足。某维度有效答卷少于 {s.min_n} 份的单位，该维度不公布分数，标为"
         "“样本不足”，也不参与综合得分和排名；县（区）汇总同样遵守这一规则，并防止从汇总中"
         "反推出未公布的分数。",
         f"Suppression: with fewer than {s.min_n} counted responses a dimension is not "
         "published (marked 'not enough responses') and the unit gets no composite, rank or "
         "stars; roll-ups follow the same rule so that no hidden score can be backed out."),
        (f"五、综合得分、排名和星级。综合得分为三个维度调整后得分的加权平均（权重：{weights}）。"
         "排名按保留两位小数后的综合得分从高到低，同分同名次。星级：≥ "
         f"{c5} 五星，≥ {c4} 四星，≥ {c3} 三星，≥ {c2} 二星，其余一星。",
         "Composite: the weighted mean of the adjusted dimension scores; ranked on its "
         "2-decimal value (ties share a rank); stars from the cut-offs above."),
        ("六、题目结果与趋势。题目的“正面率”是给出最高两级（是否题为“是”，0–10 评分为 9–10 "
         "分）的比例，附 Wilson 95% 区间。与上一轮（同一评议方式和问卷）比较原始得分，变化"
         "超过 1.96 倍合成标准误视为显著。综合得分图中的须线是保守区间：各维度 95% 区间半宽"
         "的加权平均。",
         "Items: % positive is the share in the top two points (yes; 9–10 on 0–10 ratings), "
         "with a Wilson 95% interval. Trends compare raw scores with the previous published "
         "round; a change is significant beyond 1.96 combined standard errors. The composite "
         "chart's whiskers are conservative: the weighted mean of the dimensions' 95% "
         "half-widths."),
        ("七、数据质量。系统标记直线作答（6 题以上量表答案完全相同）、作答过快（用时不到中位数"
         "的 30%）和重复答卷；被标记的答卷仍计入，除非评议组以书面理由排除（见附录）。观察员"
         "身份与答卷永不关联。",
         "Quality flags (straight-lining, speeding, duplicates) are listed in the appendix; "
         "flagged responses count unless the evaluation team excludes them with a reason. "
         "Responses are never linked to the observers who gave them."),
    ]
    return [line for zh, en in topics for line in (zh, en, "")]


def draw_method(fig: Figure, data: ReportData) -> None:
    y = heading(fig, 0.95, "评分方法", "How the scores are made")
    y = paragraph(fig, y, method_lines(data), size=8, leading=1.45)
    info, s = data.info, data.settings
    rows = [
        ["权重 weights", "，".join(f"{labels.DIMENSION_ZH[d]} {s.weights[d]:g}"
                                  for d in DIMENSIONS)],
        ["最少答卷数 min_n", str(s.min_n)],
        ["星级分界 star cut-offs", " / ".join(f"{c:g}" for c in s.star_cutoffs)],
        ["问卷 instrument", f"{info.instrument_key} v{info.instrument_version or '?'}，"
                           f"hash {info.instrument_hash[:16]}"],
        ["数据版本 data version", info.data_version],
        ["软件版本 software", info.software_version],
    ]
    if data.generated_at is not None:
        rows.append(["生成时间 generated", data.generated_at.strftime("%Y-%m-%d %H:%M UTC")])
    y = table(fig, y + 0.1, [Column("设置 setting", 1.8, "left"),
                             Column("值 value", BODY_W - 1.8, "left")], rows,
              row_h=0.21, size=7.5, header_h=0.26)
    if data.warnings:
        y = paragraph(fig, y + 0.15, ["注意 Warnings"], size=8.5, colour=ACCENT)
        lines = [line for w in data.warnings[:8] for line in wrap("· " + w, 95, 2)]
        paragraph(fig, y, lines, size=7, colour=GREY)
