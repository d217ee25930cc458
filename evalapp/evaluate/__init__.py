"""The evaluation team's pages (evaluators and admins): rounds and their units, blind
assignment, progress, response imports, activities, suggestions and exclusions.

Views are thin: a form, one operation of `evalapp.rounds`, `evalapp.activities`,
`evalapp.suggestions`, `evalapp.responses` or `evalapp.imports`, a commit, a redirect with
a message. Refusals of the operations are shown translated (`messages`).
"""

from flask import Blueprint

blueprint = Blueprint("evaluate", __name__, url_prefix="/evaluate")

from .common import label_tables, page_url  # noqa: E402

blueprint.add_app_template_global(page_url, "page_url")
blueprint.context_processor(label_tables)

from . import (  # noqa: E402,F401  (registers the routes)
    activities,
    assignments,
    exclusions,
    imports,
    progress,
    report,
    rounds,
    suggestions,
)
