"""Report files generated once and kept under the instance folder.

    instance/reports/<round id>/<data version>/published/          frozen results
    instance/reports/<round id>/<data version>/preliminary-<key>/  a round not yet published

A published round's files are made from its frozen result, written once (read-only) and
never changed or removed: asking again serves the same bytes. An unpublished round's files
are keyed by its data version and by what else shows in them (the previous round used for
trends, the report format), and older preliminary folders of the round are removed when
new ones are made. Files are written to a temporary name and renamed, under a lock file,
so concurrent requests (several gunicorn workers) generate a file once and never serve a
partial one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from reports.files import card_name, file_bytes, unit_card_bytes
from reports.model import ReportData

from ..models import Round
from ..scoring import service
from .data import load_report_data

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: atomic renames only
    fcntl = None  # type: ignore[assignment]

REPORT_FORMAT = "1"  # bump when the files' layout changes: unpublished rounds regenerate


def round_folder(instance_path: str | os.PathLike[str], round_id: int) -> Path:
    return Path(instance_path) / "reports" / str(round_id)


def report_folder(session: Session, round_: Round, instance_path: str | os.PathLike[str]
                  ) -> Path:
    """Where the round's files for its current state live (not created here)."""
    result = service.score_table(session, round_)
    base = round_folder(instance_path, round_.id) / result.data_version
    if result.frozen:
        return base / "published"
    before = service.previous_published(session, round_)
    previous = ""
    if before is not None:
        previous = f"{before.id}:{service.score_table(session, before).data_version}"
    key = hashlib.sha256(f"{REPORT_FORMAT}|{round_.status}|{previous}".encode()).hexdigest()
    return base / f"preliminary-{key[:16]}"


def cached_file(session: Session, round_: Round, name: str,
                instance_path: str | os.PathLike[str], workers: int | None = None) -> Path:
    """The path of report file `name` (see `reports.files`), generated if missing."""
    return cached(session, round_, name, instance_path,
                  lambda data: file_bytes(data, name, workers))


def cached_card(session: Session, round_: Round, unit_code: str,
                instance_path: str | os.PathLike[str]) -> Path:
    """The path of a unit's report card PDF, generated if missing (KeyError: no such unit)."""
    require_unit(session, round_, unit_code)
    return cached(session, round_, f"{unit_folder(unit_code)}/{card_name(unit_code)}",
                  instance_path, lambda data: unit_card_bytes(data, unit_code))


def require_unit(session: Session, round_: Round, unit_code: str) -> None:
    """KeyError unless the unit is in the round's score table (checked before anything is
    written, so a request for a unit that is not there leaves no trace)."""
    if unit_code not in set(service.score_table(session, round_).table["unit_code"]):
        raise KeyError(f"unit {unit_code!r} is not in round {round_.id}")


def unit_folder(unit_code: str) -> str:
    """The folder of a unit's cached files, relative to the report folder.

    `card_name` makes any code safe for a file name, so two codes can share a safe name
    ("A/1" and "A_1"); a code that is not its own safe name gets a folder keyed by its hash,
    so one unit is never served another's card.
    """
    if card_name(unit_code) == f"card-{unit_code}.pdf":
        return "cards"
    return f"cards/{hashlib.sha256(unit_code.encode()).hexdigest()[:16]}"


def cached(session: Session, round_: Round, name: str, instance_path: str | os.PathLike[str],
           make: Callable[[ReportData], bytes]) -> Path:
    """The path of `name` (relative to the round's report folder), made by `make` from the
    round's report data when missing. `name` must come from the caller's fixed list of
    names, never from a request as it is."""
    folder = report_folder(session, round_, instance_path)
    path = folder / name
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        if path.exists():
            return path
        content = make(load_report_data(session, round_))
        _write_atomic(path, content, read_only=folder.name == "published")
    if folder.name != "published":
        _prune(folder)
    return path


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _write_atomic(path: Path, content: bytes, read_only: bool) -> None:
    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444 if read_only else 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _prune(keep: Path) -> None:
    """Remove the round's other preliminary folders (published ones are never touched)."""
    round_dir = keep.parent.parent
    for version in round_dir.iterdir():
        if not version.is_dir():
            continue
        for folder in version.iterdir():
            if folder.is_dir() and folder.name.startswith("preliminary-") and folder != keep:
                shutil.rmtree(folder, ignore_errors=True)
        if version != keep.parent and not any(version.iterdir()):
            version.rmdir()

