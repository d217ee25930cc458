"""Uploaded files: their type is checked from the content, never from the name.

An upload is either an XLSX workbook (a zip archive holding ``xl/workbook.xml``) or text
(CSV in UTF-8 or GB18030; `evalapp.imports.tabular` checks the encoding and reads it).
Anything else — an old .xls, a PDF, an image, a zip of something else, UTF-16 text — is
refused here with a message saying what to do. Requests over 20 MB never get this far
(``MAX_CONTENT_LENGTH``: 413).

A response import takes two requests (upload, then confirm the mapping), so its file is
*staged*: kept in ``instance/uploads/<token>/`` with who uploaded it for which round and
the mapping as last shown. The stage is deleted when the import succeeds or is cancelled,
and stages older than `STAGE_HOURS` are deleted whenever a new one is made: an export may
hold identifying columns, which the importer never reads, and it should not linger.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

HEAD_BYTES = 64 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_NAME = 120
STAGE_HOURS = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class BadUpload(ValueError):
    """An upload refused before reading; the message is for the user."""


@dataclass(frozen=True)
class Upload:
    path: Path
    name: str  # the name the user's file had, for messages only
    kind: str  # "xlsx" or "csv"


def display_name(storage: FileStorage) -> str:
    """The file's own name without any folder, shortened; only ever shown, never a path."""
    raw = (storage.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in raw if ch.isprintable()).strip()
    return name[:MAX_NAME] or "upload"


def save_upload(storage: FileStorage | None, directory: Path) -> Upload:
    """Write the uploaded file into ``directory`` after checking what it is."""
    if storage is None or not storage.filename:
        raise BadUpload(_("Choose a file to upload."))
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "upload"
    storage.save(target)
    kind = file_kind(target)
    final = target.with_suffix(f".{kind}")
    target.rename(final)
    return Upload(final, display_name(storage), kind)


def file_kind(path: Path) -> str:
    """``xlsx`` or ``csv`` from the file's bytes; `BadUpload` for anything else."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise BadUpload(_("The file is empty."))
    if head.startswith(OLE2_SIGNATURE):
        raise BadUpload(_("This is an old Excel 97–2003 (.xls) file: save it as .xlsx or as "
                          "CSV."))
    if head.startswith(UTF16_BOMS):
        raise BadUpload(_("This is UTF-16 text (Excel's “Unicode text”): save it as “CSV "
                          "UTF-8”."))
    if head.startswith(b"PK"):
        if _is_workbook(path):
            return "xlsx"
        raise BadUpload(_("This archive is not an Excel workbook (.xlsx)."))
    if b"\x00" in head:
        raise BadUpload(_("This file is neither an Excel workbook (.xlsx) nor CSV text."))
    return "csv"


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


# --- staged response imports -----------------------------------------------------------


def stages_root() -> Path:
    return Path(current_app.instance_path) / "uploads" / "responses"


@dataclass(frozen=True)
class Stage:
    """A response file waiting for its mapping to be confirmed."""

    token: str
    directory: Path
    meta: dict[str, Any]

    @property
    def upload(self) -> Upload:
        kind = self.meta["kind"]
        return Upload(self.directory / f"upload.{kind}", self.meta["name"], kind)

    @property
    def mapping_path(self) -> Path:
        return self.directory / "mapping.json"

    def mapping_data(self) -> Any | None:
        if not self.mapping_path.exists():
            return None
        return json.loads(self.mapping_path.read_text(encoding="utf-8"))

    def keep_mapping(self, data: Any) -> None:
        self.mapping_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def marks(self) -> dict[str, Any]:
        """What the first review marked (see `evaluate.review.marks_of`)."""
        path = self.directory / "marks.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def keep_marks(self, marks: dict[str, Any]) -> None:
        (self.directory / "marks.json").write_text(json.dumps(marks, ensure_ascii=False),
                                                   encoding="utf-8")

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def stage(storage: FileStorage | None, meta: dict[str, Any]) -> Stage:
    """Save the upload as a new stage (after deleting stale ones); `BadUpload` if refused."""
    prune()
    token = secrets.token_urlsafe(24)
    directory = stages_root() / token
    try:
        upload = save_upload(storage, directory)
    except BadUpload:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    meta = {**meta, "name": upload.name, "kind": upload.kind, "created": time.time()}
    (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False),
                                         encoding="utf-8")
    return Stage(token, directory, meta)


def find_stage(token: str, user_id: int, round_id: int) -> Stage | None:
    """The stage of this token if this user made it for this round, else None."""
    if not TOKEN.fullmatch(token):
        return None
    directory = stages_root() / token
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user") != user_id or meta.get("round") != round_id:
        return None
    return Stage(token, directory, meta)


def prune(max_age_s: float = STAGE_HOURS * 3600) -> None:
    root = stages_root()
    if not root.exists():
        return
    cutoff = time.time() - max_age_s
    for directory in root.iterdir():
        if directory.is_dir() and directory.stat().st_mtime < cutoff:
            shutil.rmtree(directory, ignore_errors=True)
