"""Random headers and cells never crash the pure importers: every outcome is a layout, a
mapping review, a parsed row or a list of problems."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.importers import (
    ParsedResponse,
    ResponseReader,
    infer_mapping,
    parse_layout,
    profile_rows,
)

from .samples import (
    TENCENT_HEADER,
    WJX_NUMBER_HEADER,
    WJX_TEXT_HEADER,
    unit_index,
    youth_instrument,
)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
HEADERS = st.one_of(TEXT, st.sampled_from([*WJX_TEXT_HEADER, *WJX_NUMBER_HEADER, *TENCENT_HEADER,
                                           "unit", "ref", "date", "know_site", "kinds", "1、",
                                           "第1题()", "3.a:b", "—", "1、(x)—y"]))
CELL = st.one_of(TEXT, st.sampled_from(["(跳过)", "-3", "1", "0", "4分", "知道", "A.知道",
                                        "志愿服务┋学习培训", "〖┋〗", "QN01", "2026/11/05",
                                        "136秒", "不适用", "dk", "na", "none,once"]))


@settings(max_examples=150, deadline=None, database=None)
@given(header=st.lists(HEADERS, min_size=1, max_size=14),
       rows=st.lists(st.lists(CELL, max_size=16), max_size=5),
       format=st.sampled_from([None, "wjx", "wjx-text", "wjx-number", "tencent", "template"]))
def test_random_files_never_crash(header: list[str], rows: list[list[str]],
                                  format: str | None) -> None:
    layout = parse_layout(header, 1, format)
    numbered = list(enumerate(rows, start=2))
    review = infer_mapping(layout, profile_rows(layout, numbered), youth_instrument(),
                           unit_index())
    assert review.lines()
    reader = ResponseReader(layout, review.mapping, youth_instrument(), unit_index())
    for number, cells in numbered:
        result = reader.read(number, cells)
        assert isinstance(result, ParsedResponse) or all(p.reason for p in result)
