"""API errors as JSON: the shape of evalapp's error bodies, plus the parameter at fault.

Every error body has ``error`` (the status's title in the caller's language) and
``status``; a 400 adds ``detail`` and, when a query parameter is at fault, ``parameter``.
A 401 carries ``WWW-Authenticate: Bearer`` (RFC 6750), with ``error="invalid_token"`` when a
token was sent and refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, jsonify

from ..errors import MESSAGES


class ApiError(Exception):
    """An error answer of the API, raised from views and the checks before them."""

    def __init__(self, code: int, detail: str | None = None, *, parameter: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail or str(code))
        self.code = code
        self.detail = detail
        self.parameter = parameter
        self.headers = dict(headers or {})


def render(error: ApiError) -> tuple[Response, int, dict[str, str]]:
    title = MESSAGES[error.code][0]
    body: dict[str, object] = {"error": str(title), "status": error.code}
    if error.detail:
        body["detail"] = error.detail
    if error.parameter:
        body["parameter"] = error.parameter
    return jsonify(body), error.code, error.headers
