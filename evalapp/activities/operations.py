"""Creating and importing activities, and the weekly activity list.

An activity is known by its unit, date and title (whitespace collapsed): entering or
importing the same one again changes nothing, and a re-import with a new type or place
updates it. Imports read CSV or XLSX through `evalapp.imports` (encoding detection, header
matching, spreadsheet row numbers) and are all-or-nothing: every bad row is reported, and
nothing is written unless the whole file is good.

Columns (any order, matched by header like the other imports):

- ``unit`` (单位代码, 单位, 单位名称, 举办单位, …): the unit's code, or its exact full name
  when exactly one unit has it; the unit must be active;
- ``title`` (活动名称, 活动主题, 标题, …), at most 200 characters;
- ``date`` (活动日期, 日期, 活动时间, …): 2026-11-05, 2026/11/5, 2026.11.5, 2026年11月5日 or
  20261105, optionally followed by a time (ignored), or a date cell of a workbook;
- ``type`` (活动类型, 类型, …), optional: one of `models.ACTIVITY_TYPES` or a Chinese name
  (see :data:`TYPE_SPELLINGS`); blank means ``other``, an absent column keeps the type of
  activities already stored;
- ``place`` (地点, 活动地点, 场地, …), optional, at most 200 characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..imports.columns import Field, Record, Sheet, read_sheet
from ..imports.outcome import ImportSummary
from ..imports.tabular import normalise_key
from ..models import ACTIVITY_TYPES, Activity, Unit
from ..operations import OperationError
from ..rounds.scope import Hierarchy

TYPE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "training": ("培训", "讲座", "培训讲座", "学习", "宣讲", "课程"),
    "skills": ("技能", "技能培训", "职业技能", "技能提升", "skill"),
    "counselling": ("心理辅导", "心理", "辅导", "心理咨询", "心理健康", "咨询", "counseling"),
    "social": ("联谊", "交友", "联谊交友", "青年联谊", "社交"),
    "fitness": ("健身", "体育", "运动", "体育健身", "sport", "sports"),
    "volunteering": ("志愿", "志愿服务", "公益", "志愿者", "volunteer"),
    "culture": ("文化", "文艺", "文化活动", "阅读", "读书", "cultural"),
    "other": ("其他", "其它"),
}
TYPE_NAMES = {normalise_key(spelling): kind for kind, spellings in TYPE_SPELLINGS.items()
              for spelling in (kind, *spellings)}

ACTIVITY_FIELDS = (
    Field("unit", "unit", ("unit_code", "code", "单位", "单位代码", "单位编码", "单位名称",
                           "组织", "团组织", "组织名称", "举办单位", "主办单位")),
    Field("title", "title", ("activity", "活动", "活动名称", "活动主题", "活动标题", "标题",
                             "主题")),
    Field("date", "date", ("held_on", "day", "日期", "活动日期", "活动时间", "时间",
                           "举办日期", "举办时间")),
    Field("type", "type", ("activity_type", "活动类型", "类型", "类别", "活动类别")),
    Field("place", "place", ("location", "venue", "地点", "活动地点", "场地", "举办地点")),
)
REQUIRED = (("unit",), ("title",), ("date",))
SHEET_HINTS = ("activities", "活动")
MAX_LENGTH = {"title": Activity.__table__.c.title.type.length,
              "place": Activity.__table__.c.place.type.length}
DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                          r"(?:[ T]\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")

Identity = tuple[int, dt.date, str]


def resolve_type(text: str) -> str | None:
    """One of `models.ACTIVITY_TYPES` for a type as users write it, or None."""
    return TYPE_NAMES.get(normalise_key(text))


def parse_date(text: str) -> dt.date | None:
    """A date as written in a weekly list (see the module docstring), or None."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = DATE_PATTERN.fullmatch(text) or COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def create_activity(session: Session, unit: Unit, title: str, held_on: dt.date,
                    type_: str = "other", place: str | None = None,
                    actor_id: int | None = None) -> Activity:
    """Enter one activity by hand (audited); refuses one already listed for that day."""
    title, place = one_line(title), one_line(place) or None
    kind = resolve_type(type_)
    problems = _text_problems(title, place)
    if kind is None:
        problems.append(f"type: unknown activity type {type_!r}; {_TYPE_HINT}")
    if not unit.active:
        problems.append(f"unit: {unit.code} is not active")
    if problems:
        raise OperationError("; ".join(problems))
    if _existing(session, [(unit.id, held_on, title)]):
        raise OperationError(f"{unit.code} already lists {title!r} on {held_on}")
    activity = Activity(unit_id=unit.id, title=title, held_on=held_on, type=kind, place=place)
    session.add(activity)
    session.flush()
    audit.record(session, "create", "activity", activity.id, actor_id, unit=unit.code,
                 title=title, held_on=held_on.isoformat(), type=kind)
    return activity


_TYPE_HINT = (f"use one of {', '.join(ACTIVITY_TYPES)} or a Chinese name such as 培训, 技能, "
              "心理辅导, 联谊, 健身, 志愿服务, 文化")


def _text_problems(title: str, place: str | None) -> list[str]:
    problems = []
    if not title:
        problems.append("title: missing required value")
    for key, text in (("title", title), ("place", place or "")):
        if len(text) > MAX_LENGTH[key]:
            problems.append(f"{key}: too long: {len(text)} characters, at most "
                            f"{MAX_LENGTH[key]}")
    return problems


# --- importing -------------------------------------------------------------------------


@dataclass
class ActivityRow:
    row: int
    unit_id: int
    held_on: dt.date
    title: str
    type: str | None
    place: str | None

    @property
    def identity(self) -> Identity:
        return (self.unit_id, self.held_on, self.title)


def import_activities(session: Session, path: Path, actor_id: int | None = None, *,
                      display_name: str | None = None) -> ImportSummary:
    """Create or update the activities listed in ``path``; raises ``ImportFailed``."""
    sheet = read_sheet(path, ACTIVITY_FIELDS, REQUIRED, display_name=display_name,
                       sheet_hints=SHEET_HINTS)
    units = _UnitFinder(session)
    rows = [row for record in sheet.records if (row := _parse(sheet, record, units))]
    rows = _drop_duplicates(sheet, rows)
    sheet.raise_if_problems()
    created, updated, unchanged = _write(session, sheet, rows)
    audit.record(session, "import", "activity", None, actor_id, file=sheet.file,
                 created=created, updated=updated, unchanged=unchanged)
    session.flush()
    return ImportSummary("activities", sheet.file, created, updated, unchanged,
                         tuple(sheet.ignored))


class _UnitFinder:
    """Units by code, or by full name when exactly one unit has it."""

    def __init__(self, session: Session) -> None:
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in session.scalars(select(Unit)):
            self.by_code[unit.code] = unit
            self.by_name.setdefault(_name_key(unit.name), []).append(unit)

    def find(self, text: str) -> Unit | str:
        """The unit, or the reason none fits."""
        code = unicodedata.normalize("NFKC", text).strip()
        unit = self.by_code.get(code)
        if unit is None:
            named = self.by_name.get(_name_key(text), [])
            if len(named) > 1:
                codes = ", ".join(sorted(u.code for u in named))
                return f"{text!r} names several units ({codes}); give the unit's code"
            if not named:
                return f"unknown unit {text!r}: neither a unit code nor a unit's full name"
            unit = named[0]
        return unit if unit.active else f"unit {unit.code} {unit.name} is not active"


def _name_key(name: str) -> str:
    return one_line(unicodedata.normalize("NFKC", name))


def _parse(sheet: Sheet, record: Record, units: _UnitFinder) -> ActivityRow | None:
    unit = _unit(sheet, record, units)
    held_on = _date(sheet, record)
    title = _text(sheet, record, "title", required=True)
    kind = _type(sheet, record) if sheet.has("type") else None
    place = _text(sheet, record, "place") if sheet.has("place") else None
    if unit is None or held_on is None or not title or kind == "":
        return None
    return ActivityRow(record.row, unit.id, held_on, title, kind, place)


def _unit(sheet: Sheet, record: Record, units: _UnitFinder) -> Unit | None:
    text = record.get("unit")
    if not text:
        sheet.report(record.row, "unit", "missing required value")
        return None
    found = units.find(text)
    if isinstance(found, str):
        sheet.report(record.row, "unit", found)
        return None
    return found


def _date(sheet: Sheet, record: Record) -> dt.date | None:
    text = record.get("date")
    held_on = parse_date(text) if text else None
    if held_on is None:
        reason = (f"not a date: {text!r} (write e.g. 2026-11-05 or 2026年11月5日)" if text
                  else "missing required value")
        sheet.report(record.row, "date", reason)
    return held_on


def _text(sheet: Sheet, record: Record, key: str, required: bool = False) -> str | None:
    text = one_line(record.get(key))
    if required and not text:
        sheet.report(record.row, key, "missing required value")
    if len(text) > MAX_LENGTH[key]:
        sheet.report(record.row, key, f"too long: {len(text)} characters, at most "
                                      f"{MAX_LENGTH[key]}")
        return ""
    return text or None


def _type(sheet: Sheet, record: Record) -> str:
    """The type; ``""`` after reporting an unknown one."""
    text = record.get("type")
    if not text:
        return "other"
    kind = resolve_type(text)
    if kind is None:
        sheet.report(record.row, "type", f"unknown activity type {text!r}; {_TYPE_HINT}")
        return ""
    return kind


def _drop_duplicates(sheet: Sheet, rows: list[ActivityRow]) -> list[ActivityRow]:
    first: dict[Identity, int] = {}
    kept = []
    for row in rows:
        if row.identity in first:
            sheet.report(row.row, "title", f"the same activity (unit, date and title) is "
                                           f"also in row {first[row.identity]}")
        else:
            first[row.identity] = row.row
            kept.append(row)
    return kept


def _write(session: Session, sheet: Sheet, rows: Sequence[ActivityRow]) -> tuple[int, int, int]:
    stored = _existing(session, [row.identity for row in rows])
    created = updated = 0
    for row in rows:
        activity = stored.get(row.identity)
        if activity is None:
            session.add(Activity(unit_id=row.unit_id, held_on=row.held_on, title=row.title,
                                 type=row.type or "other", place=row.place))
            created += 1
            continue
        changes = {}
        if sheet.has("type") and activity.type != row.type:
            changes["type"] = row.type
        if sheet.has("place") and activity.place != row.place:
            changes["place"] = row.place
        for key, value in changes.items():
            setattr(activity, key, value)
        updated += bool(changes)
    session.flush()
    return created, updated, len(rows) - created - updated


def _existing(session: Session, identities: Iterable[Identity]) -> dict[Identity, Activity]:
    """The stored activities with these identities (one query per 500 units)."""
    wanted = set(identities)
    unit_ids = sorted({unit_id for unit_id, _, _ in wanted})
    found: dict[Identity, Activity] = {}
    for start in range(0, len(unit_ids), 500):
        chunk = unit_ids[start:start + 500]
        for activity in session.scalars(select(Activity).where(Activity.unit_id.in_(chunk))):
            identity = (activity.unit_id, activity.held_on, one_line(activity.title))
            if identity in wanted:
                found[identity] = activity
    return found


# --- the weekly list -------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """A Monday-to-Sunday week's activities, by date, unit code and title."""

    first_day: dt.date
    last_day: dt.date
    activities: tuple[Activity, ...]


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week containing ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def weekly_activities(session: Session, day: dt.date, under: Sequence[str] = ()) -> Week:
    """The activities in the week containing ``day``, of units below the ``under`` codes."""
    first, last = week_of(day)
    query = (select(Activity).join(Unit, Unit.id == Activity.unit_id)
             .options(joinedload(Activity.unit))
             .where(Activity.held_on >= first, Activity.held_on <= last)
             .order_by(Activity.held_on, Unit.code, Activity.title, Activity.id))
    activities = list(session.scalars(query))
    if under:
        hierarchy = Hierarchy.load(session)
        missing = sorted(set(under) - set(hierarchy.by_code))
        if missing:
            raise OperationError(f"unknown unit code(s): {', '.join(missing)}")
        roots = set(under)
        activities = [a for a in activities if a.unit.code in roots or any(
            above.code in roots for above in hierarchy.ancestors(a.unit_id))]
    return Week(first, last, tuple(activities))
