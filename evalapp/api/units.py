"""GET /units and /units/{code}: the organisational hierarchy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from .. import database
from ..models import UNIT_KINDS, Unit
from .pagination import Paging
from .params import Param, is_text
from .problems import ApiError
from .routes import api_route

KIND = Param("kind", "Only units of this kind.", enum=UNIT_KINDS)
PARENT = Param("parent", "Only the direct children of the unit with this code (no unit with "
               "that code: an empty list).")
ACTIVE = Param("active", "Only active (true) or inactive (false) units.", "boolean")


@api_route("/units", summary="List units", schema="UnitList", tag="units",
           query=(KIND, PARENT, ACTIVE), paged=True)
def units(kind: str | None, parent: str | None, active: bool | None, paging: Paging) -> Any:
    """Organisational units (city, counties, townships, branches, youth homes, departments…),
    ordered by code."""
    statement = select(Unit).options(joinedload(Unit.parent)).order_by(Unit.code)
    if kind is not None:
        statement = statement.where(Unit.kind == kind)
    if active is not None:
        statement = statement.where(Unit.active == active)
    if parent is not None:
        above = aliased(Unit)
        statement = statement.join(above, Unit.parent_id == above.id).where(above.code == parent)
    page = paging.query(database.session(), statement)
    return page.respond("units", [unit_summary(unit) for unit in page.rows])


@api_route("/units/{code}", summary="One unit", schema="Unit", tag="units")
def unit(code: str) -> Any:
    """A unit with its contact details and the number of units directly below it."""
    session = database.session()
    found = session.scalar(select(Unit).options(joinedload(Unit.parent))
                           .where(Unit.code == code)) if is_text(code) else None
    if found is None:
        raise ApiError(404)
    children = session.scalar(select(func.count()).where(Unit.parent_id == found.id))
    return unit_summary(found) | {
        "parent_name": found.parent.name if found.parent else None,
        "address": found.address, "contact": found.contact, "phone": found.phone,
        "children": children or 0,
    }


def unit_summary(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind,
            "parent_code": unit.parent.code if unit.parent else None, "active": unit.active}
