"""Rounds in the browser's forms: create, change, open, close, publish, correct."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Round, RoundResult
from evalapp.rounds import scope

from .helpers import (
    EN,
    audit_actions,
    build_city,
    count,
    make_round,
    post,
    reload,
    signed_in,
    text,
)

SETTINGS = {"opens_on": "2026-11-01", "closes_on": "2026-11-30", "weight_awareness": "1",
            "weight_participation": "1", "weight_satisfaction": "2", "min_n": "5",
            "two_stars": "60", "three_stars": "70", "four_stars": "80", "five_stars": "90",
            "observers_per_unit": "2"}


def _new(city, **fields: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"name": "11月重点抽查", "mode": "spot_check",
            "instrument": city.instruments["spot_check"], **SETTINGS,
            "kinds": ["youth_home"], "method": "all", **fields}


def _round(session: Session) -> Round:
    session.rollback()
    return session.scalars(select(Round).order_by(Round.id.desc())).first()  # type: ignore[return-value]


def test_create_a_round_of_all_youth_homes_in_one_county(client: FlaskClient,
                                                          session: Session) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    page = text(client.get("/evaluate/rounds/new"))
    assert "第1区 (C1)" in page and 'selected value="spot_check"' in page
    response = post(client, "/evaluate/rounds/new", _new(city, areas=["C1"]),
                    page="/evaluate/rounds/new")
    assert response.status_code == 303
    round_ = _round(session)
    assert (round_.status, round_.weights["satisfaction"]) == ("draft", 2.0)
    assert [u.code for u in round_.units] == ["H11", "H12", "H13"]
    page = text(client.get(response.headers["Location"]))
    assert "11月重点抽查" in page and "草稿" in page
    listing = text(client.get("/evaluate/rounds?status=draft"))
    assert "11月重点抽查" in listing
    assert audit_actions(session, "round") == ["create"]


def test_a_stratified_sample_with_a_seed_is_recorded_and_redrawn(client: FlaskClient,
                                                                 session: Session) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    response = post(client, "/evaluate/rounds/new",
                    _new(city, method="size", sample_size="2", seed="4242"),
                    page="/evaluate/rounds/new")
    assert response.status_code == 303
    round_ = _round(session)
    assert round_.sampling_seed == 4242 and len(round_.units) == 2
    assert {u.parent.code for u in round_.units} == {"C1", "C2"}  # one per county
    assert scope.check_sample(session, round_).matches
    page = text(client.get(f"/evaluate/rounds/{round_.id}"))
    assert "4242" in page and "抽样记录重新抽取" in page
    again = post(client, f"/evaluate/rounds/{round_.id}/units",
                 {"kinds": ["youth_home"], "method": "share", "sample_share": "50",
                  "seed": "4242"})
    assert again.status_code == 303
    session.rollback()
    assert len(_round(session).units) == 3


def test_bad_settings_are_shown_on_the_form_and_change_nothing(client: FlaskClient,
                                                               session: Session) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    bad = _new(city, name="", closes_on="2026-10-01", weight_awareness="nan",
               weight_participation="0", weight_satisfaction="0", two_stars="95",
               min_n="zero", method="size", instrument="99999")
    response = post(client, "/evaluate/rounds/new", bad, page="/evaluate/rounds/new")
    page = text(response)
    assert response.status_code == 400
    for message in ("结束日期不能早于开始日期", "请输入整数", "请填写要抽取的单位数"):
        assert message in page, message
    wrong_mode = post(client, "/evaluate/rounds/new",
                      _new(city, instrument=city.instruments["daily"]),
                      page="/evaluate/rounds/new")
    assert wrong_mode.status_code == 400
    assert "不适用于“重点抽查评议”" in text(wrong_mode)
    too_many = post(client, "/evaluate/rounds/new", _new(city, method="size", sample_size="9"),
                    page="/evaluate/rounds/new", headers=EN)
    assert too_many.status_code == 400
    assert count(session, Round) == 0


def test_settings_change_until_publication(client: FlaskClient, session: Session) -> None:
    city = build_city(session)
    round_ = make_round(session, city, "open")
    signed_in(client, city.evaluator)
    edit = text(client.get(f"/evaluate/rounds/{round_.id}/edit"))
    assert 'value="第1轮抽查"' in edit and 'name="instrument"' not in edit  # not in draft
    response = post(client, f"/evaluate/rounds/{round_.id}/edit",
                    {**SETTINGS, "name": "第1轮抽查（延期）", "closes_on": "2027-01-31",
                     "min_n": "3"})
    assert response.status_code == 303
    reload(session, round_)
    assert (round_.name, round_.min_n, round_.closes_on.isoformat()) == (
        "第1轮抽查（延期）", 3, "2027-01-31")
    assert audit_actions(session, "round")[-1] == "update"
    published = make_round(session, city, "published", name="已发布")
    refused = client.get(f"/evaluate/rounds/{published.id}/edit")
    assert refused.status_code == 400 and "已发布" in text(refused)


def test_open_close_publish_and_correct_each_confirmed_first(client: FlaskClient,
                                                              session: Session) -> None:
    city = build_city(session)
    round_ = make_round(session, city)
    signed_in(client, city.evaluator)
    base = f"/evaluate/rounds/{round_.id}"
    confirm = client.get(f"{base}/open")
    assert confirm.status_code == 200 and "尚未分配观察员" in text(confirm)
    reload(session, round_)
    assert round_.status == "draft"  # the confirmation page changes nothing
    for step, status in (("open", "open"), ("close", "closed"), ("publish", "published")):
        response = post(client, f"{base}/{step}")
        assert response.status_code == 303, (step, text(response)[:300])
        reload(session, round_)
        assert round_.status == status
    assert count(session, RoundResult) == 1
    no_reason = post(client, f"{base}/correct", {"reason": "  "})
    assert no_reason.status_code == 400
    corrected = post(client, f"{base}/correct", {"reason": "修正评分程序的取整"})
    assert corrected.status_code == 303
    assert count(session, RoundResult) == 2
    assert "修正评分程序的取整" in text(client.get(base))
    assert audit_actions(session, "round")[-2:] == ["published", "supersede"]


def test_a_step_in_the_wrong_state_is_refused_in_the_users_language(
        client: FlaskClient, session: Session) -> None:
    city = build_city(session)
    round_ = make_round(session, city, "open")
    empty = make_round(session, city, homes=0, name="空批次")
    signed_in(client, city.evaluator)
    page = client.get(f"/evaluate/rounds/{round_.id}/publish")
    assert page.status_code == 400 and "进行中" in text(page)
    refused = post(client, f"/evaluate/rounds/{round_.id}/open",
                   page=f"/evaluate/rounds/{round_.id}")
    assert refused.status_code == 400
    nothing = post(client, f"/evaluate/rounds/{empty.id}/open")
    assert nothing.status_code == 400 and "请先选择单位" in text(nothing)
    english = post(client, f"/evaluate/rounds/{empty.id}/open", headers=EN)
    assert "has no units to evaluate" in text(english)
    reload(session, empty)
    assert empty.status == "draft"
    assert client.get(f"/evaluate/rounds/{round_.id}/open", headers=EN).status_code == 400
