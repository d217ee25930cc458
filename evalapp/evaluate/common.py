"""What the team's views share: the signed-in actor, rows by id, query arguments, paging."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .. import database
from ..models import Round, Unit
from .labels import (
    ACTIVITY_TYPE_NAMES,
    ASSIGNMENT_STATUS_NAMES,
    CHANNEL_NAMES,
    DIMENSION_NAMES,
    FLAG_NAMES,
    KIND_NAMES,
    MODE_NAMES,
    STATUS_NAMES,
    SUGGESTION_STATUS_NAMES,
)

T = TypeVar("T")
MAX_ID = 2**31 - 1  # ids above this are no id of ours (and overflow PostgreSQL's integer)
PAGE_SIZE = 50
MAX_QUERY_TEXT = 100
MIN_YEAR, MAX_YEAR = 1900, 2999


def actor_id() -> int:
    return int(current_user.id)


def get_or_404(model: type[T], ident: int) -> T:
    """The row with this id, or 404 (also for ids no column of ours can hold)."""
    found = database.session().get(model, ident) if 0 < ident <= MAX_ID else None
    if found is None:
        abort(404)
    return found


def round_or_404(round_id: int) -> Round:
    return get_or_404(Round, round_id)


def query_int(name: str) -> int | None:
    """A whole number from the query string; 400 when it is something else."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        abort(400, description=_("“%(name)s” must be a whole number.", name=name))
    return int(raw)


def query_text(name: str) -> str | None:
    raw = " ".join(request.args.get(name, "").split())
    if len(raw) > MAX_QUERY_TEXT:
        abort(400, description=_("“%(name)s” is too long.", name=name))
    return raw or None


def query_choice(name: str, choices: Sequence[str]) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if raw not in choices:
        abort(400, description=_("“%(name)s” has no choice “%(value)s”.", name=name,
                                 value=raw[:40]))
    return raw


def query_date(name: str) -> dt.date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:  # weeks around it must exist
        abort(400, description=_("“%(name)s” must be a date such as 2026-11-05.", name=name))
    return day


@dataclass(frozen=True)
class Page:
    """One page of a longer list, and where it sits."""

    items: Sequence[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first item (0 on an empty list)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)


def page_number() -> int:
    return query_int("page") or 1


def page_of(items: Sequence[T], size: int = PAGE_SIZE) -> Page:
    """The requested page of a list held in memory (the last page when asked beyond)."""
    number = min(page_number(), max(1, math.ceil(len(items) / size)))
    start = (number - 1) * size
    return Page(items[start:start + size], number, size, len(items))


def page_of_query(session: Session, query: Select[Any], size: int = PAGE_SIZE) -> Page:
    """The requested page of a query's rows, counted and fetched by the database."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(page_number(), max(1, math.ceil((total or 0) / size)))
    rows = session.scalars(query.offset((number - 1) * size).limit(size)).all()
    return Page(rows, number, size, total or 0)


def counties(session: Session) -> list[Unit]:
    """The active counties, by code: the areas the team usually chooses by."""
    return list(session.scalars(select(Unit).where(Unit.kind == "county", Unit.active)
                                .order_by(Unit.code)))


def page_url(number: int) -> str:
    """This page's address with the same filters, at page ``number`` (for the pager)."""
    args = {key: value for key, value in request.args.items()
            if key != "page" and not key.startswith("_")}
    return url_for(request.endpoint or "main.home", **(request.view_args or {}), **args,
                   page=number)


def label_tables() -> dict[str, Any]:
    """The names of codes, for every template of the team's pages."""
    return {"status_names": STATUS_NAMES, "mode_names": MODE_NAMES, "kind_names": KIND_NAMES,
            "activity_type_names": ACTIVITY_TYPE_NAMES, "channel_names": CHANNEL_NAMES,
            "suggestion_status_names": SUGGESTION_STATUS_NAMES, "flag_names": FLAG_NAMES,
            "assignment_status_names": ASSIGNMENT_STATUS_NAMES,
            "dimension_names": DIMENSION_NAMES}
