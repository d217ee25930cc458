"""The evalapp response template: one row per response, one column per item id.

Columns ``unit`` (code or name), ``ref`` (the questionnaire's own number, unique per unit),
``channel`` (paper when blank), ``date`` and ``duration_s`` (optional), in an ``experience``
round ``activity`` (the activity's id from the activity list, or its title; see
`activities`), then one column per item, headed by the item id. `template_writer`
generates the file with its legend.
"""

from __future__ import annotations

import re

from surveys.importers.cells import text_key
from surveys.importers.table import (
    TEMPLATE,
    LayoutBuilder,
    SourceColumn,
    SourceLayout,
    SourceQuestion,
    is_identifying,
    meta_names,
)

UNIT = ("unit", "unit_code", "单位", "单位代码", "单位编码", "单位名称")
REF = ("ref", "编号", "问卷编号", "序号", "reference")
CHANNEL = ("channel", "渠道", "方式", "收集方式", "填写方式")
DATE = ("date", "日期", "填写日期", "调查日期")
DURATION = ("duration_s", "duration", "时长", "用时", "时长(秒)", "用时(秒)")
ACTIVITY = ("activity", "activity_id", "活动", "活动编号", "活动ID", "参加的活动")
META = {"unit": meta_names(*UNIT), "row id": meta_names(*REF), "channel": meta_names(*CHANNEL),
        "date": meta_names(*DATE), "duration": meta_names(*DURATION),
        "activity": meta_names(*ACTIVITY)}
DEFAULT_CHANNEL = "paper"
CHANNEL_NAMES = {
    text_key(name): channel
    for channel, names in {
        "onsite": ("onsite", "现场", "现场填写"),
        "handout": ("handout", "发放", "现场发放", "发放问卷"),
        "phone": ("phone", "电话", "电话访谈", "电访"),
        "paper": ("paper", "纸质", "纸质问卷", "纸本"),
        "online": ("online", "网络", "线上", "在线", "网上"),
        "import": ("import", "导入"),
    }.items()
    for name in names
}
_FIRST_WORD = re.compile(r"[^\s(（\[【:：]+")


def parse_template_header(header: list[str], header_row: int) -> SourceLayout:
    builder = LayoutBuilder(TEMPLATE, header_row)
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
        else:
            builder.add_question(SourceQuestion(text.strip(), text.strip(), (column,)))
    builder.require("unit", UNIT)
    builder.require("row id", REF)
    builder.require("date", DATE)
    return builder.build()


def header_item_id(header: str) -> str:
    """The item id a template header names: the header, or its first word (``q1 满意度``)."""
    match = _FIRST_WORD.match(header.strip())
    return match[0] if match else ""


def parse_channel(cell: str) -> str | None:
    """A channel from its name in English or Chinese; blank gives the template's default."""
    if not cell.strip():
        return DEFAULT_CHANNEL
    return CHANNEL_NAMES.get(text_key(cell))
