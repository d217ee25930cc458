"""CSRF: every state-changing request of the URL map needs the session's token.

Each POST/PUT/PATCH/DELETE route is tried by a role it admits — with no token, a made-up
token and another session's token — and must answer 400 and change nothing. (A request
with the right token is what the authorisation matrix sends.)
"""

from __future__ import annotations

import pytest
from flask import Flask

from .access import expectation
from .routes import Route, bare_app, routes, url_for_route
from .world import ROLES, World, changes, client_for, csrf_token, snapshot

APP = bare_app()
UNSAFE_ROUTES = [route for route in routes(APP) if route.unsafe]


def admitted_role(route: Route) -> str:
    return next(role for role in ROLES
                if expectation(APP, route.endpoint, set(route.arguments), role)
                in ("allowed", "public"))


def test_there_are_state_changing_routes_to_check() -> None:
    assert len(UNSAFE_ROUTES) >= 20


@pytest.mark.parametrize("route", UNSAFE_ROUTES, ids=[route.id for route in UNSAFE_ROUTES])
def test_refused_without_the_sessions_token(secure_app: Flask, world: World,
                                            route: Route) -> None:
    role = admitted_role(route)
    client = client_for(secure_app, world, role)
    stranger = csrf_token(client_for(secure_app, world, "anonymous"))
    url = url_for_route(secure_app, route, world)
    for tokens in ({}, {"csrf_token": "forged"}, {"csrf_token": stranger}):
        before = snapshot(secure_app)
        response = client.open(url, method=route.method,
                               data={**tokens, "action": "submit", "name": "x"})
        assert response.status_code in ((400, 401, 403) if route.api else (400,)), \
            (route.id, role, tokens, response.status_code)
        assert changes(before, snapshot(secure_app)) == {}, (route.id, tokens)
