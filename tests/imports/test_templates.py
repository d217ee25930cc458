"""The shipped templates import cleanly, with every header recognised."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import evalapp
from evalapp.imports import import_observers, import_units, read_rows
from evalapp.imports.kinds import BY_LEVEL_SPELLINGS, KIND_SPELLINGS
from evalapp.imports.observers import OBSERVER_FIELDS
from evalapp.imports.units import UNIT_FIELDS

from .helpers import row_counts, unit, user

TEMPLATES = Path(evalapp.__file__).parent / "data" / "templates"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_templates_import_cleanly_and_idempotently(session: Session, suffix: str) -> None:
    units = import_units(session, TEMPLATES / f"units.{suffix}")
    observers = import_observers(session, TEMPLATES / f"observers.{suffix}")
    assert (units.created, units.ignored_columns) == (3, ())
    assert (observers.created, observers.ignored_columns) == (3, ())
    assert unit(session, "990101").kind == "youth_home"
    assert sorted(u.code for u in user(session, "li.si").affiliations) == ["990100", "990101"]
    before = row_counts(session)
    assert import_units(session, TEMPLATES / f"units.{suffix}").unchanged == 3
    assert import_observers(session, TEMPLATES / f"observers.{suffix}").unchanged == 3
    assert row_counts(session) == before


@pytest.mark.parametrize("name", ["units", "observers"])
def test_csv_and_xlsx_templates_hold_the_same_rows(name: str) -> None:
    assert list(read_rows(TEMPLATES / f"{name}.csv")) == list(read_rows(TEMPLATES /
                                                                        f"{name}.xlsx"))


def test_csv_templates_carry_a_bom_for_excel() -> None:
    for name in ("units.csv", "observers.csv"):
        assert (TEMPLATES / name).read_bytes().startswith(b"\xef\xbb\xbf")


def test_readme_documents_every_accepted_header_and_kind() -> None:
    readme = (Path(evalapp.__file__).parent / "imports" / "README.md").read_text("utf-8")
    headers = [name for field in (*UNIT_FIELDS, *OBSERVER_FIELDS) for name in field.names]
    spellings = [*KIND_SPELLINGS, *(s for group in KIND_SPELLINGS.values() for s in group),
                 *BY_LEVEL_SPELLINGS]
    assert [name for name in headers if f"`{name}`" not in readme] == []
    assert [s for s in spellings if s not in readme] == []
