"""`evalapp demo`: the demo city is realistic, valid, and seeded once.

The seed runs once per backend (a module-scoped database built like conftest's); the tests
then read what it made.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp import create_app, database
from evalapp.anonymity import rater_code
from evalapp.auth.passwords import password_matches
from evalapp.demo.city import DEMO_LOGINS
from evalapp.demo.names import COUNTIES
from evalapp.demo.seed import demo_counts
from evalapp.instruments.operations import definition_of
from evalapp.models import (
    MODES,
    Activity,
    Answer,
    Assignment,
    AuditEvent,
    Instrument,
    Response,
    Round,
    RoundUnit,
    Suggestion,
    Unit,
    User,
    today_utc,
    user_affiliation,
)
from surveys.answers import Answer as AnswerValue
from surveys.answers import validate_answer
from tests.conftest import (
    BACKENDS,
    _url_for_database,
    create_postgres_database,
    drop_postgres_database,
)

EVALUATED_KINDS = ("youth_home", "branch", "department", "industry", "district", "association")
RATER_SECRET = "demo-test-rater-secret"


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """An app whose database holds the demo city, and what `evalapp demo` printed."""
    folder = tmp_path_factory.mktemp("demo")
    name = None
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "evalapp.db")
        url = f"sqlite:///{folder / 'evalapp.db'}"
    else:
        name = create_postgres_database(template=request.getfixturevalue("postgres_template"))
        url = _url_for_database(name)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": folder / "instance",
                      "SECRET_KEY": "test-secret-key", "RATER_SECRET": RATER_SECRET})
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    yield app, result.output
    database.engine_of(app).dispose()
    if name is not None:
        drop_postgres_database(name)


@pytest.fixture
def db(demo: tuple[Flask, str]) -> Iterator[Session]:
    with demo[0].app_context():
        yield database.session()


def rounds_by_mode(db: Session) -> dict[str, Round]:
    """The current round of each mode: open, or closed awaiting publication."""
    current = select(Round).where(Round.status.in_(("open", "closed"))).order_by(Round.opens_on)
    return {round_.mode: round_ for round_ in db.scalars(current)}


def county_of(unit: Unit) -> Unit | None:
    node: Unit | None = unit
    while node is not None and node.kind != "county":
        node = node.parent
    return node


def test_cli_reports_counts_time_and_logins(demo: tuple[Flask, str]) -> None:
    output = demo[1]
    assert re.search(r"seeded the demo city 宜宾市 in \d+\.\d s", output)
    for label in ("units:", "observers:", "rounds:", "responses:", "answers:", "suggestions:"):
        assert label in output
    for login in DEMO_LOGINS:
        assert f"{login.login} / {login.password}" in output


def test_the_city_its_counties_and_townships(db: Session) -> None:
    city = db.scalar(select(Unit).where(Unit.code == "YB"))
    assert city is not None and city.kind == "city" and city.name == "宜宾市"
    counties = db.scalars(select(Unit).where(Unit.kind == "county")).all()
    assert sorted(c.name for c in counties) == sorted(name for _, name, _ in COUNTIES)
    assert all(county.parent_id == city.id for county in counties)
    for county in counties:
        townships = [unit for unit in county.children if unit.kind == "township"]
        assert 2 <= len(townships) <= 4, county.name


def test_evaluated_units(db: Session) -> None:
    units = db.scalars(select(Unit).where(Unit.kind.in_(EVALUATED_KINDS))).all()
    kinds = Counter(unit.kind for unit in units)
    assert len(units) >= 160
    assert set(kinds) == set(EVALUATED_KINDS)
    assert kinds["youth_home"] + kinds["branch"] > 0.8 * len(units)
    assert any(re.fullmatch(r".+区.+青年之家", unit.name) for unit in units)
    for unit in units:
        assert re.fullmatch(r"YB-[A-Z]{2}-\d{2,3}", unit.code), unit.code
        assert unit.address and unit.address.startswith("宜宾市"), unit.code
        assert unit.phone and re.fullmatch(r"0831-\d{7}", unit.phone), unit.code
        assert unit.contact and unit.parent_id is not None


def test_users_and_logins(db: Session) -> None:
    for login in DEMO_LOGINS:
        user = db.scalar(select(User).where(User.login == login.login))
        assert user is not None and user.role == login.role
        assert password_matches(user.password_hash, login.password)
    observers = db.scalars(select(User).where(User.role == "observer")).all()
    assert len(observers) >= 61
    assert len({observer.name for observer in observers}) == len(observers)
    for observer in observers:
        assert 1 <= len(observer.affiliations) <= 2, observer.login
        assert all(unit.kind in ("youth_home", "branch") for unit in observer.affiliations)
        assert len({county_of(unit).id for unit in observer.affiliations}) == 1  # type: ignore[union-attr]


def test_rounds_of_every_mode_in_every_state(db: Session) -> None:
    rounds = db.scalars(select(Round).order_by(Round.opens_on)).all()
    assert {round_.mode for round_ in rounds} == set(MODES)
    states = [(round_.mode, round_.status) for round_ in rounds]
    assert [state for state in states if state[0] == "daily"] == [
        ("daily", "published"), ("daily", "published"), ("daily", "closed")]
    assert ("spot_check", "draft") in states
    by_mode = rounds_by_mode(db)
    assert by_mode["daily"].status == "closed"
    assert by_mode["experience"].status == "open" and by_mode["spot_check"].status == "open"
    today = today_utc()
    for mode in ("experience", "spot_check"):
        assert by_mode[mode].opens_on <= today <= by_mode[mode].closes_on
    assert len(by_mode["spot_check"].units) == 40
    for round_ in rounds:
        assert round_.instrument.key == round_.mode


def test_every_unit_has_two_observers_none_affiliated(db: Session) -> None:
    for round_ in db.scalars(select(Round).where(Round.status != "draft")):
        per_unit: dict[int, set[int]] = defaultdict(set)
        for unit_id, observer_id in db.execute(select(Assignment.unit_id, Assignment.observer_id)
                                               .where(Assignment.round_id == round_.id)).all():
            per_unit[unit_id].add(observer_id)
        scope = set(db.scalars(select(RoundUnit.unit_id).where(RoundUnit.round_id == round_.id)))
        assert set(per_unit) == scope
        assert min(len(observers) for observers in per_unit.values()) >= 2, round_.mode
    affiliated = db.scalar(select(func.count()).select_from(Assignment).join(
        user_affiliation, (user_affiliation.c.user_id == Assignment.observer_id)
        & (user_affiliation.c.unit_id == Assignment.unit_id)))
    assert affiliated == 0


def test_load_is_even_and_the_demo_observer_has_work(db: Session) -> None:
    loads = Counter(db.scalars(select(Assignment.observer_id)))
    assert max(loads.values()) - min(loads.values()) <= 4
    demo_observer = db.scalar(select(User).where(User.login == "observer"))
    assert demo_observer is not None
    for mode, round_ in rounds_by_mode(db).items():
        statuses = Counter(db.scalars(select(Assignment.status).where(
            Assignment.round_id == round_.id, Assignment.observer_id == demo_observer.id)))
        if mode == "daily":
            assert statuses["pending"] == 0
        else:
            assert statuses["pending"] >= 3, mode


def test_experience_assignments_name_activities_of_their_unit(db: Session) -> None:
    round_ = rounds_by_mode(db)["experience"]
    rows = db.execute(select(Assignment.unit_id, Activity.unit_id, Activity.type).join(
        Activity, Activity.id == Assignment.activity_id, isouter=True).where(
        Assignment.round_id == round_.id)).all()
    assert rows and all(own == target for own, target, _ in rows)
    assert len({kind for _, _, kind in rows}) >= 5


def test_responses_are_plausible(db: Session) -> None:
    by_mode = rounds_by_mode(db)
    daily = by_mode["daily"]
    sizes = Counter(db.scalars(select(Response.unit_id).where(Response.round_id == daily.id)))
    assert len(sizes) == len(daily.units)
    assert sum(1 <= n < 5 for n in sizes.values()) >= 5
    assert sum(6 <= n <= 20 for n in sizes.values()) > 0.7 * len(sizes)
    for round_ in by_mode.values():
        last = min(round_.closes_on, today_utc())
        days = db.execute(select(func.min(Response.submitted_on), func.max(Response.submitted_on))
                          .where(Response.round_id == round_.id)).one()
        assert round_.opens_on <= days[0] and days[1] <= last, round_.mode
    channels = Counter(db.scalars(select(Response.channel)))
    assert {"onsite", "handout", "phone", "online"} <= set(channels)
    assert db.scalar(select(func.count()).where(Answer.dont_know)) > 50
    assert db.scalar(select(func.count()).where(Answer.na)) > 50
    durations = sorted(db.scalars(select(Response.duration_s)))
    median = durations[len(durations) // 2]
    assert 0 < sum(d < 0.3 * median for d in durations) < 0.1 * len(durations)


def test_rater_codes_belong_to_assigned_observers(db: Session) -> None:
    expected: dict[tuple[int, int], set[str]] = defaultdict(set)
    for round_id, unit_id, observer_id in db.execute(
            select(Assignment.round_id, Assignment.unit_id, Assignment.observer_id)).all():
        expected[round_id, unit_id].add(rater_code(RATER_SECRET, observer_id, round_id, unit_id))
    for round_id, unit_id, channel, code in db.execute(select(
            Response.round_id, Response.unit_id, Response.channel, Response.rater_code)).all():
        if channel == "online":
            assert code is None
        else:
            assert code in expected[round_id, unit_id]


def test_straight_liners_and_suggestions(db: Session) -> None:
    instrument = db.scalar(select(Instrument).where(Instrument.key == "experience"))
    assert instrument is not None
    items = [item.id for item in definition_of(instrument).items if item.type == "likert"]
    likert: dict[str, list[float]] = defaultdict(list)
    for response_id, value in db.execute(
            select(Answer.response_id, Answer.value).join(Response).where(
                Response.instrument_id == instrument.id, Answer.item_id.in_(items),
                Answer.value.is_not(None))).all():
        likert[response_id].append(value)
    assert any(len(values) >= 6 and len(set(values)) == 1 for values in likert.values())
    suggestions = db.execute(select(Suggestion.text, Suggestion.status, Answer.text).join(
        Answer, (Answer.response_id == Suggestion.response_id)
        & (Answer.item_id == Suggestion.item_id))).all()
    assert len(suggestions) >= 80
    assert all(status == "new" and text == answered for text, status, answered in suggestions)


def test_every_stored_answer_is_valid_for_its_instrument(db: Session) -> None:
    definitions = {row.id: definition_of(row) for row in db.scalars(select(Instrument))}
    answers: dict[str, dict[str, AnswerValue]] = defaultdict(dict)
    for response_id, item_id, value, text, na, dont_know in db.execute(select(
            Answer.response_id, Answer.item_id, Answer.value, Answer.text, Answer.na,
            Answer.dont_know)).all():
        answers[response_id][item_id] = AnswerValue(value, text, na, dont_know)
    responses = db.execute(select(Response.id, Response.instrument_id)).all()
    assert len(answers) == len(responses)
    for response_id, instrument_id in responses:
        definition, given = definitions[instrument_id], answers[response_id]
        assert set(given) <= {item.id for item in definition.items}
        for item in definition.items:
            answer, shown = given.get(item.id), item.is_shown(given)
            if answer is None:
                assert not (shown and item.required), (response_id, item.id)
                continue
            assert shown, (response_id, item.id)
            assert validate_answer(item, answer.value, answer.text, answer.na,
                                   answer.dont_know) is None, (response_id, item.id)


def test_a_second_run_changes_nothing(demo: tuple[Flask, str], db: Session) -> None:
    before = (demo_counts(db), db.scalar(select(func.count()).select_from(Assignment)),
              db.scalar(select(func.count()).select_from(Activity)),
              db.scalar(select(func.count()).select_from(AuditEvent)))
    db.rollback()
    result = demo[0].test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "already there: nothing changed" in result.output
    after = (demo_counts(db), db.scalar(select(func.count()).select_from(Assignment)),
             db.scalar(select(func.count()).select_from(Activity)),
             db.scalar(select(func.count()).select_from(AuditEvent)))
    assert after == before
