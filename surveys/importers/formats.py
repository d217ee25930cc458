"""Telling the formats apart by their header row, and reading it into a `SourceLayout`."""

from __future__ import annotations

import re
from dataclasses import replace

from surveys.importers import template, tencent, wjx
from surveys.importers.cells import text_key
from surveys.importers.table import (
    FORMAT_CHOICES,
    TEMPLATE,
    TENCENT,
    WJX,
    WJX_NUMBER,
    WJX_TEXT,
    SourceLayout,
    SourceProblem,
)

_WJX_QUESTION = re.compile(r"\s*(\d+\s*、|第\s*\d+\s*题)")
_TENCENT_QUESTION = re.compile(r"\s*\d+\s*[.．]")


def detect_format(header: list[str]) -> str | None:
    """``template``, ``wjx`` or ``tencent`` from the header row; None when it is none of them.

    An export is recognised by two of its three signs (its row id column, its date column,
    its way of numbering questions), so a file missing one still gets a precise message.
    """
    keys = {text_key(text) for text in header if text}
    if keys & template.META["unit"] and keys & (template.META["row id"] | template.META["date"]):
        return TEMPLATE
    for format, module, pattern in ((WJX, wjx, _WJX_QUESTION),
                                    (TENCENT, tencent, _TENCENT_QUESTION)):
        signs = (bool(keys & module.META["row id"]), bool(keys & module.META["date"]),
                 any(pattern.match(text) for text in header))
        if sum(signs) >= 2:
            return format
    return None


def parse_layout(header: list[str], header_row: int, format: str | None = None
                 ) -> SourceLayout:
    """The layout of a header row in ``format`` (detected when None).

    Header problems are in ``layout.problems``; an unknown format gives a layout with one
    problem and no columns.
    """
    if format is not None and format not in FORMAT_CHOICES:
        raise ValueError(f"format must be one of {', '.join(FORMAT_CHOICES)}")
    found = format or detect_format(header)
    if found is None:
        return SourceLayout(WJX, header_row, problems=(SourceProblem(
            header_row, None,
            "cannot tell the format from the header row: expected a 问卷星 export (序号, "
            "提交答卷时间, N、题目), a 腾讯问卷 export (编号, 结束答题时间, N.题目) or the "
            "evalapp template (unit, ref, date, item ids)"),))
    if found == TEMPLATE:
        return template.parse_template_header(header, header_row)
    if found == TENCENT:
        return tencent.parse_tencent_header(header, header_row)
    layout = wjx.parse_wjx_header(header, header_row)
    if found in (WJX_TEXT, WJX_NUMBER):
        return replace(layout, format=found)
    return layout
