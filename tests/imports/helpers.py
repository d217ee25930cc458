"""Writing import files the way Excel, WPS and 智慧团建 do, and counting stored rows."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import AuditEvent, Unit, User, user_affiliation

UNIT_HEADER = ["code", "name", "kind", "parent_code"]
OBSERVER_HEADER = ["login", "name", "units", "phone"]


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig",
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def row_counts(session: Session) -> dict[str, int]:
    """Rows of every table an import writes (audit events excepted)."""
    return {
        "unit": session.scalar(select(func.count()).select_from(Unit)) or 0,
        "user": session.scalar(select(func.count()).select_from(User)) or 0,
        "affiliation": session.scalar(select(func.count()).select_from(user_affiliation)) or 0,
    }


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def unit(session: Session, code: str) -> Unit:
    found = session.scalar(select(Unit).where(Unit.code == code))
    assert found is not None, f"no unit {code}"
    return found


def user(session: Session, login: str) -> User:
    found = session.scalar(select(User).where(User.login == login))
    assert found is not None, f"no user {login}"
    return found
