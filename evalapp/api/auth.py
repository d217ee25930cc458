"""Who is calling the API: a bearer token, else the browser's signed-in session.

``Authorization: Bearer <token>`` decides when it is sent: a token that is unknown, revoked,
or whose holder is no longer an active evaluator or admin gets 401 even if a session cookie
comes along. Without the header, the session of the web pages is used (the dashboard calls
the API from the browser). Observers are refused with 403 when signed in; they can never
hold a token.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_login import current_user

from .. import database
from ..auth import tokens
from .problems import ApiError

API_ROLES = ("evaluator", "admin")
REALM = 'Bearer realm="evalapp"'


@dataclass(frozen=True)
class ApiUser:
    id: int
    login: str
    role: str
    via: str  # "token" or "session"


def require_api_user() -> ApiUser:
    """The caller, if an evaluator or admin; raises the 401 or 403 otherwise."""
    header = request.headers.get("Authorization")
    user = _token_user(header) if header is not None else _session_user()
    if user.role not in API_ROLES:
        raise ApiError(403, "the API is for evaluators and admins")
    return user


def _session_user() -> ApiUser:
    if not current_user.is_authenticated:
        raise ApiError(401, "send an API token (Authorization: Bearer <token>) or sign in",
                       headers={"WWW-Authenticate": REALM})
    return ApiUser(int(current_user.id), current_user.login, current_user.role, "session")


def _token_user(header: str) -> ApiUser:
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "the Authorization header must be: Bearer <token>", headers={
            "WWW-Authenticate": f'{REALM}, error="invalid_request"'})
    session = database.session()
    user = tokens.authenticate(session, secret.strip())
    if user is None:
        raise ApiError(401, "the token is unknown or revoked", headers={
            "WWW-Authenticate": f'{REALM}, error="invalid_token"'})
    session.commit()  # the day of last use (a write at most once a day per token)
    return ApiUser(user.id, user.login, user.role, "token")
