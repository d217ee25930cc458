"""GET /rounds/{round_id}/progress: how far a round has got, per unit and per county.

Counts are per unit and county, never per observer (see :mod:`evalapp.rounds.progress`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .. import database
from ..rounds.progress import round_progress as progress_of
from .pagination import Paging
from .rounds import round_or_404, round_ref
from .routes import api_route


@api_route("/rounds/{round_id}/progress", summary="Round progress", schema="Progress",
           tag="rounds", paged=True)
def round_progress(round_id: int, paging: Paging) -> Any:
    """Assignments, drafts, submitted assignments and responses per unit (paged, by county
    and unit code) against the round's minimum n, with every county's totals."""
    round_ = round_or_404(round_id)
    progress = progress_of(database.session(), round_)
    page = paging.slice(progress.units)
    rows = [asdict(unit) | {"short_of_min_n": unit.short_of(progress.min_n)}
            for unit in page.rows]
    return page.respond(
        "units", rows, round=round_ref(round_), closes_on=progress.closes_on.isoformat(),
        days_left=progress.days_left, counties=[asdict(county) for county in progress.counties])
