"""Parsed instrument definitions, kept per content hash.

A stored instrument version never changes and its content hash names its content, so the
parsed (and re-validated) definition can be reused across requests.
"""

from __future__ import annotations

import threading

from surveys.instrument import Instrument as Definition

from ..instruments.operations import definition_of
from ..models import Instrument

_parsed: dict[str, Definition] = {}
_lock = threading.Lock()


def definition_for(row: Instrument) -> Definition:
    with _lock:
        found = _parsed.get(row.content_hash)
    if found is None:
        found = definition_of(row)
        with _lock:
            _parsed[row.content_hash] = found
    return found
