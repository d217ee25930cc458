"""Views of the main blueprint."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from .. import database, i18n
from ..models import Response, Round, Unit
from . import blueprint


@blueprint.get("/")
def home():  # type: ignore[no-untyped-def]
    session = database.session()
    counts = {
        "units": session.scalar(select(func.count()).select_from(Unit)),
        "rounds": session.scalar(select(func.count()).select_from(Round)),
        "responses": session.scalar(select(func.count()).select_from(Response)),
    }
    return render_template("home.html", counts=counts)


@blueprint.post("/language")
def choose_language():  # type: ignore[no-untyped-def]
    if not i18n.remember(request.form.get("language", "")):
        abort(400)
    target = request.form.get("next", "")
    # Only paths on this site, never another host.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.home")
    return redirect(target)


@blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    try:
        database.session().execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return jsonify(status="error", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok")
