"""Property: any mutation of a valid instrument either validates or raises InstrumentError."""

from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import INSTRUMENTS_DIR, Instrument, InstrumentError, parse_instrument
from surveys.vocab import ALL_ITEM_FIELDS, TOP_FIELDS

Path = tuple[Any, ...]

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["yes", "no", "a", "q_yes", "q_text", "likert", "awareness", "zero"])
)
TEXTS = st.fixed_dictionaries({"zh": st.text(max_size=3), "en": st.text(max_size=3)})
VALUES = st.recursive(
    SCALARS | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
KEYS = st.sampled_from([*ALL_ITEM_FIELDS, *TOP_FIELDS, "options", "label", "score", "in"])
MUTATIONS = st.tuples(
    st.sampled_from(["delete", "replace", "add"]),
    st.integers(min_value=0),
    KEYS | st.text(max_size=6),
    VALUES,
)


def _paths(node: Any, prefix: Path = ()) -> list[Path]:
    """The path of every dict entry and list element below ``node``."""
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    else:
        return []
    paths = []
    for key, child in children:
        paths.append((*prefix, key))
        paths += _paths(child, (*prefix, key))
    return paths


def _mutate(doc: dict[str, Any], mutation: tuple[str, int, str, Any]) -> None:
    action, index, key, value = mutation
    paths = _paths(doc)
    if not paths:
        doc[key] = value
        return
    *parent_path, last = paths[index % len(paths)]
    parent: Any = doc
    for step in parent_path:
        parent = parent[step]
    target = parent[last]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(target, dict):
        target[key] = value
    elif action == "add" and isinstance(target, list):
        target.append(value)
    else:
        parent[last] = value


def _outcome(read: Callable[[], Instrument]) -> Instrument | list[str]:
    try:
        return read()
    except InstrumentError as error:
        assert error.problems
        assert all(str(p).startswith("fuzz.yaml: ") for p in error.problems)
        return [f"{p.item} {p.field} {p.message}" for p in error.problems]


@settings(max_examples=300, deadline=None)
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_instrument_validates_or_raises_instrument_error(make_doc, mutations) -> None:
    doc = make_doc()
    for mutation in mutations:
        _mutate(doc, mutation)
    from_dict = _outcome(lambda: Instrument.from_dict(doc, "fuzz.yaml"))
    text = yaml.safe_dump(doc, sort_keys=False)
    from_yaml = _outcome(lambda: parse_instrument(text, "fuzz.yaml"))
    assert from_dict == from_yaml
    if isinstance(from_dict, Instrument):
        again = Instrument.from_dict(from_dict.to_dict())
        assert again == from_dict
        assert again.content_hash == from_dict.content_hash
        assert len(from_dict.items_frame()) == len(from_dict.items)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_text_raises_only_instrument_error(text: str) -> None:
    _outcome(lambda: parse_instrument(text, "fuzz.yaml"))


SHIPPED_LINES = (INSTRUMENTS_DIR / "daily.yaml").read_text(encoding="utf-8").splitlines()
LINE_EDITS = st.tuples(
    st.sampled_from(["delete", "duplicate", "replace", "indent"]),
    st.integers(min_value=0, max_value=len(SHIPPED_LINES) - 1),
    st.text(max_size=20) | st.sampled_from(["yes", "  - id: x", "    type: likert", "- ", ":"]),
)


@settings(max_examples=100, deadline=None)
@given(edits=st.lists(LINE_EDITS, min_size=1, max_size=3))
def test_edited_shipped_file_validates_or_raises_instrument_error(edits) -> None:
    lines = list(SHIPPED_LINES)
    for action, index, text in edits:
        index %= len(lines)
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = "  " + lines[index]
        else:
            lines[index] = text
    _outcome(lambda: parse_instrument("\n".join(lines), "fuzz.yaml"))
