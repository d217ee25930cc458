"""Seeding the demo city 宜宾市: the one entry point, and the counts the CLI reports.

The seed is fixed, so every run builds the same city, people, rounds and answers (only the
dates follow the calendar, and response ids are random by design). A database that already
holds the demo city (its unit code ``YB``) is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..instruments.operations import load_shipped
from ..models import Answer, Response, Round, Suggestion, Unit, User, today_utc, user_affiliation
from .city import build_city
from .names import CITY_CODE
from .rounds import seed_rounds

SEED = 20180601


def demo_present(session: Session) -> bool:
    return session.scalar(select(Unit.id).where(Unit.code == CITY_CODE)) is not None


def seed_demo(session: Session, rater_secret: str, today: dt.date | None = None) -> bool:
    """Add the demo city unless it is there; True when it was added now. Flushes only."""
    if demo_present(session):
        return False
    rng = np.random.default_rng(SEED)
    instruments = {row.key: row for row in load_shipped(session)}
    city = build_city(session, rng)
    seed_rounds(session, city, instruments, rng, rater_secret, today or today_utc())
    return True


def demo_counts(session: Session) -> dict[str, Any]:
    """What the database holds: units by kind, observers, rounds by status, responses."""
    observers = select(User.id).where(User.role == "observer")
    return {
        "units": dict(session.execute(
            select(Unit.kind, func.count()).group_by(Unit.kind).order_by(Unit.kind)).all()),
        "observers": session.scalar(select(func.count()).select_from(observers.subquery())),
        "affiliated observers": session.scalar(
            select(func.count(func.distinct(user_affiliation.c.user_id)))),
        "rounds": dict(session.execute(
            select(Round.status, func.count()).group_by(Round.status).order_by(Round.status)
        ).all()),
        "responses": session.scalar(select(func.count()).select_from(Response)),
        "answers": session.scalar(select(func.count()).select_from(Answer)),
        "suggestions": session.scalar(select(func.count()).select_from(Suggestion)),
    }
