"""Reading a round into the tidy frames that ``reports.score_round`` takes.

One query per frame and round (answers, responses, units), never one per response: at
province scale a round holds millions of answers. The rows bypass SQLAlchemy's per-row
processing: the statement is compiled once and read through the driver, with ``COPY ... TO
STDOUT`` on PostgreSQL (about five times faster than fetching rows; see bench/scoring_db.py),
and the columns are typed afterwards, vectorised.
"""

from __future__ import annotations

import io
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
# Columns that may hold NULL or any text, '' included.
TEXT_COLUMNS = ("text", "rater_code", "parent_code")
NUMBER_COLUMNS = ("value", "duration_s")
FLAG_COLUMNS = ("na", "dont_know", "excluded")


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
        answers=read_frame(session, answers_query(round_.id), ANSWER_COLUMNS),
        responses=read_frame(session, _responses_query(round_.id), RESPONSE_COLUMNS),
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
    return read_frame(session, query, UNIT_COLUMNS)


def hierarchy(session: Session) -> pd.DataFrame:
    """Every unit with its parent's code: what roll-ups walk up."""
    parent = aliased(Unit)
    query = (select(Unit.code, Unit.name, Unit.kind, parent.code)
             .outerjoin(parent, parent.id == Unit.parent_id).order_by(Unit.code))
    return read_frame(session, query, UNIT_COLUMNS)


def read_frame(session: Session, query: Select, columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows of ``query`` as a typed DataFrame, read in the session's transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _typed(_copy_out(connection, query, columns))
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(sql)
    frame = pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))
    cursor.close()
    return _typed(frame)


def _copy_out(connection, query: Select, columns: tuple[str, ...]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """PostgreSQL's ``COPY (query) TO STDOUT`` as CSV, parsed by pandas.

    CSV cannot tell NULL from '' once parsed, so each text column travels with an
    ``IS NULL`` flag column that restores its NULLs exactly.
    """
    texts = [name for name in columns if name in TEXT_COLUMNS]
    flagged = query.add_columns(*(query.selected_columns[columns.index(name)].is_(None)
                                  for name in texts))
    sql = str(flagged.compile(dialect=connection.dialect,
                              compile_kwargs={"literal_binds": True}))
    buffer = io.BytesIO()
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    ) as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    names = [*columns, *(f"{name}__null" for name in texts)]
    frame = pd.read_csv(buffer, names=names, header=None, keep_default_na=False,
                        na_values={name: [""] for name in NUMBER_COLUMNS if name in columns},
                        dtype={name: _csv_dtype(name) for name in names},
                        true_values=["t"], false_values=["f"], encoding="utf-8")
    for name in texts:
        is_null = frame.pop(f"{name}__null").to_numpy()
        frame[name] = frame[name].astype(object).where(~is_null, None)
    return frame


def _csv_dtype(name: str) -> object:
    if name in NUMBER_COLUMNS:
        return float
    if name in FLAG_COLUMNS or name.endswith("__null"):
        return bool
    return object


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for number in NUMBER_COLUMNS:
        if number in frame and frame[number].dtype != float:
            frame[number] = pd.to_numeric(frame[number], errors="coerce").astype(float)
    for flag in FLAG_COLUMNS:
        if flag in frame and frame[flag].dtype != bool:
            frame[flag] = frame[flag].isin((True, 1))
    if "submitted_on" in frame:
        frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    for text in TEXT_COLUMNS:
        if text in frame:
            frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    return frame
