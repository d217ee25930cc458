"""The PDF report and the unit report card: pages, league table text, escaping, metadata."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from reports import labels, score_round
from reports.model import ReportData, RoundInfo, report_data
from reports.pdf import document, plan, report_pdf, unit_card_pdf
from reports.pdf.document import render
from tests.report_files.conftest import (
    FORMULA_NAME,
    MATH_NAME,
    Built,
    hostile_inputs,
    hostile_report,
    pdf_text,
)


def league_lines(built: Built) -> list[str]:
    pages = [i for i, page in enumerate(plan(built.data)) if page.kind == "league"]
    return [line for i in pages for line in built.pages[i].splitlines()]


def test_the_report_has_every_planned_page_in_order(hostile: Built) -> None:
    pages = plan(hostile.data)
    assert len(hostile.pages) == len(pages)
    kinds = [page.kind for page in pages]
    assert kinds[:3] == ["cover", "method", "league"]
    assert kinds.count("card") == len(hostile.data.table)
    assert kinds[-2:] == ["reliability", "quality"]
    assert "目录 Contents" in hostile.pages[0] and "测试批次：样本不足与公式" in hostile.pages[0]
    outline = [item.title for item in PdfReader(io.BytesIO(hostile.pdf)).outline
               if not isinstance(item, list)]
    assert outline[:3] == ["封面 Cover", "评分方法 Method", "排名总表 League table"]


def test_league_table_lists_ranked_units_in_rank_order_with_their_scores(hostile: Built) -> None:
    lines = league_lines(hostile)
    positions = []
    for row in hostile.data.ranked.itertuples():
        name = row.unit_name[:12]
        line = next(line for line in lines if name in line)
        assert line.startswith(f"{row.rank} "), line
        assert labels.number(row.composite_adjusted) in line
        assert labels.number(row.composite_raw) in line
        assert labels.stars(row.stars) in line
        positions.append(lines.index(line))
    assert positions == sorted(positions)


def test_units_without_enough_responses_are_listed_without_numbers(hostile: Built) -> None:
    lines = league_lines(hostile)
    for row in hostile.data.unranked.itertuples():
        line = next(line for line in lines if row.unit_name in line)
        assert line.startswith("— —") and labels.SUPPRESSED_SHORT in line
        numbers = re.findall(r"\d+\.\d\d", line)
        assert numbers == [], line


def test_user_text_is_printed_literally(hostile: Built) -> None:
    text = "\n".join(hostile.pages)
    assert MATH_NAME in text  # not rendered as mathtext
    assert FORMULA_NAME in text  # the card's title shows the name in full
    assert "分数写作 $\\frac{1}{2}$ 也照原样" in text
    assert "很好□" in text  # an emoji no report font has
    assert "制表符开头" in text


def test_metadata_is_fixed_without_source_date_epoch(hostile: Built) -> None:
    info = PdfReader(io.BytesIO(hostile.pdf)).metadata
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert info["/Producer"] == "evalapp (matplotlib, pypdf)"
    assert info["/Title"].startswith("测试批次")


def test_creation_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp.timestamp())))
    data = hostile_report()
    assert data.generated_at == stamp
    pages = plan(data)[:2]
    info = PdfReader(io.BytesIO(render(data, pages, workers=1))).metadata
    assert info["/CreationDate"] == "D:20261101083000Z"


def test_the_same_data_gives_the_same_pdf_serially_and_in_a_pool(
    hostile: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert report_pdf(hostile.data, workers=1) == hostile.pdf
    monkeypatch.setattr(document, "PAGES_PER_TASK", 2)  # several parts to merge
    pages = plan(hostile.data)[:4]
    pooled = render(hostile.data, pages, workers=2)
    assert pdf_text(pooled) == pdf_text(render(hostile.data, pages, workers=1))
    assert len(PdfReader(io.BytesIO(pooled)).pages) == 4


def test_a_unit_card_is_its_own_pdf(hostile: Built) -> None:
    code = hostile.data.ranked["unit_code"].iloc[0]
    pages = pdf_text(unit_card_pdf(hostile.data, code))
    assert len(pages) == 2
    row = hostile.data.ranked.iloc[0]
    assert row["unit_name"] in pages[0] and labels.number(row["composite_adjusted"]) in pages[0]
    assert "评分方法" in pages[1]
    with pytest.raises(KeyError):
        unit_card_pdf(hostile.data, "NO-SUCH-UNIT")


def test_a_suppressed_unit_card_says_not_enough_responses(hostile: Built) -> None:
    pages = plan(hostile.data)
    number = next(i for i, page in enumerate(pages) if page.args == ("S1",))
    text = hostile.pages[number]
    assert "屏山县龙华镇团支部" in text and labels.SUPPRESSED in text
    assert "排名 rank" not in text
    # its one suggestion is withheld from the card (it could point to its writer)
    assert "意见建议 Suggestions（1）" in text and "只有两份答卷的单位的建议" not in text
    assert "为保护答题人" in text


def test_a_round_without_a_hierarchy_has_no_county_rollups() -> None:
    inputs = hostile_inputs()
    scores = score_round(inputs["answers"], inputs["responses"], inputs["items"],
                         inputs["units"], inputs["settings"])
    data = report_data(scores, RoundInfo(round_id=1, name="无层级"), inputs["items"])
    assert data.counties.empty and data.overall_name == "全部单位 / all units"
    assert data.units["county_code"].isna().all()
    pages = [p for p in plan(data) if p.kind in ("counties", "card")][:2]
    text = pdf_text(render(data, pages, workers=1))
    assert "没有县（区）汇总" in text[0] and "县（区）" in text[1]


def test_trend_page_names_the_previous_round(sample: ReportData) -> None:
    pages = [p for p in plan(sample) if p.kind in ("cover", "trend")]
    text = pdf_text(render(sample, pages, workers=1))[1]
    assert "与上一轮比较" in text and sample.previous is not None
    assert sample.previous.name in text and "综合得分上升最多" in text
