"""Hostile text in files: every download of the web app, and the round's report files.

The world's names, suggestions, notes and reasons hold markup and spreadsheet formulas
(see `world`). In every CSV and XLSX a cell never holds a formula nor text a spreadsheet
would run as one (``= + - @``, tab, CR: neutralised with a leading apostrophe), and the
hostile text is still there, as text. The PDF shows it as text and carries no scripts,
actions or links. (HTML pages are checked by the authorisation matrix, page by page.)
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
from flask import Flask
from pypdf import PdfReader

from evalapp import database
from evalapp.models import Round
from evalapp.reporting import cached_file

from .routes import bare_app, routes, url_for_route
from .world import World, client_for, csrf_token

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEETS = {"text/csv": "csv",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}
APP = bare_app()


def cells(content: bytes, kind: str) -> list[object]:
    if kind == "csv":
        text = content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    book = openpyxl.load_workbook(io.BytesIO(content))
    found: list[object] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                found.append(cell.value)
    return found


def assert_inert(content: bytes, kind: str, where: str) -> list[str]:
    texts = [value for value in cells(content, kind) if isinstance(value, str)]
    risky = [text for text in texts if text.startswith(FORMULA_STARTS)]
    assert risky == [], (where, risky[:5])
    return texts


def _downloads(app: Flask, world: World) -> dict[str, tuple[bytes, str]]:
    """Every spreadsheet an evaluator can download from the pages, by route."""
    client = client_for(app, world, "evaluator")
    found = {}
    for route in routes(APP):
        if route.method == "GET" and not route.api:
            response = client.get(url_for_route(app, route, world))
            if response.mimetype in SPREADSHEETS:
                found[route.id] = (response.get_data(), SPREADSHEETS[response.mimetype])
            response.close()
    exported = client.post("/evaluate/suggestions/export", data={"csrf_token": csrf_token(client)})
    found["POST /evaluate/suggestions/export"] = (exported.get_data(),
                                                  SPREADSHEETS[exported.mimetype])
    return found


def test_every_spreadsheet_download_is_inert(secure_app: Flask, world: World) -> None:
    downloads = _downloads(secure_app, world)
    assert len(downloads) >= 3, sorted(downloads)
    carrying = 0
    for where, (content, kind) in downloads.items():
        texts = assert_inert(content, kind, where)
        carrying += any("<xss-probe" in text for text in texts)
    assert carrying >= 2  # names and suggestions arrive, as text


def test_report_files_keep_hostile_text_inert(secure_app: Flask, world: World) -> None:
    with database.sessionmaker_of(secure_app)() as session:
        round_ = session.get(Round, world.round_id)
        files = {name: cached_file(session, round_, name, secure_app.instance_path,
                                   workers=1).read_bytes()  # type: ignore[arg-type]
                 for name in ("scores.csv", "items.csv", "report.xlsx", "report.pdf")}
    for name in ("scores.csv", "report.xlsx"):
        texts = assert_inert(files[name], name.rsplit(".", 1)[1], name)
        assert any("<xss-probe" in text for text in texts), name
    assert_inert(files["items.csv"], "csv", "items.csv")
    _assert_pdf_inert(files["report.pdf"])


def _assert_pdf_inert(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "xss-probe" in text  # drawn as text, like any other name
    raw = _decompressed(pdf)
    for marker in (b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/URI", b"/AA",
                   b"/SubmitForm", b"/EmbeddedFile"):
        assert marker not in raw, marker


def _decompressed(pdf: bytes) -> bytes:
    """The PDF's objects with their streams inflated (where markers could hide)."""
    reader = PdfReader(io.BytesIO(pdf))
    parts = [pdf]
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            parts.append(contents.get_data())
    return b"".join(parts)


def test_the_response_template_is_a_plain_workbook(secure_app: Flask, world: World) -> None:
    """The template an evaluator fills in carries no macros or external links."""
    client = client_for(secure_app, world, "evaluator")
    content = client.get(f"/evaluate/rounds/{world.round_id}/import/template.xlsx").get_data()
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert not [n for n in names if "vbaProject" in n or "externalLink" in n], names
