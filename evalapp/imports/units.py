"""Importing units from CSV or XLSX: our own template or a 智慧团建 organisation list.

The whole file is checked first — every bad row is reported at once — and only a good
file changes the session, in the caller's transaction (no commit here). Units are matched
by code, so importing the same file again changes nothing. A column that is absent leaves
that attribute of existing units alone; a column that is present but blank clears it
(``active``: blank means active).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..models import UNIT_KINDS, Unit
from .columns import Field, Record, Sheet, read_sheet
from .kinds import BY_LEVEL, kind_below, parse_flag, resolve_kind
from .outcome import ImportSummary

UNIT_FIELDS = (
    Field("code", "code", ("编码", "代码", "单位代码", "单位编码", "组织代码", "组织编码",
                           "团组织ID", "团组织编码", "组织ID", "unit_code")),
    Field("name", "name", ("名称", "单位名称", "组织名称", "团组织名称", "团组织全称", "全称",
                           "单位全称", "unit_name")),
    Field("short_name", "short_name", ("简称", "团组织简称", "单位简称")),
    Field("kind", "kind", ("类型", "单位类型", "类别", "种类", "type", "unit_kind")),
    Field("org_type", "org_type", ("组织类型", "团组织类型")),
    Field("parent", "parent_code", ("上级", "上级代码", "上级编码", "上级单位",
                                    "上级单位代码", "上级单位编码", "上级组织", "上级团组织",
                                    "上级组织ID", "上级组织代码", "上级组织名称")),
    Field("address", "address", ("地址", "详细地址", "单位地址", "联系地址")),
    Field("contact", "contact", ("联系人", "负责人")),
    Field("phone", "phone", ("telephone", "tel", "电话", "联系电话", "手机", "手机号",
                             "手机号码")),
    Field("active", "active", ("enabled", "有效", "是否有效", "启用", "是否启用", "状态")),
)
REQUIRED = (("code",), ("name", "short_name"), ("kind", "org_type"))
SHEET_HINTS = ("units", "单位", "组织")
CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
LENGTHS = {key: Unit.__table__.c[key].type.length
           for key in ("code", "name", "address", "contact", "phone")}
OPTIONAL_TEXT = ("address", "contact", "phone")


@dataclass
class UnitRow:
    """A row that passed its own checks far enough to take part in the hierarchy checks.

    ``values`` holds the attributes to set (``kind`` may still be ``BY_LEVEL``);
    ``parent_ref`` is None when the file has no parent column.
    """

    row: int
    code: str
    values: dict[str, Any]
    parent_ref: str | None
    parent_code: str | None = None


@dataclass
class KnownUnits:
    """The units already in the database, indexed the ways the checks need."""

    by_code: dict[str, Unit]
    code_of_id: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.code_of_id = {unit.id: code for code, unit in self.by_code.items()}

    @classmethod
    def load(cls, session: Session) -> KnownUnits:
        return cls({unit.code: unit for unit in session.scalars(select(Unit))})

    def parent_code(self, code: str) -> str | None:
        unit = self.by_code.get(code)
        return self.code_of_id.get(unit.parent_id) if unit and unit.parent_id else None


def import_units(session: Session, path: Path, actor_id: int | None = None, *,
                 display_name: str | None = None) -> ImportSummary:
    """Create or update the units listed in ``path``; raises ``ImportFailed`` on any problem.

    ``display_name`` names the file in messages (an upload's original name).
    """
    sheet = read_sheet(path, UNIT_FIELDS, REQUIRED, display_name=display_name,
                       sheet_hints=SHEET_HINTS)
    rows = _drop_duplicates(sheet, [row for rec in sheet.records if (row := _parse(sheet, rec))])
    known = KnownUnits.load(session)
    _resolve_parents(sheet, rows, known)
    parent_of = _parent_map(rows, known)
    _report_cycles(sheet, rows, parent_of)
    sheet.raise_if_problems()
    _derive_kinds(rows, known, parent_of)
    created, updated, unchanged = _write(session, rows, known)
    summary = ImportSummary("units", sheet.file, created, updated, unchanged,
                            tuple(sheet.ignored))
    audit.record(session, "import", "unit", None, actor_id, file=sheet.file,
                 created=created, updated=updated, unchanged=unchanged)
    session.flush()
    return summary


# --- one row at a time -----------------------------------------------------------------


def _parse(sheet: Sheet, record: Record) -> UnitRow | None:
    code = _code(sheet, record)
    values: dict[str, Any] = {"name": _name(sheet, record), "kind": _kind(sheet, record)}
    for key in OPTIONAL_TEXT:
        if sheet.has(key):
            values[key] = _optional_text(sheet, record, key)
    if sheet.has("active"):
        values["active"] = _active(sheet, record)
    parent_ref = _one_line(record.get("parent")) if sheet.has("parent") else None
    if code is None:
        return None
    return UnitRow(record.row, code, values, parent_ref)


def _code(sheet: Sheet, record: Record) -> str | None:
    code = unicodedata.normalize("NFKC", record.get("code")).strip()
    if not code:
        sheet.report(record.row, "code", "missing required value")
    elif len(code) > LENGTHS["code"]:
        sheet.report(record.row, "code", f"unit code too long: {len(code)} characters, "
                                         f"at most {LENGTHS['code']}")
    elif not CODE_PATTERN.fullmatch(code):
        sheet.report(record.row, "code", f"bad characters in unit code {code!r}: use letters, "
                                         "digits, '.', '_' and '-', starting with a letter "
                                         "or digit")
    else:
        return code
    return None


def _name(sheet: Sheet, record: Record) -> str | None:
    name = _one_line(record.get("name")) or _one_line(record.get("short_name"))
    key = "name" if sheet.has("name") else "short_name"
    if not name:
        sheet.report(record.row, key, "missing required value")
        return None
    return _checked_length(sheet, record, key, name)


def _kind(sheet: Sheet, record: Record) -> str | None:
    key = "kind" if record.get("kind") or not sheet.has("org_type") else "org_type"
    text = record.get(key)
    if not text:
        sheet.report(record.row, key, "missing required value")
        return None
    kind = resolve_kind(text)
    if kind is None:
        sheet.report(record.row, key, f"unknown kind {text!r}; use one of "
                                      f"{', '.join(UNIT_KINDS)} or a Chinese name such as "
                                      "团支部 or 青年之家 (see the import README)")
    return kind


def _optional_text(sheet: Sheet, record: Record, key: str) -> str | None:
    text = _one_line(record.get(key))
    return _checked_length(sheet, record, key, text) if text else None


def _active(sheet: Sheet, record: Record) -> bool | None:
    text = record.get("active")
    if not text:
        return True
    flag = parse_flag(text)
    if flag is None:
        sheet.report(record.row, "active", f"{text!r} is not a yes/no value (是/否, 1/0, "
                                           "true/false)")
    return flag


def _checked_length(sheet: Sheet, record: Record, key: str, text: str) -> str | None:
    if len(text) > LENGTHS[key]:
        sheet.report(record.row, key, f"too long: {len(text)} characters, at most "
                                      f"{LENGTHS[key]}")
        return None
    return text


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- the hierarchy ---------------------------------------------------------------------


def _resolve_parents(sheet: Sheet, rows: list[UnitRow], known: KnownUnits) -> None:
    """Find each parent by code (in the file or the database), else by its full name."""
    file_codes = {row.code for row in rows}
    names = _names(rows, known, file_codes)
    for row in rows:
        if not row.parent_ref:
            continue
        code = unicodedata.normalize("NFKC", row.parent_ref)
        if code in file_codes or code in known.by_code:
            row.parent_code = code
            continue
        matches = names.get(row.parent_ref, [])
        if len(matches) == 1:
            row.parent_code = matches[0]
        elif matches:
            sheet.report(row.row, "parent", f"parent {row.parent_ref!r} names several units "
                                            f"({', '.join(sorted(matches))}); give its code")
        else:
            sheet.report(row.row, "parent", f"parent {row.parent_ref!r} is neither in the file "
                                            "nor in the database")


def _drop_duplicates(sheet: Sheet, rows: list[UnitRow]) -> list[UnitRow]:
    first: dict[str, int] = {}
    kept = []
    for row in rows:
        if row.code in first:
            sheet.report(row.row, "code", f"duplicate code {row.code}: also in row "
                                          f"{first[row.code]}")
        else:
            first[row.code] = row.row
            kept.append(row)
    return kept


def _names(rows: list[UnitRow], known: KnownUnits, file_codes: set[str]) -> dict[str, list[str]]:
    """Unit names after this import (the file's names win) → their codes."""
    names: dict[str, list[str]] = {}
    for code, unit in known.by_code.items():
        if code not in file_codes:
            names.setdefault(unit.name, []).append(code)
    for row in rows:
        if row.values["name"]:
            names.setdefault(row.values["name"], []).append(row.code)
    return names


def _parent_map(rows: list[UnitRow], known: KnownUnits) -> dict[str, str | None]:
    """Every unit's parent code as it would be after the import."""
    parent_of = {code: known.parent_code(code) for code in known.by_code}
    for row in rows:
        if row.parent_ref is None:
            parent_of[row.code] = known.parent_code(row.code)
        else:
            parent_of[row.code] = row.parent_code
    return parent_of


def _report_cycles(sheet: Sheet, rows: list[UnitRow], parent_of: Mapping[str, str | None]
                   ) -> None:
    row_of = {row.code: row.row for row in rows}
    for cycle in find_cycles(row_of, parent_of):
        chain = " → ".join([*cycle, cycle[0]])
        reason = ("a unit cannot be its own parent" if len(cycle) == 1
                  else f"parents form a cycle: {chain}")
        for code in cycle:
            if code in row_of:
                sheet.report(row_of[code], "parent", reason)


def find_cycles(starts: Iterable[str], parent_of: Mapping[str, str | None]) -> list[list[str]]:
    """Each cycle reachable by following parents from ``starts``, once."""
    state: dict[str, bool] = {}  # False: on the path being walked, True: finished
    cycles = []
    for start in starts:
        path: list[str] = []
        code: str | None = start
        while code is not None and code not in state:
            state[code] = False
            path.append(code)
            code = parent_of.get(code)
        if code is not None and state[code] is False:
            cycles.append(path[path.index(code):])
        state.update(dict.fromkeys(path, True))
    return cycles


def _derive_kinds(rows: list[UnitRow], known: KnownUnits,
                  parent_of: Mapping[str, str | None]) -> None:
    """Give "by level" units (智慧团建 types 1–3) the level below their parent's kind.

    Runs on a file without problems, so every chain of parents ends without a cycle.
    """
    by_code = {row.code: row for row in rows}
    for row in rows:
        chain: list[UnitRow] = []
        code: str | None = row.code
        while code in by_code and by_code[code].values["kind"] == BY_LEVEL:
            chain.append(by_code[code])
            code = parent_of.get(code)
        kind = None if code is None else _kind_of(code, by_code, known)
        for link in reversed(chain):
            kind = link.values["kind"] = kind_below(kind)


def _kind_of(code: str, by_code: Mapping[str, UnitRow], known: KnownUnits) -> str:
    return by_code[code].values["kind"] if code in by_code else known.by_code[code].kind


# --- writing ---------------------------------------------------------------------------


def _write(session: Session, rows: list[UnitRow], known: KnownUnits) -> tuple[int, int, int]:
    """Apply the checked rows; returns the counts (created, updated, unchanged)."""
    units = dict(known.by_code)
    fresh = set()
    for row in rows:
        if row.code not in units:
            units[row.code] = Unit(code=row.code, **row.values)
            session.add(units[row.code])
            fresh.add(row.code)
    created = updated = 0
    for row in rows:
        unit = units[row.code]
        changed = row.code not in fresh and _assign(unit, row.values)
        if row.parent_ref is not None and row.parent_code != known.parent_code(row.code):
            unit.parent = units[row.parent_code] if row.parent_code else None
            changed = True
        created += row.code in fresh
        updated += changed and row.code not in fresh
    session.flush()
    return created, updated, len(rows) - created - updated


def _assign(unit: Unit, values: Mapping[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(unit, key) != value:
            setattr(unit, key, value)
            changed = True
    return changed
