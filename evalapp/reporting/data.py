"""Reading a round into `reports.model.ReportData`, through the scoring service.

Scores are never computed here: the score table and item results come from
`scoring.service.score_table` (frozen for a published round), the roll-ups, reliability and
quality flags from `scoring.service.compute` (the round's `RoundScores`, cached under its
data version), trends from `scoring.service.trend_table`. This module adds what the report
shows beside them: round and instrument facts, suggestions, exclusion reasons, assignment
counts. Every query reads a whole round at once (no query per unit).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.model import ReportData, RoundInfo, report_data

from ..instruments.operations import definition_of
from ..models import Assignment, Response, Round, Suggestion, Unit
from ..scoring import service
from ..scoring.frames import hierarchy
from ..scoring.version import data_version
from ..version import __version__


def round_info(round_: Round, version: str, frozen: bool) -> RoundInfo:
    instrument = round_.instrument
    return RoundInfo(
        round_id=round_.id, name=round_.name, mode=round_.mode, status=round_.status,
        opens_on=round_.opens_on, closes_on=round_.closes_on, instrument_key=instrument.key,
        instrument_version=instrument.version, instrument_title=instrument.title_zh,
        instrument_hash=instrument.content_hash, data_version=version,
        software_version=__version__, frozen=frozen,
    )


def load_report_data(session: Session, round_: Round) -> ReportData:
    """Everything the round's report files need."""
    result = service.score_table(session, round_)
    current = data_version(session, round_) if result.frozen else result.data_version
    scores = service.compute(session, round_, current)
    warnings = list(result.warnings)
    if result.frozen and current != result.data_version:
        warnings.append("the round's data changed after publication: scores are as "
                        "published; roll-ups, reliability and quality flags reflect the "
                        f"current data (version {current[:12]})")
    before = service.previous_published(session, round_)
    previous = None
    if before is not None:
        previous = round_info(before, service.score_table(session, before).data_version, True)
    return report_data(
        scores, round_info(round_, result.data_version, result.frozen),
        definition_of(round_.instrument).items_frame(),
        table=result.table, items=result.items, hierarchy=hierarchy(session),
        trend=service.trend_table(session, round_), previous=previous,
        suggestions=suggestions(session, round_.id),
        exclusion_reasons=exclusion_reasons(session, round_.id),
        assignments=assignment_counts(session, round_.id), warnings=tuple(warnings),
    )


def suggestions(session: Session, round_id: int) -> pd.DataFrame:
    """The round's suggestions by unit (no response or observer identity)."""
    rows = session.execute(
        select(Unit.code, Suggestion.item_id, Suggestion.text, Suggestion.status)
        .join(Unit, Unit.id == Suggestion.unit_id)
        .where(Suggestion.round_id == round_id)
    ).all()
    return pd.DataFrame.from_records(rows, columns=["unit_code", "item_id", "text", "status"])


def exclusion_reasons(session: Session, round_id: int) -> dict[str, str | None]:
    rows = session.execute(
        select(Response.id, Response.excluded_reason)
        .where(Response.round_id == round_id, Response.excluded.is_(True))
    ).all()
    return {row.id: row.excluded_reason for row in rows}


def assignment_counts(session: Session, round_id: int) -> tuple[int, int] | None:
    """(assigned, submitted) visits of the round, or None when it has no assignments."""
    total, submitted = session.execute(
        select(func.count(Assignment.id),
               func.count(Assignment.id).filter(Assignment.status == "submitted"))
        .where(Assignment.round_id == round_id)
    ).one()
    return (int(total), int(submitted)) if total else None
