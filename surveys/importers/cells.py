"""Reading single cells of foreign exports: keys for comparing texts, skip markers, dates,
durations, numbers and 问卷星's multiple-choice cells.

Everything here is a pure function of strings, so the same rules serve the mapping
inference, the row reader and the tests.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DROP_ZERO_WIDTH = {ord(ch): None for ch in ZERO_WIDTH}

# 问卷星 joins the options of a multiple choice by text with ┋; 〖…〗 holds an "other" text.
WJX_SEPARATOR = "┋"
OTHER_OPEN, OTHER_CLOSE = "〖", "〗"
# Separators a person may type between the codes of a multiple choice in our template.
TEMPLATE_SEPARATORS = re.compile(r"[,，;；、|┋/]")

# Cells that mean "not answered" in every format (compared by `text_key`): 问卷星's skipped
# and blank questions and the NULL some exports write.
SKIPPED_TEXTS = frozenset({"(跳过)", "跳过", "(空)", "null", "(null)"})
# 问卷星 by option number also writes -3 for a skipped question and -2 in the ranking columns
# of a skipped ranking; both are read as "not answered" there (their meaning is unconfirmed).
SKIPPED_NUMBERS = frozenset({"-3", "-2"})

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_POINTS_SUFFIX = re.compile(r"\s*分$")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
)
_DURATION_UNITS = re.compile(r"(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|min|m))?"
                             r"\s*(?:(\d+)\s*(?:秒钟|秒|s))?", re.IGNORECASE)
_DURATION_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")
_LETTER_PREFIX = re.compile(r"^\s*[A-Za-z]{1,2}\s*[.．、]\s*(?=\S)")
MAX_DURATION_S = 2**31 - 1


def text_key(text: str) -> str:
    """NFKC, without zero-width characters and whitespace, case folded.

    This is how headers and unit codes and names are compared: full-width letters, stray
    spaces and invisible characters from copy and paste do not matter.
    """
    text = unicodedata.normalize("NFKC", text.translate(_DROP_ZERO_WIDTH)).casefold()
    return "".join(ch for ch in text if not ch.isspace())


def match_key(text: str) -> str:
    """`text_key` without punctuation: how question texts and option labels are compared.

    ``2–3 次`` and ``2-3次`` are the same option, ``您满意吗？`` and ``您满意吗`` the same
    question. Symbols such as ``+`` are kept.
    """
    return "".join(ch for ch in text_key(text) if not unicodedata.category(ch).startswith("P"))


def without_notes(text: str) -> str:
    """The text without trailing bracketed notes such as ``（可多选）``."""
    previous = None
    text = text.strip()
    while previous != text:
        previous = text
        text = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", text)
    return text


def is_skipped(cell: str, by_number: bool = False) -> bool:
    """Whether a cell means "not answered"; ``by_number`` for 问卷星's by-number exports."""
    key = text_key(cell)
    return not key or key in SKIPPED_TEXTS or (by_number and key in SKIPPED_NUMBERS)


def strip_other_text(cell: str) -> str:
    """The option without its 〖other text〗: ``其他【请注明】〖柜台〗`` → ``其他【请注明】``.

    The typed text is dropped on purpose: it is free text outside the instrument and may
    name a person.
    """
    out: list[str] = []
    depth = 0
    for ch in cell:
        if ch == OTHER_OPEN:
            depth += 1
        elif ch == OTHER_CLOSE and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out).strip()


def split_wjx_choices(cell: str) -> list[str]:
    """The options of a 问卷星 multiple choice by text; ┋ inside 〖…〗 does not separate."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in cell:
        if ch == OTHER_OPEN:
            depth += 1
        elif ch == OTHER_CLOSE and depth:
            depth -= 1
        if ch == WJX_SEPARATOR and not depth:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [text for part in parts if (text := strip_other_text(part))]


def split_template_choices(cell: str) -> list[str]:
    """The codes of a multiple choice typed into our template (``a,b``, ``a、b``, ``a;b``)."""
    return [part.strip() for part in TEMPLATE_SEPARATORS.split(cell) if part.strip()]


def strip_option_letter(cell: str) -> str:
    """腾讯问卷's option letters off: ``A.男`` → ``男``."""
    return _LETTER_PREFIX.sub("", cell, count=1)


def parse_number(cell: str) -> float | None:
    """A plain decimal number, also as a scale cell such as ``4分``; None otherwise."""
    text = _POINTS_SUFFIX.sub("", unicodedata.normalize("NFKC", cell).strip())
    if not _NUMBER.fullmatch(text):
        return None
    return float(text) + 0.0


def parse_date(cell: str) -> dt.date | None:
    """The day of ``2016/12/17 14:22:55``, ``2026-11-05``, ``2026年11月5日``; None if not a date.

    The time, when given, must be a valid time of day; it is then dropped (responses keep
    the day only).
    """
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", cell).strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        if hour is not None:
            dt.time(int(hour), int(minute), int(second or 0))
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_duration(cell: str) -> int | None:
    """Whole seconds from ``136``, ``136秒``, ``2分16秒``, ``1小时2分``, ``0:02:16``; None if none.

    Fractions are rounded to the nearest second.
    """
    text = unicodedata.normalize("NFKC", cell).strip()
    seconds = _plain_seconds(text)
    if seconds is None:
        seconds = _clock_seconds(text) if ":" in text else _unit_seconds(text)
    return seconds if seconds is not None and seconds <= MAX_DURATION_S else None


def _plain_seconds(text: str) -> int | None:
    if not _NUMBER.fullmatch(text) or text.startswith("-"):
        return None
    number = float(text)
    return round(number) if number < MAX_DURATION_S else MAX_DURATION_S + 1


def _clock_seconds(text: str) -> int | None:
    match = _DURATION_CLOCK.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if seconds >= 60 or (hours and minutes >= 60):
        return None
    return hours * 3600 + minutes * 60 + seconds


def _unit_seconds(text: str) -> int | None:
    match = _DURATION_UNITS.fullmatch(text)
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
