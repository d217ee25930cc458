"""Taking a round's report files from the web pages: the file from the cache, its type and
the name it is saved under (`round_file`, `unit_card`), and an ``export`` audit event
(`record_download`: the files hold suggestions and every unit's scores, so who took which
file is recorded, as for `evalapp report`).

Making a file can take a minute (a large round's PDF). The two steps are separate so that
the caller can make it in a read-only session and record the event in a short write
transaction afterwards: on SQLite a writing transaction holds the database's one write lock,
and observers' submissions must not wait for a PDF.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.orm import Session

from reports.files import FORMAT_FILES, card_name

from .. import audit
from ..models import Round
from .cache import cached_card, cached_file

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}
FILE_NAMES = tuple(name for names in FORMAT_FILES.values() for name in names)
UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME = 60


@dataclass(frozen=True)
class Download:
    path: Path
    content_type: str
    ascii_name: str  # for clients that ignore filename*
    name: str  # UTF-8, with the round's name
    file: str  # what the audit event names
    unit: str | None = None

    @property
    def disposition(self) -> str:
        """`Content-Disposition` with an ASCII name and the UTF-8 one (RFC 6266/5987)."""
        return (f'attachment; filename="{self.ascii_name}"; '
                f"filename*=UTF-8''{quote(self.name, safe='')}")


def round_file(session: Session, round_: Round, name: str,
               instance_path: str | os.PathLike[str]) -> Download:
    """One of the round's files (`FILE_NAMES`; ValueError for another name)."""
    if name not in FILE_NAMES:
        raise ValueError(f"unknown report file {name!r}")
    path = cached_file(session, round_, name, instance_path)
    return Download(path, _content_type(name), f"round-{round_.id}-{name}",
                    f"{round_.id}-{_readable(round_.name)}-{name}", name)


def unit_card(session: Session, round_: Round, unit_code: str,
              instance_path: str | os.PathLike[str]) -> Download:
    """A unit's report card PDF (KeyError when the unit is not in the round)."""
    path = cached_card(session, round_, unit_code, instance_path)
    name = card_name(unit_code)
    return Download(path, CONTENT_TYPES[".pdf"], f"round-{round_.id}-{name}",
                    f"{round_.id}-{_readable(round_.name)}-{name}", name, unit_code)


def record_download(session: Session, round_id: int, download: Download,
                    actor_id: int | None) -> None:
    """The ``export`` audit event of a download; the caller commits."""
    detail = {"file": download.file} | ({"unit": download.unit} if download.unit else {})
    audit.record(session, "export", "round", round_id, actor_id, **detail)


def _content_type(name: str) -> str:
    return CONTENT_TYPES[Path(name).suffix]


def _readable(text: str) -> str:
    """A round's name as part of a file name: no separators or control characters."""
    cleaned = UNSAFE_IN_NAMES.sub("_", " ".join(text.split())).strip(" ._")
    return cleaned[:MAX_NAME] or "round"
