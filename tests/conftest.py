"""Fixtures shared by the whole suite: a real database per test, on SQLite and PostgreSQL.

Each backend gets one database migrated from empty per test session; every test then works
on its own copy (a copied SQLite file, or ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL),
so tests commit for real and never see each other's rows.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from evalapp import create_app, database, schema

POSTGRES_ADMIN_URL = os.environ.get(
    "EVALAPP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def postgres_unavailable(reason: str) -> None:
    """Skip on a developer's machine without PostgreSQL; in CI that is a failure."""
    if IN_CI:
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


def _postgres_admin():  # type: ignore[no-untyped-def]
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _url_for_database(name: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def create_postgres_database(template: str | None = None) -> str:
    name = f"evalapp_test_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin()
    with admin.connect() as connection:
        suffix = f" TEMPLATE {template}" if template else ""
        connection.execute(text(f"CREATE DATABASE {name}{suffix}"))
    admin.dispose()
    return name


def drop_postgres_database(name: str) -> None:
    admin = _postgres_admin()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "evalapp.db"
    engine = database.make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    try:
        name = create_postgres_database()
    except OperationalError as error:
        postgres_unavailable(str(error).splitlines()[0])
    engine = database.make_engine(_url_for_database(name))
    schema.upgrade(engine)
    engine.dispose()
    yield name
    drop_postgres_database(name)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated database of each backend, private to the test."""
    if request.param == "sqlite":
        path = tmp_path / "evalapp.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    name = create_postgres_database(template=request.getfixturevalue("postgres_template"))
    yield _url_for_database(name)
    drop_postgres_database(name)


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": tmp_path / "instance",
        "SECRET_KEY": "test-secret-key",
        "RATER_SECRET": "test-rater-secret",
    }


@pytest.fixture
def app(app_config: dict[str, object]) -> Iterator[Flask]:
    application = create_app(app_config)
    yield application
    database.engine_of(application).dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session on the app's database (commit to make rows visible to requests).

    It deliberately pushes no application context: requests made with ``client`` would
    otherwise share that context's ``g`` (and its cached signed-in user) with the test.
    """
    db_session = database.sessionmaker_of(app)()
    yield db_session
    db_session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
