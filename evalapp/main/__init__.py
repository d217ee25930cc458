"""Home page, language choice and the health check."""

from flask import Blueprint

blueprint = Blueprint("main", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
