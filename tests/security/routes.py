"""Every route of the app's URL map, with a URL filled in from the security world."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from flask import Flask
from werkzeug.routing import AnyConverter, IntegerConverter

from evalapp import create_app

from .world import World

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IGNORED = frozenset({"HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    method: str
    arguments: frozenset[str]

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"

    @property
    def unsafe(self) -> bool:
        return self.method in UNSAFE

    @property
    def api(self) -> bool:
        return self.rule.startswith("/api/")


def bare_app() -> Flask:
    """An app to read the URL map from (nothing is requested from it)."""
    folder = tempfile.mkdtemp(prefix="evalapp-routes-")
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "INSTANCE_PATH": folder,
                       "SECRET_KEY": "x", "RATER_SECRET": "x"})


def routes(app: Flask) -> list[Route]:
    return sorted((Route(rule.rule, rule.endpoint, method, frozenset(rule.arguments))
                   for rule in app.url_map.iter_rules()
                   for method in sorted((rule.methods or set()) - IGNORED)),
                  key=lambda route: route.id)


def sample_values(app: Flask, route: Route, world: World) -> dict[str, object]:
    rule = next(r for r in app.url_map.iter_rules(route.endpoint)
                if route.method in (r.methods or ()) and r.rule == route.rule)
    return {name: _sample(name, rule._converters[name], route.endpoint, world)
            for name in rule.arguments}


def url_for_route(app: Flask, route: Route, world: World, **overrides: object) -> str:
    values = {**sample_values(app, route, world), **overrides}
    return app.url_map.bind("localhost").build(route.endpoint, values, method=route.method)


def _sample(name: str, converter: object, endpoint: str, world: World) -> object:
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    known: dict[str, object] = {
        "filename": "app.css", "key": world.draft_key, "round_id": world.round_id,
        "assignment_id": world.assignment_id, "suggestion_id": world.suggestion_id,
        "token_id": world.token_id, "user_id": world.users["invited"], "code": world.unit_code,
        "token": world.invitation if endpoint == "auth.accept_invitation" else "A" * 32,
    }
    if name in known:
        return known[name]
    return 1 if isinstance(converter, IntegerConverter) else "x"
