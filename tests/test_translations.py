"""The Chinese catalogue is complete and its compiled form is up to date."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import evalapp

CATALOGUE = Path(evalapp.__file__).parent / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def _po():  # type: ignore[no-untyped-def]
    with open(CATALOGUE / "messages.po", "rb") as handle:
        return read_po(handle)


def test_every_message_is_translated_and_not_fuzzy() -> None:
    untranslated = [m.id for m in _po() if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with open(CATALOGUE / "messages.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == {m.id: m.string for m in _po() if m.id}


def test_every_string_in_the_code_is_in_the_catalogue() -> None:
    """A new interface string without a translation fails here: run `make translations`."""
    package = Path(evalapp.__file__).parent
    found = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(package, METHODS, keywords=KEYWORDS)
    }
    known = {m.id for m in _po() if m.id}
    assert sorted(found - known) == []
