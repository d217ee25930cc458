"""Fixtures of the security tests: a hostile little city, copied fresh for every test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from evalapp import database

from .world import World, build, copy_world


@pytest.fixture(scope="session")
def world_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("security-world")
    path = folder / "evalapp.db"
    shutil.copyfile(sqlite_template, path)
    return path, build(path, folder / "instance")


@pytest.fixture
def world(world_template: tuple[Path, World]) -> World:
    return world_template[1]


@pytest.fixture
def secure_app(world_template: tuple[Path, World], tmp_path: Path) -> Iterator[Flask]:
    """The app on a private copy of the city (SQLite: access rules do not depend on the
    database; the backends are covered by the suites that read and write data)."""
    app = copy_world(world_template[0], tmp_path)
    yield app
    database.engine_of(app).dispose()
