"""A round's responses with their data-quality flags; excluding and including them.

The list shows what the team needs to judge a response — its unit, how it was collected,
how long it took, the flags (straight-lining, speeding, duplicate) and whether it is
excluded and why — and nothing that tells who answered: no observer, no rater code, no
submission key and no date (next to the assignments the team sees, a day could name the
observer of a unit; DESIGN.md, anonymity). Ids are the responses' random ids.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import database
from ..auth.access import roles_required
from ..models import Response, Round, Unit
from ..operations import OperationError
from ..responses.exclusions import exclude_responses, include_responses
from ..scoring.service import compute
from . import blueprint
from .common import (
    PAGE_SIZE,
    Page,
    actor_id,
    page_number,
    query_choice,
    query_text,
    round_or_404,
)
from .forms import ExclusionForm
from .labels import FLAG_NAMES
from .messages import explain

SHOWN = ("all", "flagged", "excluded", "counted")
RESPONSE_ID = re.compile(r"[0-9a-f]{32}")
MAX_SELECTED = 500


@dataclass(frozen=True)
class ResponseRow:
    id: str
    unit_code: str
    unit_name: str
    channel: str
    duration_s: int | None
    flags: tuple[str, ...]
    duplicate_of: str | None
    excluded: bool
    reason: str | None


def _quality(round_: Round, unit: str | None, shown: str) -> pd.DataFrame:
    """The round's responses with their flags (every one, excluded ones too), filtered."""
    frame = compute(database.session(), round_).quality
    keep = pd.Series(True, index=frame.index)
    if unit:
        keep &= frame["unit_code"] == unit
    if shown == "flagged":
        keep &= frame["flagged"]
    elif shown == "excluded":
        keep &= frame["excluded"]
    elif shown == "counted":
        keep &= ~frame["excluded"]
    return frame[keep]


def _page_of(frame: pd.DataFrame) -> Page:
    """The requested page of the frame, as records (only the page is converted)."""
    number = min(page_number(), max(1, math.ceil(len(frame) / PAGE_SIZE)))
    start = (number - 1) * PAGE_SIZE
    records = frame.iloc[start:start + PAGE_SIZE].to_dict("records")
    return Page(records, number, PAGE_SIZE, len(frame))


def _rows(records: list[dict[str, Any]]) -> list[ResponseRow]:
    ids = [r["response_id"] for r in records]
    found = {row.id: row for row in database.session().execute(
        select(Response.id, Response.channel, Response.duration_s, Response.excluded,
               Response.excluded_reason, Unit.name.label("unit_name"))
        .join(Unit, Unit.id == Response.unit_id).where(Response.id.in_(ids)))} if ids else {}
    rows = []
    for record in records:
        stored = found[record["response_id"]]
        flags = tuple(name for name in FLAG_NAMES if record[name])
        first = record["duplicate_of"]
        rows.append(ResponseRow(record["response_id"], record["unit_code"], stored.unit_name,
                                stored.channel, stored.duration_s, flags,
                                first if isinstance(first, str) else None, stored.excluded,
                                stored.excluded_reason))
    return rows


def _page(round_: Round, form: ExclusionForm | None = None, status: int = 200,
          refusal: str | None = None, selected: list[str] | None = None):  # type: ignore[no-untyped-def]
    unit = query_text("unit")
    shown = query_choice("show", SHOWN) or "all"
    page = _page_of(_quality(round_, unit, shown))
    return render_template(
        "evaluate/responses.html", round=round_, page=page, rows=_rows(list(page.items)),
        unit=unit, shown=shown, form=form or ExclusionForm(formdata=None), refusal=refusal,
        selected=set(selected or ()), changeable=round_.status != "published",
        args={k: v for k, v in request.args.items() if k in ("unit", "show", "page") and v}
    ), status


@blueprint.get("/rounds/<int:round_id>/responses")
@roles_required("evaluator", "admin")
def responses(round_id: int):  # type: ignore[no-untyped-def]
    return _page(round_or_404(round_id))


def _selected() -> list[str]:
    chosen = request.form.getlist("response")
    if len(chosen) > MAX_SELECTED or not all(RESPONSE_ID.fullmatch(c) for c in chosen):
        abort(400, description=_("The selection holds something that is not a response of "
                                 "this list. Reload the page and choose again."))
    return chosen


@blueprint.post("/rounds/<int:round_id>/responses/<any(exclude, include):change>")
@roles_required("evaluator", "admin")
def change_exclusion(round_id: int, change: str):  # type: ignore[no-untyped-def]
    db = database.session()
    round_ = round_or_404(round_id)
    form = ExclusionForm()
    chosen = _selected()
    if not form.validate_on_submit():
        return _page(round_, form, 400, selected=chosen)
    operation = exclude_responses if change == "exclude" else include_responses
    try:
        done = operation(db, round_, chosen, form.reason.data, actor_id())
    except OperationError as error:
        db.rollback()
        return _page(round_, form, 400, explain(error), chosen)
    db.commit()
    message = (_("%(count)d responses excluded from scoring.", count=len(done))
               if change == "exclude"
               else _("%(count)d responses count again.", count=len(done)))
    flash(message)
    kept = {key: value[:100] for key in ("unit", "show", "page")
            if (value := request.args.get(key, ""))}
    return redirect(url_for(".responses", round_id=round_.id, **kept), 303)
