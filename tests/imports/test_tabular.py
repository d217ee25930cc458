"""Reading CSV and XLSX files: encodings, delimiters, cell types, refused file types."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from evalapp.imports import ImportFailed, read_rows, tabular
from evalapp.imports.columns import match_field
from evalapp.imports.kinds import BY_LEVEL, kind_below, parse_flag, resolve_kind
from evalapp.models import UNIT_KINDS

from .helpers import write_csv, write_xlsx

ROWS = [["编码", "名称"], ["510101", "共青团锦江区委员会"], ["510102", "春熙路青年之家"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "units.csv", ROWS, encoding=encoding)
    assert tabular.detect_encoding(path) == ("gb18030" if encoding == "gb18030" else "utf-8-sig")
    assert [cells for _, cells in read_rows(path)] == ROWS


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["code", "name"], ["1", "团支部, 第一"], ["2", "x;y\tz"]]
    path = write_csv(tmp_path / "units.csv", rows, delimiter=delimiter)
    assert [cells for _, cells in read_rows(path)] == rows


def test_rows_keep_spreadsheet_numbers_and_skip_blank_rows(tmp_path: Path) -> None:
    text = 'code,name\r\n,\r\n1,"two\r\nlines"\r\n\r\n  , \u200b\r\n2,b\r\n'
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    assert list(read_rows(path)) == [
        (1, ["code", "name"]), (3, ["1", "two\r\nlines"]), (6, ["2", "b"])]


def test_cells_lose_zero_width_and_control_characters(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [["\ufeffcode\u200b", " 名称\u3000"],
                                              ["\x07 51\u200d01 ", "a"]])
    assert [cells for _, cells in read_rows(path)] == [["code", "名称"], ["5101", "a"]]


def test_xlsx_numbers_read_as_text_and_dates_as_iso(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "units.xlsx", {"Sheet1": [
        ["code", "when", "at", "ratio", "flag"],
        [510101, dt.date(2024, 5, 4), dt.datetime(2024, 5, 4, 9, 30), 0.25, True],
        [510102.0, dt.datetime(2024, 5, 5), None, 3, False],
    ]})
    assert list(read_rows(path)) == [
        (1, ["code", "when", "at", "ratio", "flag"]),
        (2, ["510101", "2024-05-04", "2024-05-04 09:30:00", "0.25", "TRUE"]),
        (3, ["510102", "2024-05-05", "", "3", "FALSE"]),
    ]


def test_xlsx_blank_rows_are_skipped_with_row_numbers_kept(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "units.xlsx", {"S": [["code"], [None], ["  "], ["7"]]})
    assert list(read_rows(path)) == [(1, ["code"]), (4, ["7"])]


def test_xlsx_prefers_a_sheet_named_like_the_hint(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"说明": [["read me"]], "单位列表": [["code"]]})
    assert list(read_rows(path, sheet_hints=("units", "单位"))) == [(1, ["code"])]
    assert list(read_rows(path, sheet_hints=("observers",))) == [(1, ["read me"])]


def test_xlsx_is_recognised_by_content_not_extension(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "units.csv", {"S": [["code"], [1]]})
    assert list(read_rows(path)) == [(1, ["code"]), (2, ["1"])]


def _refusal(path: Path) -> str:
    with pytest.raises(ImportFailed) as caught:
        list(read_rows(path))
    assert len(caught.value.problems) == 1
    return str(caught.value)


def test_undecodable_text_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(b"code,name\n1,\x80\xff\x80\n")
    assert "units.csv" in (message := _refusal(path))
    assert "neither a spreadsheet (.xlsx) nor text in UTF-8 or GB18030" in message


@pytest.mark.parametrize(("content", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old Excel 97–2003 (.xls)"),
    ("code,name\n".encode("utf-16"), "UTF-16"),
    (b"PK\x03\x04garbage", "damaged zip/XLSX"),
])
def test_other_file_types_are_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(content)
    assert expected in _refusal(path)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "a zip archive but not an Excel workbook" in _refusal(path)


def test_a_workbook_unpacking_too_large_is_refused(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "units.xlsx", {"S": [["code"], ["1"]]})
    monkeypatch.setattr(tabular, "XLSX_MAX_UNPACKED", 1024)
    assert "unpacks to more than" in _refusal(path)


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml at all")
    assert "not a readable Excel workbook" in _refusal(path)


@pytest.mark.parametrize(("line", "expected"), [
    ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("single", ","),
    ('"x;y",b', ","), ("\n\na;b", ";"), ("", ","),
])
def test_sniff_delimiter(line: str, expected: str) -> None:
    assert tabular.sniff_delimiter(line) == expected


@pytest.mark.parametrize("header", [
    "code", "CODE", " Code ", "ｃｏｄｅ", "co\u200bde", "编码", "单位代码", "团组织ID",
    "团组织id", "编码 code", "编码(code)", "编码／code", "unit-code", "Unit_Code",
])
def test_headers_match_after_normalisation(header: str) -> None:
    names = {"code": "code", "编码": "code", "单位代码": "code", "团组织id": "code",
             "unitcode": "code", "名称": "name", "name": "name"}
    assert match_field(header, names) == "code"


@pytest.mark.parametrize("header", ["编码 name", "code x", "备注", "codes"])
def test_unclear_headers_match_nothing(header: str) -> None:
    names = {"code": "code", "编码": "code", "名称": "name", "name": "name"}
    assert match_field(header, names) is None


@pytest.mark.parametrize(("text", "kind"), [
    *[(kind, kind) for kind in UNIT_KINDS],
    ("Youth Home", "youth_home"), ("青年之家", "youth_home"), ("县/区", "county"),
    ("区", "county"), ("乡镇", "township"), ("街道", "township"), ("支部", "branch"),
    ("团支部", "branch"), ("5", "branch"), ("4", "branch"), ("团总支", "branch"),
    ("部门", "department"), ("行业", "industry"), ("商圈", "district"),
    ("协会", "association"), ("市", "city"), ("1", BY_LEVEL), ("领导机关团组织", BY_LEVEL),
    ("团委", BY_LEVEL), ("3", BY_LEVEL), ("村", None), ("6", None),
])
def test_kind_spellings(text: str, kind: str | None) -> None:
    assert resolve_kind(text) == kind


def test_kind_below_a_parent() -> None:
    assert [kind_below(k) for k in (None, "city", "county", "township", "youth_home")] == [
        "city", "county", "township", "branch", "branch"]


@pytest.mark.parametrize(("text", "flag"), [
    ("是", True), ("TRUE", True), ("1", True), ("有效", True), ("否", False), ("停用", False),
    ("0", False), ("False", False), ("maybe", None),
])
def test_flags(text: str, flag: bool | None) -> None:
    assert parse_flag(text) is flag
