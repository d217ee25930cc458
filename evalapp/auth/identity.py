"""Loading the signed-in user for Flask-Login."""

from __future__ import annotations

from typing import Any

from flask_login import UserMixin
from sqlalchemy import Row, bindparam, select

from .. import database
from ..models import User


class SignedInUser(UserMixin):
    """The session's view of a user: its id, login, role and language, nothing more."""

    def __init__(self, user: User | Row[Any]) -> None:
        self.id = str(user.id)
        self.login = user.login
        self.name = user.name
        self.role = user.role
        self.language = user.language

    @property
    def is_active(self) -> bool:
        return True


# Built once, of Core columns: every request asks, and building the statement cost as
# much as running it.
_user = User.__table__.c
_ACTIVE_USER = (select(_user.id, _user.login, _user.name, _user.role, _user.language)
                .where(_user.id == bindparam("user_id"), _user.active.is_(True)))


def load_user(user_id: str) -> SignedInUser | None:
    """The active user of this id; five columns, not the ORM object."""
    if not user_id.isdigit():
        return None
    row = database.session().execute(_ACTIVE_USER, {"user_id": int(user_id)}).first()
    return None if row is None else SignedInUser(row)
