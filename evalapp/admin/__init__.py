"""Administration pages: observer accounts and their one-time invitation links, API tokens,
the audit log."""

from flask import Blueprint

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit, tokens, views  # noqa: E402,F401  (registers the routes)
