"""Schemathesis against the app (WSGI, no server): every operation of the OpenAPI document,
with generated valid and invalid parameters and a valid token, on SQLite with the small
city. No answer may be a server error, and every answer must conform to the document:
status code, content type, headers and body schema (all of schemathesis' default checks).

Bounded for CI: a few examples per operation, no deadline, derandomized (the same cases on
every run) and no example database written to the work tree.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.schemas import BaseSchema

from evalapp import create_app, database
from evalapp.api.openapi import document
from tests.api.conftest import City, bearer, build_city

MAX_EXAMPLES = 25
BASE_URL = "http://localhost/api/v1"


class DeferredApp:
    """A WSGI app that forwards to the Flask app the module fixture builds.

    The schema is loaded at collection, before any fixture runs (schemathesis' fixture-based
    lazy loading fails under pytest 9.2), so it is bound to this stand-in.
    """

    app: Flask | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self.app is None:
            raise RuntimeError("the city_app fixture has not built the app yet")
        return self.app(environ, start_response)


APP = DeferredApp()
# Round ids of the city in a fresh database (checked by the fixture).
PUBLISHED, CURRENT, DRAFT = 1, 2, 3


def load_schema(**parameters: object) -> BaseSchema:
    """The document, bound to the app; ``parameters`` fix some values (e.g. a real round id:
    generated ids almost never name a round, and would only test the 404)."""
    loaded = schemathesis.openapi.from_dict(document())
    loaded.app = APP
    loaded.config.update(base_url=BASE_URL, parameters=parameters or None)
    return loaded


@pytest.fixture(scope="module")
def city_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[Flask, City]]:
    folder = tmp_path_factory.mktemp("schemathesis")
    shutil.copyfile(sqlite_template, folder / "evalapp.db")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'evalapp.db'}",
                      "INSTANCE_PATH": folder / "instance", "SECRET_KEY": "test-secret-key",
                      "RATER_SECRET": "test-rater-secret"})
    session = database.sessionmaker_of(app)()
    city = build_city(session)
    session.close()
    assert (city.published.id, city.current.id, city.draft.id) == (PUBLISHED, CURRENT, DRAFT)
    APP.app = app
    yield app, city
    APP.app = None
    database.engine_of(app).dispose()


def test_the_served_document_is_the_tested_one(city_app: tuple[Flask, City]) -> None:
    served = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", city_app[0])
    assert served.raw_schema == document()


def conformance_test(loaded: BaseSchema):  # type: ignore[no-untyped-def]
    """A test of every operation of ``loaded``, with schemathesis' default checks."""

    @loaded.parametrize()
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case, city_app: tuple[Flask, City]) -> None:
        case.call_and_validate(headers=bearer(city_app[1].token))

    return check


test_generated_ids_conform = conformance_test(load_schema())
test_published_round_conforms = conformance_test(load_schema(round_id=PUBLISHED, code="K1-H1"))
test_open_round_conforms = conformance_test(load_schema(round_id=CURRENT, code="K2-B2"))
test_draft_round_conforms = conformance_test(load_schema(round_id=DRAFT, code="C"))
