"""Forms of the account pages (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200

REQUIRED = _l("Please fill in this field.")
TOO_SHORT = _l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
TOO_LONG = _l("This is too long.")


def _new_password() -> PasswordField:
    return PasswordField(_l("New password"), validators=[
        DataRequired(REQUIRED),
        Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, message=TOO_SHORT),
    ], render_kw={"autocomplete": "new-password"})


def _confirmation() -> PasswordField:
    return PasswordField(_l("New password again"), validators=[
        DataRequired(REQUIRED),
        EqualTo("new_password", _l("The two passwords are not the same.")),
    ], render_kw={"autocomplete": "new-password"})


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(REQUIRED),
                                                 Length(max=80, message=TOO_LONG)],
                        render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[
        DataRequired(REQUIRED), Length(max=MAX_PASSWORD_LENGTH, message=TOO_LONG)],
        render_kw={"autocomplete": "current-password"})


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(REQUIRED), Length(max=MAX_PASSWORD_LENGTH, message=TOO_LONG)],
        render_kw={"autocomplete": "current-password"})
    new_password = _new_password()
    confirm = _confirmation()


class SetPasswordForm(FlaskForm):
    new_password = _new_password()
    confirm = _confirmation()
