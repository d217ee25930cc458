"""Observer accounts: list, create, and hand out a one-time link to set the password."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import database
from ..auth import operations as accounts
from ..auth.access import roles_required
from ..links import external_url
from ..models import User, now_utc
from . import blueprint
from .forms import ObserverForm


@blueprint.get("/observers")
@roles_required("admin")
def observers():  # type: ignore[no-untyped-def]
    return _list_page(ObserverForm())


def _list_page(form: ObserverForm, status: int = 200):  # type: ignore[no-untyped-def]
    rows = database.session().scalars(
        select(User).where(User.role == "observer").order_by(User.login)).all()
    return render_template("admin/observers.html", form=form, observers=rows,
                           now=now_utc()), status


@blueprint.post("/observers")
@roles_required("admin")
def create_observer():  # type: ignore[no-untyped-def]
    form = ObserverForm()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    db = database.session()
    try:
        user = accounts.create_observer(db, form.login.data, form.name.data, form.phone.data,
                                        int(current_user.id))
    except accounts.LoginTaken:
        form.login.errors.append(_("This login is already taken."))
        return _list_page(form, 400)
    return _invitation_page(user, created=True)


@blueprint.post("/observers/<int:user_id>/invitation")
@roles_required("admin")
def invite(user_id: int):  # type: ignore[no-untyped-def]
    user = database.session().get(User, user_id)
    if user is None or user.role != "observer":
        abort(404)
    return _invitation_page(user, created=False)


def _invitation_page(user: User, created: bool):  # type: ignore[no-untyped-def]
    """Issue the link, commit, and show it once (only its hash is stored)."""
    db = database.session()
    token = accounts.issue_invitation(db, user, int(current_user.id))
    db.commit()
    link = external_url("auth.accept_invitation", token=token)
    response = render_template("admin/invitation.html", user=user, link=link, created=created,
                               days=accounts.INVITATION_DAYS)
    return response, 200, {"Cache-Control": "no-store"}
