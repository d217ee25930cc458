"""My assignments: own work in open rounds only; other people's and future work is hidden."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.rounds import operations as rounds
from tests.observe.helpers import build_world, make_person, sign_in, start_draft


def test_the_list_shows_own_assignments_in_open_rounds(client: FlaskClient,
                                                        session: Session) -> None:
    world = build_world(session, observers=2, units=3, pairs=[(0, 0), (0, 1), (1, 2)])
    sign_in(client, world.observers[0])
    page = client.get("/observe/").get_data(as_text=True)
    assert "青年之家1号" in page and "青年之家2号" in page
    assert "青年之家3号" not in page  # observer 1's
    assert "下一轮" not in page  # a round not open yet
    assert "测试路" in page  # the unit's address
    assert "我的任务" in page and "待完成" in page


def test_statuses_to_do_draft_and_submitted(client: FlaskClient, session: Session) -> None:
    world = build_world(session, observers=1, units=2)
    sign_in(client, world.observers[0])
    start_draft(client, world.assignments[(world.observers[0], world.units[0])])
    page = client.get("/observe/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Draft saved" in page and "To do" in page and "Continue draft 1" in page


def test_a_closed_round_disappears_from_the_list(client: FlaskClient, session: Session) -> None:
    world = build_world(session, observers=1, units=1)
    rounds.close_round(session, rounds.get_round(session, world.round_id))
    session.commit()
    sign_in(client, world.observers[0])
    page = client.get("/observe/").get_data(as_text=True)
    assert "青年之家1号" not in page


def test_signed_out_visitors_are_sent_to_the_login(client: FlaskClient) -> None:
    response = client.get("/observe/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_other_roles_may_not_see_observer_pages(client: FlaskClient, session: Session) -> None:
    evaluator = make_person(session, "evaluator")
    sign_in(client, evaluator.id)
    assert client.get("/observe/").status_code == 403
