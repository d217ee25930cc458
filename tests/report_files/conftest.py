"""A small round with hostile text and a suppressed unit, and its report files (built once).

Units: a name that is a spreadsheet formula, one with mathtext, one starting with '-', two
ordinary ones, one with 2 responses (suppressed at min_n 5, with distinctive scores) and
one with none. Suggestions carry formula prefixes, mathtext, a tab and an emoji.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from reports import RoundSettings, score_round
from reports.model import ReportData, RoundInfo, report_data
from reports.pdf import report_pdf
from reports.sample import sample_report
from reports.testing import make_items, make_units
from reports.xlsx import workbook_bytes

FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'
MATH_NAME = "青年之家$x^2$"
SUPPRESSED_UNIT = "S1"
SUGGESTIONS = {
    "A1": ["+cmd|' /C calc'!A0", "@SUM(1+1)", "=1+1"],
    "A2": ["\t制表符开头", "分数写作 $\\frac{1}{2}$ 也照原样", "很好👍"],
    "A3": ["-2+3 减号开头", "希望多组织周末活动。"],
    "S1": ["只有两份答卷的单位的建议"],
}
ITEMS = [("a1", "likert", "awareness", "您对这里提供的服务了解多少？"),
         ("a2", "yesno", "awareness", "您知道怎样联系该团组织吗？"),
         ("p1", "likert", "participation", "您参加过这里的活动吗？"),
         ("p2", "rating10", "participation", "您参与活动策划的程度（0–10）"),
         ("s1", "likert", "satisfaction", "这里的活动令人满意。"),
         ("s2", "yesno", "satisfaction", "您会向朋友推荐吗？")]


@dataclass(frozen=True)
class Built:
    """A round's report data with its files."""

    data: ReportData
    pdf: bytes
    pages: list[str]
    xlsx: bytes


def hostile_inputs(min_n: int = 5) -> dict[str, object]:
    hierarchy = make_units(["YB", "C1", "A1", "A2", "A3", "A4", "A5", "S1", "Z0"],
                           parents={"C1": "YB", **{u: "C1" for u in
                                                   ("A1", "A2", "A3", "A4", "A5", "S1", "Z0")}},
                           kinds={"YB": "city", "C1": "county", "A2": "youth_home"})
    names = {"YB": "宜宾市", "C1": "江安县", "A1": FORMULA_NAME, "A2": MATH_NAME,
             "A3": "江安县阳春镇青年之家", "A4": "-2+3 团支部", "A5": "南溪区仙临镇团委",
             "S1": "屏山县龙华镇团支部", "Z0": "长宁县无答卷团委"}
    hierarchy["unit_name"] = hierarchy["unit_code"].map(names)
    units = hierarchy.loc[~hierarchy["unit_kind"].isin(("city", "county"))]
    items = make_items([(i, kind, d, {"text_zh": zh}) for i, kind, d, zh in ITEMS])
    rng = np.random.default_rng(7)
    answers: dict[str, dict[str, object]] = {}
    unit_of: dict[str, str] = {}
    base = {"A1": 0.8, "A2": 0.6, "A3": 0.4, "A4": 0.7, "A5": 0.5}
    for unit, level in base.items():
        for r in range(8):
            rid = f"{unit}-{r}"
            unit_of[rid] = unit
            p = np.clip(level + rng.normal(0, 0.15), 0.05, 0.95)
            answers[rid] = {"a1": int(1 + rng.binomial(4, p)), "a2": bool(rng.random() < p),
                            "p1": int(1 + rng.binomial(4, p)), "p2": int(rng.binomial(10, p)),
                            "s1": int(1 + rng.binomial(4, p)), "s2": bool(rng.random() < p)}
    # the suppressed unit: two responses whose scores would print as odd numbers
    answers["S1-0"] = {"a1": 2, "a2": True, "p1": 2, "p2": 3, "s1": 3, "s2": False}
    answers["S1-1"] = {"a1": 1, "a2": True, "p1": 3, "p2": 1, "s1": 2, "s2": True}
    unit_of.update({"S1-0": "S1", "S1-1": "S1"})
    from reports.testing import make_answers, make_responses

    return {
        "answers": make_answers(answers), "responses": make_responses(unit_of),
        "items": items, "units": units.reset_index(drop=True), "hierarchy": hierarchy,
        "settings": RoundSettings("R9", min_n=min_n),
    }


def hostile_report(min_n: int = 5) -> ReportData:
    inputs = hostile_inputs(min_n)
    scores = score_round(inputs["answers"], inputs["responses"], inputs["items"],
                         inputs["units"], inputs["settings"])
    suggestions = pd.DataFrame(
        [(unit, "idea", text) for unit, texts in SUGGESTIONS.items() for text in texts],
        columns=["unit_code", "item_id", "text"])
    info = RoundInfo(round_id="R9", name="测试批次：样本不足与公式", mode="spot_check",
                     instrument_key="tiny", instrument_version=1, instrument_title="小问卷",
                     instrument_hash="ab" * 32, data_version="v" * 64, software_version="t")
    return report_data(scores, info, inputs["items"], hierarchy=inputs["hierarchy"],
                       suggestions=suggestions,
                       exclusion_reasons={}, assignments=(12, 10))


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page (pypdf's extraction)."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    data = hostile_report()
    pdf = report_pdf(data, workers=1)
    yield Built(data, pdf, pdf_text(pdf), workbook_bytes(data))


@pytest.fixture(scope="session")
def sample() -> ReportData:
    """A synthetic round of 30 units with a previous round (trends)."""
    return sample_report(30, seed=11)
