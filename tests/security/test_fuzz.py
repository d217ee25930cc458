"""Fuzzing with hypothesis (bounded examples): form posts and spreadsheet imports.

- The observer's questionnaire: any mix of the form's own field names and strangers, any
  values (choices, flags, text, numbers, too many, too long), any action and channel,
  posted to save, autosave and submit. The answer is never a server error, and the
  database holds either the whole response (draft deleted, assignment submitted, every
  answer and suggestion with it) or none of it (draft kept).
- Unit, observer and activity imports from workbooks with arbitrary cells: success, or
  ``ImportFailed`` having written nothing — never another exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from evalapp import database
from evalapp.activities.operations import import_activities
from evalapp.imports import ImportFailed, import_observers, import_units
from evalapp.instruments.operations import definition_of
from evalapp.models import Answer, Assignment, Draft, Response, Round, Suggestion
from evalapp.observe.forms import CHANNELS, DONT_KNOW, NA, flag_name, has_flag_field, value_name
from evalapp.observe.operations import start_draft, stored_key
from tests.observe.helpers import YOUTH_ANSWERS, form_data

from . import files
from .world import RATER_SECRET, World, changes, client_for, copy_world, csrf_token, snapshot

FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fuzz_app(world_template: tuple[Path, World], tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Flask]:
    app = copy_world(world_template[0], tmp_path_factory.mktemp("fuzz"))
    yield app
    database.engine_of(app).dispose()


def _form_vocabulary(app: Flask, world: World) -> tuple[list[str], list[str]]:
    """The questionnaire's field names and the values its pages can send."""
    with database.sessionmaker_of(app)() as session:
        definition = definition_of(session.get(Round, world.round_id).instrument)  # type: ignore[union-attr]
    names, values = [], [NA, DONT_KNOW, "yes", "no", *map(str, range(11))]
    for item in definition.items:
        names.append(value_name(item.id))
        if has_flag_field(item):
            names.append(flag_name(item.id))
        values += [option.value for option in item.options]
    return names, values


def _posts(names: list[str], values: list[str]) -> st.SearchStrategy[MultiDict[str, str]]:
    value = st.one_of(st.sampled_from(values), st.text(max_size=40),
                      st.integers(-10**6, 10**6).map(str), st.just("x" * 5000))
    field = st.tuples(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12)),
                      st.lists(value, min_size=1, max_size=3))
    control = st.fixed_dictionaries({
        "action": st.sampled_from(["submit", "save", "", "delete"]),
        "channel": st.sampled_from([*CHANNELS, "", "carrier-pigeon"])})
    return st.builds(_multidict, st.lists(field, max_size=14), control)


def _multidict(fields: list[tuple[str, list[str]]], control: dict[str, str]) -> MultiDict[str, str]:
    data: MultiDict[str, str] = MultiDict()
    for name, items in fields:
        for item in items:
            data.add(name, item)
    for name, item in control.items():
        if item:
            data[name] = item
    return data


def test_observer_form_posts_store_all_or_nothing(fuzz_app: Flask, world: World) -> None:
    names, values = _form_vocabulary(fuzz_app, world)
    client = client_for(fuzz_app, world, "observer")
    token = csrf_token(client, "/observe/")
    outcomes: set[bool] = set()

    @FUZZ
    @given(post=_posts(names, values), from_valid=st.booleans(), autosave_first=st.booleans())
    def post_one(post: MultiDict[str, str], from_valid: bool, autosave_first: bool) -> None:
        key = _fresh_draft(fuzz_app, world.assignment_id)
        data = _on_valid_answers(post) if from_valid else post
        data["csrf_token"] = token
        if autosave_first:
            saved = client.post(f"/observe/drafts/{key}/autosave", data=data)
            assert saved.status_code in (200, 400), saved.status_code
        status = client.post(f"/observe/drafts/{key}", data=data).status_code
        assert status in (303, 400), status
        outcomes.add(_assert_whole_or_nothing(fuzz_app, key))

    post_one()
    # The generator may refuse every post; one complete questionnaire must then be stored.
    key = _fresh_draft(fuzz_app, world.assignment_id)
    assert client.post(f"/observe/drafts/{key}",
                       data=form_data(YOUTH_ANSWERS, token)).status_code == 303
    outcomes.add(_assert_whole_or_nothing(fuzz_app, key))
    assert outcomes == {True, False}  # both stored and refused posts were tried


def _on_valid_answers(post: MultiDict[str, str]) -> MultiDict[str, str]:
    """A complete questionnaire with some of the fuzzed fields put over it."""
    data = MultiDict(form_data(YOUTH_ANSWERS, ""))
    data.pop("csrf_token")
    for name in list(post)[:2]:
        data.setlist(name, post.getlist(name))
    return data


def _fresh_draft(app: Flask, assignment_id: int) -> str:
    with database.sessionmaker_of(app)() as session:
        observer_id = session.get_one(Assignment, assignment_id).observer_id
        key = start_draft(session, observer_id, assignment_id)
        assert key is not None
        session.commit()
        return key


def _assert_whole_or_nothing(app: Flask, key: str) -> bool:
    """Whether the post stored its response (after checking it is all there, or none)."""
    with database.sessionmaker_of(app)() as session:
        response = session.scalar(select(Response).where(
            Response.submission_key == stored_key(RATER_SECRET, key)))
        draft = session.scalar(select(Draft).where(Draft.submission_key == key))
        if response is None:
            assert draft is not None, "the draft vanished without a response"
        else:
            assert draft is None, "a stored response left its draft behind"
            assert _count(session, Answer, Answer.response_id == response.id) > 0
        for model in (Answer, Suggestion):
            orphans = select(func.count()).select_from(model).where(
                model.response_id.not_in(select(Response.id)))
            assert session.scalar(orphans) == 0
        return response is not None


def _count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


CELL = st.one_of(st.none(), st.integers(-5, 10**6), st.floats(allow_nan=False),
                 st.booleans(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
                 st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20),
                 st.sampled_from(["code", "name", "kind", "parent_code", "login", "units",
                                  "unit", "title", "date", "city", "branch", "团支部",
                                  "=1+1", "U0001", "2026-11-05", "是", "x" * 300]))
IMPORTERS: dict[str, Callable[..., object]] = {
    "units": import_units, "observers": import_observers, "activities": import_activities}


@pytest.mark.parametrize("what", sorted(IMPORTERS))
def test_workbook_imports_change_all_or_nothing(fuzz_app: Flask, tmp_path: Path,
                                                what: str) -> None:
    importer = IMPORTERS[what]

    @FUZZ
    @given(rows=st.lists(st.lists(CELL, max_size=6), max_size=8))
    def import_one(rows: list[list[object]]) -> None:
        path = files.workbook(tmp_path / f"{what}.xlsx", rows)
        before = snapshot(fuzz_app)
        with database.sessionmaker_of(fuzz_app)() as session:
            try:
                importer(session, path)
            except ImportFailed as error:
                assert error.problems
                session.flush()
                assert changes(before, snapshot(fuzz_app)) == {}
            finally:
                session.rollback()

    import_one()
