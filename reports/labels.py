"""Words and number formats shared by the report files (PDF, XLSX, CSV, charts).

Reports are bilingual where space allows ("中文 / English") and Chinese first where it does
not. Numbers carry 2 decimals; a suppressed score is never a number but `SUPPRESSED`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from reports.settings import DIMENSIONS

SUPPRESSED = "样本不足 / not enough responses"
SUPPRESSED_SHORT = "样本不足"
MISSING = "—"

DIMENSION_ZH = {"awareness": "知晓度", "participation": "参与度", "satisfaction": "满意度"}
DIMENSION_EN = {"awareness": "Awareness", "participation": "Participation",
                "satisfaction": "Satisfaction"}
DIMENSION_COLOURS = {"awareness": "#1f77b4", "participation": "#2ca02c",
                     "satisfaction": "#d62728", "composite": "#4c4c4c"}
COMPOSITE_ZH = "综合得分"
MODE_ZH = {"daily": "日常工作评议", "experience": "参与体验评议", "spot_check": "重点抽查评议"}
MODE_EN = {"daily": "daily work review", "experience": "activity experience review",
           "spot_check": "spot check"}
STATUS_ZH = {"draft": "草稿", "open": "进行中", "closed": "已结束", "published": "已发布"}
KIND_ZH = {
    "city": "市", "county": "县（区）", "township": "乡镇（街道）", "branch": "团组织",
    "youth_home": "青年之家", "department": "机关部门", "industry": "行业团组织",
    "district": "商圈团组织", "association": "青年社会组织",
}
ITEM_TYPE_ZH = {"likert": "量表", "yesno": "是否", "single": "单选", "multi": "多选",
                "rating10": "0–10 评分", "number": "数值", "text": "文本"}
FLAG_ZH = {"straight_lining": "直线作答 / straight-lining", "speeding": "作答过快 / speeding",
           "duplicate": "重复答卷 / duplicate"}


def dimension_label(d: str) -> str:
    """'知晓度 Awareness' (or the composite)."""
    if d == "composite":
        return f"{COMPOSITE_ZH} Composite"
    return f"{DIMENSION_ZH[d]} {DIMENSION_EN[d]}"


def kind_label(kind: object) -> str:
    return KIND_ZH.get(str(kind), str(kind)) if is_present(kind) else MISSING


def is_present(value: object) -> bool:
    """False for None, NaN and pandas NA."""
    if value is None or value is pd.NA:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def number(value: object, suppressed: bool = False, short: bool = True) -> str:
    """A score as printed: 2 decimals (pandas rounding, as ranks use), or the suppressed
    label, or a dash when there is nothing to show (e.g. no sd with n = 1)."""
    if suppressed:
        return SUPPRESSED_SHORT if short else SUPPRESSED
    if not is_present(value):
        return MISSING
    return f"{rounded(value):.2f}"


def rounded(value: object) -> float:
    """Rounded to 2 decimals as pandas and numpy round (the rounding that ranks use)."""
    return float(np.round(float(value), 2))  # type: ignore[arg-type]


def signed(value: object) -> str:
    """A change with its sign: '+3.25', '-1.50' (2 decimals), or a dash."""
    if not is_present(value):
        return MISSING
    return f"{rounded(value):+.2f}"


def integer(value: object) -> str:
    return str(int(value)) if is_present(value) else MISSING  # type: ignore[call-overload]


def stars(value: object) -> str:
    """'★★★☆☆' for 3 stars, a dash for none."""
    if not is_present(value):
        return MISSING
    count = int(value)  # type: ignore[call-overload]
    return "★" * count + "☆" * (5 - count)


def ci(low: object, high: object, suppressed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED_SHORT
    if not (is_present(low) and is_present(high)):
        return MISSING
    return f"{number(low)}–{number(high)}"


__all__ = ["DIMENSIONS", "SUPPRESSED", "SUPPRESSED_SHORT"]
