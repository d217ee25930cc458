"""The observer's pages: my assignments, the questionnaire form, drafts and submission."""

from flask import Blueprint

blueprint = Blueprint("observe", __name__, url_prefix="/observe")

from . import views  # noqa: E402,F401  (registers the routes)
