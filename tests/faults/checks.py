"""What the fault tests check afterwards: each questionnaire stored exactly once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Draft, Response
from evalapp.observe.operations import stored_key

from .servers import RATER_SECRET


def assert_stored_exactly_once(session: Session, draft_keys: Iterable[str]) -> None:
    """Every draft key has one response, the round has no other, and no draft is left."""
    session.rollback()
    keys = list(draft_keys)
    stored = Counter(session.scalars(select(Response.submission_key)))
    expected = {stored_key(RATER_SECRET, key) for key in keys}
    assert len(expected) == len(keys), "a draft key was used twice"
    assert {key: n for key, n in stored.items() if n != 1} == {}, "duplicates"
    assert set(stored) == expected, (len(stored), len(expected))
    leftover = session.scalars(select(Draft.submission_key)
                               .where(Draft.submission_key.in_(keys))).all()
    assert leftover == [], "drafts of submitted questionnaires remain"
