"""API tokens: created for evaluators and admins, revoked, and checked on every API call.

A token's secret is shown once, when it is created; only its SHA-256 is stored, so a copy
of the database does not let anyone call the API. Observers never hold a token: the API is
for the evaluation team, and a token is refused as soon as its user is no longer an active
evaluator or admin. ``last_used_on`` is a day, written at most once a day per token, so a
busy client does not turn every read into a write. Like every operation module these
functions change the session and flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..models import ApiToken, User, now_utc, today_utc
from ..operations import OperationError

TOKEN_ROLES = ("evaluator", "admin")
PREFIX = "evt_"
MAX_NAME = 100
MAX_SECRET = 200
MAX_ID = 2**31 - 1


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, user: User, name: str,
                 actor_id: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is not stored and cannot be shown again.

    The prefix lets secret scanners and people recognise a leaked evalapp token.
    """
    name = " ".join((name or "").split())
    _check_holder(user)
    if not name:
        raise OperationError("a token needs a name saying what it is for")
    if len(name) > MAX_NAME:
        raise OperationError(f"the name is too long: {len(name)} characters, at most {MAX_NAME}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret))
    session.add(token)
    session.flush()
    audit.record(session, "create", "api_token", token.id, actor_id, user=user.login, name=name)
    return token, secret


def _check_holder(user: User) -> None:
    if user.role not in TOKEN_ROLES:
        raise OperationError(f"{user.login} is an {user.role}: only evaluators and admins "
                             "may hold API tokens")
    if not user.active:
        raise OperationError(f"{user.login} is not active")


def revoke_token(session: Session, token: ApiToken, actor_id: int | None = None,
                 now: dt.datetime | None = None) -> ApiToken:
    """Revoke ``token`` for good (a revoked token cannot be restored: make a new one)."""
    if token.revoked_at is not None:
        raise OperationError(f"token {token.id} is already revoked")
    token.revoked_at = now or now_utc()
    session.flush()
    audit.record(session, "revoke", "api_token", token.id, actor_id, user=token.user.login,
                 name=token.name)
    return token


def authenticate(session: Session, secret: str, today: dt.date | None = None) -> User | None:
    """The active evaluator or admin holding this unrevoked token, else None.

    Marks the token used today, unless it already is (the caller commits).
    """
    if not secret or len(secret) > MAX_SECRET:
        return None
    token = session.scalar(select(ApiToken).options(joinedload(ApiToken.user))
                           .where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    if not user.active or user.role not in TOKEN_ROLES:
        return None
    today = today or today_utc()
    if token.last_used_on != today:
        token.last_used_on = today
        session.flush()
    return user


def list_tokens(session: Session) -> Sequence[ApiToken]:
    """Every token with its user: unrevoked first, newest first within each group."""
    return session.scalars(
        select(ApiToken).options(joinedload(ApiToken.user))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())).all()


def get_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id) if 0 < token_id <= MAX_ID else None
    if token is None:
        raise OperationError(f"no API token with id {token_id}")
    return token


def token_holders(session: Session) -> Sequence[User]:
    """The active users who may hold a token, by login."""
    return session.scalars(select(User).where(User.role.in_(TOKEN_ROLES), User.active)
                           .order_by(User.login)).all()


def user_by_login(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login.strip()))
    if user is None:
        raise OperationError(f"no user with login {login}")
    return user
