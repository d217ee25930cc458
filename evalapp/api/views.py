"""API views: thin wrappers that read an operation's result and return JSON."""

from __future__ import annotations

import json

from flask import Response, abort

from reports import json_text

from .. import database
from ..auth.access import roles_required
from ..models import Round
from ..scoring.service import score_table
from . import blueprint


@blueprint.get("/rounds/<int:round_id>/scores")
@roles_required("evaluator", "admin")
def round_scores(round_id: int) -> Response:
    """The round's score table at full precision (frozen for a published round)."""
    session = database.session()
    round_ = session.get(Round, round_id)
    if round_ is None:
        abort(404)
    result = score_table(session, round_)
    body = {
        "round": {"id": round_.id, "name": round_.name, "mode": round_.mode,
                  "status": round_.status, "min_n": round_.min_n},
        "data_version": result.data_version,
        "frozen": result.frozen,
        "warnings": list(result.warnings),
        "scores": json.loads(json_text(result.table)),
    }
    return Response(json.dumps(body, ensure_ascii=False, allow_nan=False),
                    mimetype="application/json")
