"""Small helpers that add rows for tests (flushed, not committed)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

from evalapp.models import Instrument, Round, Unit, User
from evalapp.rounds import operations as rounds

_serial = itertools.count(1)


def make_unit(session: Session, kind: str = "branch", parent: Unit | None = None,
              code: str | None = None, name: str | None = None) -> Unit:
    number = next(_serial)
    unit = Unit(code=code or f"U{number:04d}", name=name or f"测试单位{number}", kind=kind,
                parent=parent)
    session.add(unit)
    session.flush()
    return unit


def make_user(session: Session, role: str = "observer", login: str | None = None,
              affiliations: list[Unit] | None = None) -> User:
    number = next(_serial)
    user = User(login=login or f"user{number}", name=f"用户{number}", role=role,
                affiliations=list(affiliations or []))
    session.add(user)
    session.flush()
    return user


def make_instrument(session: Session, mode: str = "spot_check", key: str | None = None
                    ) -> Instrument:
    number = next(_serial)
    instrument = Instrument(key=key or mode, version=number, content_hash=f"{number:064d}",
                            mode=mode, title_zh="测试问卷", title_en="Test questionnaire",
                            definition={}, source_text="")
    session.add(instrument)
    session.flush()
    return instrument


def make_round(session: Session, units: list[Unit], mode: str = "spot_check",
               **settings: object) -> Round:
    return rounds.create_round(
        session, name=settings.pop("name", "测试批次"), mode=mode,
        instrument=make_instrument(session, mode), opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 11, 30), units=units, **settings)  # type: ignore[arg-type]
