"""Round lifecycle and assignment operations, and `evalapp round ...`."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import Assignment, AuditEvent, RoundUnit
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from tests.factories import make_instrument, make_round, make_unit, make_user


def test_create_round_puts_units_in_scope_and_audits(session: Session) -> None:
    units = [make_unit(session) for _ in range(3)]
    round_ = make_round(session, units, min_n=4)
    session.commit()
    scope = session.scalars(select(RoundUnit.unit_id).where(RoundUnit.round_id == round_.id))
    assert sorted(scope) == sorted(unit.id for unit in units)
    assert round_.status == "draft" and round_.min_n == 4
    assert round_.weights == {"awareness": 1.0, "participation": 1.0, "satisfaction": 1.0}
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_type == "round"))
    assert event is not None and event.action == "create" and event.detail["units"] == 3


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"name": " "}, "name"),
        ({"min_n": 0}, "min_n"),
        ({"weights": {"awareness": 1}}, "weights"),
        ({"weights": {"awareness": 0, "participation": 0, "satisfaction": 0}}, "weights"),
        ({"star_cutoffs": (90, 80, 70, 60)}, "star_cutoffs"),
        ({"observers_per_unit": 0}, "observers_per_unit"),
    ],
)
def test_bad_round_settings_are_named(session: Session, settings: dict, message: str) -> None:
    with pytest.raises(OperationError, match=message):
        make_round(session, [make_unit(session)], **settings)


def test_instrument_must_fit_the_mode(session: Session) -> None:
    with pytest.raises(OperationError, match="instrument"):
        rounds.create_round(session, name="x", mode="daily",
                            instrument=make_instrument(session, "experience"),
                            opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 1, 2),
                            units=[make_unit(session)])


def test_window_must_not_end_before_it_starts(session: Session) -> None:
    with pytest.raises(OperationError, match="closes_on"):
        rounds.create_round(session, name="x", mode="daily",
                            instrument=make_instrument(session, "daily"),
                            opens_on=dt.date(2026, 2, 1), closes_on=dt.date(2026, 1, 1),
                            units=[make_unit(session)])


def test_lifecycle_draft_open_closed(session: Session) -> None:
    round_ = make_round(session, [make_unit(session)])
    with pytest.raises(OperationError, match="only a open round can close"):
        rounds.close_round(session, round_)
    rounds.open_round(session, round_)
    assert round_.status == "open" and round_.opened_at is not None
    with pytest.raises(OperationError, match="only a draft round can open"):
        rounds.open_round(session, round_)
    rounds.close_round(session, round_)
    assert round_.status == "closed" and round_.closed_at is not None


def test_a_round_without_units_cannot_open(session: Session) -> None:
    round_ = make_round(session, [])
    with pytest.raises(OperationError, match="no units"):
        rounds.open_round(session, round_)


def test_assignment_rules(session: Session) -> None:
    unit, other = make_unit(session), make_unit(session)
    outside = make_unit(session)
    round_ = make_round(session, [unit, other])
    observer = make_user(session)
    assignment = rounds.assign_observer(session, round_, unit, observer)
    assert assignment.status == "pending"
    with pytest.raises(OperationError, match="already assigned"):
        rounds.assign_observer(session, round_, unit, observer)
    with pytest.raises(OperationError, match="not in round"):
        rounds.assign_observer(session, round_, outside, observer)
    with pytest.raises(OperationError, match="affiliated"):
        rounds.assign_observer(session, round_, other, make_user(session, affiliations=[other]))
    with pytest.raises(OperationError, match="not an active observer"):
        rounds.assign_observer(session, round_, other, make_user(session, role="evaluator"))
    rounds.open_round(session, round_)
    rounds.close_round(session, round_)
    with pytest.raises(OperationError, match="closed"):
        rounds.assign_observer(session, round_, other, make_user(session))


def test_cli_create_open_assign_list_close(session: Session, runner: FlaskCliRunner) -> None:
    county = make_unit(session, kind="county", code="C1")
    branch = make_unit(session, parent=county, code="B1")
    make_unit(session, code="B2")
    make_user(session, login="obs1")
    make_instrument(session, "spot_check")
    session.commit()
    created = runner.invoke(args=["round", "create", "--name", "抽查一", "--mode", "spot_check",
                                  "--opens", "2026-11-01", "--closes", "2026-11-30",
                                  "--under", "C1", "--weights",
                                  "awareness=1,participation=1,satisfaction=2"])
    assert created.exit_code == 0, created.output
    assert "with 1 units" in created.output
    round_id = created.output.split("round ")[1].split()[0]
    assigned = runner.invoke(args=["round", "assign", round_id, "--unit", "B1",
                                   "--observer", "obs1"])
    assert assigned.exit_code == 0, assigned.output
    refused = runner.invoke(args=["round", "assign", round_id, "--unit", "B2",
                                  "--observer", "obs1"])
    assert refused.exit_code != 0 and "not in round" in refused.output
    assert runner.invoke(args=["round", "open", round_id]).exit_code == 0
    listing = runner.invoke(args=["round", "list"])
    assert all(word in listing.output for word in ("spot_check", "open", "抽查一"))
    assert runner.invoke(args=["round", "close", round_id]).exit_code == 0
    again = runner.invoke(args=["round", "close", round_id])
    assert again.exit_code != 0 and "closed" in again.output
    session.expire_all()
    count = session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.unit_id == branch.id))
    assert count == 1


def test_cli_rejects_bad_weights(session: Session, runner: FlaskCliRunner) -> None:
    make_instrument(session, "daily")
    session.commit()
    result = runner.invoke(args=["round", "create", "--name", "x", "--mode", "daily",
                                 "--opens", "2026-11-01", "--closes", "2026-11-30",
                                 "--weights", "fun=1"])
    assert result.exit_code != 0 and "unknown dimension fun" in result.output
