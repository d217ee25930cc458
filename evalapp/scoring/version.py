"""A round's data version: the name of everything its scores depend on.

The hash covers the non-excluded response ids (responses are never edited, so their ids
stand for their answers), the exclusions with their reasons, the round's settings, the
units in scope, the instrument's content hash and the software version. Anything computed
from a round is cached under it, and a frozen result records it.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Response, Round
from ..version import __version__
from .frames import scope_units


def data_version(session: Session, round_: Round) -> str:
    rows = session.execute(
        select(Response.id, Response.excluded, Response.excluded_reason)
        .where(Response.round_id == round_.id).order_by(Response.id)
    ).all()
    units = scope_units(session, round_.id)
    content = {
        "responses": [row.id for row in rows if not row.excluded],
        "exclusions": [[row.id, row.excluded_reason] for row in rows if row.excluded],
        "settings": {"weights": round_.weights, "min_n": round_.min_n,
                     "star_cutoffs": round_.star_cutoffs},
        "units": units.astype(object).where(units.notna(), None).values.tolist(),
        "instrument": round_.instrument.content_hash,
        "software": __version__,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()
