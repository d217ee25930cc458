"""Blind assignment from the page: automatic runs, refusals that say why, changes by hand."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Assignment, Draft, Unit, User
from evalapp.observe import operations as observing
from evalapp.rounds import operations as rounds

from .helpers import (
    EN,
    audit_actions,
    build_city,
    count,
    fresh,
    make_round,
    post,
    signed_in,
    text,
)


def test_automatic_assignment_is_blind_balanced_and_shown(client: FlaskClient,
                                                          session: Session) -> None:
    city = build_city(session, observers=4)
    round_ = make_round(session, city)
    signed_in(client, city.evaluator)
    base = f"/evaluate/rounds/{round_.id}/assignments"
    before = text(client.get(base))
    assert "尚未分配观察员" in before and "有 6 个单位的观察员少于两人" in before
    response = post(client, f"{base}/auto", {"seed": "77"}, page=base)
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "已用随机种子 77 分配 12 项任务。每位观察员现有 3 至 3 项任务。" in page
    assert "obs0" in page and "尚未分配观察员" not in page
    session.rollback()
    pairs = session.execute(select(Assignment.unit_id, Assignment.observer_id)).all()
    homes = {obs: city.homes[n] for n, obs in enumerate(city.observers)}
    assert len(pairs) == 12 and all(homes[observer] != unit for unit, observer in pairs)
    assert audit_actions(session, "round")[-1] == "auto_assign"


def test_an_impossible_run_names_each_unit_and_why_and_assigns_nobody(
        client: FlaskClient, session: Session) -> None:
    city = build_city(session, observers=2)
    round_ = make_round(session, city, observers_per_unit=2)
    signed_in(client, city.evaluator)
    base = f"/evaluate/rounds/{round_.id}/assignments"
    response = post(client, f"{base}/auto", page=base)
    page = text(response)
    assert response.status_code == 400
    assert "未分配任何任务" in page
    assert "第1区青年之家1号：需要 2 名观察员，符合条件的只有 1 名（1 名隶属该单位" in page
    assert count(session, Assignment) == 0


def test_manual_assignment_refusals_are_translated(client: FlaskClient,
                                                   session: Session) -> None:
    city = build_city(session, observers=3)
    round_ = make_round(session, city, exclude_same_county=True)
    signed_in(client, city.evaluator)
    base = f"/evaluate/rounds/{round_.id}/assignments"
    ok = post(client, base, {"unit": "H21", "observer": "OBS0"}, page=base)
    assert ok.status_code == 303
    cases = {("H11", "obs0"): "obs0 隶属于H11，不能评议该单位",  # affiliated
             ("H12", "obs0"): "不允许观察员评议本区县的单位",  # same county
             ("H21", "obs0"): "obs0 已被派往H21",  # twice
             ("H99", "obs0"): "没有使用该代码的单位",
             ("H21", "nobody"): "没有使用该账号的观察员"}
    for (unit, login), message in cases.items():
        refused = post(client, base, {"unit": unit, "observer": login}, page=base)
        assert refused.status_code == 400, (unit, login)
        assert message in text(refused), message
    english = post(client, base, {"unit": "H11", "observer": "obs0"}, page=base, headers=EN)
    assert "obs0 belongs to" in text(english)
    assert count(session, Assignment) == 1


def test_replace_and_withdraw_guard_drafts_and_submitted_visits(client: FlaskClient,
                                                                session: Session) -> None:
    city = build_city(session, observers=3)
    round_ = make_round(session, city, "open")
    unit = session.get(Unit, city.homes[3])
    first, second = (session.get(User, city.observers[n]) for n in (0, 1))
    assignment = rounds.assign_observer(session, round_, unit, first)
    assert observing.start_draft(session, assignment.observer_id, assignment.id)
    session.commit()
    signed_in(client, city.evaluator)
    base = f"/evaluate/rounds/{round_.id}/assignments"
    replace = f"{base}/{assignment.id}/replace"
    refused = post(client, replace, {"observer": "obs1"}, page=base)
    assert refused.status_code == 400 and "请勾选“删除未完成的问卷”" in text(refused)
    done = post(client, replace, {"observer": "obs1", "discard_drafts": "y"}, page=base)
    assert done.status_code == 303
    assert fresh(session).get(Assignment, assignment.id).observer_id == second.id
    assert count(session, Draft) == 0
    withdrawn = post(client, f"{base}/{assignment.id}/remove", page=base)
    assert withdrawn.status_code == 303 and count(session, Assignment) == 0
    assert audit_actions(session, "assignment") == ["assign", "replace", "unassign"]
    other = make_round(session, city, "open", name="另一批次")
    foreign = rounds.assign_observer(session, other, unit, first)
    foreign.status = "submitted"
    session.commit()
    assert post(client, f"{base}/{foreign.id}/remove", page=base).status_code == 404
    other_base = f"/evaluate/rounds/{other.id}/assignments"
    kept = post(client, f"{other_base}/{foreign.id}/remove", page=other_base)
    assert kept.status_code == 400 and "该任务记录了这次走访" in text(kept)


def test_each_change_says_what_it_did_and_returns_to_its_page(client: FlaskClient,
                                                              session: Session) -> None:
    city = build_city(session, observers=3)
    round_ = make_round(session, city)
    signed_in(client, city.evaluator)
    base = f"/evaluate/rounds/{round_.id}/assignments"
    refused = post(client, base, {"unit": "H11", "observer": "obs0"}, page=base)
    assert refused.status_code == 400 and 'value="H11"' in text(refused)  # the form kept
    assigned = post(client, base, {"unit": "H21", "observer": "obs0"}, page=base)
    assert "已派 obs0 前往" in text(client.get(assigned.headers["Location"]))
    assignment = fresh(session).scalars(select(Assignment)).one()
    replaced = post(client, f"{base}/{assignment.id}/replace",
                    {"observer": "obs1", "page": "2"}, page=base)
    assert replaced.status_code == 303 and replaced.headers["Location"].endswith("?page=2")
    assert "改由 obs1 前往" in text(client.get(base))
    removed = post(client, f"{base}/{assignment.id}/remove", page=base)
    assert removed.headers["Location"].endswith(base)
    assert "obs1 不再前往" in text(client.get(base))
    assert count(session, Assignment) == 0
