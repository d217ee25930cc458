"""Questionnaires: the instrument schema, its loader and validator, and the answer rules.

This package never imports Flask or SQLAlchemy; the web app and the reports build on it.
"""

from pathlib import Path

from surveys.answers import Answer, canonical_strings, encode_multi, validate_answer
from surveys.instrument import (
    Instrument,
    InstrumentError,
    Item,
    Option,
    Problem,
    Relevance,
    Section,
    Text,
    load_instrument,
    parse_instrument,
)

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"


def shipped_instruments() -> dict[str, Instrument]:
    """The instruments shipped in ``surveys/instruments``, by instrument id."""
    loaded = (load_instrument(path) for path in sorted(INSTRUMENTS_DIR.glob("*.yaml")))
    return {instrument.id: instrument for instrument in loaded}


__all__ = [
    "INSTRUMENTS_DIR",
    "Answer",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Problem",
    "Relevance",
    "Section",
    "Text",
    "canonical_strings",
    "encode_multi",
    "load_instrument",
    "parse_instrument",
    "shipped_instruments",
    "validate_answer",
]
