"""Importing units from CSV or XLSX: our own template or a 智慧团建 organisation list.

The whole file is checked first — every bad row is reported at once — and only a good
file changes the session, in the caller's transaction (no commit here). Units are matched
by code, so importing the same file again changes nothing. A column that is absent leaves
that attribute of existing units alone; a column that is present but blank clears it
(``active``: blank means active).

The file is streamed, never held in memory (a province's list has hundreds of thousands of
rows, and the CLI must cope with millions):

1. the checking pass reads each row, reports its own problems and keeps an `Index` of the
   good rows only: code → row number, parent and kind (about 170 bytes a row; a parent
   that came earlier in the file is kept as its position, not as text);
2. parents that are not codes are looked up by full name — the file is read again for the
   names asked for, the database for the same names — then unknown or ambiguous parents
   and cycles are reported, and "by level" kinds derived;
3. the writing pass reads the file once more and writes `WRITE_CHUNK` rows at a time with
   bulk INSERT and UPDATE statements (no ORM object per row); parents are linked once all
   units exist, since a child may come before its parent.

Units already in the database are read as (id, code, parent, kind) only.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..models import UNIT_KINDS, Unit
from .columns import Field, Record, Sheet, open_sheet
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
WRITE_CHUNK = 1000
QUERY_CHUNK = 500
UNIT = Unit.__table__
PARENT = UNIT.alias("parent_unit")
KINDS = {kind: kind for kind in (*UNIT_KINDS, BY_LEVEL)}  # one shared string per kind


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


NO_COLUMN, BLANK, LATER = -1, -2, -3  # parents that are no earlier row: see `Index`


@dataclass
class Index:
    """What the checking pass keeps of each good row, by position in the file.

    ``parents`` holds, for each row, the position of its parent when that came earlier in
    the file; `NO_COLUMN` or `BLANK`; or ``LATER - i`` where ``refs[i]`` is the parent cell
    as written (a later row, a unit in the database, a name, a mistake). Each distinct
    parent text is kept once, however many rows name it.
    """

    positions: dict[str, int] = field(default_factory=dict)  # code → position
    codes: list[str] = field(default_factory=list)
    rows: array[int] = field(default_factory=lambda: array("l"))
    parents: array[int] = field(default_factory=lambda: array("q"))
    refs: list[str] = field(default_factory=list)
    ref_ids: dict[str, int] = field(default_factory=dict)
    kinds: list[str | None] = field(default_factory=list)

    def add(self, sheet: Sheet, row: UnitRow) -> None:
        """Keep ``row``, or report it when its code came earlier in the file."""
        first = self.positions.get(row.code)
        if first is not None:
            sheet.report(row.row, "code", f"duplicate code {row.code}: also in row "
                                          f"{self.rows[first]}")
            return
        position = len(self.codes)
        self.positions[row.code] = position
        self.codes.append(row.code)
        self.rows.append(row.row)
        self.parents.append(self._parent(position, row.parent_ref))
        self.kinds.append(KINDS.get(row.values["kind"] or ""))

    def _parent(self, position: int, ref: str | None) -> int:
        if ref is None:
            return NO_COLUMN
        if not ref:
            return BLANK
        earlier = self.positions.get(unicodedata.normalize("NFKC", ref))
        if earlier is not None and earlier != position:
            return earlier
        if ref not in self.ref_ids:
            self.ref_ids[ref] = len(self.refs)
            self.refs.append(ref)
        return LATER - self.ref_ids[ref]

    def later_ref(self, position: int) -> str | None:
        """The parent cell of a row whose parent is no earlier row (else None)."""
        parent = self.parents[position]
        return self.refs[LATER - parent] if parent <= LATER else None

    def is_first(self, row: UnitRow) -> bool:
        position = self.positions.get(row.code)
        return position is not None and self.rows[position] == row.row


@dataclass
class KnownUnits:
    """The units already in the database: code → (id, parent code, kind)."""

    by_code: dict[str, tuple[int, str | None, str]]

    @classmethod
    def load(cls, session: Session) -> KnownUnits:
        """Read streaming, each parent code kept once however many children it has."""
        rows = session.execute(
            select(UNIT.c.id, UNIT.c.code, PARENT.c.code, UNIT.c.kind)
            .outerjoin(PARENT, PARENT.c.id == UNIT.c.parent_id)
            .execution_options(yield_per=QUERY_CHUNK * 20))
        shared: dict[str, str] = {}
        by_code = {}
        for id_, code, parent, kind in rows:
            parent = None if parent is None else shared.setdefault(parent, parent)
            by_code[code] = (id_, parent, KINDS.get(kind, kind))
        return cls(by_code)

    def parent_code(self, code: str) -> str | None:
        known = self.by_code.get(code)
        return known[1] if known else None

    def kind(self, code: str) -> str:
        return self.by_code[code][2]


class Hierarchy:
    """Every unit's parent code as it would be after the import, computed when asked."""

    def __init__(self, index: Index, known: KnownUnits, named: Mapping[str, list[str]]
                 ) -> None:
        self.index = index
        self.known = known
        self.named = named  # parent cells that are no code → units with that full name

    def resolve(self, ref: str) -> str | None:
        """The code a parent cell names (None when it names nothing, or is ambiguous)."""
        code = unicodedata.normalize("NFKC", ref)
        if code in self.index.positions or code in self.known.by_code:
            return code
        found = self.named.get(ref, ())
        return found[0] if len(found) == 1 else None

    def parent_of(self, code: str) -> str | None:
        position = self.index.positions.get(code)
        if position is None:
            return self.known.parent_code(code)
        parent = self.index.parents[position]
        if parent >= 0:
            return self.index.codes[parent]
        if parent == NO_COLUMN:
            return self.known.parent_code(code)
        return None if parent == BLANK else self.resolve(self.index.refs[LATER - parent])


def import_units(session: Session, path: Path, actor_id: int | None = None, *,
                 display_name: str | None = None) -> ImportSummary:
    """Create or update the units listed in ``path``; raises ``ImportFailed`` on any problem.

    ``display_name`` names the file in messages (an upload's original name).
    """
    def read() -> tuple[Sheet, Iterator[Record]]:
        return open_sheet(path, UNIT_FIELDS, REQUIRED, display_name=display_name,
                          sheet_hints=SHEET_HINTS)

    sheet, records = read()
    index = _check_rows(sheet, records)
    known = KnownUnits.load(session)
    hierarchy = Hierarchy(index, known, _parents_by_name(session, read, index, known))
    _report_parents(sheet, index, hierarchy)
    _report_cycles(sheet, index, hierarchy)
    sheet.raise_if_problems()
    _derive_kinds(index, known, hierarchy)
    created, updated, unchanged = _write(session, read(), index, known, hierarchy)
    summary = ImportSummary("units", sheet.file, created, updated, unchanged,
                            tuple(sheet.ignored))
    audit.record(session, "import", "unit", None, actor_id, file=sheet.file,
                 created=created, updated=updated, unchanged=unchanged)
    session.flush()
    return summary


def _check_rows(sheet: Sheet, records: Iterable[Record]) -> Index:
    """The checking pass: each row's own problems, duplicates, and the index."""
    index = Index()
    seen = False
    for record in records:
        seen = True
        row = _parse(sheet, record)
        if row is not None:
            index.add(sheet, row)
    if not seen:
        sheet.report_no_rows()
    return index


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


def _parents_by_name(session: Session, read: Callable[[], tuple[Sheet, Iterator[Record]]],
                     index: Index, known: KnownUnits) -> dict[str, list[str]]:
    """Parent cells that are no code → the units with that full name after the import (the
    file's names win over the database's)."""
    wanted = _names_wanted(index, known)
    return _named(session, read, index, wanted) if wanted else {}


def _names_wanted(index: Index, known: KnownUnits) -> set[str]:
    wanted = set()
    for ref in index.refs:
        if (code := unicodedata.normalize("NFKC", ref)) not in index.positions \
                and code not in known.by_code:
            wanted.add(ref)
    return wanted


def _named(session: Session, read: Callable[[], tuple[Sheet, Iterator[Record]]], index: Index,
           wanted: set[str]) -> dict[str, list[str]]:
    """``wanted`` names → the codes of the units that will have them."""
    codes: dict[str, list[str]] = {}
    names = sorted(wanted)
    for start in range(0, len(names), QUERY_CHUNK):
        for code, name in session.execute(select(UNIT.c.code, UNIT.c.name).where(
                UNIT.c.name.in_(names[start:start + QUERY_CHUNK]))):
            if code not in index.positions:
                codes.setdefault(name, []).append(code)
    _sheet, records = read()
    for record in records:
        name = _one_line(record.get("name")) or _one_line(record.get("short_name"))
        code = unicodedata.normalize("NFKC", record.get("code")).strip()
        position = index.positions.get(code)
        if name in wanted and position is not None and index.rows[position] == record.row:
            codes.setdefault(name, []).append(code)
    return codes


def _report_parents(sheet: Sheet, index: Index, hierarchy: Hierarchy) -> None:
    if all(hierarchy.resolve(ref) is not None for ref in index.refs):
        return
    for position in range(len(index.codes)):
        ref = index.later_ref(position)
        if ref is None or hierarchy.resolve(ref) is not None:
            continue
        row = index.rows[position]
        several = hierarchy.named.get(ref)
        if several:
            sheet.report(row, "parent", f"parent {ref!r} names several units "
                                        f"({', '.join(sorted(several))}); give its code")
        else:
            sheet.report(row, "parent", f"parent {ref!r} is neither in the file nor in the "
                                        "database")


def _report_cycles(sheet: Sheet, index: Index, hierarchy: Hierarchy) -> None:
    for cycle in find_cycles(index.codes, hierarchy.parent_of, index.positions):
        chain = " → ".join([*cycle, cycle[0]])
        reason = ("a unit cannot be its own parent" if len(cycle) == 1
                  else f"parents form a cycle: {chain}")
        for code in cycle:
            position = index.positions.get(code)
            if position is not None:
                sheet.report(index.rows[position], "parent", reason)


def find_cycles(starts: Sequence[str], parent_of: Callable[[str], str | None],
                positions: Mapping[str, int]) -> list[list[str]]:
    """Each cycle reachable by following parents from ``starts``, once.

    ``positions`` numbers the codes of ``starts``; their walking state is kept in a byte
    each (other codes, units only in the database, in a dict).
    """
    state = _WalkState(len(starts), positions)
    cycles = []
    for start in starts:
        path: list[str] = []
        code: str | None = start
        while code is not None and not state.seen(code):
            state.mark(code, ON_PATH)
            path.append(code)
            code = parent_of(code)
        if code is not None and state.get(code) == ON_PATH:
            cycles.append(path[path.index(code):])
        for step in path:
            state.mark(step, DONE)
    return cycles


ON_PATH, DONE = 1, 2


class _WalkState:
    def __init__(self, size: int, positions: Mapping[str, int]) -> None:
        self.bytes = bytearray(size)
        self.positions = positions
        self.others: dict[str, int] = {}

    def get(self, code: str) -> int:
        position = self.positions.get(code)
        return self.bytes[position] if position is not None else self.others.get(code, 0)

    def seen(self, code: str) -> bool:
        return self.get(code) != 0

    def mark(self, code: str, value: int) -> None:
        position = self.positions.get(code)
        if position is None:
            self.others[code] = value
        else:
            self.bytes[position] = value


def _derive_kinds(index: Index, known: KnownUnits, hierarchy: Hierarchy) -> None:
    """Give "by level" units (智慧团建 types 1–3) the level below their parent's kind.

    Runs on a file without problems, so every chain of parents ends without a cycle.
    """
    for position, kind in enumerate(index.kinds):
        if kind != BY_LEVEL:
            continue
        chain: list[int] = []
        code: str | None = index.codes[position]
        while (at := index.positions.get(code or "")) is not None \
                and index.kinds[at] == BY_LEVEL:
            chain.append(at)
            code = hierarchy.parent_of(code)  # type: ignore[arg-type]
        derived = None if code is None else _kind_of(code, index, known)
        for link in reversed(chain):
            derived = index.kinds[link] = KINDS[kind_below(derived)]


def _kind_of(code: str, index: Index, known: KnownUnits) -> str:
    position = index.positions.get(code)
    return index.kinds[position] if position is not None else known.kind(code)  # type: ignore[return-value]


# --- writing ---------------------------------------------------------------------------


def _write(session: Session, source: tuple[Sheet, Iterator[Record]], index: Index,
           known: KnownUnits, hierarchy: Hierarchy) -> tuple[int, int, int]:
    """The writing pass over the file read once more; returns the counts (created,
    updated, unchanged)."""
    session.flush()
    scratch, records = source  # the rows were checked: nothing is reported again
    updated = bytearray(len(index.codes))  # 1 where an existing unit changes
    while chunk := list(islice(records, WRITE_CHUNK)):
        rows = [row for record in chunk if (row := _parse(scratch, record))
                and index.is_first(row)]
        for row in rows:
            row.values["kind"] = index.kinds[index.positions[row.code]]
        _write_rows(session, rows, index, known, updated)
    _write_parents(session, index, known, hierarchy, updated)
    session.expire_all()  # objects the caller holds reload what was written
    created = sum(1 for code in index.codes if code not in known.by_code)
    changed = sum(updated)
    return created, changed, len(index.codes) - created - changed


def _write_rows(session: Session, rows: list[UnitRow], index: Index, known: KnownUnits,
                updated: bytearray) -> None:
    """Insert the new units of a chunk and update the changed ones (parents come later)."""
    existing = _existing(session, [row.code for row in rows if row.code in known.by_code])
    fresh = [{"code": row.code, **row.values} for row in rows if row.code not in existing]
    if fresh:
        session.execute(insert(UNIT), fresh)
    changes = [row for row in rows if row.code in existing
               and _differs(existing[row.code], row.values)]
    if not changes:
        return
    keys = list(changes[0].values)
    session.execute(update(UNIT).where(UNIT.c.id == bindparam("b_id"))
                    .values({key: bindparam(f"b_{key}") for key in keys}),
                    [{"b_id": existing[row.code]["id"],
                      **{f"b_{key}": row.values[key] for key in keys}} for row in changes])
    for row in changes:
        updated[index.positions[row.code]] = 1


def _write_parents(session: Session, index: Index, known: KnownUnits, hierarchy: Hierarchy,
                   updated: bytearray) -> None:
    """Link every unit whose parent changes, once all the file's units exist."""
    moved: list[tuple[str, str | None]] = []
    for position, code in enumerate(index.codes):
        if index.parents[position] == NO_COLUMN:
            continue
        parent = hierarchy.parent_of(code)
        if parent != known.parent_code(code):
            moved.append((code, parent))
            updated[position] = code in known.by_code
        if len(moved) >= WRITE_CHUNK:
            _set_parents(session, moved)
            moved = []
    _set_parents(session, moved)


def _existing(session: Session, codes: Sequence[str]) -> dict[str, Mapping[str, Any]]:
    if not codes:
        return {}
    columns = [UNIT.c.id, UNIT.c.code, UNIT.c.name, UNIT.c.kind, UNIT.c.active,
               *(UNIT.c[key] for key in OPTIONAL_TEXT)]
    return {row["code"]: row for row in session.execute(
        select(*columns).where(UNIT.c.code.in_(codes))).mappings()}


def _differs(current: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    return any(current[key] != value for key, value in values.items())


def _set_parents(session: Session, pairs: list[tuple[str, str | None]]) -> None:
    """Point each unit at its parent, both given by code."""
    linked = [{"b_code": code, "b_parent": parent} for code, parent in pairs if parent]
    if linked:
        parent_id = select(PARENT.c.id).where(PARENT.c.code == bindparam("b_parent"))
        session.execute(update(UNIT).where(UNIT.c.code == bindparam("b_code"))
                        .values(parent_id=parent_id.scalar_subquery()), linked)
    orphans = [{"b_code": code} for code, parent in pairs if not parent]
    if orphans:
        session.execute(update(UNIT).where(UNIT.c.code == bindparam("b_code"))
                        .values(parent_id=None), orphans)
