"""From a source cell to an answer: the value table of a question and the rules to read it.

A mapping gives each question a table ``source text → code``. Codes are what
`surveys.answers` stores: an option value (single, multi), ``yes``/``no`` (yesno), a number
(likert, rating10, number), or one of the special codes ``@dont_know``, ``@na`` (not
applicable) and ``@skip`` (read as not answered). Texts are compared by
`cells.match_key`, after dropping 问卷星's 〖other text〗 and 腾讯问卷's option letters.
Scale and number items also read a plain number (``4``, ``4分``) that the table lacks.

`guess_values` proposes the table for an item; `read_cell` and `read_option_columns` apply
one to a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from surveys.answers import NO, YES, Answer, encode_multi, value_range
from surveys.importers.cells import (
    is_skipped,
    match_key,
    parse_number,
    split_template_choices,
    split_wjx_choices,
    strip_option_letter,
    strip_other_text,
)
from surveys.importers.table import TEMPLATE, TENCENT, WJX_NUMBER, WJX_TEXT, SourceColumn
from surveys.model import Item
from surveys.vocab import (
    LIKERT,
    MULTI,
    NUMBER,
    RATING10,
    RATING10_MAX,
    SINGLE,
    TEXT,
    VALUE_TYPES,
    YESNO,
)

DONT_KNOW = "@dont_know"
NOT_APPLICABLE = "@na"
SKIP = "@skip"
SPECIAL_CODES = (DONT_KNOW, NOT_APPLICABLE, SKIP)
CODE_NAMES = {DONT_KNOW: "don't know", NOT_APPLICABLE: "not applicable",
              SKIP: "not answered"}

DONT_KNOW_WORDS = ("不清楚", "不知道", "说不清", "说不清楚", "不确定", "不好说", "无法判断",
                   "don't know", "dont know", "do not know", "not sure", "dk")
NOT_APPLICABLE_WORDS = ("不适用", "无法评价", "不涉及", "not applicable", "n/a", "na")
YES_WORDS = ("是", "是的", "有", "知道", "会", "愿意", "参加过", "yes", "y", "true", "√", "✓")
NO_WORDS = ("否", "不是", "没有", "无", "不会", "不愿意", "没参加过", "未参加过", "no", "n",
            "false", "×", "✗")
_DONT_KNOW_KEYS = frozenset(match_key(word) for word in DONT_KNOW_WORDS)
_NOT_APPLICABLE_KEYS = frozenset(match_key(word) for word in NOT_APPLICABLE_WORDS)
# Item types whose cells may hold a plain number the value table does not list (a yes/no
# item does not: 3 is no answer to it, however its options are numbered).
NUMERIC_TYPES = (LIKERT, RATING10, NUMBER)
KNOW = "知道"
DONT_KNOW_TEXT = "不知道"


class CellError(ValueError):
    """A cell the value table cannot read; ``column`` narrows it to one option column."""

    def __init__(self, reason: str, column: SourceColumn | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column


@dataclass(frozen=True)
class ValueGuess:
    """A proposed value table, with notes on the guesses the evaluator should check."""

    values: dict[str, str]
    assumptions: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()


@dataclass
class _Guesser:
    """Candidate entries by lookup key; ``assumed`` notes the guesses among them."""

    item: Item
    format: str
    question_text: str
    candidates: dict[str, tuple[str, str]] = field(default_factory=dict)
    assumed: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    def offer(self, text: str, code: str, assumption: str | None = None) -> None:
        key = match_key(text)
        if key and key not in self.candidates:
            self.candidates[key] = (text, code)
            if assumption:
                self.assumed[key] = assumption

    def use(self, key: str) -> str | None:
        """The code of a candidate an observed value matched, noting any assumption."""
        found = self.candidates.get(key)
        note = self.assumed.get(key)
        if note and note not in self.assumptions:
            self.assumptions.append(note)
        return None if found is None else found[1]


def guess_values(item: Item, format: str, question_text: str, observed: Iterable[str], *,
                 labels: bool = False) -> ValueGuess:
    """The value table proposed for feeding ``item`` from cells like ``observed``.

    Always lists the item's own options (labels in Chinese) and the observed values it
    can read; ``unmatched`` are observed values it cannot. With ``labels``, ``observed``
    are the option labels of one-column-per-option questions (never split).
    """
    guesser = _Guesser(item, format, question_text)
    if format == WJX_NUMBER and item.type != MULTI:
        values = _by_position(guesser)
    else:
        _offer_labels(guesser)
        values = {text: code for text, code in guesser.candidates.values()
                  if _is_primary(item, text)}
    table = table_of(values)
    unmatched = []
    for cell in observed:
        for part in ([cell] if labels else _parts(item, format, cell)):
            text = prepare(part, format)
            code = guesser.use(match_key(text))
            if code is not None and match_key(text) not in table:
                values[text] = code
                table[match_key(text)] = code
            elif not _readable(item, format, table, part) and part not in unmatched:
                unmatched.append(part)
    return ValueGuess(values, tuple(guesser.assumptions), tuple(unmatched))


def _offer_labels(guesser: _Guesser) -> None:
    item = guesser.item
    for option in item.options:
        for text in (option.label.zh, option.label.en, option.value):
            guesser.offer(text, option.value)
    if item.type == LIKERT and item.points:
        for point in range(1, item.points + 1):
            label = item.scale_label(point)
            if label is not None:
                guesser.offer(label.zh, str(point))
                guesser.offer(label.en, str(point))
    if item.type == YESNO:
        _offer_yesno(guesser)
    _offer_flags(guesser)


def _offer_yesno(guesser: _Guesser) -> None:
    if KNOW in guesser.question_text or KNOW in guesser.item.text.zh:
        guesser.offer(DONT_KNOW_TEXT, NO, f"{DONT_KNOW_TEXT} read as no: the question asks "
                                          "whether they know")
    for word in YES_WORDS:
        guesser.offer(word, YES)
    for word in NO_WORDS:
        guesser.offer(word, NO)
    if guesser.format == TEMPLATE:
        guesser.offer("1", YES)
        guesser.offer("0", NO)


def _offer_flags(guesser: _Guesser) -> None:
    if guesser.item.allow_dont_know:
        for word in DONT_KNOW_WORDS:
            guesser.offer(word, DONT_KNOW)
    if guesser.item.allow_na:
        for word in NOT_APPLICABLE_WORDS:
            guesser.offer(word, NOT_APPLICABLE)


def _is_primary(item: Item, text: str) -> bool:
    """Entries every table lists: the Chinese option labels and one word per flag."""
    labels = {option.label.zh for option in item.options}
    if item.type == LIKERT and item.points:
        labels |= {label.zh for p in range(1, item.points + 1)
                   if (label := item.scale_label(p)) is not None}
    if item.type == YESNO:
        labels |= {"是", "否"}
    labels |= {DONT_KNOW_WORDS[0]} if item.allow_dont_know else set()
    labels |= {NOT_APPLICABLE_WORDS[0]} if item.allow_na else set()
    return text in labels


def _by_position(guesser: _Guesser) -> dict[str, str]:
    """问卷星 by option number: the number of the option in the questionnaire."""
    item = guesser.item
    if item.type == SINGLE:
        guesser.assumptions.append("option numbers read in the instrument's option order")
        return {str(n): option.value for n, option in enumerate(item.options, start=1)}
    if item.type == YESNO:
        guesser.assumptions.append("option 1 read as yes, option 2 as no")
        return {"1": YES, "2": NO}
    if item.type == RATING10:
        guesser.assumptions.append("options 1–11 read as 0–10")
        return {str(n + 1): str(n) for n in range(RATING10_MAX + 1)}
    if item.type == LIKERT:
        guesser.assumptions.append("option numbers read as scale points")
    return {}


def _parts(item: Item, format: str, cell: str) -> list[str]:
    if is_skipped(cell, by_number=format == WJX_NUMBER):
        return []
    if item.type != MULTI:
        return [cell]
    return split_wjx_choices(cell) if format == WJX_TEXT else split_template_choices(cell)


def unreadable(item: Item, format: str, values: Mapping[str, str], observed: Iterable[str],
               *, labels: bool = False) -> tuple[str, ...]:
    """The observed cells (or option labels) a value table cannot read."""
    table = table_of(values)
    found: list[str] = []
    for cell in observed:
        for part in ([cell] if labels else _parts(item, format, cell)):
            readable = (match_key(prepare(part, format)) in table if labels
                        else _readable(item, format, table, part))
            if not readable and part not in found:
                found.append(part)
    return tuple(found)


def _readable(item: Item, format: str, table: Mapping[str, str], part: str) -> bool:
    if match_key(prepare(part, format)) in table or item.type == TEXT:
        return True
    number = parse_number(part) if item.type in NUMERIC_TYPES else None
    bounds = value_range(item)
    return number is not None and (bounds is None or bounds[0] <= number <= bounds[1])


# --- reading cells ---------------------------------------------------------------------


def prepare(cell: str, format: str) -> str:
    """A cell as the table compares it: without 〖other text〗 and option letters."""
    text = strip_other_text(cell)
    return strip_option_letter(text) if format == TENCENT else text


def table_of(values: Mapping[str, str]) -> dict[str, str]:
    """A value table keyed for lookup (by `match_key`)."""
    return {match_key(text): code for text, code in values.items() if match_key(text)}


def read_cell(item: Item, table: Mapping[str, str], cell: str, format: str) -> Answer | None:
    """The answer a single cell gives ``item``; None when not answered; `CellError` if bad."""
    if is_skipped(cell, by_number=format == WJX_NUMBER):
        return None
    if item.type == TEXT:
        code = table.get(match_key(cell))
        return answer_for_code(item, code) if code in SPECIAL_CODES else Answer(text=cell)
    code = table.get(match_key(prepare(cell, format)))
    if code is not None:
        return answer_for_code(item, code)
    if item.type == MULTI:
        return _multi_answer(item, [_code(item, table, part, format)
                                    for part in _parts(item, format, cell)])
    number = parse_number(cell) if item.type in NUMERIC_TYPES else None
    if number is None:
        raise CellError(_unknown(item, cell))
    return Answer(value=number)


def read_option_columns(item: Item, table: Mapping[str, str], columns: Iterable[SourceColumn],
                        labels: Iterable[str], cells: list[str], format: str) -> Answer | None:
    """A multiple choice from one column per option (0/1, or non-empty when chosen)."""
    codes = []
    for column, label in zip(columns, labels, strict=True):
        if _chosen(column, cells, format):
            code = table.get(match_key(label))
            if code is None:
                raise CellError(f"unknown option {label!r}", column)
            codes.append(code)
    return _multi_answer(item, codes)


def _chosen(column: SourceColumn, cells: list[str], format: str) -> bool:
    cell = column.cell(cells)
    if is_skipped(cell, by_number=True):
        return False
    if format != WJX_NUMBER:
        return match_key(cell) != "0"
    number = parse_number(cell)
    if number not in (0.0, 1.0):
        raise CellError(f"{cell!r} is not 1 (chosen) or 0 (not chosen)", column)
    return number == 1.0


def _code(item: Item, table: Mapping[str, str], part: str, format: str) -> str:
    code = table.get(match_key(prepare(part, format)))
    if code is None:
        raise CellError(_unknown(item, part))
    return code


def _multi_answer(item: Item, codes: list[str]) -> Answer | None:
    codes = [code for code in codes if code != SKIP]
    flags = [code for code in codes if code in SPECIAL_CODES]
    if flags and len(codes) > 1:
        raise CellError(f"{CODE_NAMES[flags[0]]} cannot be chosen together with other options")
    if flags:
        return answer_for_code(item, flags[0])
    if not codes:
        return None
    try:
        return Answer(text=encode_multi(item, codes))
    except ValueError as error:
        raise CellError(str(error).split(": ", 1)[-1]) from None


def answer_for_code(item: Item, code: str) -> Answer | None:
    """The answer a code stands for; raises `CellError` when the item has no such code."""
    if code == SKIP:
        return None
    if code == DONT_KNOW:
        return Answer(dont_know=True)
    if code == NOT_APPLICABLE:
        return Answer(na=True)
    if item.type == YESNO and code in (YES, NO):
        return Answer(value=1.0 if code == YES else 0.0)
    if item.type in VALUE_TYPES and item.type != YESNO and parse_number(code) is not None:
        return Answer(value=parse_number(code))
    if item.type in (SINGLE, MULTI) and code in item.option_values:
        return Answer(text=code)
    raise CellError(f"code {code!r} is not an answer of item {item.id}")


def _unknown(item: Item, cell: str) -> str:
    key = match_key(cell)
    if key in _DONT_KNOW_KEYS:
        return f"{cell!r}: item {item.id} does not allow don't know"
    if key in _NOT_APPLICABLE_KEYS:
        return f"{cell!r}: item {item.id} does not allow not applicable"
    if item.type == LIKERT:
        return (f"{cell!r} is neither a point of the 1–{item.points} scale nor a label the "
                "mapping knows")
    if item.type == RATING10:
        return f"{cell!r} is not a number from 0 to 10"
    if item.type == NUMBER:
        return f"{cell!r} is not a number"
    return f"unknown option {cell!r}"
