"""Round lifecycle, settings, publication and corrections, and `evalapp round ...`."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import Assignment, AuditEvent, Round, RoundResult, RoundUnit
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from evalapp.rounds.scope import set_scope
from evalapp.scoring.service import score_table
from tests.factories import make_instrument, make_round, make_unit, make_user
from tests.scoring.conftest import make_tiny_round, submit


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


BAD_SETTINGS = [
    ({"name": " "}, "name"),
    ({"min_n": 0}, "min_n"),
    ({"weights": {"awareness": 1}}, "weights"),
    ({"weights": {"awareness": 0, "participation": 0, "satisfaction": 0}}, "weights"),
    ({"star_cutoffs": (90, 80, 70, 60)}, "star_cutoffs"),
    ({"observers_per_unit": 0}, "observers_per_unit"),
]


def test_bad_round_settings_are_named(session: Session) -> None:
    unit = make_unit(session)
    for settings, message in BAD_SETTINGS:
        with pytest.raises(OperationError, match=message):
            make_round(session, [unit], **settings)
        round_ = make_round(session, [unit])
        with pytest.raises(OperationError, match=message):
            rounds.update_round(session, round_, **settings)


def test_instrument_must_fit_the_mode_and_the_window_be_ordered(session: Session) -> None:
    with pytest.raises(OperationError, match="instrument"):
        rounds.create_round(session, name="x", mode="daily",
                            instrument=make_instrument(session, "experience"),
                            opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 1, 2),
                            units=[make_unit(session)])
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


def test_settings_change_until_publication_and_are_audited(session: Session) -> None:
    round_ = make_round(session, [make_unit(session)])
    changed = rounds.update_round(session, round_, min_n=3, closes_on=dt.date(2026, 12, 5),
                                  exclude_same_county=True, name="改名")
    assert changed == {"min_n": [5, 3], "closes_on": ["2026-11-30", "2026-12-05"],
                       "exclude_same_county": [False, True], "name": ["测试批次", "改名"]}
    assert rounds.update_round(session, round_, min_n=3) == {}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.detail["changes"]["min_n"] == [5, 3]
    with pytest.raises(OperationError, match="cannot change mode"):
        rounds.update_round(session, round_, mode="daily")
    newer = make_instrument(session, "spot_check")
    rounds.update_round(session, round_, instrument=newer)
    rounds.open_round(session, round_)
    with pytest.raises(OperationError, match="only change in draft"):
        rounds.update_round(session, round_, instrument=make_instrument(session, "spot_check"))
    rounds.update_round(session, round_, weights={"awareness": 2, "participation": 1,
                                                  "satisfaction": 1})


def test_publication_freezes_and_a_correction_supersedes_it(
        session: Session, runner: FlaskCliRunner) -> None:
    tiny = make_tiny_round(session)
    round_, unit = tiny.round, tiny.units[0]
    round_id = round_.id
    submit(session, round_, unit, (5, 4, 3), "open-1")
    rounds.close_round(session, round_)
    submit(session, round_, unit, (4, 4, 4), "closed-import")  # imports go on while closed
    with pytest.raises(OperationError, match="only a published round"):
        rounds.correct_publication(session, round_, "too early")
    rounds.publish_round(session, round_)
    session.commit()
    with pytest.raises(OperationError, match="takes no responses"):
        submit(session, round_, unit, (1, 1, 1), "late")
    with pytest.raises(OperationError, match="published"):
        rounds.update_round(session, round_, min_n=1)
    with pytest.raises(OperationError, match="assignments are closed"):
        rounds.assign_observer(session, round_, unit, make_user(session))
    with pytest.raises(OperationError, match="published"):
        set_scope(session, round_, tiny.units[:1])
    with pytest.raises(OperationError, match="needs a reason"):
        rounds.correct_publication(session, round_, "  ")
    session.rollback()  # expires round_: reading it here would pin SQLite's snapshot

    result = runner.invoke(args=["round", "publish", str(round_id), "--correct",
                                 "评分程序修正"])
    assert result.exit_code == 0, result.output
    assert "supersedes the previous one" in result.output
    session.expire_all()
    results = session.scalars(select(RoundResult).where(RoundResult.round_id == round_id)
                              .order_by(RoundResult.id)).all()
    assert len(results) == 2 and results[0].superseded_by_id == results[1].id
    assert results[1].reason == "评分程序修正" and results[1].superseded_by_id is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "supersede")).one()
    assert event.detail["reason"] == "评分程序修正"
    assert score_table(session, session.get(Round, round_id)).frozen


def test_cli_create_with_settings_and_update(session: Session, runner: FlaskCliRunner) -> None:
    make_unit(session, kind="youth_home")
    make_instrument(session, "daily", key="daily")
    second = make_instrument(session, "daily", key="daily")
    session.commit()
    created = runner.invoke(args=[
        "round", "create", "--name", "日常", "--mode", "daily", "--opens", "2026-11-01",
        "--closes", "2026-11-30", "--kind", "youth_home", "--instrument-version",
        str(second.version), "--star-cutoffs", "50,65,80,95", "--observers-per-unit", "3",
        "--exclude-same-county", "--min-n", "4"])
    assert created.exit_code == 0, created.output
    session.expire_all()
    round_ = session.scalars(select(Round)).one()
    assert (round_.instrument_id, round_.star_cutoffs, round_.observers_per_unit,
            round_.exclude_same_county, round_.min_n) == (second.id, [50, 65, 80, 95], 3,
                                                          True, 4)
    updated = runner.invoke(args=["round", "update", str(round_.id), "--allow-same-county",
                                  "--closes", "2026-12-10"])
    assert updated.exit_code == 0, updated.output
    assert "exclude_same_county True → False" in updated.output
    refused = runner.invoke(args=["round", "update", str(round_.id), "--closes", "2026-10-01"])
    assert refused.exit_code != 0 and "closes_on" in refused.output
    missing = runner.invoke(args=["round", "create", "--name", "x", "--mode", "daily",
                                  "--opens", "2026-11-01", "--closes", "2026-11-30",
                                  "--instrument-version", "99999"])
    assert missing.exit_code != 0 and "no instrument 'daily v99999'" in missing.output
