"""No path traversal: every route with a text argument, given paths instead of names.

Each GET and POST route whose URL takes a string or path (static files, draft keys,
invitation and upload tokens, unit codes...) is called by a role it admits with the usual
ways of climbing out of a folder — plain, encoded, double-encoded, backslashes, absolute
paths, a NUL byte. No answer may contain the instance folder's secret or /etc/passwd, none
is a server error, and no file outside the upload area is created, changed or removed. An
uploaded file's own name never becomes a path either.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage
from werkzeug.routing import IntegerConverter
from werkzeug.test import encode_multipart

from .routes import Route, bare_app, routes, sample_values
from .test_csrf import admitted_role
from .world import SENTINEL, World, client_for, csrf_token

PAYLOADS = (
    "../../instance/secret_key", "..%2F..%2Finstance%2Fsecret_key",
    "%2e%2e%2f%2e%2e%2finstance%2fsecret_key", "..%252f..%252fsecret_key",
    "....//....//secret_key", "..%5C..%5Csecret_key", "/etc/passwd", "%2Fetc%2Fpasswd",
    "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "secret_key%00.css", "%00",
    "C:%5CWindows%5Cwin.ini", "..", "%2e%2e",
)
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
APP = bare_app()


def _text_routes() -> list[Route]:
    found = []
    for route in routes(APP):
        rule = next(r for r in APP.url_map.iter_rules(route.endpoint) if r.rule == route.rule)
        if any(not isinstance(rule._converters[name], IntegerConverter)
               for name in rule.arguments):
            found.append(route)
    return found


TEXT_ROUTES = _text_routes()


def _path(app: Flask, route: Route, world: World, payload: str) -> str:
    values = sample_values(app, route, world)
    rule = next(r for r in app.url_map.iter_rules(route.endpoint) if r.rule == route.rule)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if isinstance(rule._converters[name], IntegerConverter):
            return str(values[name])
        return payload

    return ARGUMENT.sub(fill, route.rule)


def _files(folder: Path) -> dict[str, bytes]:
    """The test's files, the database and the upload area aside."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*")
            if path.is_file() and "uploads" not in path.parts
            and not path.name.startswith("evalapp.db")}


def test_there_are_text_routes_to_try() -> None:
    assert {"static", "auth.accept_invitation", "observe.draft"} <= \
        {route.endpoint for route in TEXT_ROUTES}


@pytest.mark.parametrize("route", TEXT_ROUTES, ids=[route.id for route in TEXT_ROUTES])
def test_no_route_climbs_out(secure_app: Flask, world: World, route: Route) -> None:
    client = client_for(secure_app, world, admitted_role(route))
    folder = Path(secure_app.instance_path).parent
    before = _files(folder)
    data = {"csrf_token": csrf_token(client)} if route.unsafe else None
    for payload in PAYLOADS:
        response = client.open(_path(secure_app, route, world, payload), method=route.method,
                               data=data)
        body = response.get_data()
        response.close()
        assert response.status_code < 500, (payload, response.status_code)
        assert SENTINEL.encode() not in body and b"root:x:0:0" not in body, payload
    assert _files(folder) == before


def test_an_uploads_own_name_is_never_a_path(secure_app: Flask, world: World) -> None:
    client = client_for(secure_app, world, "evaluator")
    folder = Path(secure_app.instance_path).parent
    before = _files(folder)
    for name in ("../../../../escape.csv", "..\\..\\escape.csv", "/tmp/escape.csv"):
        boundary, body = encode_multipart({
            "csrf_token": csrf_token(client),
            "file": FileStorage(io.BytesIO(b"unit,title,date\r\nU1,x,2026-11-05\r\n"), name)})
        for page in ("/evaluate/activities/import", f"/evaluate/rounds/{world.round_id}/import"):
            response = client.post(page, data=body,
                                   content_type=f"multipart/form-data; boundary={boundary}")
            assert response.status_code < 500
    assert _files(folder) == before
    assert not list(folder.parent.glob("escape.csv")) and not Path("/tmp/escape.csv").exists()
