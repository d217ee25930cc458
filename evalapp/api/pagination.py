"""Paging of list responses: ``?page=&per_page=`` in, ``next``/``prev`` and ``Link`` out.

Every list answer carries ``page``, ``per_page``, ``total``, and ``next``/``prev`` (absolute
URLs, or null), and the same URLs in an RFC 8288 ``Link`` header with ``first`` and
``last``. The URLs repeat the request's filters in their checked form. A page past the
end is empty, not an error. Rows from the database are paged in SQL (with a stable order
from the caller); computed tables (scores, roll-ups) are sliced.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd
from flask import Response, g, request, url_for
from sqlalchemy import Select, func
from sqlalchemy.orm import Session

from .output import json_response, records
from .params import Param

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
MAX_PAGE = 1_000_000
PAGING = (
    Param("page", "Page number, from 1. A page past the end is empty.", "integer",
          minimum=1, maximum=MAX_PAGE, default=1),
    Param("per_page", f"Rows per page, at most {MAX_PER_PAGE}.", "integer",
          minimum=1, maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE),
)

Row = TypeVar("Row")


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def slice(self, rows: Sequence[Row]) -> Page[Row]:
        return Page(list(rows[self.offset:self.offset + self.per_page]), len(rows), self)

    def frame(self, table: pd.DataFrame) -> Page[dict[str, Any]]:
        """One page of a table's rows, as JSON objects."""
        part = table.iloc[self.offset:self.offset + self.per_page]
        return Page(records(part), len(table), self)

    def query(self, session: Session, statement: Select[Any]) -> Page[Any]:
        """One page of the entities ``statement`` selects, in its order, and their count."""
        counting = statement.with_only_columns(func.count(), maintain_column_froms=True)
        total = session.scalar(counting.order_by(None)) or 0
        rows = session.scalars(statement.limit(self.per_page).offset(self.offset)).all() \
            if self.offset < total else []
        return Page(list(rows), total, self)


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    total: int
    paging: Paging

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.paging.per_page))

    def fields(self) -> dict[str, Any]:
        """The paging fields of the response body."""
        page = self.paging.page
        return {
            "page": page,
            "per_page": self.paging.per_page,
            "total": self.total,
            "next": _page_url(page + 1) if page < self.last_page else None,
            "prev": _page_url(min(page - 1, self.last_page)) if page > 1 else None,
        }

    def link_header(self) -> str:
        fields = self.fields()
        links = [(fields[rel], rel) for rel in ("next", "prev") if fields[rel]]
        links += [(_page_url(1), "first"), (_page_url(self.last_page), "last")]
        return ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links)

    def respond(self, key: str, rows: list[Any], **before: Any) -> Response:
        """``before`` fields, then ``key``: the page's rows (serialised), then paging."""
        return json_response({**before, key: rows, **self.fields()},
                             {"Link": self.link_header()})


def _page_url(page: int) -> str:
    """This request's URL with its checked query parameters and ``page`` replaced."""
    query = {name: _text(value) for name, value in g.api_query.items() if value is not None}
    query["page"] = str(page)
    return url_for(request.endpoint or "", **(request.view_args or {}), **query,
                   _external=True)


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
