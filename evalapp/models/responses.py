"""Anonymous responses, their answers in long format, and the suggestions they carry.

No column here refers to a user. ``Response.id`` is random and the SQLite tables are
``WITHOUT ROWID`` (stored in key order), so neither a key nor the file's row order tells in
which order responses arrived; the submission date is kept to the day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, check_in, random_id, today_utc
from .instruments import Instrument
from .rounds import Activity, Round
from .units import Unit

CHANNELS = ("onsite", "handout", "phone", "paper", "online", "import")
SUGGESTION_STATUSES = ("new", "forwarded", "resolved")


class Response(Base):
    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("round_id", "submission_key"),
        CheckConstraint(check_in("channel", CHANNELS), name="channel"),
        Index("ix_response_round_unit", "round_id", "unit_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    channel: Mapped[str] = mapped_column(String(20))
    rater_code: Mapped[str | None] = mapped_column(String(64))
    duration_s: Mapped[int | None]
    submission_key: Mapped[str] = mapped_column(String(128))
    submitted_on: Mapped[dt.date] = mapped_column(default=today_utc)
    excluded: Mapped[bool] = mapped_column(default=False)
    excluded_reason: Mapped[str | None] = mapped_column(String(500))

    round: Mapped[Round] = relationship()
    unit: Mapped[Unit] = relationship()
    activity: Mapped[Activity | None] = relationship()
    instrument: Mapped[Instrument] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """One answered item of a response (raw value; scoring happens in ``reports``)."""

    __tablename__ = "answer"
    __table_args__ = ({"sqlite_with_rowid": False},)

    response_id: Mapped[str] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    na: Mapped[bool] = mapped_column(default=False)
    dont_know: Mapped[bool] = mapped_column(default=False)

    response: Mapped[Response] = relationship(back_populates="answers")


class Suggestion(Base):
    """意见建议: free text from a ``suggestion: true`` item, followed up by the team."""

    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint(check_in("status", SUGGESTION_STATUSES), name="status"),
        Index("ix_suggestion_round_unit", "round_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new")
    note: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[dt.date] = mapped_column(default=today_utc)
    status_changed_on: Mapped[dt.date | None]

    unit: Mapped[Unit] = relationship()
