"""Token administration: the admin pages (secret shown once, revoke, audit) and the CLI."""

from __future__ import annotations

import re

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import ApiToken, AuditEvent
from tests.api.conftest import City, bearer, sign_in

PAGE = "/admin/tokens"


def _csrf(client: FlaskClient) -> str:
    page = client.get(PAGE).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]  # type: ignore[index]


def _actions(session: Session) -> list[tuple[str, str | None]]:
    session.rollback()  # a fresh snapshot: SQLite's would not see the app's later commits
    return [(e.action, e.object_id) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "api_token").order_by(AuditEvent.id))]


def test_only_admins_manage_tokens(client: FlaskClient, city: City) -> None:
    assert client.get(PAGE).status_code == 302
    sign_in(client, city.evaluator)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/1/revoke").status_code in (400, 403)
    sign_in(client, city.admin)
    page = client.get(PAGE).get_data(as_text=True)
    assert "API 令牌" in page and "dashboard" in page and "eva" in page
    assert city.token not in page
    options = re.findall(r'<option[^>]*value="(\d+)"', page)
    assert sorted(map(int, options)) == sorted([city.evaluator.id, city.admin.id])


def test_a_token_is_shown_once_and_works(client: FlaskClient, session: Session,
                                         city: City) -> None:
    sign_in(client, city.admin)
    created = client.post(PAGE, data={"csrf_token": _csrf(client), "user_id": city.evaluator.id,
                                      "name": "县级看板"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(evt_[^"]+)"', created.get_data(as_text=True))[1]  # type: ignore[index]
    assert client.get("/api/v1/rounds", headers=bearer(secret)).status_code == 200
    assert secret not in client.get(PAGE).get_data(as_text=True)
    token = session.scalar(select(ApiToken).where(ApiToken.name == "县级看板"))
    assert token is not None and token.user_id == city.evaluator.id
    assert ("create", str(token.id)) in _actions(session)


def test_observers_and_bad_forms_are_refused(client: FlaskClient, session: Session,
                                             city: City) -> None:
    sign_in(client, city.admin)
    for data in ({"user_id": city.observer.id, "name": "x"}, {"user_id": city.evaluator.id,
                                                               "name": " "}):
        refused = client.post(PAGE, data={"csrf_token": _csrf(client), **data})
        assert refused.status_code == 400
    without_csrf = client.post(PAGE, data={"user_id": city.evaluator.id, "name": "x"})
    assert without_csrf.status_code == 400
    assert len(session.scalars(select(ApiToken)).all()) == 1


def test_revoking_from_the_page(client: FlaskClient, session: Session, city: City) -> None:
    token = session.scalars(select(ApiToken)).one()
    sign_in(client, city.admin)
    revoked = client.post(f"{PAGE}/{token.id}/revoke", data={"csrf_token": _csrf(client)})
    assert revoked.status_code == 302 and revoked.headers["Location"] == PAGE
    assert client.get("/api/v1/units", headers=bearer(city.token)).status_code == 401
    assert "dashboard" in client.get(PAGE).get_data(as_text=True)
    assert _actions(session) == [("create", str(token.id)), ("revoke", str(token.id))]
    assert client.post(f"{PAGE}/999/revoke", data={"csrf_token": _csrf(client)}).status_code \
        == 404


def test_cli_creates_lists_and_revokes(runner: FlaskCliRunner, client: FlaskClient,
                                       session: Session, city: City) -> None:
    created = runner.invoke(args=["token", "create", "root", "--name", "nightly export"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("evt_") and "\n" not in secret
    assert "not shown again" in created.stderr
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 200
    listing = runner.invoke(args=["token", "list"]).output
    assert "nightly export" in listing and "dashboard" in listing and secret not in listing
    refused = runner.invoke(args=["token", "create", "obs", "--name", "x"])
    assert refused.exit_code == 1 and "only evaluators and admins" in refused.output
    token_id = session.scalar(select(ApiToken.id).where(ApiToken.name == "nightly export"))
    assert runner.invoke(args=["token", "revoke", str(token_id)]).exit_code == 0
    again = runner.invoke(args=["token", "revoke", str(token_id)])
    assert again.exit_code == 1 and "already revoked" in again.output
    assert runner.invoke(args=["token", "revoke", "999"]).exit_code == 1
    assert client.get("/api/v1/units", headers=bearer(secret)).status_code == 401
