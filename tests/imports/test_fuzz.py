"""Whatever the file holds, an import either succeeds or raises ImportFailed having written
nothing; it never crashes with another exception."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from evalapp.imports import ImportFailed, ImportSummary, import_observers, import_units

from ..factories import make_unit
from .helpers import OBSERVER_HEADER, UNIT_HEADER, row_counts, write_csv

Importer = Callable[[Session, Path], ImportSummary]
FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CELL = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["", "B1", "C", "city", "branch", "团支部", "5", "1", "是", "否", "a.b",
                     "B1;B2", "=1+1", "NOPE", "x" * 70]),
)


def _import_changes_nothing_or_succeeds(session: Session, importer: Importer, path: Path
                                        ) -> None:
    before = row_counts(session)
    try:
        importer(session, path)
    except ImportFailed as error:
        assert error.problems
        assert row_counts(session) == before
    finally:
        session.rollback()


@FUZZ
@given(content=st.binary(max_size=2048))
def test_garbage_bytes(session: Session, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(content)
    for importer in (import_units, import_observers):
        _import_changes_nothing_or_succeeds(session, importer, path)


@FUZZ
@given(content=st.binary(max_size=512))
def test_garbage_behind_a_zip_signature(session: Session, tmp_path: Path,
                                        content: bytes) -> None:
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(b"PK\x03\x04" + content)
    _import_changes_nothing_or_succeeds(session, import_units, path)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_unit_cells(session: Session, tmp_path: Path, rows: list[list[str]],
                           encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "units.csv", [UNIT_HEADER, *rows], encoding, delimiter)
    _import_changes_nothing_or_succeeds(session, import_units, path)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=8))
def test_random_observer_cells(session: Session, tmp_path: Path, rows: list[list[str]]) -> None:
    if not row_counts(session)["unit"]:
        make_unit(session, code="B1")
        session.commit()
    path = write_csv(tmp_path / "observers.csv", [OBSERVER_HEADER, *rows])
    _import_changes_nothing_or_succeeds(session, import_observers, path)
