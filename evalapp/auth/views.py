"""Signing in and out, changing a password, accepting an invitation, choosing a language."""

from __future__ import annotations

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError

from .. import database, i18n
from ..models import User
from . import blueprint, operations
from .forms import LoginForm, PasswordForm, SetPasswordForm
from .identity import SignedInUser
from .navigation import home_url, safe_target
from .passwords import password_matches
from .throttle import Throttle, account_key, address_key

THROTTLE_KEY = "evalapp.login_throttle"


def throttle() -> Throttle:
    """The app's failed sign-in counter (one per app, so tests do not share it)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions.setdefault(THROTTLE_KEY, Throttle())


@blueprint.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(home_url(current_user.role))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    keys = (account_key(form.login.data), address_key(request.remote_addr))
    if throttle().blocked(*keys):
        message = _("Too many failed sign-ins. Please wait 15 minutes and try again.")
        return render_template("auth/login.html", form=form, error=message), 429
    user = operations.authenticate(database.session(), form.login.data, form.password.data)
    if user is None:
        throttle().fail(*keys)
        message = _("The login or the password is wrong.")
        return render_template("auth/login.html", form=form, error=message)
    throttle().forget(keys[0])
    _sign_in(user)
    return redirect(safe_target(request.args.get("next")) or home_url(user.role))


def _sign_in(user: User) -> None:
    """Start a fresh session for ``user``, in their saved language (else the one chosen)."""
    chosen = session.get(i18n.SESSION_KEY)
    session.clear()
    login_user(SignedInUser(user))
    i18n.remember(user.language or chosen or "")


@blueprint.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    language = session.get(i18n.SESSION_KEY)
    logout_user()
    session.clear()
    i18n.remember(language or "")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form)
    db = database.session()
    user = db.get(User, int(current_user.id))
    if user is None:
        abort(404)
    if not password_matches(user.password_hash, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return render_template("auth/password.html", form=form), 400
    operations.set_password(db, user, form.new_password.data)
    db.commit()
    flash(_("Your password has been changed."))
    return redirect(home_url(user.role))


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):  # type: ignore[no-untyped-def]
    db = database.session()
    user = operations.invited_user(db, token)
    if user is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/invitation.html", form=form, user=user)
    operations.set_password(db, user, form.new_password.data)
    db.commit()
    _sign_in(user)
    flash(_("Welcome! Your password is set."))
    return redirect(home_url(user.role))


@blueprint.post("/account/language")
@login_required
def choose_language():  # type: ignore[no-untyped-def]
    """The language switch of a signed-in user: kept in the session and on the account."""
    language = request.form.get("language", "")
    if not i18n.remember(language):
        abort(400)
    db = database.session()
    operations.set_language(db, int(current_user.id), language)
    db.commit()
    return redirect(safe_target(request.form.get("next")) or url_for("main.home"))


@blueprint.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError):  # type: ignore[no-untyped-def]
    message = _("The form has expired or did not come from this site (CSRF check failed). "
                "Reload the page and try again.")
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=message, status=400), 400
    return render_template("error.html", code=400, title=_("Bad request"), message=message,
                           detail=None), 400
