"""Importing observers (青年观察员) and the units they belong to.

New logins become observer accounts without a password (the invitation flow sets it);
existing observers are updated by login. Logins are stored in lower case and matched
case-insensitively, so ``Wang.Fang`` and ``wang.fang`` are one person. An observer's
affiliations become exactly the units listed (they keep the observer away from those
units when assigning); a blank cell means no affiliation. All-or-nothing, like units.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..models import Unit, User
from .columns import Field, Record, Sheet, read_sheet
from .outcome import ImportSummary

OBSERVER_FIELDS = (
    Field("login", "login", ("username", "user", "account", "登录名", "账号", "帐号", "用户名",
                             "登录账号")),
    Field("name", "name", ("姓名", "名字")),
    Field("units", "units", ("unit_codes", "affiliations", "affiliated_units", "单位",
                             "所属单位", "单位代码", "单位编码", "所属单位代码", "所属单位编码",
                             "关联单位")),
    Field("phone", "phone", ("mobile", "telephone", "tel", "电话", "手机", "手机号", "手机号码",
                             "联系电话")),
)
REQUIRED = (("login",), ("name",), ("units",))
SHEET_HINTS = ("observers", "观察员", "users", "用户")
LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@+-]*")
UNIT_SEPARATORS = re.compile(r"[;,、|\s]+")
LENGTHS = {key: User.__table__.c[key].type.length for key in ("login", "name", "phone")}
CHUNK = 500


@dataclass
class ObserverRow:
    """A checked row; ``phone`` is None both for a blank cell and for no phone column."""

    row: int
    login: str
    name: str | None
    phone: str | None
    unit_codes: list[str]


def import_observers(session: Session, path: Path, actor_id: int | None = None, *,
                     display_name: str | None = None) -> ImportSummary:
    """Create or update the observers listed in ``path``; raises ``ImportFailed``."""
    sheet = read_sheet(path, OBSERVER_FIELDS, REQUIRED, display_name=display_name,
                       sheet_hints=SHEET_HINTS)
    rows = _unique_logins(sheet, [row for r in sheet.records if (row := _parse(sheet, r))])
    users = _users_by_login(session, [row.login for row in rows])
    units = _units_by_code(session, {code for row in rows for code in row.unit_codes})
    _check_against_database(sheet, rows, users, units)
    sheet.raise_if_problems()
    created, updated, unchanged = _write(session, sheet, rows, users, units)
    summary = ImportSummary("observers", sheet.file, created, updated, unchanged,
                            tuple(sheet.ignored))
    audit.record(session, "import", "user", None, actor_id, file=sheet.file,
                 created=created, updated=updated, unchanged=unchanged)
    session.flush()
    return summary


def _parse(sheet: Sheet, record: Record) -> ObserverRow | None:
    login = _login(sheet, record)
    name = _text(sheet, record, "name", required=True)
    phone = _text(sheet, record, "phone")
    codes = UNIT_SEPARATORS.split(unicodedata.normalize("NFKC", record.get("units")))
    unit_codes = sorted({code for code in codes if code})
    return ObserverRow(record.row, login, name, phone, unit_codes) if login else None


def _login(sheet: Sheet, record: Record) -> str | None:
    login = unicodedata.normalize("NFKC", record.get("login")).strip().lower()
    if not login:
        sheet.report(record.row, "login", "missing required value")
    elif len(login) > LENGTHS["login"]:
        sheet.report(record.row, "login", f"login too long: {len(login)} characters, at most "
                                          f"{LENGTHS['login']}")
    elif not LOGIN_PATTERN.fullmatch(login):
        sheet.report(record.row, "login", f"bad characters in login {login!r}: use letters "
                                          "a–z, digits and . _ - @ +, starting with a letter "
                                          "or digit")
    else:
        return login
    return None


def _text(sheet: Sheet, record: Record, key: str, *, required: bool = False) -> str | None:
    text = " ".join(record.get(key).split())
    if not text:
        if required:
            sheet.report(record.row, key, "missing required value")
        return None
    if len(text) > LENGTHS[key]:
        sheet.report(record.row, key, f"too long: {len(text)} characters, at most "
                                      f"{LENGTHS[key]}")
        return None
    return text


def _unique_logins(sheet: Sheet, rows: list[ObserverRow]) -> list[ObserverRow]:
    first: dict[str, int] = {}
    kept = []
    for row in rows:
        if row.login in first:
            sheet.report(row.row, "login", f"duplicate login {row.login}: also in row "
                                           f"{first[row.login]}")
        else:
            first[row.login] = row.row
            kept.append(row)
    return kept


def _check_against_database(sheet: Sheet, rows: list[ObserverRow], users: dict[str, User],
                            units: dict[str, Unit]) -> None:
    for row in rows:
        user = users.get(row.login)
        if user is not None and user.role != "observer":
            sheet.report(row.row, "login", f"login {row.login} belongs to an existing "
                                           f"{user.role} account; give the observer another "
                                           "login")
        unknown = [code for code in row.unit_codes if code not in units]
        if unknown:
            sheet.report(row.row, "units", f"affiliated unit {', '.join(unknown)} unknown: "
                                           "import the units first, then use their codes")


def _write(session: Session, sheet: Sheet, rows: list[ObserverRow], users: dict[str, User],
           units: dict[str, Unit]) -> tuple[int, int, int]:
    created = updated = 0
    for row in rows:
        affiliations = [units[code] for code in row.unit_codes]
        user = users.get(row.login)
        if user is None:
            session.add(User(login=row.login, name=row.name, role="observer", phone=row.phone,
                             password_hash=None, affiliations=affiliations))
            created += 1
        elif _update(user, row, affiliations, sheet.has("phone")):
            updated += 1
    session.flush()
    return created, updated, len(rows) - created - updated


def _update(user: User, row: ObserverRow, affiliations: list[Unit], with_phone: bool) -> bool:
    values: dict[str, Any] = {"name": row.name}
    if with_phone:
        values["phone"] = row.phone
    changed = False
    for key, value in values.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
            changed = True
    if {unit.id for unit in user.affiliations} != {unit.id for unit in affiliations}:
        user.affiliations = affiliations
        changed = True
    return changed


def _users_by_login(session: Session, logins: Sequence[str]) -> dict[str, User]:
    """Existing users by lower-cased login; an exact-case match wins over a look-alike."""
    found = _in_chunks(logins, lambda chunk: select(User).options(
        selectinload(User.affiliations)).where(func.lower(User.login).in_(chunk)), session)
    users: dict[str, User] = {}
    for user in sorted(found, key=lambda user: user.login == user.login.lower()):
        users[user.login.lower()] = user
    return users


def _units_by_code(session: Session, codes: Iterable[str]) -> dict[str, Unit]:
    units = _in_chunks(sorted(codes), lambda chunk: select(Unit).where(Unit.code.in_(chunk)),
                       session)
    return {unit.code: unit for unit in units}


def _in_chunks(values: Sequence[str], statement: Callable[[list[str]], Select[Any]],
               session: Session) -> list[Any]:
    """Run an IN query in chunks: SQLite limits the number of bound parameters."""
    results: list[Any] = []
    for start in range(0, len(values), CHUNK):
        results.extend(session.scalars(statement(list(values[start:start + CHUNK]))))
    return results
