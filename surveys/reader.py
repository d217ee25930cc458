"""Reading and checking an instrument document (see `surveys.instrument` for the schema).

Each reader records what is wrong and carries on, so one pass reports every problem of a
file; an item, option or section with a problem is left out of the result, and
`read_document` raises `InstrumentError` at the end when anything was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from surveys.answers import format_number, value_range
from surveys.model import Item, Option, Relevance, Section, Text
from surveys.problems import (
    MISSING,
    Checker,
    InstrumentError,
    Problem,
    Scope,
    check_keys,
    get_bool,
    get_choice,
    get_identifier,
    get_int,
    get_number,
    shown,
    to_float,
)
from surveys.vocab import (
    ALL_DIMENSIONS,
    ALL_ITEM_FIELDS,
    COMMON_FIELDS,
    DEFAULT_MAX_LENGTH,
    DONT_KNOW_MISSING,
    DONT_KNOW_POLICIES,
    DONT_KNOW_ZERO,
    ITEM_TYPES,
    LIKERT,
    LIKERT_MAX_POINTS,
    LIKERT_MIN_POINTS,
    MAX_ID_LENGTH,
    MAX_MAX_LENGTH,
    MODES,
    MULTI,
    NO_DIMENSION,
    NUMBER,
    OPTION_VALUE,
    REQUIRED_FIELDS,
    SECTION_FIELDS,
    SINGLE,
    TEXT,
    TOP_FIELDS,
    TYPE_FIELDS,
    YESNO,
)

TEXT_RULE = "must be a mapping with non-empty zh and en texts"
REVERSE_RULE = (
    "only for items that produce a score (single items need option scores, number items "
    "need min and max)"
)


def load_yaml(text: str, source: str) -> object:
    """Parse YAML text; invalid YAML raises `InstrumentError` naming the file and line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise InstrumentError([Problem(source, None, None, _yaml_message(exc))]) from None
    except RecursionError:
        problem = Problem(source, None, None, "invalid YAML: nested too deeply")
        raise InstrumentError([problem]) from None


# libyaml's parser when PyYAML has it (about ten times faster), with the safe constructor.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """A safe loader that refuses a key repeated in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = self.construct_object(key_node)
            if key in seen:
                problem = f"found duplicate key {shown(key)}"
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, problem, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"invalid YAML{where}: {problem}"


@dataclass
class _ItemIndex:
    """Item ids of the whole file, the ids met so far (valid or not) and the valid items
    read so far, so that ``relevant`` can tell an unknown item from a later one."""

    all_ids: set[str]
    seen_ids: set[str] = field(default_factory=set)
    items: dict[str, Item] = field(default_factory=dict)


def read_document(data: object, source: str) -> dict[str, Any]:
    """The checked fields of an instrument document, as keyword arguments of `Instrument`;
    raises `InstrumentError` listing every problem."""
    checker = Checker(source)
    scope = Scope(checker)
    if not isinstance(data, Mapping):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        scope.add(None, f"must be a mapping with id, mode, title and sections (found {found})")
        checker.raise_if_any()
    check_keys(scope, data, TOP_FIELDS, required=("id", "mode", "title", "sections"))
    instrument_id = get_identifier(scope, data, "id")
    mode = get_choice(scope, data, "mode", MODES)
    title = _read_text(scope, data, "title")
    description = _read_text(scope, data, "description")
    sections = _read_sections(scope, data.get("sections", MISSING))
    checker.raise_if_any()
    return {
        "id": instrument_id,
        "mode": mode,
        "title": title,
        "sections": sections,
        "description": description,
    }


def _read_text(scope: Scope, raw: Mapping[Any, Any], key: str) -> Text | None:
    value = raw.get(key, MISSING)
    return None if value is MISSING else _text_value(scope.nested(key), value)


def _text_value(scope: Scope, value: object) -> Text | None:
    """A {zh, en} text; ``scope.prefix`` is the field path of the text itself."""
    if not isinstance(value, Mapping):
        scope.add(None, TEXT_RULE)
        return None
    before = scope.count
    inner = scope.nested(".")
    check_keys(inner, value, ("zh", "en"), required=("zh", "en"))
    for lang in ("zh", "en"):
        text = value.get(lang, MISSING)
        if text is not MISSING and (not isinstance(text, str) or not text.strip()):
            inner.add(lang, "must be a non-empty string")
    if scope.count > before:
        return None
    return Text(value["zh"].strip(), value["en"].strip())


def _read_sections(scope: Scope, raw: object) -> tuple[Section, ...]:
    if raw is MISSING:
        return ()
    if not isinstance(raw, list) or not raw:
        scope.add("sections", "must be a non-empty list of sections")
        return ()
    index = _ItemIndex(_raw_item_ids(raw))
    section_ids: set[str] = set()
    sections = [
        _read_section(scope.nested(f"sections[{number}]"), raw_section, index, section_ids)
        for number, raw_section in enumerate(raw)
    ]
    return tuple(section for section in sections if section is not None)


def _raw_item_ids(sections: list[Any]) -> set[str]:
    ids: set[str] = set()
    for section in sections:
        items = section.get("items") if isinstance(section, Mapping) else None
        for item in items if isinstance(items, list) else ():
            item_id = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(item_id, str):
                ids.add(item_id)
    return ids


def _read_section(
    scope: Scope, raw: object, index: _ItemIndex, section_ids: set[str]
) -> Section | None:
    if not isinstance(raw, Mapping):
        scope.add(None, "must be a mapping with id, title and items")
        return None
    before = scope.count
    fields = scope.nested(".")
    check_keys(fields, raw, SECTION_FIELDS, required=("id", "title", "items"))
    section_id = get_identifier(fields, raw, "id")
    if section_id is not None and section_id in section_ids:
        fields.add("id", f"duplicate section id {section_id}")
    elif section_id is not None:
        section_ids.add(section_id)
    title = _read_text(fields, raw, "title")
    description = _read_text(fields, raw, "description")
    items = _read_items(scope, raw.get("items", MISSING), index)
    if scope.count > before:
        return None
    return Section(section_id, title, items, description)  # type: ignore[arg-type]


def _read_items(scope: Scope, raw: object, index: _ItemIndex) -> tuple[Item, ...]:
    if raw is MISSING:
        return ()
    if not isinstance(raw, list) or not raw:
        scope.add(".items", "must be a non-empty list of items")
        return ()
    items = []
    for number, raw_item in enumerate(raw):
        item = _read_item(scope, number, raw_item, index)
        if item is not None:
            items.append(item)
    return tuple(items)


def _item_label(scope: Scope, number: int, raw: object) -> str:
    """The item's id for messages, or its position when it has no usable id."""
    item_id = raw.get("id") if isinstance(raw, Mapping) else None
    if isinstance(item_id, str) and item_id.strip():
        return item_id
    return f"{scope.prefix}.items[{number}]"


def _read_item(scope: Scope, number: int, raw: object, index: _ItemIndex) -> Item | None:
    scope = scope.for_item(_item_label(scope, number, raw))
    if not isinstance(raw, Mapping):
        scope.add(None, "must be a mapping with id, type and text")
        return None
    before = scope.count
    item_id = _read_item_id(scope, raw, index)
    item_type = get_choice(scope, raw, "type", ITEM_TYPES)
    _check_item_keys(scope, raw, item_type)
    common = _read_common(scope, raw)
    specific = _read_type_fields(scope, raw, item_type) if item_type else {}
    raw_id = raw.get("id")
    relevant = _read_relevance(scope, raw, raw_id, index)
    if isinstance(raw_id, str):
        index.seen_ids.add(raw_id)
    if scope.count > before or item_id is None or item_type is None:
        return None
    item = Item(id=item_id, type=item_type, **common, **specific, relevant=relevant)
    if item.reverse and not item.can_score:
        scope.add("reverse", REVERSE_RULE)
        return None
    index.items[item_id] = item
    return item


def _read_item_id(scope: Scope, raw: Mapping[Any, Any], index: _ItemIndex) -> str | None:
    item_id = get_identifier(scope, raw, "id")
    if item_id is not None and item_id in index.seen_ids:
        scope.add("id", f"duplicate item id {item_id} (an earlier item has it)")
        return None
    return item_id


def _check_item_keys(scope: Scope, raw: Mapping[Any, Any], item_type: str | None) -> None:
    if item_type is None:
        check_keys(scope, raw, ALL_ITEM_FIELDS, required=("id", "type", "text"))
        return
    allowed = COMMON_FIELDS + TYPE_FIELDS[item_type]
    required = ("id", "type", "text", *REQUIRED_FIELDS.get(item_type, ()))
    check_keys(scope, raw, allowed, required, known=ALL_ITEM_FIELDS, owner=f"{item_type} items")


def _read_common(scope: Scope, raw: Mapping[Any, Any]) -> dict[str, Any]:
    dimension = get_choice(scope, raw, "dimension", ALL_DIMENSIONS, default=NO_DIMENSION)
    default_dont_know = DONT_KNOW_ZERO if dimension == "awareness" else DONT_KNOW_MISSING
    return {
        "text": _read_text(scope, raw, "text"),
        "dimension": dimension,
        "weight": get_number(
            scope, raw, "weight", default=1.0, above=0, rule="must be a number greater than 0"
        ),
        "required": get_bool(scope, raw, "required"),
        "allow_na": get_bool(scope, raw, "allow_na"),
        "allow_dont_know": get_bool(scope, raw, "allow_dont_know"),
        "dont_know": get_choice(
            scope, raw, "dont_know", DONT_KNOW_POLICIES, default=default_dont_know
        ),
    }


def _read_type_fields(scope: Scope, raw: Mapping[Any, Any], item_type: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "reverse" in TYPE_FIELDS[item_type]:
        fields["reverse"] = get_bool(scope, raw, "reverse")
    if item_type == LIKERT:
        points = get_int(scope, raw, "points", LIKERT_MIN_POINTS, LIKERT_MAX_POINTS)
        fields["points"] = points
        labels = raw.get("labels", MISSING)
        fields["labels"], fields["anchors"] = _read_labels(scope, labels, points)
    elif item_type in (SINGLE, MULTI):
        fields["options"] = _read_options(scope, raw.get("options", MISSING), item_type)
    elif item_type == NUMBER:
        fields["min"], fields["max"] = _read_bounds(scope, raw)
    elif item_type == TEXT:
        fields["max_length"] = get_int(
            scope, raw, "max_length", 1, MAX_MAX_LENGTH, default=DEFAULT_MAX_LENGTH
        )
        fields["suggestion"] = get_bool(scope, raw, "suggestion")
    return fields


def _read_labels(
    scope: Scope, raw: object, points: int | None
) -> tuple[tuple[Text, ...], tuple[Text, Text] | None]:
    """Likert labels: one per point, or ``{low, high}`` anchors for the two ends."""
    if raw is MISSING:
        return (), None
    if isinstance(raw, Mapping):
        check_keys(scope.nested("labels."), raw, ("low", "high"), required=("low", "high"))
        low = _read_text(scope.nested("labels."), raw, "low")
        high = _read_text(scope.nested("labels."), raw, "high")
        return (), (low, high) if low and high else None
    if not isinstance(raw, list):
        scope.add("labels", "must be a list with one label per point, or {low, high}")
        return (), None
    if points is not None and len(raw) != points:
        scope.add("labels", f"must list exactly {points} labels, one per point (found {len(raw)})")
    labels = [_text_value(scope.nested(f"labels[{n}]"), label) for n, label in enumerate(raw)]
    return tuple(label for label in labels if label is not None), None


def _read_options(scope: Scope, raw: object, item_type: str) -> tuple[Option, ...]:
    if raw is MISSING:
        return ()
    if not isinstance(raw, list) or len(raw) < 2:
        scope.add("options", "must be a list of at least 2 options")
    if not isinstance(raw, list):
        return ()
    seen: set[str] = set()
    options = [
        _read_option(scope.nested(f"options[{number}]"), raw_option, item_type, seen)
        for number, raw_option in enumerate(raw)
    ]
    return tuple(option for option in options if option is not None)


def _read_option(scope: Scope, raw: object, item_type: str, seen: set[str]) -> Option | None:
    if not isinstance(raw, Mapping):
        scope.add(None, "must be a mapping with value and label")
        return None
    before = scope.count
    fields = scope.nested(".")
    allowed = ("value", "label", "score") if item_type == SINGLE else ("value", "label")
    owner = "multi options (only single options carry a score)"
    check_keys(fields, raw, allowed, ("value", "label"), known=("score",), owner=owner)
    value = _option_value(fields, raw.get("value", MISSING))
    if value is not None and value in seen:
        fields.add("value", f"duplicate option value {value}")
    elif value is not None:
        seen.add(value)
    label = _read_text(fields, raw, "label")
    score = get_number(fields, raw, "score", low=0, high=100, rule="must be a number from 0 to 100")
    if scope.count > before:
        return None
    return Option(value, label, score)  # type: ignore[arg-type]


def _option_value(scope: Scope, value: object) -> str | None:
    """An option value as a string; YAML's bare integers and yes/no booleans are accepted."""
    if value is MISSING:
        return None
    text = _plain_string(value)
    if text is None or OPTION_VALUE.fullmatch(text) is None or len(text) > MAX_ID_LENGTH:
        rule = f"must be letters, digits, _ or - (at most {MAX_ID_LENGTH} characters, no comma)"
        scope.add("value", f"{rule}, found {shown(value)}")
        return None
    return text


def _plain_string(value: object) -> str | None:
    """str as it is, bool as yes/no, int as its digits; None for anything else."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) else None


def _read_bounds(scope: Scope, raw: Mapping[Any, Any]) -> tuple[float | None, float | None]:
    low = get_number(scope, raw, "min")
    high = get_number(scope, raw, "max")
    if ("min" in raw) != ("max" in raw):
        missing = "max" if "min" in raw else "min"
        scope.add(missing, "min and max must be given together")
    elif low is not None and high is not None and low >= high:
        scope.add("max", "must be greater than min")
    return low, high


def _read_relevance(
    scope: Scope, raw: Mapping[Any, Any], item_id: object, index: _ItemIndex
) -> Relevance | None:
    condition = raw.get("relevant", MISSING)
    if condition is MISSING:
        return None
    if not isinstance(condition, Mapping):
        scope.add("relevant", "must be {item: ID, equals: VALUE} or {item: ID, in: [VALUES]}")
        return None
    fields = scope.nested("relevant.")
    check_keys(fields, condition, ("item", "equals", "in"), required=("item",))
    target = _relevance_target(fields, condition.get("item", MISSING), item_id, index)
    raw_values = _relevance_raw_values(fields, condition)
    if target is None or raw_values is None:
        return None
    key = "equals" if "equals" in condition else "in"
    values = [_condition_value(fields, key, target, value) for value in raw_values]
    if any(value is None for value in values):
        return None
    return Relevance(target.id, tuple(dict.fromkeys(values)), target.type)  # type: ignore[arg-type]


def _relevance_target(
    scope: Scope, target_id: object, item_id: object, index: _ItemIndex
) -> Item | None:
    """The earlier item a condition refers to; None (with a problem, unless that item is
    invalid and reported already) when there is no such item."""
    if target_id is MISSING:
        return None
    if not isinstance(target_id, str):
        scope.add("item", f"must be the id of an earlier item (found {shown(target_id)})")
    elif target_id == item_id:
        scope.add("item", "an item cannot depend on itself")
    elif target_id in index.items:
        return _usable_target(scope, index.items[target_id])
    elif target_id not in index.all_ids:
        scope.add("item", f"unknown item {target_id}")
    elif target_id not in index.seen_ids:
        scope.add("item", f"item {target_id} comes later; an item can only depend on earlier items")
    return None


def _usable_target(scope: Scope, target: Item) -> Item | None:
    if target.type == TEXT:
        scope.add("item", f"item {target.id} is a text item; conditions cannot use text")
        return None
    return target


def _relevance_raw_values(scope: Scope, condition: Mapping[Any, Any]) -> list[Any] | None:
    if ("equals" in condition) == ("in" in condition):
        scope.add(None, "needs exactly one of equals or in")
        return None
    if "equals" in condition:
        return [condition["equals"]]
    values = condition["in"]
    if not isinstance(values, list) or not values:
        scope.add("in", "must be a non-empty list of values")
        return None
    return values


def _condition_value(scope: Scope, key: str, target: Item, value: object) -> str | None:
    """The canonical answer string for ``value``, if it is a legal answer of ``target``."""
    if target.type in (SINGLE, MULTI):
        text = _plain_string(value)
        if text in target.option_values:
            return text
        rule = f"must be an option of item {target.id} ({', '.join(target.option_values)})"
    elif target.type == YESNO:
        text = _plain_string(value)
        if text in ("yes", "no"):
            return text
        rule = f"must be yes or no (item {target.id} is a yesno item)"
    else:
        number = to_float(value)
        bounds = value_range(target)
        if number is not None and _on_scale(number, bounds):
            return format_number(number)
        rule = _scale_rule(target, bounds)
    scope.add(key, f"{rule}, found {shown(value)}")
    return None


def _on_scale(number: float, bounds: tuple[int, int] | None) -> bool:
    if bounds is None:
        return True
    return number.is_integer() and bounds[0] <= number <= bounds[1]


def _scale_rule(target: Item, bounds: tuple[int, int] | None) -> str:
    if bounds is None:
        return f"must be a number (item {target.id} is a number item)"
    return f"must be a whole number from {bounds[0]} to {bounds[1]} (item {target.id})"
