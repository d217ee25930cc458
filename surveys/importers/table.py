"""The neutral table every export is read into, whatever tool wrote it.

A file's header row becomes a `SourceLayout`: where the row id, the date, the duration
(and, in our template, the unit, channel and activity) are, which columns hold questions
(`SourceQuestion`: one column, or one 0/1 column per option), which columns identify a
person and are dropped unread, and which are ignored.
A mapping (see `mapping`) then says which item each question feeds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from surveys.importers.cells import column_letter, text_key

TEMPLATE = "template"
WJX = "wjx"  # 问卷星, flavour not decided yet (see `profile.resolve_format`)
WJX_TEXT = "wjx-text"  # 问卷星 按选项文本
WJX_NUMBER = "wjx-number"  # 问卷星 按选项序号
TENCENT = "tencent"  # 腾讯问卷
FORMATS = (TEMPLATE, WJX_TEXT, WJX_NUMBER, TENCENT)
FORMAT_CHOICES = (TEMPLATE, WJX, WJX_TEXT, WJX_NUMBER, TENCENT)
FORMAT_NAMES = {
    TEMPLATE: "evalapp template",
    WJX: "问卷星 export",
    WJX_TEXT: "问卷星 export by option text (按选项文本)",
    WJX_NUMBER: "问卷星 export by option number (按选项序号)",
    TENCENT: "腾讯问卷 export",
}
# The collection channels of a response (kept equal to evalapp.models.CHANNELS by a test).
CHANNELS = ("onsite", "handout", "phone", "paper", "online", "import")

# Columns that identify a respondent or their device: never read, never stored, named in
# messages by their header only. Compared by `text_key`; ``地理位置…`` by prefix.
IDENTIFYING = frozenset(text_key(header) for header in (
    "来自IP", "IP", "IP地址", "IP属地", "UA", "User Agent", "UserAgent", "浏览器", "操作系统",
    "设备", "用户标识", "用户ID", "用户名", "用户", "昵称", "微信昵称", "头像", "openid",
    "微信openid", "unionid", "Referrer", "Referer", "来源详情", "来源渠道", "来源链接",
    "自定义字段", "姓名", "真实姓名", "手机", "手机号", "手机号码", "电话", "邮箱", "Email",
    "填写人", "答题人", "提交人", "答题者", "填写者",
))
IDENTIFYING_PREFIXES = ("地理位置", "来自ip", "ip(")
# Columns the exports carry that no response needs; ignored without being read.
KNOWN_IGNORED = frozenset(text_key(header) for header in (
    "来源", "总分", "得分", "开始答题时间", "用户类型", "语言", "清洗数据结果", "审核状态",
    "答题状态", "有效性", "渠道", "标签",
))


def is_identifying(header: str) -> bool:
    key = text_key(header)
    return key in IDENTIFYING or key.startswith(IDENTIFYING_PREFIXES)


@dataclass(frozen=True)
class SourceProblem:
    """One problem of a source file; ``row`` and ``column`` are None when not relevant.

    ``column`` is the header as written with its column letter, e.g. ``所用时间 (C)``.
    """

    row: int | None
    column: str | None
    reason: str


@dataclass(frozen=True)
class SourceColumn:
    """A column of the file: 0-based index and the header as written."""

    index: int
    header: str

    def __str__(self) -> str:
        return f"{self.header} ({column_letter(self.index)})"

    def cell(self, cells: list[str]) -> str:
        return cells[self.index] if self.index < len(cells) else ""


@dataclass(frozen=True)
class SourceQuestion:
    """A question of the export: what one item of the instrument can be fed from.

    ``key`` names it in mappings and is the same in every download of the questionnaire.
    ``text`` is what item texts are compared with (the question, or a matrix row's or a
    blank's label; empty when the export does not give it). A question with ``options`` has
    one column per option (问卷星 ``第6题(运动)``, 腾讯问卷 ``6.题干:运动``) and feeds a
    multiple-choice item; otherwise it has one column.
    """

    key: str
    text: str
    columns: tuple[SourceColumn, ...]
    options: tuple[str, ...] = ()
    number: int | None = None

    @property
    def has_option_columns(self) -> bool:
        return bool(self.options)

    def __str__(self) -> str:
        if len(self.columns) == 1:
            return str(self.columns[0])
        first, last = self.columns[0], self.columns[-1]
        return f"{self.key} ({column_letter(first.index)}–{column_letter(last.index)})"


@dataclass(frozen=True)
class SourceLayout:
    """What the header row of a file says about its columns."""

    format: str
    header_row: int
    row_id: SourceColumn | None = None
    date: SourceColumn | None = None
    duration: SourceColumn | None = None
    channel: SourceColumn | None = None
    unit: SourceColumn | None = None
    activity: SourceColumn | None = None
    questions: tuple[SourceQuestion, ...] = ()
    dropped: tuple[SourceColumn, ...] = ()
    ignored: tuple[SourceColumn, ...] = ()
    problems: tuple[SourceProblem, ...] = ()

    @cached_property
    def _by_key(self) -> dict[str, SourceQuestion]:
        return {text_key(question.key): question for question in self.questions}

    def question(self, key: str) -> SourceQuestion | None:
        return self._by_key.get(text_key(key))

    @cached_property
    def fingerprint(self) -> str:
        """16 hex digits of the sha256 of the sorted question keys: the questionnaire.

        Sorted and normalised, so column order, spacing and the meta columns an export
        adds over the years do not change it; a changed question text does.
        """
        keys = "\n".join(sorted(text_key(question.key) for question in self.questions))
        return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:16]


@dataclass
class LayoutBuilder:
    """Collects a layout column by column; the per-format parsers drive it."""

    format: str
    header_row: int
    meta: dict[str, SourceColumn] = field(default_factory=dict)
    questions: list[SourceQuestion] = field(default_factory=list)
    dropped: list[SourceColumn] = field(default_factory=list)
    ignored: list[SourceColumn] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)

    def set_meta(self, name: str, column: SourceColumn) -> None:
        if name in self.meta:
            self.problems.append(SourceProblem(self.header_row, str(column),
                                               f"a second {name} column; "
                                               f"{self.meta[name]} already gives it"))
        else:
            self.meta[name] = column

    def add_question(self, question: SourceQuestion) -> None:
        key = text_key(question.key)
        if any(text_key(known.key) == key for known in self.questions):
            self.problems.append(SourceProblem(self.header_row, str(question),
                                               "two columns have this question's header"))
        else:
            self.questions.append(question)

    def require(self, name: str, accepted: Iterable[str]) -> None:
        if name not in self.meta:
            self.problems.append(SourceProblem(
                self.header_row, None,
                f"required {name} column missing; accepted headers: {', '.join(accepted)}"))

    def build(self) -> SourceLayout:
        return SourceLayout(
            format=self.format, header_row=self.header_row, row_id=self.meta.get("row id"),
            date=self.meta.get("date"), duration=self.meta.get("duration"),
            channel=self.meta.get("channel"), unit=self.meta.get("unit"),
            activity=self.meta.get("activity"),
            questions=tuple(self.questions), dropped=tuple(self.dropped),
            ignored=tuple(self.ignored), problems=tuple(self.problems))


def meta_names(*headers: str) -> frozenset[str]:
    return frozenset(text_key(header) for header in headers)
