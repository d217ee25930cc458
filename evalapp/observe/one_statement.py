"""A submission on PostgreSQL as one statement: claim, store, mark, in a single round trip.

On SQLite a submission is four or five statements in one transaction
(`operations.submit_draft`). On PostgreSQL each of them, and the transaction's BEGIN and
COMMIT, is a round trip between the app and the server, and a submission's round trips were
most of what PostgreSQL cost per questionnaire (`bench/load.py`). Data-modifying common
table expressions do the same work in one statement, which is atomic on its own:

    WITH claimed AS (DELETE FROM draft WHERE id = … AND <its round is open> RETURNING id),
         stored AS (INSERT INTO response SELECT <the row> FROM claimed RETURNING id),
         answers AS (INSERT INTO answer SELECT stored.id, a.* FROM stored, unnest(<arrays>) a),
         suggestions AS (INSERT INTO suggestion SELECT … FROM stored, unnest(<arrays>) s)
    UPDATE assignment SET status = … WHERE <the unit's assignments> AND EXISTS (SELECT FROM stored)
    RETURNING id

Every part depends on the claim: when the draft is gone (or its round closed) the statement
changes nothing and returns no row. The answers and suggestions travel as one array per
column, so the statement's text, and its prepared form on the server, is the same whatever
the questionnaire. The claim and the mark are defined here once (`CLAIM`, `MARK_SUBMITTED`);
on SQLite `operations` runs them as statements of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    Table,
    Update,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CTE

from ..models import Answer, Assignment, Draft, Response, Round, Suggestion
from ..responses.recording import (
    ANSWER_COLUMNS,
    RESPONSE_COLUMNS,
    SUGGESTION_COLUMNS,
    Rows,
)

_DRAFT, _ASSIGNMENT, _ROUND = Draft.__table__, Assignment.__table__, Round.__table__

# Delete the draft while its round is open: a row back means this request claimed it.
# (Parameters are not named like columns: an UPDATE reserves those names for its SET clause.)
CLAIM = delete(_DRAFT).where(
    _DRAFT.c.id == bindparam("claimed_draft"),
    select(_ROUND.c.id).where(_ROUND.c.id == bindparam("open_round"),
                              _ROUND.c.status == "open").exists(),
).returning(_DRAFT.c.id)
# Every assignment of the unit is rewritten (the `operations` docstring says why).
MARK_SUBMITTED = (
    update(_ASSIGNMENT)
    .where(_ASSIGNMENT.c.round_id == bindparam("of_round"),
           _ASSIGNMENT.c.unit_id == bindparam("of_unit"))
    .values(status=case((_ASSIGNMENT.c.id == bindparam("mine"), "submitted"),
                        else_=_ASSIGNMENT.c.status)))


def _stored(claimed: CTE) -> CTE:
    table: Table = Response.__table__
    row = select(*(bindparam(f"response_{name}", type_=table.c[name].type)
                   for name in RESPONSE_COLUMNS)).select_from(claimed)
    return (insert(table).from_select(list(RESPONSE_COLUMNS), row)
            .returning(table.c.id).cte("stored"))


def _rows_of(stored: CTE, table: Table, columns: Sequence[str], name: str) -> CTE:
    """INSERT into ``table`` one row per element of the ``{name}_{column}`` arrays, with
    the stored response's id."""
    given = [column for column in columns if column != "response_id"]
    arrays = func.unnest(*(bindparam(f"{name}_{column}", type_=ARRAY(table.c[column].type))
                           for column in given)).table_valued(*given).render_derived()
    rows = select(stored.c.id, *(arrays.c[column] for column in given)).select_from(
        stored.join(arrays, true()))
    return insert(table).from_select(["response_id", *given], rows).cte(name)


def _statement() -> Update:
    claimed = CLAIM.cte("claimed")
    stored = _stored(claimed)
    answers = _rows_of(stored, Answer.__table__, ANSWER_COLUMNS, "answers")
    suggestions = _rows_of(stored, Suggestion.__table__, SUGGESTION_COLUMNS, "suggestions")
    return (MARK_SUBMITTED.where(select(stored.c.id).exists())
            .add_cte(claimed, stored, answers, suggestions)
            .returning(_ASSIGNMENT.c.id))


_SUBMIT = _statement()  # built once: SQLAlchemy reuses its cache key and compiled form


def submit(session: Session, draft_id: int, round_id: int, unit_id: int, assignment_id: int,
           rows: Rows) -> bool:
    """Claim draft ``draft_id``, store ``rows`` (one response) and mark the assignment;
    False, with nothing changed, when the draft is gone or its round is not open."""
    parameters: dict[str, Any] = {
        "claimed_draft": draft_id, "open_round": round_id,
        "of_round": round_id, "of_unit": unit_id, "mine": assignment_id,
        **{f"response_{name}": value for name, value in rows.response.items()},
        **_arrays("answers", ANSWER_COLUMNS, rows.answers),
        **_arrays("suggestions", SUGGESTION_COLUMNS, rows.suggestions),
    }
    return session.execute(_SUBMIT, parameters).first() is not None


def _arrays(name: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]
            ) -> dict[str, list[Any]]:
    return {f"{name}_{column}": [row[column] for row in rows]
            for column in columns if column != "response_id"}
