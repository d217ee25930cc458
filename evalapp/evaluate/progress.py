"""How far a round has got, per county and per unit, as a page and as CSV."""

from __future__ import annotations

from flask import Response, render_template

from .. import database
from ..auth.access import roles_required
from ..rounds.progress import round_progress
from . import blueprint
from .common import round_or_404


@blueprint.get("/rounds/<int:round_id>/progress")
@roles_required("evaluator", "admin")
def progress(round_id: int):  # type: ignore[no-untyped-def]
    round_ = round_or_404(round_id)
    found = round_progress(database.session(), round_)
    totals = {name: sum(getattr(c, name) for c in found.counties)
              for name in ("units", "assigned", "drafts", "submitted", "responses", "excluded",
                           "units_at_min_n")}
    return render_template("evaluate/progress.html", round=round_, progress=found,
                           totals=totals)


@blueprint.get("/rounds/<int:round_id>/progress.csv")
@roles_required("evaluator", "admin")
def progress_csv(round_id: int) -> Response:
    round_ = round_or_404(round_id)
    body = round_progress(database.session(), round_).csv()
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="round-{round_.id}-progress.csv"',
        "Cache-Control": "no-store"})
