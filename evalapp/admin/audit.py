"""The audit log for admins: who did what to which object, newest first, filtered and paged.

Events name rounds, units, assignments, imports, exports and exclusions; none names both an
observer and a response (`evalapp.audit`), so showing them all to admins keeps the
anonymity promise.
"""

from __future__ import annotations

import json
from typing import Any

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import database
from ..auth.access import roles_required
from ..evaluate.common import page_of_query, query_choice, query_int, query_text
from ..models import AuditEvent, User
from . import blueprint

PAGE_SIZE = 50


def _choices(column: Any) -> list[str]:
    return list(database.session().scalars(select(column).distinct().order_by(column)))


def _actors() -> list[User]:
    ids = select(AuditEvent.actor_id).distinct().where(AuditEvent.actor_id.is_not(None))
    return list(database.session().scalars(select(User).where(User.id.in_(ids))
                                           .order_by(User.login)))


@blueprint.get("/audit")
@roles_required("admin")
def audit_log():  # type: ignore[no-untyped-def]
    actions, objects = _choices(AuditEvent.action), _choices(AuditEvent.object_type)
    actors = _actors()
    filters = {"action": query_choice("action", actions),
               "object": query_choice("object", objects),
               "object_id": query_text("object_id"),
               "actor": query_int("actor")}
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(
        AuditEvent.id.desc())
    if filters["action"]:
        query = query.where(AuditEvent.action == filters["action"])
    if filters["object"]:
        query = query.where(AuditEvent.object_type == filters["object"])
    if filters["object_id"]:
        query = query.where(AuditEvent.object_id == filters["object_id"])
    if filters["actor"]:
        query = query.where(AuditEvent.actor_id == filters["actor"])
    page = page_of_query(database.session(), query, PAGE_SIZE)
    return render_template("admin/audit.html", page=page, filters=filters, actions=actions,
                           objects=objects, actors=actors, detail=_detail)


def _detail(event: AuditEvent) -> str:
    """The event's detail as compact JSON (Chinese kept readable)."""
    return json.dumps(event.detail or {}, ensure_ascii=False, sort_keys=True,
                      separators=(", ", ": "))
