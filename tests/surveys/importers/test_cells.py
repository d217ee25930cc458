"""Single cells: dates, durations, numbers, skip markers, 问卷星's joined choices, keys."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys.importers.cells import (
    column_letter,
    is_skipped,
    match_key,
    parse_date,
    parse_duration,
    parse_number,
    split_template_choices,
    split_wjx_choices,
    strip_option_letter,
    text_key,
    without_notes,
)


@pytest.mark.parametrize(("cell", "day"), [
    ("2016/12/17 14:22:55", dt.date(2016, 12, 17)),
    ("2026-11-05", dt.date(2026, 11, 5)),
    ("2026-11-05 09:10", dt.date(2026, 11, 5)),
    ("2026-11-05T09:10:11.250", dt.date(2026, 11, 5)),
    ("2026年11月5日", dt.date(2026, 11, 5)),
    ("２０２６／１１／５", dt.date(2026, 11, 5)),
    ("2026.1.2", dt.date(2026, 1, 2)),
    ("2026-13-45", None), ("2026-02-30", None), ("2026-11-05 25:00:00", None),
    ("昨天", None), ("20261105", None), ("2026-11-05 abc", None), ("", None),
])
def test_dates_keep_the_day(cell: str, day: dt.date | None) -> None:
    assert parse_date(cell) == day


@pytest.mark.parametrize(("cell", "seconds"), [
    ("136", 136), ("136秒", 136), ("136.6", 137), ("2分16秒", 136), ("1小时2分", 3720),
    ("0:02:16", 136), ("2:16", 136), ("75:00", 4500), ("１３６秒", 136), ("5分钟", 300),
    ("-5", None), ("abc秒", None), ("三分钟", None), ("1:75:00", None), ("2:61", None),
    ("99999999999", None), ("", None),
])
def test_durations_in_seconds(cell: str, seconds: int | None) -> None:
    assert parse_duration(cell) == seconds


@pytest.mark.parametrize(("cell", "number"), [
    ("4", 4.0), ("4分", 4.0), ("4.5", 4.5), ("-0", 0.0), ("４", 4.0), (".5", 0.5),
    ("nan", None), ("inf", None), ("1e3", None), ("四", None), ("4分钟", None),
])
def test_numbers(cell: str, number: float | None) -> None:
    assert parse_number(cell) == number


def test_skip_markers() -> None:
    assert all(is_skipped(cell) for cell in ("", " ", "(跳过)", "（跳过）", "(空)", "NULL", "null"))
    assert not is_skipped("-3") and is_skipped("-3", by_number=True)
    assert is_skipped("-2", by_number=True) and not is_skipped("0", by_number=True)


def test_wjx_choices_and_other_text() -> None:
    assert split_wjx_choices("运动┋影视┋购物") == ["运动", "影视", "购物"]
    assert split_wjx_choices("其他【请注明】〖柜台┋窗口〗┋运动") == ["其他【请注明】", "运动"]
    assert split_wjx_choices("┋运动┋") == ["运动"]
    assert split_wjx_choices("其他〖未闭合┋x") == ["其他"]
    assert split_template_choices("a, b，c、d;e") == ["a", "b", "c", "d", "e"]
    assert strip_option_letter("A.男") == "男" and strip_option_letter("AB．其他") == "其他"
    assert strip_option_letter("男") == "男"


def test_keys_ignore_width_spaces_invisible_characters_and_punctuation() -> None:
    assert text_key(" Ｑｎ 0\u200b1 ") == "qn01"
    assert match_key("您满意吗？") == match_key("您满意吗") == "您满意吗"
    assert match_key("2–3 次") == match_key("2-3次")
    assert without_notes("核查中发现了哪些问题？（可多选）(多选题)") == "核查中发现了哪些问题？"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
