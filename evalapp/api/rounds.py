"""GET /rounds and /rounds/{round_id}: evaluation rounds and their settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import database
from ..models import MODES, ROUND_STATUSES, Round, RoundUnit
from .pagination import Paging
from .params import Param
from .problems import ApiError
from .routes import api_route

STATUS = Param("status", "Only rounds with this status.", enum=ROUND_STATUSES)
MODE = Param("mode", "Only rounds of this evaluation mode.", enum=MODES)


@api_route("/rounds", summary="List rounds", schema="RoundList", tag="rounds",
           query=(STATUS, MODE), paged=True)
def rounds(status: str | None, mode: str | None, paging: Paging) -> Any:
    """Evaluation rounds, the latest first (by opening day, then id)."""
    statement = (select(Round).options(joinedload(Round.instrument))
                 .order_by(Round.opens_on.desc(), Round.id.desc()))
    if status is not None:
        statement = statement.where(Round.status == status)
    if mode is not None:
        statement = statement.where(Round.mode == mode)
    page = paging.query(database.session(), statement)
    counts = _unit_counts(round_.id for round_ in page.rows)
    return page.respond("rounds", [round_summary(r, counts.get(r.id, 0)) for r in page.rows])


@api_route("/rounds/{round_id}", summary="One round", schema="Round", tag="rounds")
def round_detail(round_id: int) -> Any:
    """A round with its scoring settings: dimension weights, minimum n and star cut-offs."""
    round_ = round_or_404(round_id)
    return round_summary(round_, _unit_counts([round_id]).get(round_id, 0)) | {
        "weights": dict(round_.weights),
        "star_cutoffs": list(round_.star_cutoffs),
        "observers_per_unit": round_.observers_per_unit,
    }


def round_or_404(round_id: int) -> Round:
    round_ = database.session().get(Round, round_id)
    if round_ is None:
        raise ApiError(404)
    return round_


def round_ref(round_: Round) -> dict[str, Any]:
    """The short form that list answers about one round start with."""
    return {"id": round_.id, "name": round_.name, "mode": round_.mode,
            "status": round_.status, "min_n": round_.min_n}


def round_summary(round_: Round, units: int) -> dict[str, Any]:
    instrument = round_.instrument
    return round_ref(round_) | {
        "instrument": {"key": instrument.key, "version": instrument.version,
                       "title_zh": instrument.title_zh, "title_en": instrument.title_en},
        "opens_on": round_.opens_on.isoformat(), "closes_on": round_.closes_on.isoformat(),
        "units": units,
    }


def _unit_counts(round_ids: Iterable[int]) -> dict[int, int]:
    ids = list(round_ids)
    if not ids:
        return {}
    rows = database.session().execute(
        select(RoundUnit.round_id, func.count()).where(RoundUnit.round_id.in_(ids))
        .group_by(RoundUnit.round_id))
    return {round_id: count for round_id, count in rows}
