"""Reading a round into the tidy frames that ``reports.score_round`` takes.

One query per frame and round (answers, responses, units), never one per response: at
province scale a round holds millions of answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from reports import RoundSettings

from ..instruments.operations import definition_of
from ..models import Answer, Response, Round, RoundUnit, Unit

ANSWER_COLUMNS = ("response_id", "item_id", "value", "text", "na", "dont_know")
RESPONSE_COLUMNS = ("response_id", "unit_code", "excluded", "duration_s", "rater_code",
                    "submitted_on")
UNIT_COLUMNS = ("unit_code", "unit_name", "unit_kind", "parent_code")


@dataclass(frozen=True)
class RoundInputs:
    """Everything ``reports`` needs about one round."""

    answers: pd.DataFrame
    responses: pd.DataFrame
    items: pd.DataFrame
    units: pd.DataFrame
    settings: RoundSettings


def settings_of(round_: Round) -> RoundSettings:
    return RoundSettings(round_id=round_.id, weights=dict(round_.weights), min_n=round_.min_n,
                         star_cutoffs=tuple(round_.star_cutoffs))


def load_inputs(session: Session, round_: Round) -> RoundInputs:
    return RoundInputs(
        answers=_frame(session, answers_query(round_.id), ANSWER_COLUMNS),
        responses=_frame(session, _responses_query(round_.id), RESPONSE_COLUMNS),
        items=definition_of(round_.instrument).items_frame(),
        units=scope_units(session, round_.id),
        settings=settings_of(round_),
    )


def answers_query(round_id: int) -> Select:
    return (
        select(Answer.response_id, Answer.item_id, Answer.value, Answer.text, Answer.na,
               Answer.dont_know)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_id)
    )


def _responses_query(round_id: int) -> Select:
    return (
        select(Response.id, Unit.code, Response.excluded, Response.duration_s,
               Response.rater_code, Response.submitted_on)
        .join(Unit, Unit.id == Response.unit_id)
        .where(Response.round_id == round_id)
    )


def scope_units(session: Session, round_id: int) -> pd.DataFrame:
    """The units in the round's scope, with their parents' codes."""
    parent = aliased(Unit)
    query = (
        select(Unit.code, Unit.name, Unit.kind, parent.code)
        .join(RoundUnit, RoundUnit.unit_id == Unit.id)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(RoundUnit.round_id == round_id)
        .order_by(Unit.code)
    )
    return _frame(session, query, UNIT_COLUMNS)


def hierarchy(session: Session) -> pd.DataFrame:
    """Every unit with its parent's code: what roll-ups walk up."""
    parent = aliased(Unit)
    query = (select(Unit.code, Unit.name, Unit.kind, parent.code)
             .outerjoin(parent, parent.id == Unit.parent_id).order_by(Unit.code))
    return _frame(session, query, UNIT_COLUMNS)


def _frame(session: Session, query: Select, columns: tuple[str, ...]) -> pd.DataFrame:
    rows = session.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    if "value" in frame:
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    if "duration_s" in frame:
        frame["duration_s"] = pd.to_numeric(frame["duration_s"], errors="coerce").astype(float)
    for flag in ("na", "dont_know", "excluded"):
        if flag in frame:
            frame[flag] = frame[flag].astype(bool)
    if "submitted_on" in frame:
        frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    return frame
