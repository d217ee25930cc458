"""The JSON API under /api/v1: units, rounds, progress, scores and suggestions, read-only.

For evaluators and admins, with a bearer token or the browser's session (:mod:`.auth`).
Each route is declared once with :func:`.routes.api_route`; that declaration checks the
query, and :mod:`.openapi` turns the declarations into the document at
/api/v1/openapi.json. Answers are never cached by the browser or a proxy.
"""

from flask import Blueprint, Response

from .problems import ApiError, render

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
blueprint.register_error_handler(ApiError, render)


@blueprint.after_request
def _private(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.vary.update(("Authorization", "Cookie"))
    return response


from . import openapi, progress, rounds, scores, suggestions, units  # noqa: E402,F401
