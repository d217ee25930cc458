"""GET /rounds/{round_id}/scores, /trend, /rollups and /items: a round's results.

Published rounds are read from their frozen result, others computed from the current data
(see :mod:`evalapp.scoring.service`). A suppressed figure is null with its ``*_suppressed``
flag set: the tables hold NaN there, so no number can leak.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports import trend
from reports.item_results import ITEM_RESULT_COLUMNS

from .. import database
from ..scoring.cli import ROLLUP_KINDS
from ..scoring.service import previous_published, rollup_table, score_table
from .pagination import Paging
from .params import Param
from .rounds import round_or_404, round_ref
from .routes import api_route

LEVEL = Param("level", "The level of the hierarchy to pool units to.", enum=ROLLUP_KINDS,
              default="county")
UNIT = Param("unit", "Only the rows of the unit with this code.")


@api_route("/rounds/{round_id}/scores", summary="Score table", schema="ScoreTable",
           tag="scores", paged=True)
def round_scores(round_id: int, paging: Paging) -> Any:
    """The round's score table at full precision, one row per unit in scope, by unit code
    (frozen for a published round)."""
    session = database.session()
    round_ = round_or_404(round_id)
    result = score_table(session, round_)
    page = paging.frame(result.table)
    return page.respond("scores", page.rows, round=round_ref(round_),
                        data_version=result.data_version, frozen=result.frozen,
                        warnings=list(result.warnings))


@api_route("/rounds/{round_id}/trend", summary="Change since the previous round",
           schema="Trend", tag="scores", paged=True)
def round_trend(round_id: int, paging: Paging) -> Any:
    """Each unit's change in raw scores against the previous published round of the same
    mode and instrument, with a significance test per dimension; no rows when there is no
    such round."""
    session = database.session()
    round_ = round_or_404(round_id)
    before = previous_published(session, round_)
    table = pd.DataFrame() if before is None else trend(
        score_table(session, round_).table, score_table(session, before).table)
    page = paging.frame(table)
    return page.respond("trend", page.rows, round=round_ref(round_),
                        previous_round=round_ref(before) if before is not None else None)


@api_route("/rounds/{round_id}/rollups", summary="Roll-ups", schema="Rollups", tag="scores",
           query=(LEVEL,), paged=True)
def round_rollups(round_id: int, level: str, paging: Paging) -> Any:
    """Pooled scores of the round's units by their county (or township, or city), with
    counts of units and stars; suppressed where pooled n is below the minimum or where
    suppressed units inside could be backed out."""
    round_ = round_or_404(round_id)
    page = paging.frame(rollup_table(database.session(), round_, level))
    return page.respond("rollups", page.rows, round=round_ref(round_), level=level)


@api_route("/rounds/{round_id}/items", summary="Item results", schema="ItemResults",
           tag="scores", query=(UNIT,), paged=True)
def round_items(round_id: int, unit: str | None, paging: Paging) -> Any:
    """Per unit and scored item: n, mean item score and % positive with its Wilson 95%
    interval; rows with n below the minimum are suppressed."""
    session = database.session()
    round_ = round_or_404(round_id)
    result = score_table(session, round_)
    items = result.items.reindex(columns=list(ITEM_RESULT_COLUMNS))
    if unit is not None:
        items = items[items["unit_code"] == unit]
    page = paging.frame(items)
    return page.respond("items", page.rows, round=round_ref(round_),
                        data_version=result.data_version, frozen=result.frozen)
