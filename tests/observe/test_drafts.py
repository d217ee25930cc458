"""Drafts: started per assignment, saved with and without JavaScript, resumable, private."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import Draft
from evalapp.rounds import operations as rounds
from tests.observe.helpers import (
    YOUTH_ANSWERS,
    build_world,
    csrf_token,
    form_data,
    sign_in,
    start_draft,
)


def _drafts(session: Session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Draft)) or 0


def test_save_without_javascript_and_resume_elsewhere(app, client: FlaskClient,  # type: ignore[no-untyped-def]
                                                       session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    observer = world.observers[0]
    sign_in(client, observer)
    key = start_draft(client, world.assignments[(observer, world.units[0])])
    answers = {"record_type": "youth_onsite", "yq_know_site": "no", "suggestion": "草稿里的话"}
    response = client.post(f"/observe/drafts/{key}", data=form_data(
        answers, csrf_token(client), action="save", channel="phone"))
    assert response.status_code == 303
    other_device = app.test_client()
    sign_in(other_device, observer)
    page = other_device.get(f"/observe/drafts/{key}").get_data(as_text=True)
    assert 'value="youth_onsite" checked' in page
    assert 'value="phone" checked' in page
    assert "草稿里的话" in page


def test_autosave_answers_json(client: FlaskClient, session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    sign_in(client, world.observers[0])
    key = start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    data = form_data({"record_type": "checklist"}, csrf_token(client))
    del data["action"]
    response = client.post(f"/observe/drafts/{key}/autosave", data=data,
                           headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json == {"saved": True}
    session.rollback()
    draft = session.scalar(select(Draft))
    assert draft is not None and draft.data["fields"] == {"q_record_type": ["checklist"]}
    assert isinstance(draft.data["started"], float)


def test_autosave_refuses_unknown_fields_as_json(client: FlaskClient, session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    sign_in(client, world.observers[0])
    key = start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    response = client.post(f"/observe/drafts/{key}/autosave",
                           data={"q_nonsense": "1", "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert "q_nonsense" in response.json["error"]


def test_another_observers_assignment_and_draft_are_404(app, client: FlaskClient,  # type: ignore[no-untyped-def]
                                                        session: Session) -> None:
    world = build_world(session, observers=2, units=1)
    first, second = world.observers
    sign_in(client, first)
    key = start_draft(client, world.assignments[(first, world.units[0])])
    intruder = app.test_client()
    sign_in(intruder, second)
    token = csrf_token(intruder)
    assert intruder.get(f"/observe/drafts/{key}").status_code == 404
    assert intruder.post(f"/observe/drafts/{key}", data=form_data(
        YOUTH_ANSWERS, token)).status_code == 404
    assert intruder.post(f"/observe/drafts/{key}/autosave",
                         data={"csrf_token": token}).status_code == 404
    assert intruder.post(f"/observe/drafts/{key}/discard",
                         data={"csrf_token": token}).status_code == 404
    own = world.assignments[(first, world.units[0])]
    assert intruder.post("/observe/drafts", data={"assignment": own,
                                                  "csrf_token": token}).status_code == 404
    assert _drafts(session) == 1


def test_rounds_not_open_yet_are_404_closed_ones_403(client: FlaskClient,
                                                     session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    sign_in(client, world.observers[0])
    token = csrf_token(client)
    hidden = client.post("/observe/drafts", data={"assignment": world.hidden_assignment,
                                                  "csrf_token": token})
    assert hidden.status_code == 404
    key = start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    rounds.close_round(session, rounds.get_round(session, world.round_id))
    session.commit()
    closed = client.post(f"/observe/drafts/{key}", data=form_data(YOUTH_ANSWERS, token))
    assert closed.status_code == 403
    assert "本轮评议已结束" in closed.get_data(as_text=True)
    for nonsense in ("abc", "99999999999999999999", ""):
        assert client.post("/observe/drafts", data={"assignment": nonsense,
                                                    "csrf_token": token}).status_code == 404


def test_discarding_a_draft(client: FlaskClient, session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    sign_in(client, world.observers[0])
    key = start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    response = client.post(f"/observe/drafts/{key}/discard",
                           data={"csrf_token": csrf_token(client)})
    assert response.status_code == 303 and _drafts(session) == 0
    assert client.get(f"/observe/drafts/{key}").status_code == 404
