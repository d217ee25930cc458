"""Frozen results of published rounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now_utc


class RoundResult(Base):
    """A round's score table and item results as published, under its data version.

    A corrected publication adds a new row and points the old one at it, with the audited
    reason; both stay readable.
    """

    __tablename__ = "round_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    data_version: Mapped[str] = mapped_column(String(64))
    scores: Mapped[list[Any]]
    item_results: Mapped[list[Any]]
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=now_utc)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("round_result.id"))
    reason: Mapped[str | None] = mapped_column(Text)
