"""Flask extensions, created once and bound to each app by :func:`init_app`."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from . import i18n

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.localize_callback = str  # the lazy message, in the request's language
    babel.init_app(app, locale_selector=i18n.select_locale)
    app.jinja_env.globals["current_language"] = i18n.current_language
    app.jinja_env.globals["languages"] = i18n.LANGUAGE_NAMES


@login_manager.user_loader
def _load_user(user_id: str):  # type: ignore[no-untyped-def]
    from .auth.identity import load_user

    return load_user(user_id)
