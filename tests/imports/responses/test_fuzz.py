"""Whatever the cells hold, an import stores every row of a good file or raises having
written nothing; it never fails with another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.imports import ImportFailed
from evalapp.imports.responses import MappingNeedsConfirmation, import_responses, inspect_responses
from evalapp.models import Answer, Response, Suggestion
from tests.imports.helpers import write_csv
from tests.surveys.importers.samples import wjx_text_rows

from .conftest import Youth

FUZZ = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CELL = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=10),
    st.sampled_from(["", "知道", "不知道", "不清楚", "(跳过)", "(空)", "NULL", "-3", "4分", "11",
                     "2-3次", "志愿服务┋文体活动", "其他〖a┋b〗", "┋", "〖", "不适用", "QN01",
                     "北郊青年之家", "2026/11/05 14:22:55", "2026-02-30", "136秒", "2分16秒",
                     "1e9", "=1+1", "x" * 50]),
)


def _counts(session: Session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                 for model in (Response, Answer, Suggestion))


@FUZZ
@given(changes=st.lists(st.tuples(st.integers(1, 4), st.integers(0, 15), CELL), max_size=6),
       infer=st.booleans())
def test_random_cells_store_all_or_nothing(session: Session, youth: Youth, tmp_path: Path,
                                           changes: list[tuple[int, int, str]],
                                           infer: bool) -> None:
    rows = wjx_text_rows(4)
    mapping = None if infer else inspect_responses(
        session, youth.round, write_csv(tmp_path / "good.csv", rows)).review.mapping
    for row, column, cell in changes:
        rows[row][column] = cell
    path = write_csv(tmp_path / "fuzz.csv", rows, encoding="gb18030")
    before = _counts(session)
    try:
        summary = import_responses(session, youth.round, path, mapping)
    except (ImportFailed, MappingNeedsConfirmation) as error:
        assert str(error)
        assert _counts(session) == before
        event(type(error).__name__)
    else:
        assert summary.imported + summary.already == summary.rows == 4
        assert _counts(session)[0] == before[0] + summary.imported
        event("stored")
    finally:
        session.rollback()
