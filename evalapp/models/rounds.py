"""Evaluation rounds, the units in their scope, activities and the observers' secret work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, check_in, now_utc
from .instruments import Instrument
from .units import Unit
from .users import User

MODES = ("daily", "experience", "spot_check")
ROUND_STATUSES = ("draft", "open", "closed", "published")
ASSIGNMENT_STATUSES = ("pending", "submitted")
ACTIVITY_TYPES = ("training", "skills", "counselling", "social", "fitness", "volunteering",
                  "culture", "other")
DIMENSIONS = ("awareness", "participation", "satisfaction")
DEFAULT_WEIGHTS = {dimension: 1.0 for dimension in DIMENSIONS}
DEFAULT_STAR_CUTOFFS = [60.0, 70.0, 80.0, 90.0]


class Round(Base):
    """评议批次: one evaluation of a set of units with one instrument version."""

    __tablename__ = "round"
    __table_args__ = (
        CheckConstraint(check_in("mode", MODES), name="mode"),
        CheckConstraint(check_in("status", ROUND_STATUSES), name="status"),
        CheckConstraint("min_n >= 1", name="min_n"),
        CheckConstraint("observers_per_unit >= 1", name="observers_per_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(20))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    opens_on: Mapped[dt.date]
    closes_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    weights: Mapped[dict[str, Any]] = mapped_column(default=lambda: dict(DEFAULT_WEIGHTS))
    min_n: Mapped[int] = mapped_column(default=5)
    star_cutoffs: Mapped[list[Any]] = mapped_column(default=lambda: list(DEFAULT_STAR_CUTOFFS))
    observers_per_unit: Mapped[int] = mapped_column(default=2)
    exclude_same_county: Mapped[bool] = mapped_column(default=False)
    sampling_seed: Mapped[int | None] = mapped_column(BigInteger)
    assignment_seed: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=now_utc)
    opened_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    published_at: Mapped[dt.datetime | None]

    instrument: Mapped[Instrument] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary="round_unit", order_by="Unit.code")

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.name} {self.status}>"


class RoundUnit(Base):
    """A unit in a round's scope: it gets a row in the score table even with no responses."""

    __tablename__ = "round_unit"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)


class Activity(Base):
    """An activity from a unit's weekly list: what an ``experience`` round evaluates."""

    __tablename__ = "activity"
    __table_args__ = (CheckConstraint(check_in("type", ACTIVITY_TYPES), name="type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date]
    type: Mapped[str] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=now_utc)

    unit: Mapped[Unit] = relationship()


class Assignment(Base):
    """A secret visit: an observer sent to a unit (and activity) in a round.

    It records whether the observer has submitted, but neither when nor how many responses
    were given under it: a submission day beside the responses' days, or a count, would tell
    a unit's observers apart and tie responses to one of them.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id", "activity_id", "observer_id"),
        CheckConstraint(check_in("status", ASSIGNMENT_STATUSES), name="status"),
        Index("ix_assignment_observer_round", "observer_id", "round_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"))
    observer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")

    round: Mapped[Round] = relationship()
    unit: Mapped[Unit] = relationship()
    activity: Mapped[Activity | None] = relationship()
    observer: Mapped[User] = relationship()


class Draft(Base):
    """An observer's unfinished questionnaire, kept on the server so it survives a reload.

    Deleted in the transaction that stores the response; SQLite's ``secure_delete`` makes
    sure its bytes do not stay in the file.
    """

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="onsite")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    assignment: Mapped[Assignment] = relationship()
