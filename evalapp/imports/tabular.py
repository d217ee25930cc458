"""Reading CSV and XLSX files row by row, whatever Excel, WPS or 智慧团建 wrote.

:func:`read_rows` streams ``(row number, cells)`` pairs: the row number is the one a
spreadsheet shows (a CSV record spanning several lines counts as one row), cells are text
with surrounding whitespace, zero-width and control characters removed, and fully blank
rows are skipped. The file type is decided from its content, not its name:

- XLSX is a zip archive holding ``xl/workbook.xml``; it is read with openpyxl in read-only
  mode from the first sheet, or from the first sheet whose name contains one of the hints
  (e.g. ``units``/``单位``). Whole numbers come out without ``.0``, dates as ISO dates.
- Anything else must be CSV text in UTF-8 (with or without BOM) or GB18030 (a superset of
  GBK, what Chinese Windows writes). The encoding is found by a strict decoding pass over
  the whole file, streamed, before any row is produced; the delimiter (comma, semicolon or
  tab) from the first non-blank line.

An unreadable file raises :class:`ImportFailed` with one problem naming the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl

from .outcome import ImportFailed, Problem

CHUNK_SIZE = 64 * 1024
XLSX_MAX_UNPACKED = 100 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "gb18030")
DELIMITERS = (",", ";", "\t")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DROP = {ord(ch): None for ch in ZERO_WIDTH}
_DROP.update({code: None for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]
              if chr(code) not in "\t\n\r"})

Rows = Iterator[tuple[int, list[str]]]


def clean_cell(text: str) -> str:
    """A cell without zero-width or control characters (tab and newlines kept), trimmed."""
    return text.translate(_DROP).strip()


def normalise_key(text: str) -> str:
    """The form in which headers, kinds and flags are compared.

    NFKC (full-width letters and punctuation become ASCII), zero-width characters and all
    whitespace, ``_`` and ``-`` removed, case folded: ``Parent_Code``, ``ｐａｒｅｎｔ code``
    and ``parent-code`` all give ``parentcode``.
    """
    text = unicodedata.normalize("NFKC", text.translate(_DROP)).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "_-")


def read_rows(path: Path, *, display_name: str | None = None,
              sheet_hints: Sequence[str] = ()) -> Rows:
    """The file's non-blank rows as ``(spreadsheet row number, cleaned cell texts)``."""
    name = display_name or path.name
    source = _xlsx_rows(path, name, sheet_hints) if _is_zip(path, name) else _csv_rows(path, name)
    for number, cells in source:
        cleaned = [clean_cell(cell) for cell in cells]
        if any(cleaned):
            yield number, cleaned


def _failure(name: str, reason: str, row: int | None = None) -> ImportFailed:
    return ImportFailed([Problem(name, row, None, reason)])


def _is_zip(path: Path, name: str) -> bool:
    """Whether the file is a zip archive; refuses the binary types users confuse with CSV."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE2_SIGNATURE):
        raise _failure(name, "is an old Excel 97–2003 (.xls) or other OLE file; "
                             "save it as .xlsx or as CSV")
    if head.startswith(UTF16_BOMS):
        raise _failure(name, "is UTF-16 text (Excel's 'Unicode text'); save it as "
                             "'CSV UTF-8' instead")
    return head.startswith(ZIP_SIGNATURES)


# --- CSV -------------------------------------------------------------------------------


def _csv_rows(path: Path, name: str) -> Rows:
    encoding = detect_encoding(path, name)
    with path.open("r", encoding=encoding, newline="") as handle:
        delimiter = sniff_delimiter(handle.read(CHUNK_SIZE))
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _failure(name, f"cannot be read as CSV: {error}", number) from error
            yield number, cells


def detect_encoding(path: Path, name: str = "") -> str:
    """``utf-8-sig`` or ``gb18030``, whichever decodes the whole file without error."""
    name = name or path.name
    for encoding in ENCODINGS:
        if _decodes(path, name, encoding):
            return encoding
    raise _failure(name, "is neither a spreadsheet (.xlsx) nor text in UTF-8 or GB18030 "
                         "(GBK); save it from Excel or WPS as .xlsx or 'CSV UTF-8'")


def _decodes(path: Path, name: str, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK_SIZE):
                if b"\x00" in chunk:
                    raise _failure(name, "contains binary data: it is neither a CSV nor an "
                                         "XLSX file")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def sniff_delimiter(sample: str) -> str:
    """The delimiter among comma, semicolon and tab used most on the first non-blank line.

    Counting on one line is enough because the header row has no quoted delimiters in
    practice, and it is predictable where :class:`csv.Sniffer` guesses.
    """
    line = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {delimiter: _count_unquoted(line, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _count_unquoted(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


# --- XLSX ------------------------------------------------------------------------------


def _xlsx_rows(path: Path, name: str, sheet_hints: Sequence[str]) -> Rows:
    _check_archive(path, name)
    with path.open("rb") as handle:  # a file object: openpyxl judges a path by its suffix
        workbook = _open_workbook(handle, name)
        try:
            sheet = _pick_sheet(workbook, name, sheet_hints)
            yield from _sheet_rows(sheet, name)
        finally:
            workbook.close()


def _check_archive(path: Path, name: str) -> None:
    """A zip must be a workbook of reasonable unpacked size (no zip bombs)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _failure(name, f"is a damaged zip/XLSX file ({error})") from error
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise _failure(name, "is a zip archive but not an Excel workbook (.xlsx)")
    if sum(member.file_size for member in members) > XLSX_MAX_UNPACKED:
        raise _failure(name, f"unpacks to more than {XLSX_MAX_UNPACKED // 2**20} MB; "
                             "split it or save it as CSV")


def _open_workbook(handle: BinaryIO, name: str) -> Any:
    """openpyxl in read-only mode; its warnings about unsupported features are irrelevant."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on damaged files
        raise _failure(name, f"is not a readable Excel workbook ({error})") from error


def _pick_sheet(workbook: Any, name: str, hints: Sequence[str]) -> Any:
    sheets = workbook.worksheets
    if not sheets:
        raise _failure(name, "has no worksheet")
    keys = [normalise_key(hint) for hint in hints]
    for sheet in sheets:
        if any(key in normalise_key(sheet.title) for key in keys):
            return sheet
    return sheets[0]


def _sheet_rows(sheet: Any, name: str) -> Rows:
    """Rows of a read-only sheet; openpyxl fills in missing rows, so numbering is exact."""
    sheet.reset_dimensions()
    values = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        number += 1
        try:
            row = next(values)
        except StopIteration:
            return
        except Exception as error:  # a damaged sheet part surfaces while parsing it
            raise _failure(name, f"has a damaged worksheet ({error})", number) from error
        yield number, cell_texts(row)


def cell_texts(values: Iterable[Any]) -> list[str]:
    return [cell_text(value) for value in values]


def cell_text(value: Any) -> str:
    """A cell value as the text a user sees: ``510101`` not ``510101.0``, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
