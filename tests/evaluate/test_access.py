"""Every page of the team names its roles; observers and strangers stay out; ids are checked."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.observe.helpers import make_person

from .helpers import build_city, make_round, signed_in


def test_every_view_admits_evaluators_and_admins_only(app: Flask) -> None:
    views = {rule.endpoint: app.view_functions[rule.endpoint] for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("evaluate.")}
    assert len(views) >= 25
    for endpoint, view in views.items():
        assert getattr(view, "allowed_roles", None) == ("evaluator", "admin"), endpoint
    assert app.view_functions["admin.audit_log"].allowed_roles == ("admin",)


def test_no_view_changes_anything_on_get(app: Flask) -> None:
    """Every route that accepts POST accepts nothing else (HEAD/OPTIONS aside), and no
    changing endpoint answers a GET."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("evaluate.") and "POST" in rule.methods:
            assert rule.methods <= {"POST", "OPTIONS"}, rule


def test_observers_are_refused_and_strangers_sent_to_sign_in(client: FlaskClient,
                                                              session: Session) -> None:
    city = build_city(session)
    round_ = make_round(session, city)
    paths = ["/evaluate/rounds", f"/evaluate/rounds/{round_.id}", "/evaluate/suggestions",
             f"/evaluate/rounds/{round_.id}/responses", "/evaluate/activities"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    signed_in(client, city.observers[0])
    for path in [*paths, "/admin/audit"]:
        assert client.get(path).status_code == 403, path


def test_the_audit_log_is_for_admins(client: FlaskClient, session: Session) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    assert client.get("/admin/audit").status_code == 403


def test_unknown_and_impossible_ids_are_404(client: FlaskClient, session: Session) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    for path in ("/evaluate/rounds/999", "/evaluate/rounds/99999999999999999999",
                 "/evaluate/rounds/999/assignments", "/evaluate/rounds/999/progress.csv",
                 "/evaluate/rounds/0/responses"):
        response = client.get(path, headers={"Accept-Language": "zh-CN"})
        assert response.status_code == 404, path
        assert "页面不存在" in response.get_data(as_text=True)


def test_bad_query_arguments_are_400_in_the_users_language(client: FlaskClient,
                                                           session: Session) -> None:
    city = build_city(session)
    admin = make_person(session, "admin", login="guanli")
    signed_in(client, city.evaluator)
    for path in ("/evaluate/rounds?status=nonsense", "/evaluate/rounds?page=abc",
                 "/evaluate/suggestions?round=x", "/evaluate/activities?week=2026-13-45",
                 "/evaluate/activities?week=9999-12-31"):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 400, path
    signed_in(client, admin.id)
    assert client.get("/admin/audit?actor=-1").status_code == 400
    assert client.get("/admin/audit?action=drop").status_code == 400


JUNK = {"name": "x" * 5000, "seed": "-1", "sample_size": "1e9", "sample_share": "nan",
        "weight_awareness": "inf", "min_n": "99999999999999999999", "opens_on": "31/02/2026",
        "method": "size", "kinds": "planet", "areas": "nowhere", "response": ["zz", "0" * 32],
        "item-0": "nope", "source-0": "?", "action": "import", "observer": "\x00bad",
        "unit": "🙂" * 100, "status": "exploded", "note": "", "reason": "r" * 600,
        "held_on": "9999-99-99", "type": "party", "mapping_name": "m" * 300, "page": "-5"}


def test_junk_posts_get_a_clear_answer_never_a_server_error(client: FlaskClient,
                                                            session: Session,
                                                            app: Flask) -> None:
    city = build_city(session)
    round_ = make_round(session, city, "open")
    signed_in(client, city.evaluator)
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/evaluate/rounds").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    values = {"round_id": round_.id, "assignment_id": 1, "suggestion_id": 1,
              "token": "A" * 32, "code": "H11"}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("evaluate.") or "POST" not in rule.methods:
            continue
        for choice in _choices(rule):
            url = app.url_map.bind("localhost").build(rule.endpoint, {**values, **choice},
                                                      method="POST")
            response = client.post(url, data={**JUNK, "csrf_token": token})
            response.close()  # a download's file
            assert response.status_code < 500, (url, response.status_code)
            assert response.status_code in (200, 303, 400, 404), url


def _choices(rule) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """One set of values per word an ``any(...)`` part of the rule accepts."""
    found = [{}]
    for name, converter in rule._converters.items():
        items = getattr(converter, "items", None)
        if items:
            found = [{**f, name: item} for f in found for item in sorted(items)]
    return found
