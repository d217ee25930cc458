"""Excluding responses from scoring, and including them again: with a reason, audited.

An evaluator excludes a response the data-quality flags (or anything else) show to be
unusable; it then counts nowhere in the scores, and the round's data version — which hashes
the exclusions with their reasons — changes, so nothing computed before is reused.
Including it again is the reverse step and needs a reason too. Both are refused once the
round is published: its table is frozen.

Each change is one audit event naming the response and the evaluator who made it, never an
observer (DESIGN.md, anonymity): the actor must be an evaluator or an admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Response, Round, Unit, User
from ..operations import OperationError

MAX_REASON = Response.__table__.c.excluded_reason.type.length
EXCLUDING_ROLES = ("evaluator", "admin")
QUERY_CHUNK = 500


@dataclass(frozen=True)
class Exclusion:
    """An excluded response as the team's lists show it."""

    response_id: str
    unit_code: str
    unit_name: str
    reason: str


def exclude_responses(session: Session, round_: Round, response_ids: Sequence[str],
                      reason: str, actor_id: int | None = None) -> list[Response]:
    """Exclude the responses of ``round_`` with ``reason``; all or none (audited)."""
    return _set_excluded(session, round_, response_ids, reason, actor_id, exclude=True)


def include_responses(session: Session, round_: Round, response_ids: Sequence[str],
                      reason: str, actor_id: int | None = None) -> list[Response]:
    """Count excluded responses of ``round_`` again, saying why; all or none (audited)."""
    return _set_excluded(session, round_, response_ids, reason, actor_id, exclude=False)


def exclude_response(session: Session, response: Response, reason: str,
                     actor_id: int | None = None) -> Response:
    return exclude_responses(session, response.round, [response.id], reason, actor_id)[0]


def include_response(session: Session, response: Response, reason: str,
                     actor_id: int | None = None) -> Response:
    return include_responses(session, response.round, [response.id], reason, actor_id)[0]


def exclusions(session: Session, round_: Round) -> list[Exclusion]:
    """The round's excluded responses with their reasons, by unit code."""
    rows = session.execute(
        select(Response.id, Unit.code, Unit.name, Response.excluded_reason)
        .join(Unit, Unit.id == Response.unit_id)
        .where(Response.round_id == round_.id, Response.excluded)
        .order_by(Unit.code, Response.id))
    return [Exclusion(id_, code, name, reason or "") for id_, code, name, reason in rows]


def _set_excluded(session: Session, round_: Round, response_ids: Sequence[str], reason: str,
                  actor_id: int | None, *, exclude: bool) -> list[Response]:
    reason = _checked(session, round_, reason, actor_id)
    responses = _responses(session, round_, response_ids)
    wrong = [r.id for r in responses if r.excluded == exclude]
    if wrong:
        state = "already excluded" if exclude else "not excluded"
        raise OperationError(f"{state}: {', '.join(wrong)}")
    for response in responses:
        response.excluded = exclude
        response.excluded_reason = reason if exclude else None
    session.flush()
    action = "exclude" if exclude else "include"
    for response in responses:
        audit.record(session, action, "response", response.id, actor_id, round=round_.id,
                     unit=response.unit.code, reason=reason)
    session.flush()
    return responses


def _checked(session: Session, round_: Round, reason: str, actor_id: int | None) -> str:
    if round_.status == "published":
        raise OperationError(f"round {round_.id} is published: its responses no longer change")
    reason = " ".join((reason or "").split())
    if not reason:
        raise OperationError("a reason is required")
    if len(reason) > MAX_REASON:
        raise OperationError(f"the reason is too long: {len(reason)} characters, at most "
                             f"{MAX_REASON}")
    actor = session.get(User, actor_id) if actor_id is not None else None
    if actor_id is not None and (actor is None or actor.role not in EXCLUDING_ROLES):
        raise OperationError("only evaluators and admins exclude responses")
    return reason


def _responses(session: Session, round_: Round, response_ids: Sequence[str]) -> list[Response]:
    """The named responses of the round, in the order given; refuses unknown ids."""
    wanted = list(dict.fromkeys(response_ids))
    if not wanted:
        raise OperationError("no response given")
    found: dict[str, Response] = {}
    for start in range(0, len(wanted), QUERY_CHUNK):
        chunk = wanted[start:start + QUERY_CHUNK]
        found.update((r.id, r) for r in session.scalars(select(Response).where(
            Response.round_id == round_.id, Response.id.in_(chunk))))
    unknown = [response_id for response_id in wanted if response_id not in found]
    if unknown:
        raise OperationError(f"round {round_.id} has no response {', '.join(unknown)}")
    return [found[response_id] for response_id in wanted]
