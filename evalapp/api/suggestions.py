"""GET /rounds/{round_id}/suggestions: 意见建议 and how far their follow-up has got.

A suggestion is shown with its unit, never with its response or anything about who wrote it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, select
from sqlalchemy.orm import contains_eager

from .. import database
from ..models import SUGGESTION_STATUSES, Suggestion, Unit
from .pagination import Paging
from .params import Param
from .rounds import round_or_404, round_ref
from .routes import api_route

STATUS = Param("status", "Only suggestions in this follow-up state.", enum=SUGGESTION_STATUSES)
UNIT = Param("unit", "Only suggestions about the unit with this code.")
UNDER = Param("under", "Only suggestions about the unit with this code and the units below it "
              "(e.g. a county).")


@api_route("/rounds/{round_id}/suggestions", summary="Suggestions", schema="SuggestionList",
           tag="suggestions", query=(STATUS, UNIT, UNDER), paged=True)
def round_suggestions(round_id: int, status: str | None, unit: str | None,
                      under: str | None, paging: Paging) -> Any:
    """The round's suggestions by unit code, with their follow-up state and notes."""
    round_ = round_or_404(round_id)
    statement = (select(Suggestion).join(Unit, Unit.id == Suggestion.unit_id)
                 .options(contains_eager(Suggestion.unit))
                 .where(Suggestion.round_id == round_id).order_by(Unit.code, Suggestion.id))
    if status is not None:
        statement = statement.where(Suggestion.status == status)
    if unit is not None:
        statement = statement.where(Unit.code == unit)
    if under is not None:
        statement = statement.where(Unit.id.in_(select(_area(under).c.id)))
    page = paging.query(database.session(), statement)
    return page.respond("suggestions", [_suggestion(s) for s in page.rows],
                        round=round_ref(round_))


def _area(code: str) -> CTE:
    """The ids of the unit with ``code`` and of every unit below it (UNION, not UNION ALL,
    so that a cycle in the data ends the recursion)."""
    tree = select(Unit.id).where(Unit.code == code).cte("area", recursive=True)
    return tree.union(select(Unit.id).where(Unit.parent_id == tree.c.id))


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "id": suggestion.id, "unit_code": suggestion.unit.code,
        "unit_name": suggestion.unit.name, "item_id": suggestion.item_id,
        "text": suggestion.text, "status": suggestion.status, "note": suggestion.note,
        "created_on": suggestion.created_on.isoformat(),
        "status_changed_on": (suggestion.status_changed_on.isoformat()
                              if suggestion.status_changed_on else None),
    }
