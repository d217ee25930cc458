"""Error pages in the visitor's language; JSON errors under /api/."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please check what you sent and try again."),
    ),
    401: (_l("Please sign in"), _l("This page is only for signed-in users.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("The upload is larger than the 20 MB limit.")),
    429: (_l("Too many attempts"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again later.")),
}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _render_http_error)
    app.register_error_handler(Exception, _render_unexpected)


def _render_http_error(error: HTTPException):  # type: ignore[no-untyped-def]
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description))
    detail = error.description if code == 400 and error.description != _default(code) else None
    if request.path.startswith("/api/"):
        body = {"error": str(title), "status": code}
        if detail:
            body["detail"] = detail
        return jsonify(body), code, _kept_headers(error)
    return render_template(
        "error.html", code=code, title=title, message=message, detail=detail
    ), code, _kept_headers(error)


def _kept_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The exception's own headers (a 405's Allow, a 401's WWW-Authenticate), not its type."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def _render_unexpected(error: Exception):  # type: ignore[no-untyped-def]
    current_app.logger.exception("unhandled error on %s", request.path)
    return _render_http_error(InternalServerError())


def _default(code: int) -> str | None:
    exception = default_exceptions.get(code)
    return exception.description if exception else None
