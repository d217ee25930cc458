"""Saving, loading and exchanging confirmed response mappings (`ImportMapping` rows).

A mapping is saved under a name for one instrument version; its JSON is the one of
`surveys.importers.mapping` (see README.md, "Responses"), so it can be shown, edited in a
file and read back. Functions here change the session and never commit.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.importers import MappingError, ResponseMapping

from .. import audit
from ..instruments.operations import definition_of
from ..models import ImportMapping, Instrument
from ..operations import OperationError

MAX_NAME = 200


def save_mapping(session: Session, name: str, instrument: Instrument, mapping: ResponseMapping,
                 actor_id: int | None = None) -> ImportMapping:
    """Store ``mapping`` as ``name`` for ``instrument``, replacing a mapping of that name."""
    name = _checked_name(name)
    try:
        ResponseMapping.from_json(mapping.to_json(), definition_of(instrument))
    except MappingError as error:
        raise OperationError(f"mapping {name!r}: {error}") from error
    row = _find(session, name, instrument)
    created = row is None
    if row is None:
        row = ImportMapping(name=name, instrument_id=instrument.id, source=mapping.format,
                            mapping={})
        session.add(row)
    row.source = mapping.format
    row.mapping = mapping.to_json()
    row.created_by_id = actor_id
    session.flush()
    audit.record(session, "save" if created else "update", "import_mapping", row.id, actor_id,
                 name=name, instrument=f"{instrument.key} v{instrument.version}",
                 format=mapping.format, questionnaire=mapping.questionnaire)
    return row


def load_mapping(session: Session, name: str, instrument: Instrument) -> ResponseMapping:
    """The mapping saved as ``name`` for ``instrument``; `OperationError` when there is none."""
    row = _find(session, name, instrument)
    if row is None:
        others = [f"{r.instrument_id}" for r in mapping_rows(session, name)]
        hint = (f"; it exists for other instrument versions (ids {', '.join(others)}): "
                "export it with `evalapp import mapping show` and pass it with --mapping-file"
                if others else "")
        raise OperationError(f"no mapping {name!r} for instrument {instrument.key} "
                             f"v{instrument.version}{hint}")
    return mapping_of(row, instrument)


def mapping_of(row: ImportMapping, instrument: Instrument) -> ResponseMapping:
    try:
        return ResponseMapping.from_json(row.mapping, definition_of(instrument))
    except MappingError as error:
        raise OperationError(f"saved mapping {row.name!r}: {error}") from error


def mapping_rows(session: Session, name: str | None = None) -> list[ImportMapping]:
    """Saved mappings (of that name), oldest first."""
    query = select(ImportMapping).order_by(ImportMapping.name, ImportMapping.id)
    if name is not None:
        query = query.where(ImportMapping.name == name)
    return list(session.scalars(query))


def read_mapping_file(path: Path, instrument: Instrument) -> ResponseMapping:
    """A mapping from a JSON file (as `mapping_json` writes it), checked against the
    instrument."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OperationError(f"{path.name}: not a JSON mapping ({error})") from error
    try:
        return ResponseMapping.from_json(data, definition_of(instrument))
    except MappingError as error:
        raise OperationError(f"{path.name}: {error}") from error


def mapping_json(mapping: ResponseMapping) -> str:
    """The mapping as readable JSON text (Chinese kept as it is)."""
    return json.dumps(mapping.to_json(), ensure_ascii=False, indent=2) + "\n"


def _find(session: Session, name: str, instrument: Instrument) -> ImportMapping | None:
    return session.scalar(select(ImportMapping).where(
        ImportMapping.name == name, ImportMapping.instrument_id == instrument.id))


def _checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise OperationError(f"a mapping name is 1–{MAX_NAME} characters")
    return name
