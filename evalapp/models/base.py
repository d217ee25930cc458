"""Declarative base, naming convention and small column helpers shared by the models."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, ClassVar

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def now_utc() -> dt.datetime:
    """Naive UTC: both SQLite and PostgreSQL store it the same way."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today_utc() -> dt.date:
    return now_utc().date()


def random_id() -> str:
    """A random 32-hex-digit key. Used where insertion order must not be recoverable."""
    return secrets.token_hex(16)


def check_in(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK constraint that ``column`` is one of ``values``."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
