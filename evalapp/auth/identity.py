"""Loading the signed-in user for Flask-Login."""

from __future__ import annotations

from flask_login import UserMixin

from .. import database
from ..models import User


class SignedInUser(UserMixin):
    """The session's view of a user: its id, login, role and language, nothing more."""

    def __init__(self, user: User) -> None:
        self.id = str(user.id)
        self.login = user.login
        self.name = user.name
        self.role = user.role
        self.language = user.language

    @property
    def is_active(self) -> bool:
        return True


def load_user(user_id: str) -> SignedInUser | None:
    if not user_id.isdigit():
        return None
    user = database.session().get(User, int(user_id))
    if user is None or not user.active:
        return None
    return SignedInUser(user)
