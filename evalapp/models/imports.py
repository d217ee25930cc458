"""Saved mappings from a foreign survey export (问卷星, 腾讯问卷) to an instrument."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now_utc


class ImportMapping(Base):
    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("name", "instrument_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    mapping: Mapped[dict[str, Any]]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now_utc)
