"""Every API route is declared once, and the declaration does three jobs.

``api_route`` registers the Flask view, authenticates the caller, checks its query
parameters (a bad value is a 400 naming the parameter, before any query runs), and keeps
the declaration in :data:`ROUTES`, from which :mod:`.openapi` writes the document. What the
document promises is therefore what the code accepts, and a test checks that every API rule
of the app's URL map came through here, so no route escapes the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, g, request
from werkzeug.datastructures import MultiDict

from . import blueprint
from .auth import API_ROLES, require_api_user
from .output import json_response
from .pagination import PAGING, Paging
from .params import PATH_PARAMS, Param, PathParam


@dataclass(frozen=True)
class Route:
    """One GET operation: its path under /api/v1 (OpenAPI style), docs and parameters.

    ``schema`` names the component schema of the 200 body (see :mod:`.schemas`).
    """

    path: str
    endpoint: str
    summary: str
    description: str
    tag: str
    schema: str
    query: tuple[Param, ...] = ()
    paged: bool = False
    public: bool = False

    @property
    def parameters(self) -> tuple[Param, ...]:
        return (*self.query, *PAGING) if self.paged else self.query

    @property
    def path_params(self) -> tuple[PathParam, ...]:
        return tuple(PATH_PARAMS[name] for name in re.findall(r"{(\w+)}", self.path))

    @property
    def rule(self) -> str:
        """The Flask rule: ``{round_id}`` becomes ``<int(min=1, ...):round_id>``."""
        return re.sub(r"{(\w+)}", lambda m: f"<{PATH_PARAMS[m[1]].converter}:{m[1]}>",
                      self.path)

    def parse_query(self, args: MultiDict[str, str]) -> dict[str, Any]:
        """Declared parameters, checked; absent ones get their default (else None)."""
        return {param.name: param.parse(args[param.name]) if param.name in args
                else param.default for param in self.parameters}


ROUTES: list[Route] = []


def api_route(path: str, *, summary: str, schema: str, tag: str,
              query: tuple[Param, ...] = (), paged: bool = False,
              public: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Declare and register a GET route; its docstring is the operation's description.

    The view gets the path arguments and the declared query parameters as keywords; a paged
    route gets ``paging`` instead of ``page`` and ``per_page``. It returns a JSON-ready
    value or a ``Response``.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        route = Route(path, view.__name__, summary, _dedent(view.__doc__), tag, schema,
                      query, paged, public)

        @wraps(view)
        def handle(**path_args: Any) -> Response:
            if not public:
                g.api_user = require_api_user()
            g.api_query = route.parse_query(request.args)
            arguments = dict(g.api_query)
            if paged:
                arguments["paging"] = Paging(arguments.pop("page"), arguments.pop("per_page"))
            result = view(**path_args, **arguments)
            return result if isinstance(result, Response) else json_response(result)

        handle.allowed_roles = None if public else API_ROLES  # type: ignore[attr-defined]
        handle.api_route = route  # type: ignore[attr-defined]
        blueprint.add_url_rule(route.rule, endpoint=route.endpoint, view_func=handle,
                               methods=["GET"])
        ROUTES.append(route)
        return handle

    return decorate


def _dedent(text: str | None) -> str:
    return " ".join((text or "").split())
