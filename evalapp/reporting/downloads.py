"""Taking a round's report files from the web pages: the file from the cache, its type and
the name it is saved under, and an ``export`` audit event (the files hold suggestions and
every unit's scores, so who took which file is recorded, as for `evalapp report`).
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

    @property
    def disposition(self) -> str:
        """`Content-Disposition` with an ASCII name and the UTF-8 one (RFC 6266/5987)."""
        return (f'attachment; filename="{self.ascii_name}"; '
                f"filename*=UTF-8''{quote(self.name, safe='')}")


def round_file(session: Session, round_: Round, name: str,
               instance_path: str | os.PathLike[str], actor_id: int | None) -> Download:
    """One of the round's files (`FILE_NAMES`; ValueError for another name). The caller
    commits the audit event."""
    if name not in FILE_NAMES:
        raise ValueError(f"unknown report file {name!r}")
    path = cached_file(session, round_, name, instance_path)
    audit.record(session, "export", "round", round_.id, actor_id, file=name)
    return Download(path, _content_type(name), f"round-{round_.id}-{name}",
                    f"{round_.id}-{_readable(round_.name)}-{name}")


def unit_card(session: Session, round_: Round, unit_code: str,
              instance_path: str | os.PathLike[str], actor_id: int | None) -> Download:
    """A unit's report card PDF (KeyError when the unit is not in the round)."""
    path = cached_card(session, round_, unit_code, instance_path)
    name = card_name(unit_code)
    audit.record(session, "export", "round", round_.id, actor_id, file=name, unit=unit_code)
    return Download(path, CONTENT_TYPES[".pdf"], f"round-{round_.id}-{name}",
                    f"{round_.id}-{_readable(round_.name)}-{name}")


def _content_type(name: str) -> str:
    return CONTENT_TYPES[Path(name).suffix]


def _readable(text: str) -> str:
    """A round's name as part of a file name: no separators or control characters."""
    cleaned = UNSAFE_IN_NAMES.sub("_", " ".join(text.split())).strip(" ._")
    return cleaned[:MAX_NAME] or "round"
