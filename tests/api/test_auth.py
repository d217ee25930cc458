"""Bearer tokens and the session: who may call the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from evalapp.auth import tokens
from evalapp.models import ApiToken, AuditEvent, User
from evalapp.operations import OperationError
from tests.api.conftest import City, bearer, sign_in
from tests.factories import make_user

UNITS = "/api/v1/units"


def _challenge(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response.json["status"] == 401
    return response.headers["WWW-Authenticate"]


def test_a_token_opens_the_api_and_is_stored_hashed(client: FlaskClient, session: Session,
                                                     city: City) -> None:
    response = client.get(UNITS, headers=bearer(city.token))
    assert response.status_code == 200 and response.json["total"] == 9
    stored = session.scalars(select(ApiToken)).one()
    assert city.token.startswith(tokens.PREFIX)
    assert stored.token_hash == hashlib.sha256(city.token.encode()).hexdigest()
    assert city.token not in str(session.scalars(select(AuditEvent.detail)).all())
    session.refresh(stored)
    assert stored.last_used_on == dt.datetime.now(dt.UTC).date()


def test_no_credentials_get_a_bearer_challenge(client: FlaskClient, city: City) -> None:
    assert _challenge(client.get(UNITS)) == 'Bearer realm="evalapp"'
    basic = client.get(UNITS, headers={"Authorization": "Basic ZXZhOnNlY3JldA=="})
    assert 'error="invalid_request"' in _challenge(basic)
    unknown = client.get(UNITS, headers=bearer(tokens.PREFIX + "x" * 43))
    assert 'error="invalid_token"' in _challenge(unknown)
    assert 'error="invalid_request"' in _challenge(client.get(UNITS, headers=bearer("")))


def test_revoked_tokens_and_lapsed_holders_are_refused(client: FlaskClient, session: Session,
                                                       city: City) -> None:
    token = session.scalars(select(ApiToken)).one()
    tokens.revoke_token(session, token, city.admin.id)
    session.commit()
    assert 'error="invalid_token"' in _challenge(client.get(UNITS, headers=bearer(city.token)))
    with pytest.raises(OperationError, match="already revoked"):
        tokens.revoke_token(session, token)
    for change in ({"active": False}, {"role": "observer"}):
        holder = make_user(session, role="evaluator")
        _, secret = tokens.create_token(session, holder, "script")
        session.commit()
        assert client.get(UNITS, headers=bearer(secret)).status_code == 200
        for field, value in change.items():
            setattr(holder, field, value)
        session.commit()
        assert client.get(UNITS, headers=bearer(secret)).status_code == 401


def test_observers_never_hold_a_token(session: Session, city: City) -> None:
    with pytest.raises(OperationError, match="only evaluators and admins"):
        tokens.create_token(session, city.observer, "sneaky")
    with pytest.raises(OperationError, match="needs a name"):
        tokens.create_token(session, city.evaluator, "   ")
    assert session.scalar(select(ApiToken).where(ApiToken.user_id == city.observer.id)) is None


def test_last_use_is_written_at_most_once_a_day(session: Session, city: City) -> None:
    writes: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE api_token"):
            writes.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for day in (dt.date(2026, 12, 1), dt.date(2026, 12, 1), dt.date(2026, 12, 2)):
            assert tokens.authenticate(session, city.token, today=day) == city.evaluator
            session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(writes) == 2
    assert session.scalars(select(ApiToken)).one().last_used_on == dt.date(2026, 12, 2)
    assert tokens.authenticate(session, "evt_" + "y" * 300) is None


def test_the_browser_session_still_works_for_the_team_only(client: FlaskClient,
                                                          city: City) -> None:
    sign_in(client, city.observer)
    forbidden = client.get(UNITS)
    assert forbidden.status_code == 403 and forbidden.json["status"] == 403
    sign_in(client, city.evaluator)
    assert client.get(UNITS).status_code == 200
    assert client.get(UNITS).headers["Cache-Control"] == "no-store"


def test_a_sent_token_decides_over_the_session(client: FlaskClient, city: City) -> None:
    sign_in(client, city.evaluator)
    assert client.get(UNITS, headers=bearer("evt_wrong")).status_code == 401
    sign_in(client, city.observer)
    assert client.get(UNITS, headers=bearer(city.token)).status_code == 200


def test_the_document_is_public(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.1")


def test_admin_tokens_work_too(client: FlaskClient, session: Session, city: City) -> None:
    admin = session.get(User, city.admin.id)
    assert admin is not None
    _, secret = tokens.create_token(session, admin, "admin script")
    session.commit()
    assert client.get("/api/v1/rounds", headers=bearer(secret)).json["total"] == 3
