"""Administration pages. So far: observer accounts and their one-time invitation links."""

from flask import Blueprint

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: E402,F401  (registers the routes)
