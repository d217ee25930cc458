"""The authorisation matrix: every route of the URL map × anonymous, an observer, another
observer, an evaluator and an admin, against what the route declares.

- A route must declare who may use it (``roles_required``, or the short lists in
  `access`); a new route without a declaration fails here.
- Signed out, a page sends to the sign-in page and the API answers 401; a role the route
  does not admit gets 403; another observer's draft is not found (404, which does not
  reveal that it exists). A refused request changes nothing in the database.
- An admitted role is neither refused nor sent to sign in, and gets no server error.
- A GET changes nothing in the database, whoever asks.
- No HTML page shows the hostile text of the world unescaped (see `world`).
"""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from .access import PUBLIC, SIGNED_IN, declared_roles, expectation
from .routes import Route, bare_app, routes, url_for_route
from .world import ROLES, World, changes, client_for, csrf_token, snapshot

APP = bare_app()
ROUTES = routes(APP)


def test_every_route_declares_who_may_use_it() -> None:
    undeclared = [route.id for route in ROUTES if route.endpoint not in PUBLIC | SIGNED_IN
                  and not declared_roles(APP, route.endpoint)]
    assert undeclared == []
    stale = (PUBLIC | SIGNED_IN) - {route.endpoint for route in ROUTES}
    assert stale == set()
    assert not {r.endpoint for r in ROUTES if declared_roles(APP, r.endpoint)} & PUBLIC


def test_state_changing_rules_take_no_get() -> None:
    """A rule that takes POST takes no GET, except the few forms that post to their own
    page (sign-in, password, invitation), whose GET only shows the form."""
    for rule in APP.url_map.iter_rules():
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        if methods & {"POST", "PUT", "PATCH", "DELETE"} and "GET" in methods:
            assert rule.endpoint in PUBLIC | SIGNED_IN, rule  # forms that post to themselves


@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_access(secure_app: Flask, world: World, route: Route) -> None:
    arguments = set(route.arguments)
    order = sorted(ROLES, key=lambda r: expectation(APP, route.endpoint, arguments, r)
                   in ("allowed", "public"))
    for role in order:
        expected = expectation(APP, route.endpoint, arguments, role)
        _check(secure_app, world, route, role, expected)


def _check(app: Flask, world: World, route: Route, role: str, expected: str) -> None:
    client = client_for(app, world, role)
    data = {"csrf_token": csrf_token(client)} if route.unsafe else None
    before = snapshot(app)
    response = client.open(url_for_route(app, route, world), method=route.method, data=data)
    where = f"{route.id} as {role}"
    _assert_outcome(response, route, expected, where)
    if expected not in ("allowed", "public") or not route.unsafe:
        assert changes(before, snapshot(app)) == {}, where
    if response.mimetype == "text/html":
        assert "<xss-probe" not in response.get_data(as_text=True), where
    response.close()


def _assert_outcome(response: TestResponse, route: Route, expected: str, where: str) -> None:
    status = response.status_code
    to_login = status == 302 and "/login" in response.headers.get("Location", "")
    if expected == "login":
        assert status == 401 if route.api else to_login, (where, status)
    elif expected == "forbidden":
        assert status == 403, (where, status)
    elif expected == "hidden":
        assert status == 404, (where, status)
    elif expected == "public":
        assert status < 500 and status not in (401, 403), (where, status)
    else:
        assert status < 500 and status not in (401, 403) and not to_login, (where, status)
