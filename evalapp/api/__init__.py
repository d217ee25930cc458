"""The JSON API under /api/v1 (evaluators; token authentication comes with hardening)."""

from flask import Blueprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

from . import views  # noqa: E402,F401  (registers the routes)
