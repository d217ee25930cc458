"""Recording who did what. Events name rounds, units, assignments, imports and exports;
an event never names both an observer and a response (see DESIGN.md, anonymity)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEvent


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: object | None = None,
    actor_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        actor_id=actor_id,
        detail=detail,
    )
    session.add(event)
    return event
