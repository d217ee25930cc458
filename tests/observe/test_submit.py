"""Submitting: one transaction, one anonymous response, the same confirmation every time."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from evalapp import database
from evalapp.anonymity import rater_code
from evalapp.models import Answer, Assignment, Draft, Response, Suggestion, today_utc
from evalapp.observe.operations import stored_key
from tests.observe.helpers import (
    CHECKLIST_ANSWERS,
    YOUTH_ANSWERS,
    World,
    build_world,
    csrf_token,
    form_data,
    sign_in,
    start_draft,
)


def _count(session: Session, model: type) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model)) or 0


def _begin(client: FlaskClient, session: Session) -> tuple[World, str, str]:
    world = build_world(session, observers=2, units=1)
    sign_in(client, world.observers[0])
    key = start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    return world, key, csrf_token(client)


def test_submit_stores_one_anonymous_response(app: Flask, client: FlaskClient,
                                              session: Session) -> None:
    world, key, token = _begin(client, session)
    response = client.post(f"/observe/drafts/{key}", data=form_data(
        YOUTH_ANSWERS, token, channel="handout"))
    assert response.status_code == 303
    confirmation = client.get(response.headers["Location"])
    assert confirmation.status_code == 200
    assert "问卷已收到" in confirmation.get_data(as_text=True)
    session.rollback()
    stored = session.scalars(select(Response)).one()
    observer, unit = world.observers[0], world.units[0]
    assert stored.rater_code == rater_code("test-rater-secret", observer, world.round_id, unit)
    assert stored.submission_key == stored_key("test-rater-secret", key) != key
    assert stored.channel == "handout" and stored.submitted_on == today_utc()
    assert stored.duration_s is None or stored.duration_s % 60 == 0
    assert stored.id not in confirmation.get_data(as_text=True)
    answers = {a.item_id: a for a in session.scalars(select(Answer))}
    assert answers["yq_activity_kinds"].text == "learning,jobs"
    assert answers["yq_overall"].value == 8 and answers["yq_quality"].na
    assert session.scalar(select(Suggestion.text)) == "希望多办周末活动"
    assert _count(session, Draft) == 0
    session.expire_all()
    assignment = session.get(Assignment, world.assignments[(observer, unit)])
    assert assignment.status == "submitted"
    other = session.get(Assignment, world.assignments[(world.observers[1], unit)])
    assert other.status == "pending"


def test_the_submission_is_one_statement_outside_a_transaction_on_postgresql(
        app: Flask, client: FlaskClient, session: Session) -> None:
    """On PostgreSQL claim, response, answers and assignment go in one statement in
    autocommit (no BEGIN or COMMIT round trips); SQLite runs four in one transaction.
    This questionnaire has no suggestion, so one of the statement's arrays is empty."""
    world, key, token = _begin(client, session)
    statements: list[tuple[str, bool]] = []

    def seen(connection, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        driver = connection.connection.driver_connection
        statements.append((statement.split()[0], getattr(driver, "autocommit", False)))

    engine = database.engine_of(app)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        answers = {k: v for k, v in YOUTH_ANSWERS.items() if k != "suggestion"}
        assert client.post(f"/observe/drafts/{key}",
                           data=form_data(answers, token)).status_code == 303
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    writes = [(verb, autocommit) for verb, autocommit in statements if verb != "SELECT"]
    if engine.dialect.name == "postgresql":
        assert writes == [("WITH", True)]
        assert all(autocommit for _verb, autocommit in statements)
    else:
        # the reading transaction, then BEGIN IMMEDIATE and the four writes
        assert [verb for verb, _ in writes] == ["BEGIN", "BEGIN", "DELETE", "INSERT", "INSERT",
                                                "UPDATE"]
    assert _count(session, Response) == 1 and _count(session, Suggestion) == 0
    assert _count(session, Answer) == len(answers) and _count(session, Draft) == 0
    session.expire_all()
    mine = world.assignments[(world.observers[0], world.units[0])]
    assert session.get(Assignment, mine).status == "submitted"


def test_a_repeated_post_shows_the_same_confirmation(client: FlaskClient,
                                                     session: Session) -> None:
    _world, key, token = _begin(client, session)
    first = client.post(f"/observe/drafts/{key}", data=form_data(YOUTH_ANSWERS, token))
    again = client.post(f"/observe/drafts/{key}", data=form_data(YOUTH_ANSWERS, token))
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    pages = {re.sub(r'value="[^"]*"', "", client.get(first.headers["Location"])
                    .get_data(as_text=True)) for _ in range(2)}
    assert len(pages) == 1  # the same page, but for the time-stamped CSRF token
    assert _count(session, Response) == 1


def test_duration_counts_from_the_first_saved_answer(client: FlaskClient,
                                                     session: Session) -> None:
    _world, key, token = _begin(client, session)
    client.post(f"/observe/drafts/{key}", data=form_data({"record_type": "checklist"}, token,
                                                          action="save"))
    session.rollback()
    draft = session.scalars(select(Draft)).one()
    draft.data = {**draft.data, "started": draft.data["started"] - 185}
    session.commit()
    client.post(f"/observe/drafts/{key}", data=form_data(CHECKLIST_ANSWERS, token))
    session.rollback()
    assert session.scalar(select(Response.duration_s)) == 180


def test_answers_to_hidden_items_are_dropped(client: FlaskClient, session: Session) -> None:
    """Without JavaScript every item shows; what the routing hides is not stored."""
    _world, key, token = _begin(client, session)
    both = {**CHECKLIST_ANSWERS, "yq_know_site": "yes", "yq_overall": "3"}
    assert client.post(f"/observe/drafts/{key}", data=form_data(both, token)).status_code == 303
    session.rollback()
    items = set(session.scalars(select(Answer.item_id)))
    assert items == {"record_type", "ck_open", "ck_youth_present", "ck_facilities", "ck_issues"}


def test_a_missing_required_answer_is_named_and_kept_as_draft(client: FlaskClient,
                                                              session: Session) -> None:
    _world, key, token = _begin(client, session)
    partial = {"record_type": "youth_onsite", "yq_know_site": "yes", "suggestion": "留着"}
    response = client.post(f"/observe/drafts/{key}", data=form_data(partial, token))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "请回答此题" in page and "留着" in page
    assert _count(session, Response) == 0
    draft = session.scalars(select(Draft)).one()
    assert draft.data["fields"]["q_suggestion"] == ["留着"]


OUTSIDE_THE_ITEM = [  # (field, value): each refused with "this choice does not exist"
    ("q_yq_overall", "11"),
    ("q_yq_times", "sometimes"),
    ("q_yq_activity_kinds", "bribery"),
    ("q_yq_know_site", "-na"),  # n/a is not allowed there
    ("q_yq_quality", "-dk"),  # nor don't know here
]
TAMPERED = [  # (extra fields, what the 400 page names)
    ({"q_not_an_item": "1"}, "not_an_item"),
    ({"q_suggestion": "长" * 1001}, "1000"),
    ({"q_yq_overall": ["7", "8"]}, "多个答案"),
    ({"channel": "pigeon"}, "收集方式"),
]


def test_values_outside_the_item_are_refused(client: FlaskClient, session: Session) -> None:
    _world, key, token = _begin(client, session)
    for field, value in OUTSIDE_THE_ITEM:
        data = {**form_data(YOUTH_ANSWERS, token), field: value}
        response = client.post(f"/observe/drafts/{key}", data=data)
        assert response.status_code == 400, field
        assert "该选项不存在" in response.get_data(as_text=True), field
    assert _count(session, Response) == 0


def test_tampered_posts_are_a_clear_400(client: FlaskClient, session: Session) -> None:
    _world, key, token = _begin(client, session)
    for extra, message in TAMPERED:
        response = client.post(f"/observe/drafts/{key}",
                               data={**form_data(YOUTH_ANSWERS, token), **extra})
        assert response.status_code == 400, extra
        assert message in response.get_data(as_text=True), extra
    assert _count(session, Response) == 0


def test_a_missing_or_wrong_csrf_token_is_refused_in_chinese(client: FlaskClient,
                                                             session: Session) -> None:
    _world, key, _token = _begin(client, session)
    forged = form_data(YOUTH_ANSWERS, "forged")
    missing = {k: v for k, v in forged.items() if k != "csrf_token"}
    for data in (forged, missing):
        response = client.post(f"/observe/drafts/{key}", data=data)
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
        assert "刷新页面" in response.get_data(as_text=True)
    assert _count(session, Response) == 0


def test_another_questionnaire_for_the_same_assignment(client: FlaskClient,
                                                       session: Session) -> None:
    world, key, token = _begin(client, session)
    client.post(f"/observe/drafts/{key}", data=form_data(CHECKLIST_ANSWERS, token))
    second = start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    client.post(f"/observe/drafts/{second}", data=form_data(YOUTH_ANSWERS, token))
    session.rollback()
    codes = set(session.scalars(select(Response.rater_code)))
    assert _count(session, Response) == 2 and len(codes) == 1


