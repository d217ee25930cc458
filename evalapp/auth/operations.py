"""Account operations: checking passwords, observer accounts and invitation links.

Like every operation module they change the session and flush; the view commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..models import User, now_utc
from ..operations import OperationError
from .passwords import hash_password, password_matches

INVITATION_DAYS = 7


class LoginTaken(OperationError):
    """Another account already has this login."""


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A hash no password matches: unknown logins cost the same scrypt work as known ones."""
    return hash_password(secrets.token_hex(32))


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The active user with this login and password, else None (no hint which was wrong)."""
    user = session.scalar(select(User).where(User.login == login.strip()))
    if user is None or not user.active or not user.password_hash:
        password_matches(_decoy_hash(), password)
        return None
    return user if password_matches(user.password_hash, password) else None


def set_password(session: Session, user: User, password: str) -> None:
    """Store a new password; any invitation still open is spent."""
    user.password_hash = hash_password(password)
    user.invite_token_hash = None
    user.invite_expires_at = None
    session.flush()


def set_language(session: Session, user_id: int, language: str) -> None:
    user = session.get(User, user_id)
    if user is not None:
        user.language = language
        session.flush()


def create_observer(session: Session, login: str, name: str, phone: str | None,
                    actor_id: int | None) -> User:
    login = login.strip()
    if session.scalar(select(User.id).where(User.login == login)) is not None:
        raise LoginTaken(f"the login {login} is taken")
    user = User(login=login, name=name.strip(), role="observer", phone=phone or None)
    session.add(user)
    session.flush()
    audit.record(session, "create", "user", user.id, actor_id, login=login, role="observer")
    return user


def issue_invitation(session: Session, user: User, actor_id: int | None,
                     now: dt.datetime | None = None) -> str:
    """A new one-time link token for ``user`` (replacing any earlier one).

    Only its SHA-256 is stored, so the link is shown once, to the admin who made it.
    """
    token = secrets.token_urlsafe(32)
    user.invite_token_hash = _token_hash(token)
    user.invite_expires_at = (now or now_utc()) + dt.timedelta(days=INVITATION_DAYS)
    session.flush()
    audit.record(session, "invite", "user", user.id, actor_id,
                 expires_on=user.invite_expires_at.date().isoformat())
    return token


def invited_user(session: Session, token: str, now: dt.datetime | None = None) -> User | None:
    """The active user whose unexpired invitation this is, else None."""
    if not token or len(token) > 100:
        return None
    user = session.scalar(select(User).where(User.invite_token_hash == _token_hash(token)))
    if user is None or not user.active or user.invite_expires_at is None:
        return None
    return user if user.invite_expires_at > (now or now_utc()) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
