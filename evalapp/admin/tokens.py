"""API tokens for evaluators and admins: list, create (the secret is shown once), revoke.

Only admins manage tokens. The secret appears on the page that creates it, never again
(only its SHA-256 is stored); creating and revoking are audited by the operations.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from .. import database
from ..auth import tokens
from ..auth.access import roles_required
from ..auth.forms import REQUIRED, TOO_LONG
from ..models import ApiToken, User
from ..operations import OperationError
from . import blueprint


class TokenForm(FlaskForm):
    user_id = SelectField(_l("For"), coerce=int,
                          validators=[DataRequired(_l("Choose an evaluator or admin."))])
    name = StringField(_l("What it is for"), validators=[
        DataRequired(REQUIRED), Length(max=tokens.MAX_NAME, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "placeholder": _l("e.g. the county dashboard")})


def _form() -> TokenForm:
    form = TokenForm()
    form.user_id.choices = [(user.id, f"{user.name} ({user.login}, {_role(user.role)})")
                            for user in tokens.token_holders(database.session())]
    return form


def _role(role: str) -> str:
    return str({"admin": _l("admin"), "evaluator": _l("evaluator")}.get(role, role))


@blueprint.get("/tokens")
@roles_required("admin")
def api_tokens():  # type: ignore[no-untyped-def]
    return _list_page(_form())


def _list_page(form: TokenForm, status: int = 200):  # type: ignore[no-untyped-def]
    rows = tokens.list_tokens(database.session())
    return render_template("admin/tokens.html", form=form, tokens=rows), status


@blueprint.post("/tokens")
@roles_required("admin")
def create_token():  # type: ignore[no-untyped-def]
    form = _form()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    db = database.session()
    user = db.get(User, form.user_id.data)
    try:
        if user is None:
            raise OperationError("no such user")
        token, secret = tokens.create_token(db, user, form.name.data, int(current_user.id))
    except OperationError:
        form.user_id.errors.append(_("Only active evaluators and admins can hold a token."))
        return _list_page(form, 400)
    db.commit()
    page = render_template("admin/tokens_created.html", token=token, secret=secret)
    return page, 200, {"Cache-Control": "no-store"}


@blueprint.post("/tokens/<int(max=2147483647):token_id>/revoke")
@roles_required("admin")
def revoke_token(token_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    token = db.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if token.revoked_at is None:
        tokens.revoke_token(db, token, int(current_user.id))
        db.commit()
        flash(_("The token “%(name)s” of %(login)s is revoked.", name=token.name,
                login=token.user.login))
    return redirect(url_for("admin.api_tokens"))
