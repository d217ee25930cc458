"""Questionnaires as immutable, versioned snapshots of their YAML definition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now_utc


class Instrument(Base):
    """One version of a questionnaire. Never updated: changed content is a new row."""

    __tablename__ = "instrument"
    __table_args__ = (
        UniqueConstraint("key", "version"),
        UniqueConstraint("key", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(20))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    # Read only to parse a version once per process (instruments.operations.definition_of):
    # deferred, so the rows loaded with every questionnaire page stay small.
    definition: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(default=now_utc)

    def __repr__(self) -> str:
        return f"<Instrument {self.key} v{self.version}>"
