"""Score tables of rounds: computed on demand for open rounds, frozen for published ones.

An open or closed round is scored from its data and the result cached in this process under
the round's data version, so a page, an export and the API asking in turn compute it once.
Publishing freezes the score table and the item results as a ``RoundResult``; a published
round is read from there and never recomputed. A corrected publication supersedes the
current result with a reason and both stay readable.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from reports import (
    TABLE_COLUMNS,
    RoundScores,
    json_text,
    rollup_to_kind,
    score_round,
    trend,
)

from .. import audit
from ..models import Instrument, Round, RoundResult
from ..operations import OperationError
from .frames import hierarchy, load_inputs
from .version import data_version

CACHE_SIZE = 16
INTEGER_COLUMNS = (*(c for c in TABLE_COLUMNS if c.endswith("_n")),
                   "rank", "rank_in_kind", "stars")
BOOLEAN_COLUMNS = tuple(c for c in TABLE_COLUMNS if c.endswith("_suppressed"))
TEXT_COLUMNS = ("unit_code", "unit_name", "unit_kind", "parent_code")
FLOAT_COLUMNS = tuple(c for c in TABLE_COLUMNS
                      if c not in (*INTEGER_COLUMNS, *BOOLEAN_COLUMNS, *TEXT_COLUMNS, "round"))


@dataclass(frozen=True)
class ScoreTable:
    """A round's score table and item results, and where they came from."""

    round_id: int
    data_version: str
    table: pd.DataFrame
    items: pd.DataFrame
    frozen: bool
    warnings: tuple[str, ...] = ()


class _ScoreCache:
    """A small least-recently-used cache of ``RoundScores`` by (database, round, version)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, int, str], RoundScores] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, str]) -> RoundScores | None:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
            return self._entries.get(key)

    def put(self, key: tuple[str, int, str], scores: RoundScores) -> None:
        with self._lock:
            self._entries[key] = scores
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


_cache = _ScoreCache(CACHE_SIZE)


def compute(session: Session, round_: Round, version: str | None = None) -> RoundScores:
    """The round's full scores from its data (cached under its data version)."""
    version = version or data_version(session, round_)
    key = (str(session.get_bind().url), round_.id, version)
    scores = _cache.get(key)
    if scores is None:
        inputs = load_inputs(session, round_)
        scores = score_round(inputs.answers, inputs.responses, inputs.items, inputs.units,
                             inputs.settings)
        _cache.put(key, scores)
    return scores


def current_result(session: Session, round_id: int) -> RoundResult | None:
    return session.scalar(
        select(RoundResult).where(RoundResult.round_id == round_id,
                                  RoundResult.superseded_by_id.is_(None))
        .order_by(RoundResult.id.desc())
    )


def score_table(session: Session, round_: Round) -> ScoreTable:
    """What everything else reads: frozen for a published round, else computed."""
    if round_.status == "published":
        result = current_result(session, round_.id)
        if result is not None:
            return _from_result(result)
    version = data_version(session, round_)
    scores = compute(session, round_, version)
    return ScoreTable(round_.id, version, scores.table, scores.items, frozen=False,
                      warnings=scores.warnings)


def freeze(session: Session, round_: Round, actor_id: int | None = None,
           reason: str | None = None) -> RoundResult:
    """Store the round's score table as its ``RoundResult`` (a correction needs a reason)."""
    previous = current_result(session, round_.id)
    if previous is not None and not (reason and reason.strip()):
        raise OperationError(f"round {round_.id} is already frozen; a corrected publication "
                             "needs a reason")
    version = data_version(session, round_)
    scores = compute(session, round_, version)
    result = RoundResult(
        round_id=round_.id, data_version=version, scores=_records(scores.table),
        item_results=_records(scores.items),
        summary={"warnings": list(scores.warnings),
                 "reliability": _records(scores.reliability)},
        reason=reason.strip() if reason else None,
    )
    session.add(result)
    session.flush()
    if previous is not None:
        previous.superseded_by_id = result.id
    audit.record(session, "freeze" if previous is None else "supersede", "round", round_.id,
                 actor_id, data_version=version, result=result.id, reason=result.reason)
    session.flush()
    return result


def previous_published(session: Session, round_: Round) -> Round | None:
    """The latest published round before this one of the same mode and instrument id."""
    return session.scalar(
        select(Round).join(Instrument, Instrument.id == Round.instrument_id)
        .where(Round.status == "published", Round.mode == round_.mode,
               Instrument.key == round_.instrument.key, Round.opens_on < round_.opens_on)
        .order_by(Round.opens_on.desc(), Round.id.desc())
    )


def trend_table(session: Session, round_: Round) -> pd.DataFrame | None:
    """Change against the previous published round, or None when there is none."""
    before = previous_published(session, round_)
    if before is None:
        return None
    return trend(score_table(session, round_).table, score_table(session, before).table)


def rollup_table(session: Session, round_: Round, kind: str) -> pd.DataFrame:
    """Pooled scores of the round's units by their ancestor of ``kind`` (e.g. county).

    Computed from the data even for a published round: nothing changes after publishing,
    so the pooled figures are those of the publication (the data version says so).
    """
    return rollup_to_kind(compute(session, round_), hierarchy(session), kind)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-safe records at full precision (NaN and NA become null)."""
    return json.loads(json_text(frame))


def _from_result(result: RoundResult) -> ScoreTable:
    table = pd.DataFrame.from_records(result.scores, columns=list(TABLE_COLUMNS))
    for column in INTEGER_COLUMNS:
        table[column] = table[column].astype("Int64")
    for column in BOOLEAN_COLUMNS:
        table[column] = table[column].astype(bool)
    for column in FLOAT_COLUMNS:
        table[column] = table[column].astype(float)
    items = pd.DataFrame.from_records(result.item_results)
    warnings = tuple(result.summary.get("warnings", ()))
    return ScoreTable(result.round_id, result.data_version, table, items, frozen=True,
                      warnings=warnings)
