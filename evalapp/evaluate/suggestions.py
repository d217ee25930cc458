"""Young people's suggestions: filter, follow up (new → forwarded → resolved), export."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import database
from ..auth.access import roles_required
from ..i18n import current_language
from ..instruments.operations import definition_of
from ..models import SUGGESTION_STATUSES, Round, Suggestion
from ..operations import OperationError
from ..suggestions.export import export_xlsx
from ..suggestions.operations import TRANSITIONS, change_status, list_suggestions
from . import blueprint
from .common import actor_id, counties, get_or_404, page_of, query_choice, query_int, query_text
from .forms import ConfirmForm, StatusForm, choices
from .labels import SUGGESTION_STATUS_NAMES
from .messages import explain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = ("round", "unit", "under", "status")


def _filters() -> dict[str, Any]:
    """The list's filters from the query string."""
    return {"round_id": query_int("round"), "unit_code": query_text("unit"),
            "under": query_text("under"), "status": query_choice("status",
                                                                 SUGGESTION_STATUSES)}


def _questions(rounds: dict[int, Round], language: str) -> dict[tuple[int, str], str]:
    texts: dict[tuple[int, str], str] = {}
    for round_id, round_ in rounds.items():
        for item in definition_of(round_.instrument).items:
            texts[(round_id, item.id)] = item.text.get(language)
    return texts


def _page(status: int = 200, refusal: str | None = None,
          failed: tuple[int, StatusForm] | None = None):  # type: ignore[no-untyped-def]
    db = database.session()
    filters = _filters()
    try:
        found = list_suggestions(db, **filters)
    except OperationError as error:
        found, refusal, status = [], explain(error), 400
    page = page_of(found)
    rounds = {r.id: r for r in db.scalars(select(Round).order_by(Round.id.desc()))}
    used = {s.round_id: rounds[s.round_id] for s in page.items}
    forms = {}
    for suggestion in page.items:
        form = failed[1] if failed and failed[0] == suggestion.id else StatusForm(formdata=None)
        form.status.choices = choices((s, SUGGESTION_STATUS_NAMES[s])
                                      for s in TRANSITIONS[suggestion.status])
        forms[suggestion.id] = form
    return render_template(
        "evaluate/suggestions.html", page=page, rounds=rounds, filters=filters,
        counties=counties(db), forms=forms, export=ConfirmForm(formdata=None),
        questions=_questions(used, current_language()), refusal=refusal,
        args={k: v for k, v in request.args.items() if k in FILTERS and v}), status


@blueprint.get("/suggestions")
@roles_required("evaluator", "admin")
def suggestions():  # type: ignore[no-untyped-def]
    return _page()


@blueprint.post("/suggestions/<int:suggestion_id>/status")
@roles_required("evaluator", "admin")
def change(suggestion_id: int):  # type: ignore[no-untyped-def]
    db = database.session()
    suggestion = get_or_404(Suggestion, suggestion_id)
    form = StatusForm()
    form.status.choices = choices((s, SUGGESTION_STATUS_NAMES[s]) for s in SUGGESTION_STATUSES)
    if not form.validate_on_submit():
        return _page(400, failed=(suggestion.id, form))
    try:
        change_status(db, suggestion, form.status.data, form.note.data, actor_id())
    except OperationError as error:
        db.rollback()
        return _page(400, explain(error), failed=(suggestion.id, form))
    db.commit()
    flash(_("Suggestion %(id)d is now “%(status)s”.", id=suggestion.id,
            status=SUGGESTION_STATUS_NAMES[suggestion.status]))
    return redirect(url_for(".suggestions", **_kept_args()), 303)


def _kept_args() -> dict[str, str]:
    """The list's filters and page, as the form posted them back (checked on the GET)."""
    return {key: value[:100] for key in (*FILTERS, "page")
            if (value := request.form.get(f"keep_{key}", ""))}


@blueprint.post("/suggestions/export")
@roles_required("evaluator", "admin")
def export() -> Response:
    """The XLSX of the filtered list; a POST because the export is audited."""
    db = database.session()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    filters = _filters()
    try:
        body = export_xlsx(db, actor_id=actor_id(), **filters)
    except OperationError as error:
        db.rollback()
        abort(400, description=explain(error))
    db.commit()
    return Response(body, mimetype=XLSX, headers={
        "Content-Disposition": 'attachment; filename="suggestions.xlsx"',
        "Cache-Control": "no-store"})
