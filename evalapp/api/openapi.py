"""The OpenAPI 3.1 document at /api/v1/openapi.json, written from the route declarations.

Paths, parameters and response codes come from :data:`.routes.ROUTES` (the same
declarations that register and check the routes); bodies from :mod:`.schemas`. The
document is public: it says what the API does, not what is in it.
"""

from __future__ import annotations

from typing import Any

from ..version import __version__
from .auth import REALM
from .output import json_response
from .routes import ROUTES, Route, api_route
from .schemas import components, ref

TITLE = "evalapp API"
DESCRIPTION = (
    "Read-only access for the evaluation team to units, rounds, progress, scores, roll-ups, "
    "trends, item results and suggestions of the blind evaluation of youth-league branches. "
    "Send `Authorization: Bearer <token>` (tokens are made by an admin and shown once), or "
    "call from a signed-in browser session. Lists are paged with `page` and `per_page` "
    f"(at most 1000); `next`/`prev` and the `Link` header lead on. {REALM} is the 401's "
    "challenge. Suppressed figures are null, with their `*_suppressed` flag true."
)
TAGS = (
    ("units", "The organisational hierarchy."),
    ("rounds", "Evaluation rounds and their progress."),
    ("scores", "Scores, trends, roll-ups and item results of a round."),
    ("suggestions", "Suggestions (意见建议) and their follow-up."),
    ("meta", "This document."),
)
ERRORS = {
    400: "A query parameter is not valid; `parameter` names it.",
    401: "No valid credentials: send a valid bearer token or sign in.",
    403: "Signed in, but not an evaluator or admin.",
    404: "There is nothing at this address.",
}


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})["get"] = operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": __version__, "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": paths,
        "components": {
            "schemas": components(),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "An API token made in the admin pages."},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                                  "description": "The signed-in browser's session."},
            },
        },
    }


def operation(route: Route) -> dict[str, Any]:
    parameters = [
        {"name": p.name, "in": "path", "required": True, "description": p.description,
         "schema": p.schema} for p in route.path_params]
    parameters += [
        {"name": p.name, "in": "query", "required": False, "description": p.description,
         "schema": p.schema()} for p in route.parameters]
    spec: dict[str, Any] = {
        "operationId": route.endpoint, "summary": route.summary,
        "description": route.description, "tags": [route.tag],
        "parameters": parameters, "responses": _responses(route),
    }
    return spec | ({"security": []} if route.public else {})


def _responses(route: Route) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "OK",
                          "content": {"application/json": {"schema": ref(route.schema)}}}
    if route.paged:
        ok["headers"] = {"Link": {"description": "RFC 8288 links: next, prev, first, last.",
                                  "schema": {"type": "string"}}}
    codes = [400] if route.parameters else []
    codes += [] if route.public else [401, 403]
    codes += [404] if route.path_params else []
    errors = {str(code): {"description": ERRORS[code],
                          "content": {"application/json": {"schema": ref("Error")}}}
              for code in codes}
    return {"200": ok, **errors}


@api_route("/openapi.json", summary="This document", schema="OpenApiDocument", tag="meta",
           public=True)
def openapi() -> Any:
    """The OpenAPI 3.1 description of this API (no credentials needed)."""
    return json_response(document())
