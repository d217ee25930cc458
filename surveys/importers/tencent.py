"""腾讯问卷 export headers (see ``/work/shared/FORMATS.md``).

- ``编号`` (the export's row id), ``结束答题时间`` (the submission), ``答题时长`` (seconds);
  ``开始答题时间`` is ignored; ``地理位置…``, ``自定义字段``, ``用户标识``, ``昵称``, ``IP``,
  ``UA`` and ``Referrer`` identify the respondent and are dropped.
- ``N.题干``: one question (key as written). Values may carry option letters, ``A.男``.
- A multiple choice is one column per option headed ``N.题干:选项``, non-empty when chosen:
  two or more columns of question N sharing the prefix ``N.题干:`` form one question with
  key ``N.题干`` and the labels as options.
- Fill-in blanks ``N.题干_填空1`` are questions of their own.
"""

from __future__ import annotations

import re

from surveys.importers.cells import text_key
from surveys.importers.table import (
    TENCENT,
    LayoutBuilder,
    SourceColumn,
    SourceLayout,
    SourceQuestion,
    is_identifying,
    meta_names,
)

ROW_ID = ("编号", "答卷编号")
DATE = ("结束答题时间", "提交时间", "提交答卷时间")
DURATION = ("答题时长", "答题时长(秒)", "所用时间")
META = {"row id": meta_names(*ROW_ID), "date": meta_names(*DATE),
        "duration": meta_names(*DURATION)}

_QUESTION = re.compile(r"(\d+)\s*[.．]\s*(.*)", re.S)
_COLONS = ":："
_BLANK = re.compile(r"_填空\d*$")


def parse_tencent_header(header: list[str], header_row: int) -> SourceLayout:
    builder = LayoutBuilder(TENCENT, header_row)
    numbered: dict[int, list[tuple[SourceColumn, str]]] = {}
    for index, text in enumerate(header):
        if not text:
            continue
        column = SourceColumn(index, text)
        key = text_key(text)
        meta = next((name for name, names in META.items() if key in names), None)
        if meta is not None:
            builder.set_meta(meta, column)
        elif is_identifying(text):
            builder.dropped.append(column)
        elif match := _QUESTION.fullmatch(text.strip()):
            numbered.setdefault(int(match[1]), []).append((column, match[2].strip()))
        else:
            builder.ignored.append(column)
    for number, members in numbered.items():
        _add_questions(builder, number, members)
    builder.require("row id", ROW_ID)
    builder.require("date", DATE)
    return builder.build()


def _add_questions(builder: LayoutBuilder, number: int,
                   members: list[tuple[SourceColumn, str]]) -> None:
    for column, rest in members:
        if _BLANK.search(rest):
            builder.add_question(SourceQuestion(f"{number}.{rest}", rest, (column,),
                                                number=number))
    members = [(column, rest) for column, rest in members if not _BLANK.search(rest)]
    if not members:
        return
    prefix = _option_prefix([rest for _, rest in members]) if len(members) > 1 else None
    if prefix is not None:
        stem = prefix[:-1].strip()
        builder.add_question(SourceQuestion(
            key=f"{number}.{stem}", text=stem, columns=tuple(column for column, _ in members),
            options=tuple(rest[len(prefix):].strip() for _, rest in members), number=number))
        return
    for column, rest in members:
        builder.add_question(SourceQuestion(f"{number}.{rest}", rest, (column,), number=number))


def _option_prefix(rests: list[str]) -> str | None:
    """The longest ``题干:`` that starts every header of the question, if any."""
    first = rests[0]
    for end in range(len(first) - 1, -1, -1):
        if first[end] in _COLONS:
            prefix = first[:end + 1]
            if all(rest.startswith(prefix) and len(rest) > len(prefix) for rest in rests):
                return prefix
    return None
