"""The round report in the browser: the league table, the charts, each unit's report card,
and the files to download.

Everything is read through `evalapp.reporting` (the score table is never recomputed here);
charts and files come from the round's report folder, made once per data version. The
league table sorts and filters on the server from the query string, so the page needs no
script. Downloads are POSTs because they are audited, like the suggestions export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app, render_template, send_file
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from reports import labels
from reports.settings import DIMENSIONS

from .. import database
from ..auth.access import roles_required
from ..i18n import current_language
from ..models import Round
from ..reporting import load_report_data
from ..reporting.charts import UNIT_CHARTS, Chart, cached_chart, cached_unit_chart, round_charts
from ..reporting.downloads import (
    FILE_NAMES,
    Download,
    record_download,
    round_file,
    unit_card,
)
from ..reporting.league import NO_COUNTY, SORTS, areas, kinds, league
from ..reporting.unit_page import unit_page
from . import blueprint
from .common import actor_id, page_of, query_choice, round_or_404
from .forms import ConfirmForm
from .labels import DIMENSION_NAMES

LEAGUE_PAGE = 200
SVG = "image/svg+xml"
FILES_ANY = ", ".join(f'"{name}"' for name in FILE_NAMES)  # the URL map admits these only
UNIT_ANY = ", ".join(UNIT_CHARTS)


@blueprint.app_template_filter("score")
def score(value: object) -> str:
    """A score as the files print it (2 decimals), or a dash."""
    return labels.number(value)


@blueprint.app_template_filter("signed")
def signed(value: object) -> str:
    return labels.signed(value)


@blueprint.app_template_global("chart_alt")
def chart_alt(chart: Chart, title: str) -> str:
    """A chart's alt text: what it shows and which part (the numbers are in the tables)."""
    parts = [title]
    if chart.dimension:
        parts.append(str(DIMENSION_NAMES.get(chart.dimension, _("Composite"))))
    if chart.last:
        parts.append(_("rows %(first)d to %(last)d", first=chart.first, last=chart.last))
    return ", ".join(parts)


@blueprint.get("/rounds/<int:round_id>/report")
@roles_required("evaluator", "admin")
def report(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    data = load_report_data(database.session(), round_)
    places, types = areas(data), kinds(data)
    chosen = _league_choice([a.code for a in places], types)
    rows = league(data, **chosen)
    return render_template(
        "evaluate/report.html", round=round_, data=data, page=page_of(rows, LEAGUE_PAGE),
        chosen=chosen, areas=places, kinds=types, sorts=SORTS, charts=round_charts(data),
        files=FILE_NAMES, download=ConfirmForm(formdata=None), dimensions=DIMENSIONS,
        no_county=NO_COUNTY)


def _league_choice(counties: list[str], types: list[str]) -> dict[str, Any]:
    """Sorting and filters from the query string (400 for a value not offered)."""
    sort = query_choice("sort", list(SORTS)) or "rank"
    order = query_choice("order", ["asc", "desc"])
    return {"sort": sort, "descending": None if order is None else order == "desc",
            "county": query_choice("county", counties), "kind": query_choice("kind", types)}


@blueprint.get("/rounds/<int:round_id>/report/charts/<name>.svg")
@roles_required("evaluator", "admin")
def report_chart(round_id: int, name: str) -> Response:
    round_ = round_or_404(round_id)
    path = cached_chart(database.session(), round_, name, current_app.instance_path)
    if path is None:
        abort(404)
    return _image(path)


@blueprint.get("/rounds/<int:round_id>/report/units/<code>")
@roles_required("evaluator", "admin")
def report_unit(round_id: int, code: str):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    data = load_report_data(database.session(), round_)
    try:
        card = data.card(code)
    except KeyError:
        abort(404)
    order = data.card_order
    at = order.index(code)
    return render_template(
        "evaluate/report_unit.html", round=round_, data=data,
        unit=unit_page(data, card, current_language()),
        before=order[at - 1] if at else None,
        after=order[at + 1] if at + 1 < len(order) else None,
        download=ConfirmForm(formdata=None))


@blueprint.get(f"/rounds/<int:round_id>/report/units/<code>/<any({UNIT_ANY}):name>.svg")
@roles_required("evaluator", "admin")
def report_unit_chart(round_id: int, code: str, name: str) -> Response:
    round_ = round_or_404(round_id)
    try:
        path = cached_unit_chart(database.session(), round_, code, name,
                                 current_app.instance_path)
    except KeyError:
        abort(404)
    return _image(path)


@blueprint.post(f"/rounds/<int:round_id>/report/files/<any({FILES_ANY}):name>")
@database.reads_first
@roles_required("evaluator", "admin")
def report_file(round_id: int, name: str) -> Response:
    return _attachment(_download(round_id, lambda db, round_, instance:
                                 round_file(db, round_, name, instance)))


@blueprint.post("/rounds/<int:round_id>/report/units/<code>/card.pdf")
@database.reads_first
@roles_required("evaluator", "admin")
def report_card(round_id: int, code: str) -> Response:
    try:
        found = _download(round_id, lambda db, round_, instance:
                          unit_card(db, round_, code, instance))
    except KeyError:
        abort(404, description=_("There is no unit “%(code)s” in this round.", code=code[:64]))
    return _attachment(found)


def _download(round_id: int, make: Callable[[Session, Round, str], Download]) -> Download:
    """Make (or find) a file, then record the download.

    The download views `reads_first`: making a large round's PDF takes a minute, and on
    SQLite the write lock is taken only afterwards, for the audit event.
    """
    round_ = round_or_404(round_id)
    db = database.session()
    found = make(db, round_, current_app.instance_path)
    database.begin_writing(db)
    record_download(db, round_id, found, actor_id())
    db.commit()
    return found


def _image(path: Any) -> Response:
    """A chart: revalidated on every view (its address stays when the data change)."""
    response = send_file(path, mimetype=SVG, conditional=True, etag=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _attachment(found: Download) -> Response:
    response = send_file(found.path, mimetype=found.content_type, etag=False)
    response.headers["Content-Disposition"] = found.disposition
    response.headers["Cache-Control"] = "no-store"
    return response
