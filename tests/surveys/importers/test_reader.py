"""Reading rows through a confirmed mapping: units by code or name, answers, flags, the
source identity, and every problem with its column."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from surveys.answers import Answer
from surveys.importers import (
    ParsedResponse,
    ResponseReader,
    SourceProblem,
    UnitRef,
    infer_mapping,
    parse_layout,
    profile_rows,
)
from surveys.importers.units import UnknownUnit

from .samples import (
    TENCENT_HEADER,
    WJX_NUMBER_HEADER,
    unit_index,
    wjx_text_rows,
    youth_instrument,
)

WINDOW = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def reader_for(rows: list[list[str]], **options: object) -> ResponseReader:
    layout = parse_layout(rows[0], 1)
    profile = profile_rows(layout, enumerate(rows[1:], start=2))
    mapping = infer_mapping(layout, profile, youth_instrument(), unit_index()).mapping
    return ResponseReader(layout, mapping, youth_instrument(), unit_index(), window=WINDOW,
                          **options)  # type: ignore[arg-type]


def read(reader: ResponseReader, cells: list[str], row: int = 2
         ) -> ParsedResponse | list[SourceProblem]:
    return reader.read(row, cells)


@pytest.mark.parametrize("text", ["QN02", "qn02", "ＱＮ０２", " QN\u200b02 ", "城南青年之家",
                                  "城南 青年之家", "城南青年之家\ufeff"])
def test_units_by_code_or_name(text: str) -> None:
    assert unit_index().resolve(text).code == "QN02"


def test_unit_names_shared_by_several_units() -> None:
    index = unit_index([("A1", "青年之家"), ("A2", "青年之家")])
    with pytest.raises(UnknownUnit, match=r"names several units \(A1, A2\); give the unit code"):
        index.resolve("青年之家")
    scoped = type(index)([UnitRef(1, "A1", "青年之家", True), UnitRef(2, "A2", "青年之家", False)])
    assert scoped.resolve("青年之家").code == "A1"


def test_a_good_row_and_its_identity() -> None:
    rows = wjx_text_rows(2)
    reader = reader_for(rows)
    parsed = read(reader, rows[1])
    assert isinstance(parsed, ParsedResponse)
    assert parsed.key == f"wjx:{reader.mapping.questionnaire}:1"
    assert (parsed.row_id, parsed.unit.code, parsed.submitted_on, parsed.duration_s) == (
        "1", "QN01", dt.date(2026, 11, 5), 136)
    given = reader_for(rows, fixed_unit=UnitRef(2, "QN02", "城南青年之家"))
    assert read(given, rows[1]).key == f"wjx:{reader.mapping.questionnaire}:QN02:1"  # type: ignore[union-attr]


def test_problems_of_a_row_are_all_reported() -> None:
    rows = wjx_text_rows(1)
    reader = reader_for(rows)
    bad = list(rows[1])
    bad[0], bad[1], bad[2], bad[6] = "", "2026-12-01 08:00", "很久", "北郊青年之家"
    bad[7], bad[9], bad[13] = "知道┋不清楚", "没有参加过", ""
    problems = read(reader, bad)
    assert [(p.column, p.reason) for p in problems] == [  # type: ignore[union-attr]
        ("序号 (A)", "missing row id: every row needs its own number"),
        ("1、您所在的青年之家 (G)", "unit QN09 北郊青年之家 is not evaluated in this round"),
        ("提交答卷时间 (B)", "date 2026-12-01 is outside the round's window 2026-11-01 – "
                           "2026-11-30"),
        ("所用时间 (C)", "duration '很久' is not a number of seconds"),
        ("2、您知道附近的青年之家吗？ (H)", "unknown option '知道┋不清楚'"),
        ("5、您参加过哪些活动？（可多选） (K)",
         "item kinds is answered, but its condition on item times hides it"),
        ("7、总体满意度打分（0-10分） (N)", "item overall is required but not answered"),
    ]


def test_duplicates_and_empty_rows() -> None:
    rows = wjx_text_rows(1)
    reader = reader_for(rows)
    assert isinstance(read(reader, rows[1]), ParsedResponse)
    again = read(reader, rows[1], row=3)
    assert [p.reason for p in again] == ["row id 1 appears twice (also row 2)"]  # type: ignore[union-attr]
    empty = [*rows[1][:7], *["(跳过)"] * 9]
    empty[0] = "2"
    assert "the row answers none of the mapped questions" in [
        p.reason for p in read(reader, empty, row=4)]  # type: ignore[union-attr]


def test_option_columns_skip_codes_and_fixed_answers() -> None:
    row = ["1", "2026/11/05 10:00:00", "60秒", "手机提交", "微信", "1.2.3.4", "QN01", "1", "5",
           "2", "1", "0", "2", "0", "4", "5", "9", "2", ""]
    reader = reader_for([list(WJX_NUMBER_HEADER), row])
    assert [(p.column, p.reason) for p in read(reader, row)] == [  # type: ignore[union-attr]
        ("第5题(文体活动) (M)", "'2' is not 1 (chosen) or 0 (not chosen)")]
    row[0], row[12] = "2", "0"
    assert read(reader, row).answers["kinds"] == Answer(text="volunteering")  # type: ignore[union-attr]
    changed = {"overall": {"values": {"9": "@skip"}}, "friends": {"item": None}}
    skip_overall = tuple(replace(q, **changed.get(q.item or "", {}))
                         for q in reader.mapping.questions)
    mapping = replace(reader.mapping, questions=skip_overall, fixed={"friends": "3"})
    skipping = ResponseReader(reader.layout, mapping, youth_instrument(), unit_index())
    assert [p.reason for p in read(skipping, row)] == [  # type: ignore[union-attr]
        "item overall is required but not answered"]
    row[0], row[16] = "3", "8"
    parsed = read(skipping, row)
    assert isinstance(parsed, ParsedResponse)
    assert parsed.answers["overall"] == Answer(value=8.0)
    assert parsed.answers["friends"] == Answer(value=3.0)  # a fixed answer


def test_tencent_letters_and_durations() -> None:
    row = ["7", "", "2026-11-06 09:00:00", "2分16秒", *[""] * 11, "QN03", "B.不清楚", "",
           "A.没有参加过", "", "", "", "", "F.不适用", "", "6", "", ""]
    reader = reader_for([list(TENCENT_HEADER), row])
    parsed = read(reader, row)
    assert isinstance(parsed, ParsedResponse)
    assert parsed.key == f"tencent:{reader.mapping.questionnaire}:7"
    assert (parsed.unit.code, parsed.duration_s, parsed.channel) == ("QN03", 136, "import")
    assert parsed.answers["know_site"] == Answer(dont_know=True)
    assert parsed.answers["quality"] == Answer(na=True)
    assert parsed.answers["times"] == Answer(text="none")


def test_a_mapping_for_another_format() -> None:
    rows = wjx_text_rows(1)
    mapping = reader_for(rows).mapping
    layout = parse_layout(TENCENT_HEADER, 1)
    reader = ResponseReader(layout, mapping, youth_instrument(), unit_index())
    assert reader.header_problems()[0].reason == (
        "this file is a 腾讯问卷 export, the mapping is for a 问卷星 export by option text "
        "(按选项文本)")
