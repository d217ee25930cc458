"""The weekly activity list, entering one activity, and importing a list (CSV or XLSX)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import database
from ..activities.operations import create_activity, import_activities, weekly_activities
from ..auth.access import roles_required
from ..imports.outcome import ImportFailed, Problem
from ..models import today_utc
from ..operations import OperationError
from . import blueprint, uploads
from .common import actor_id, counties, query_date, query_text
from .forms import ActivityForm, UploadForm
from .messages import explain, explain_problem
from .queries import active_units, unit_by_code

WEEK = dt.timedelta(days=7)


def _page(create: ActivityForm | None = None, upload: UploadForm | None = None,
          status: int = 200, refusal: str | None = None,
          problems: list[Problem] | None = None, day: dt.date | None = None):  # type: ignore[no-untyped-def]
    db = database.session()
    day = day or query_date("week") or today_utc()
    under = query_text("under")
    try:
        week = weekly_activities(db, day, [under] if under else [])
    except OperationError as error:
        week, refusal, status = weekly_activities(db, day), explain(error), 400
    return render_template(
        "evaluate/activities.html", week=week, under=under, counties=counties(db),
        previous=week.first_day - WEEK, next=week.first_day + WEEK,
        create=create or ActivityForm(formdata=None), upload=upload or UploadForm(formdata=None),
        units=active_units(db), refusal=refusal,
        problems=[("" if p.row is None else str(p.row), p.column or "",
                   explain_problem(p.reason)) for p in problems or []]), status


@blueprint.get("/activities")
@roles_required("evaluator", "admin")
def activities():  # type: ignore[no-untyped-def]
    return _page()


@blueprint.post("/activities")
@roles_required("evaluator", "admin")
def create():  # type: ignore[no-untyped-def]
    db = database.session()
    form = ActivityForm()
    if not form.validate_on_submit():
        return _page(create=form, status=400)
    unit = unit_by_code(db, form.unit.data)
    if unit is None:
        form.unit.errors.append(_("No unit has this code."))
        return _page(create=form, status=400)
    try:
        activity = create_activity(db, unit, form.title.data, form.held_on.data,
                                   form.type.data, form.place.data, actor_id())
    except OperationError as error:
        db.rollback()
        return _page(create=form, status=400, refusal=explain(error))
    db.commit()
    flash(_("Activity “%(title)s” added to %(unit)s.", title=activity.title, unit=unit.code))
    return redirect(url_for(".activities", week=activity.held_on.isoformat()), 303)


@blueprint.post("/activities/import")
@roles_required("evaluator", "admin")
def upload():  # type: ignore[no-untyped-def]
    db = database.session()
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(upload=form, status=400)
    with tempfile.TemporaryDirectory() as folder:
        try:
            saved = uploads.save_upload(form.file.data, Path(folder))
            summary = import_activities(db, saved.path, actor_id(), display_name=saved.name)
        except uploads.BadUpload as refused:
            form.file.errors.append(str(refused))
            return _page(upload=form, status=400)
        except ImportFailed as failed:
            db.rollback()
            return _page(upload=form, status=400, refusal=_("Nothing was imported."),
                         problems=failed.problems)
    db.commit()
    flash(_("%(file)s: %(created)d activities added, %(updated)d updated, %(unchanged)d "
            "unchanged.", file=summary.file, created=summary.created, updated=summary.updated,
            unchanged=summary.unchanged))
    return redirect(url_for(".activities"), 303)
