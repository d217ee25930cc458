"""Loading instrument files into the database.

Loading is idempotent: the same content (by content hash, so comments and formatting do not
count) is a no-op; changed content becomes the next version of the instrument.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import surveys
from surveys.instrument import Instrument as Definition

from .. import audit
from ..models import Instrument

SHIPPED = surveys.INSTRUMENTS_DIR


def store_instrument(
    session: Session, definition: Definition, source_text: str, actor_id: int | None = None
) -> tuple[Instrument, bool]:
    """The stored version of ``definition``, and whether it was created now."""
    existing = session.scalar(
        select(Instrument).where(
            Instrument.key == definition.id, Instrument.content_hash == definition.content_hash
        )
    )
    if existing is not None:
        return existing, False
    latest = session.scalar(
        select(func.max(Instrument.version)).where(Instrument.key == definition.id)
    )
    row = Instrument(
        key=definition.id,
        version=(latest or 0) + 1,
        content_hash=definition.content_hash,
        mode=definition.mode,
        title_zh=definition.title.zh,
        title_en=definition.title.en,
        definition=definition.to_dict(),
        source_text=source_text,
    )
    session.add(row)
    session.flush()
    audit.record(session, "load", "instrument", row.id, actor_id,
                 key=row.key, version=row.version, content_hash=row.content_hash)
    return row, True


def load_file(session: Session, path: Path, actor_id: int | None = None) -> tuple[Instrument, bool]:
    """Validate and store the instrument in ``path`` (raises ``InstrumentError``)."""
    source_text = path.read_text(encoding="utf-8")
    definition = surveys.parse_instrument(source_text, path.name)
    return store_instrument(session, definition, source_text, actor_id)


def load_shipped(session: Session) -> list[Instrument]:
    """Store the instruments that come with evalapp (``surveys/instruments``)."""
    return [load_file(session, path)[0] for path in sorted(SHIPPED.glob("*.yaml"))]


def latest(session: Session, key: str) -> Instrument | None:
    return session.scalar(
        select(Instrument).where(Instrument.key == key).order_by(Instrument.version.desc())
    )


def definition_by_hash(session: Session, instrument_id: int, content_hash: str) -> Definition:
    """`definition_of` the stored version ``instrument_id`` whose content hash is known:
    read from the database only the first time this process meets the hash."""
    found = _parsed.get(content_hash)
    if found is None:
        found = definition_of(session.get_one(Instrument, instrument_id))
    return found


def definition_of(row: Instrument) -> Definition:
    """The parsed definition of a stored version (parsed once per content hash: a stored
    version never changes, and the parsed definition is immutable)."""
    found = _parsed.get(row.content_hash)
    if found is None:
        found = _parsed[row.content_hash] = Definition.from_dict(row.definition)
    return found


_parsed: dict[str, Definition] = {}
