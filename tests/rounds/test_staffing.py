"""Automatic and manual assignment of observers on the database, and `evalapp round assign`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Assignment, AuditEvent, Draft, Round, Unit, User
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from evalapp.rounds.staffing import AssignmentRefused, auto_assign, staffing_warnings
from tests.factories import make_round, make_unit, make_user


@dataclass
class City:
    counties: list[Unit]
    branches: list[Unit]
    observers: list[User]


def make_city(session: Session, observers: int = 6) -> City:
    """Two counties with three branches each; observer i belongs to a branch of county i % 2."""
    counties = [make_unit(session, kind="county", code=f"C{c}", name=f"县{c}") for c in range(2)]
    branches = [make_unit(session, parent=counties[c], code=f"C{c}-B{b}", name=f"支部{c}{b}")
                for c in range(2) for b in range(3)]
    people = [make_user(session, login=f"obs{i}", affiliations=[branches[(i % 2) * 3]])
              for i in range(observers)]
    return City(counties, branches, people)


def pairs(session: Session, round_: Round) -> list[tuple[str, str]]:
    rows = session.execute(select(Unit.code, User.login).select_from(Assignment)
                           .join(Unit, Unit.id == Assignment.unit_id)
                           .join(User, User.id == Assignment.observer_id)
                           .where(Assignment.round_id == round_.id)).all()
    return sorted((code, login) for code, login in rows)


def test_auto_assign_is_blind_balanced_and_respects_manual_ones(session: Session) -> None:
    city = make_city(session)
    round_ = make_round(session, city.branches)
    rounds.assign_observer(session, round_, city.branches[1], city.observers[2])
    outcome = auto_assign(session, round_, seed=11)
    assert outcome.created == 6 * 2 - 1 and round_.assignment_seed == 11
    got = pairs(session, round_)
    assert ("C0-B1", "obs2") in got
    affiliated = {(o.affiliations[0].code, o.login) for o in city.observers}
    assert not affiliated & set(got)
    per_unit = Counter(code for code, _ in got)
    assert set(per_unit.values()) == {2}
    loads = Counter(login for _, login in got)
    assert max(loads.values()) - min(loads.values()) <= 1 and len(loads) == 6
    assert outcome.warnings == ()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "auto_assign")).one()
    assert event.detail["seed"] == 11 and event.detail["created"] == 11
    again = auto_assign(session, round_, seed=12)
    assert again.created == 0 and round_.assignment_seed == 11


def test_same_seed_same_assignments_and_same_county_rule(session: Session) -> None:
    city = make_city(session)
    first = make_round(session, city.branches, name="一", exclude_same_county=True)
    second = make_round(session, city.branches, name="二", exclude_same_county=True)
    auto_assign(session, first, seed=5)
    auto_assign(session, second, seed=5)
    assert pairs(session, first) == pairs(session, second)
    for code, login in pairs(session, first):
        observer = int(login.removeprefix("obs"))
        assert code[:2] != f"C{observer % 2}", "an observer in their own county"
    with pytest.raises(OperationError, match="excludes observers from the same county"):
        rounds.assign_observer(session, first, city.branches[4], city.observers[1])


def test_refusal_names_the_units_and_writes_nothing(session: Session) -> None:
    city = make_city(session, observers=2)
    round_ = make_round(session, city.branches, exclude_same_county=True)
    with pytest.raises(AssignmentRefused) as refused:
        auto_assign(session, round_, seed=1)
    message = str(refused.value)
    assert "C0-B0 支部00: 2 needed, 1 eligible (1 affiliated, 0 in the same county)" in message
    assert "C1-B1 支部11: 2 needed, 1 eligible (0 affiliated, 1 in the same county)" in message
    assert len(refused.value.shortfalls) == 6
    assert pairs(session, round_) == []
    assert round_.assignment_seed is None


def test_warnings_for_units_with_fewer_than_two_observers(session: Session) -> None:
    city = make_city(session, observers=3)
    round_ = make_round(session, city.branches[:2], observers_per_unit=1)
    outcome = auto_assign(session, round_, seed=2)
    assert len(outcome.warnings) == 2
    assert all("only one observer" in warning for warning in outcome.warnings)
    empty = make_round(session, city.branches[:1])
    assert staffing_warnings(session, empty) == ["C0-B0 支部00: no observer assigned"]


def test_manual_changes_are_audited_and_guard_drafts_and_visits(session: Session) -> None:
    city = make_city(session)
    round_ = make_round(session, city.branches)
    unit = city.branches[1]
    first = rounds.assign_observer(session, round_, unit, city.observers[0])
    rounds.open_round(session, round_)
    session.add(Draft(assignment_id=first.id, submission_key="k1"))
    session.flush()
    with pytest.raises(OperationError, match="1 unfinished questionnaire"):
        rounds.replace_observer(session, first, city.observers[2])
    with pytest.raises(OperationError, match="affiliated"):
        rounds.replace_observer(session, first, make_user(session, affiliations=[unit]),
                                discard_drafts=True)
    assert rounds.replace_observer(session, first, city.observers[2], discard_drafts=True) == 1
    assert first.observer_id == city.observers[2].id
    assert session.scalars(select(Draft)).all() == []
    second = rounds.assign_observer(session, round_, unit, city.observers[4])
    second.status = "submitted"
    session.flush()
    with pytest.raises(OperationError, match="already submitted"):
        rounds.unassign_observer(session, second)
    assert rounds.unassign_observer(session, first) == 0
    actions = session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "assignment").order_by(AuditEvent.id)).all()
    assert actions == ["assign", "replace", "assign", "unassign"]
    replaced = session.scalars(select(AuditEvent).where(AuditEvent.action == "replace")).one()
    assert replaced.detail == {"round": round_.id, "unit": unit.code, "previous": "obs0",
                               "observer": "obs2", "drafts_discarded": 1}


def test_cli_assign_auto_unassign_replace_and_list(session: Session,
                                                  runner: FlaskCliRunner) -> None:
    city = make_city(session)
    round_ = make_round(session, city.branches)
    session.commit()
    round_id = str(round_.id)
    auto = runner.invoke(args=["round", "assign", round_id, "--auto", "--seed", "3"])
    assert auto.exit_code == 0, auto.output
    assert "12 assignments made with seed 3; 2 assignments per observer" in auto.output
    listing = runner.invoke(args=["round", "assignments", round_id])
    got = pairs(session, round_)
    session.rollback()
    code, login = got[0]
    assert f"{code:<14} {login:<20} pending" in listing.output
    spare = next(o.login for o in city.observers
                 if (code, o.login) not in got and o.affiliations[0].code != code)
    replaced = runner.invoke(args=["round", "replace", round_id, "--unit", code,
                                   "--observer", login, "--by", spare])
    assert replaced.exit_code == 0, replaced.output
    removed = runner.invoke(args=["round", "unassign", round_id, "--unit", code,
                                  "--observer", spare])
    assert removed.exit_code == 0, removed.output
    assert f"warning: {code} " in removed.output and "only one observer" in removed.output
    usage = runner.invoke(args=["round", "assign", round_id])
    assert usage.exit_code != 0 and "either --auto" in usage.output
    missing = runner.invoke(args=["round", "unassign", round_id, "--unit", code,
                                  "--observer", spare])
    assert missing.exit_code != 0 and "is not assigned" in missing.output
