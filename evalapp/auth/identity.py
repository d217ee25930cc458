"""Loading the signed-in user for Flask-Login."""

from __future__ import annotations

from typing import Any

from flask_login import UserMixin
from sqlalchemy import Row, select

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


def load_user(user_id: str) -> SignedInUser | None:
    """The active user of this id; five columns, not the ORM object (every request asks)."""
    if not user_id.isdigit():
        return None
    row = database.session().execute(
        select(User.id, User.login, User.name, User.role, User.language)
        .where(User.id == int(user_id), User.active.is_(True))).first()
    return None if row is None else SignedInUser(row)
