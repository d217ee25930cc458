"""Upload limits: size, type from content, zip bombs — through the pages and the importers.

- Every POST route answers a body over 20 MB with 413 before reading it, and changes
  nothing; a file just under the limit is not refused for its size.
- The upload pages decide the type from the bytes: an image, an old .xls, a PDF, UTF-16
  text or a zip that is no workbook are refused whatever they are called (400, nothing
  stored, nothing staged); a real workbook called ``.csv`` is read as the workbook it is.
- A workbook whose members unpack to more than 100 MB is refused, by the pages and by the
  CLI importers; so is one whose headers understate what a member unpacks to.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from evalapp import database
from evalapp.imports import ImportFailed, import_observers, import_units

from . import files
from .routes import Route, bare_app, routes, url_for_route
from .test_csrf import admitted_role
from .world import World, changes, client_for, csrf_token, snapshot

LIMIT = 20 * 1024 * 1024
APP = bare_app()
POSTS = [route for route in routes(APP) if route.unsafe]
ACTIVITY_ROWS = [["unit", "title", "date"], ["U0002", "读书会", "2026-11-05"]]
UNIT_ROWS = [["code", "name", "kind"], ["Z1", "测试团支部", "branch"]]
DISGUISES = {"image.xlsx": files.PNG, "old.xlsx": files.OLE2, "report.csv": files.PDF,
             "unicode.csv": files.UTF16}


@pytest.mark.parametrize("route", POSTS, ids=[route.id for route in POSTS])
def test_over_20_mb_is_413_everywhere(secure_app: Flask, world: World, route: Route) -> None:
    client = client_for(secure_app, world, admitted_role(route))
    before = snapshot(secure_app)
    response = client.post(url_for_route(secure_app, route, world), data=b"a=" + b"x" * LIMIT,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413, response.status_code
    assert changes(before, snapshot(secure_app)) == {}


def _upload(client: FlaskClient, path: str, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    """A browser's multipart post (encoded in memory: the test client would spool a large
    body to a temporary file it never closes)."""
    boundary, body = encode_multipart({"csrf_token": csrf_token(client),
                                       "file": FileStorage(io.BytesIO(content), name),
                                       **fields})
    return client.post(path, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _upload_pages(world: World) -> list[str]:
    return ["/evaluate/activities/import", f"/evaluate/rounds/{world.round_id}/import"]


def test_a_file_under_the_limit_is_not_refused_for_its_size(secure_app: Flask,
                                                            world: World) -> None:
    client = client_for(secure_app, world, "evaluator")
    content = b"unit,title,date\r\n" + b"U0002," + b"x" * (LIMIT - 100 * 1024) + b",2026-11-05\r\n"
    response = _upload(client, "/evaluate/activities/import", "big.csv", content)
    assert response.status_code == 400  # read and refused for its content, not its size
    assert "nothing was imported" in response.get_data(as_text=True).lower() or \
        "没有导入" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", sorted(DISGUISES))
def test_the_type_comes_from_the_content(secure_app: Flask, world: World, tmp_path: Path,
                                         name: str) -> None:
    client = client_for(secure_app, world, "evaluator")
    uploads = [(DISGUISES[name], name), (files.zip_without_workbook(tmp_path / "a.zip")
                                          .read_bytes(), "archive.xlsx")]
    for content, filename in uploads:
        for page in _upload_pages(world):
            before = snapshot(secure_app)
            response = _upload(client, page, filename, content)
            assert response.status_code == 400, (page, filename, response.status_code)
            assert changes(before, snapshot(secure_app)) == {}
    staged = Path(secure_app.instance_path) / "uploads"
    assert not any(staged.rglob("upload*")), list(staged.rglob("*"))


def test_a_workbook_called_csv_is_read_as_a_workbook(secure_app: Flask, world: World,
                                                     tmp_path: Path) -> None:
    client = client_for(secure_app, world, "evaluator")
    content = files.workbook(tmp_path / "a.xlsx", [["unit", "title", "date"],
                                                   ["NO-SUCH-UNIT", "读书会", "2026-11-05"]])
    response = _upload(client, "/evaluate/activities/import", "activities.csv",
                       content.read_bytes())
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "NO-SUCH-UNIT" in page  # its rows were read


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {"declared": files.bomb(folder / "declared.xlsx", UNIT_ROWS),
            "lying": files.lying_bomb(folder / "lying.xlsx", UNIT_ROWS)}


def test_zip_bombs_are_refused_by_the_upload_pages(secure_app: Flask, world: World,
                                                   bombs: dict[str, Path]) -> None:
    client = client_for(secure_app, world, "evaluator")
    for kind, path in bombs.items():
        for page in _upload_pages(world):
            before = snapshot(secure_app)
            response = _upload(client, page, f"{kind}.xlsx", path.read_bytes())
            assert response.status_code == 400, (kind, page, response.status_code)
            assert changes(before, snapshot(secure_app)) == {}


def test_zip_bombs_are_refused_by_the_importers(secure_app: Flask,
                                                bombs: dict[str, Path]) -> None:
    with database.sessionmaker_of(secure_app)() as session:
        for importer in (import_units, import_observers):
            with pytest.raises(ImportFailed, match="unpacks to more than 100 MB"):
                importer(session, bombs["declared"])
            with pytest.raises(ImportFailed, match=r"readable|damaged"):
                importer(session, bombs["lying"])
