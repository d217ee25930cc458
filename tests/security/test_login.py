"""Sign-in throttling and account enumeration, through the real form.

The answers to an unknown login, a wrong password, a deactivated account and an account
whose owner has not set a password yet are the same page (CSRF token aside), and all of
them count against the throttle alike; blocked answers are the same too. Forged
X-Forwarded-For headers do not buy fresh addresses unless a trusted proxy is configured.
Invitation links that are unknown or expired get the same page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from evalapp import database
from evalapp.auth.throttle import MAX_FAILURES
from evalapp.models import User, now_utc
from tests.observe.helpers import PASSWORD

from .world import World, copy_world, csrf_token

TOKEN_VALUE = re.compile(r'value="[^"]*"')


def _attempt(client: FlaskClient, login: str, password: str,
             address: str | None = None) -> tuple[int, str]:
    headers = {"X-Forwarded-For": address} if address else {}
    response = client.post("/login", headers=headers, data={
        "login": login, "password": password, "csrf_token": csrf_token(client, "/login")})
    return response.status_code, TOKEN_VALUE.sub("", response.get_data(as_text=True))


def _logins(app: Flask, world: World) -> dict[str, str]:
    """observer (active, with a password), inactive, invited (no password yet)."""
    with database.sessionmaker_of(app)() as session:
        users = {role: session.get(User, world.users[role]) for role in
                 ("observer", "other_observer", "invited")}
        users["other_observer"].active = False  # type: ignore[union-attr]
        users["invited"].password_hash = None  # type: ignore[union-attr]
        session.commit()
        return {"observer": users["observer"].login,  # type: ignore[union-attr]
                "inactive": users["other_observer"].login,  # type: ignore[union-attr]
                "invited": users["invited"].login}  # type: ignore[union-attr]


def test_no_answer_tells_whether_an_account_exists(secure_app: Flask, world: World) -> None:
    logins = _logins(secure_app, world)
    answers = {
        "unknown": _attempt(secure_app.test_client(), "nobody-here", PASSWORD),
        "wrong password": _attempt(secure_app.test_client(), logins["observer"], "wrong!"),
        "inactive": _attempt(secure_app.test_client(), logins["inactive"], PASSWORD),
        "no password yet": _attempt(secure_app.test_client(), logins["invited"], PASSWORD),
    }
    assert {status for status, _page in answers.values()} == {200}
    assert len({page for _status, page in answers.values()}) == 1, list(answers)


def test_unknown_logins_count_like_known_ones_and_blocks_look_alike(secure_app: Flask,
                                                                    world: World) -> None:
    logins = _logins(secure_app, world)
    blocked = []
    for number, login in enumerate(("nobody-here", logins["observer"])):
        client = secure_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{number + 1}"
        for _ in range(MAX_FAILURES):
            assert _attempt(client, login, "wrong!")[0] == 200
        blocked.append(_attempt(client, login, PASSWORD))
    assert [status for status, _page in blocked] == [429, 429]
    assert blocked[0][1] == blocked[1][1]


def test_forged_forwarded_for_does_not_escape_the_address_limit(secure_app: Flask,
                                                                world: World) -> None:
    logins = _logins(secure_app, world)
    client = secure_app.test_client()
    for n in range(MAX_FAILURES):
        _attempt(client, f"guess{n}", "wrong!", address=f"203.0.113.{n}")
    assert _attempt(client, logins["observer"], PASSWORD, address="198.51.100.9")[0] == 429


def test_behind_a_trusted_proxy_addresses_are_told_apart(world_template: tuple[Path, World],
                                                         tmp_path: Path) -> None:
    app = copy_world(world_template[0], tmp_path, PROXY_HOPS=1)
    logins = _logins(app, world_template[1])
    client = app.test_client()
    for n in range(MAX_FAILURES):
        _attempt(client, f"guess{n}", "wrong!", address="203.0.113.5")
    assert _attempt(client, logins["observer"], PASSWORD, address="203.0.113.5")[0] == 429
    status, _page = _attempt(app.test_client(), logins["observer"], PASSWORD,
                             address="198.51.100.9")
    assert status == 302


def test_unknown_and_expired_invitations_look_alike(secure_app: Flask,
                                                         world: World) -> None:
    client = secure_app.test_client()
    unknown = client.get("/invitation/" + "Q" * 43)
    with database.sessionmaker_of(secure_app)() as session:
        invited = session.get(User, world.users["invited"])
        invited.invite_expires_at = now_utc() - dt.timedelta(minutes=1)  # type: ignore[union-attr]
        session.commit()
    expired = client.get(f"/invitation/{world.invitation}")
    assert unknown.status_code == expired.status_code == 404
    pages = [response.get_data(as_text=True).replace(token, "TOKEN") for response, token in
             ((unknown, "Q" * 43), (expired, world.invitation))]  # the page's own address
    assert pages[0] == pages[1]
