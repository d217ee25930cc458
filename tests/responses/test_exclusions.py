"""Excluding responses from scoring and including them again: reasons, audit, lifecycle."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import AuditEvent, Response
from evalapp.operations import OperationError
from evalapp.responses.exclusions import (
    exclude_response,
    exclude_responses,
    exclusions,
    include_response,
)
from evalapp.rounds import operations as rounds
from evalapp.scoring.service import score_table
from evalapp.scoring.version import data_version
from tests.factories import make_user
from tests.scoring.conftest import TinyRound, make_tiny_round, submit


@pytest.fixture
def tiny(session: Session) -> TinyRound:
    """An open round: two responses for its first unit, one for the second."""
    made = make_tiny_round(session)
    first, second, _ = made.units
    submit(session, made.round, first, (5, 5, 5), "a1")
    submit(session, made.round, first, (3, 3, 3), "a2")
    submit(session, made.round, second, (1, 1, 1), "b1")
    session.commit()
    return made


def test_exclude_and_include_change_the_scores_and_are_audited(session: Session,
                                                               tiny: TinyRound) -> None:
    evaluator = make_user(session, role="evaluator")
    round_, unit = tiny.round, tiny.units[0]
    before = data_version(session, round_)
    ids = session.scalars(select(Response.id).where(Response.unit_id == unit.id)
                          .order_by(Response.id)).all()
    response = session.get_one(Response, ids[0])
    exclude_response(session, response, "  重复 提交 ", actor_id=evaluator.id)
    assert response.excluded and response.excluded_reason == "重复 提交"
    excluded_version = data_version(session, round_)
    assert excluded_version != before
    table = score_table(session, round_).table.set_index("unit_code")
    assert table.loc[unit.code, "awareness_n"] == 1
    assert exclusions(session, round_)[0].response_id == response.id

    include_response(session, response, "核实无误", actor_id=evaluator.id)
    assert not response.excluded and response.excluded_reason is None
    assert data_version(session, round_) == before
    events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "response")
                             .order_by(AuditEvent.id)).all()
    assert [(e.action, e.object_id, e.actor_id) for e in events] == [
        ("exclude", response.id, evaluator.id), ("include", response.id, evaluator.id)]
    assert events[0].detail == {"round": round_.id, "unit": unit.code, "reason": "重复 提交"}


def test_exclusion_rules(session: Session, tiny: TinyRound) -> None:
    round_ = tiny.round
    ids = session.scalars(select(Response.id).order_by(Response.id)).all()
    with pytest.raises(OperationError, match="a reason is required"):
        exclude_responses(session, round_, ids[:1], " ")
    with pytest.raises(OperationError, match="at most 500"):
        exclude_responses(session, round_, ids[:1], "长" * 501)
    with pytest.raises(OperationError, match="has no response nope"):
        exclude_responses(session, round_, [ids[0], "nope"], "x")
    with pytest.raises(OperationError, match="only evaluators and admins"):
        exclude_responses(session, round_, ids[:1], "x", actor_id=make_user(session).id)
    exclude_responses(session, round_, ids[:2], "测试")
    with pytest.raises(OperationError, match=f"already excluded: {ids[0]}"):
        exclude_responses(session, round_, ids[:3], "again")
    assert not session.get_one(Response, ids[2]).excluded, "all or nothing"
    with pytest.raises(OperationError, match="not excluded"):
        include_response(session, session.get_one(Response, ids[2]), "x")
    rounds.close_round(session, round_)
    rounds.publish_round(session, round_)
    with pytest.raises(OperationError, match="published"):
        include_response(session, session.get_one(Response, ids[0]), "after publication")
