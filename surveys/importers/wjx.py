"""问卷星 (wjx.cn) export headers, both flavours (see ``/work/shared/FORMATS.md``).

- ``序号`` (the export's row id), ``提交答卷时间``, ``所用时间``; ``来自IP`` and ``来源详情``
  identify the respondent and are dropped; ``来源`` and the like are ignored.
- ``N、题干`` with an optional suffix such as ``(多选题 *必答)``: one question, key
  ``N、题干`` (suffix removed).
- Matrix rows: ``N、(行标签)`` (key as written), or the 2016 variant: the first row headed
  ``N、题干(矩阵单选题 *必答)—行标签`` and the following rows by their bare label; these get
  the key ``N、题干—行标签``. Multi-blank fill-ins ``N、题干—空标签`` are read the same way.
- By option number, a multiple choice is one 0/1 column per option, ``第6题(运动)``; the
  columns of question 6 form one question with key ``第6题`` and the labels as options.
"""

from __future__ import annotations

import re

from surveys.importers.cells import text_key
from surveys.importers.table import (
    KNOWN_IGNORED,
    WJX,
    LayoutBuilder,
    SourceColumn,
    SourceLayout,
    SourceQuestion,
    is_identifying,
    meta_names,
)

ROW_ID = ("序号", "答卷序号", "答卷编号")
DATE = ("提交答卷时间", "提交时间", "答卷提交时间")
DURATION = ("所用时间", "答题时间", "答题用时", "用时")
META = {"row id": meta_names(*ROW_ID), "date": meta_names(*DATE),
        "duration": meta_names(*DURATION)}

_QUESTION = re.compile(r"(\d+)\s*、\s*(.*)", re.S)
_OPTION_COLUMN = re.compile(r"第\s*(\d+)\s*题\s*[(（](.*)[)）]", re.S)
_WRAPPED = re.compile(r"[(（](.+)[)）]", re.S)
_SUFFIX = re.compile(
    r"\s*[(（]\s*(?:[\u4e00-\u9fff]{1,8}题\s*(?:\*\s*必答)?|\*\s*必答)\s*[)）]\s*$")
# 问卷星 separates a matrix row's or a blank's label with one em dash; the Chinese dash
# 破折号 (two em dashes) inside a question is not a separator.
_LABEL_DASH = re.compile(r"(?<!—)—(?!—)")


def strip_suffix(stem: str) -> str:
    """``题干(多选题 *必答)`` → ``题干``; other brackets are kept."""
    return _SUFFIX.sub("", stem).strip()


def parse_wjx_header(header: list[str], header_row: int) -> SourceLayout:
    builder = LayoutBuilder(WJX, header_row)
    option_groups: dict[int, list[tuple[SourceColumn, str]]] = {}
    matrix: tuple[int, str] | None = None  # the 2016 matrix whose bare rows may follow
    for index, text in enumerate(header):
        if not text:
            matrix = None
            continue
        column = SourceColumn(index, text)
        matrix = _place(builder, column, option_groups, matrix)
    for number, members in option_groups.items():
        builder.add_question(SourceQuestion(
            key=f"第{number}题", text="", columns=tuple(column for column, _ in members),
            options=tuple(label for _, label in members), number=number))
    builder.require("row id", ROW_ID)
    builder.require("date", DATE)
    return builder.build()


def _place(builder: LayoutBuilder, column: SourceColumn,
           option_groups: dict[int, list[tuple[SourceColumn, str]]],
           matrix: tuple[int, str] | None) -> tuple[int, str] | None:
    """Put one column where it belongs; returns the 2016 matrix bare rows may continue."""
    key = text_key(column.header)
    meta = next((name for name, names in META.items() if key in names), None)
    if meta is not None:
        builder.set_meta(meta, column)
    elif is_identifying(column.header):
        builder.dropped.append(column)
    elif match := _OPTION_COLUMN.fullmatch(column.header.strip()):
        option_groups.setdefault(int(match[1]), []).append((column, match[2].strip()))
    elif match := _QUESTION.fullmatch(column.header.strip()):
        return _add_question(builder, column, int(match[1]), match[2].strip())
    elif matrix is not None and key not in KNOWN_IGNORED:
        number, stem = matrix
        label = column.header.strip()
        builder.add_question(SourceQuestion(f"{number}、{stem}—{label}", label, (column,),
                                            number=number))
        return matrix
    else:
        builder.ignored.append(column)
    return None


def _add_question(builder: LayoutBuilder, column: SourceColumn, number: int, rest: str
                  ) -> tuple[int, str] | None:
    wrapped = _WRAPPED.fullmatch(rest)
    if wrapped is not None and not _SUFFIX.fullmatch(rest):
        label = wrapped[1].strip()
        builder.add_question(SourceQuestion(f"{number}、({label})", label, (column,),
                                            number=number))
        return None
    parts = _LABEL_DASH.split(rest)
    if len(parts) > 1:
        stem, label = strip_suffix("—".join(parts[:-1])), parts[-1].strip()
        builder.add_question(SourceQuestion(f"{number}、{stem}—{label}", label, (column,),
                                            number=number))
        return number, stem
    stem = strip_suffix(rest)
    builder.add_question(SourceQuestion(f"{number}、{stem}", stem, (column,), number=number))
    return None
