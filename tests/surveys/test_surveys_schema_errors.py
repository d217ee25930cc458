"""Every validation rule of the instrument schema, and how its problems are reported."""

from collections.abc import Callable
from typing import Any

import pytest

from surveys import Instrument, InstrumentError, Problem, load_instrument, parse_instrument

Doc = dict[str, Any]
ItemIn = Callable[[Doc, str], Doc]
Mutation = Callable[[Doc, ItemIn], object]


def _set(item_id: str, **fields: object) -> Mutation:
    return lambda doc, item: item(doc, item_id).update(fields)


def _drop(item_id: str, field: str) -> Mutation:
    return lambda doc, item: item(doc, item_id).pop(field)


def _top(**fields: object) -> Mutation:
    return lambda doc, item: doc.update(fields)


def _section(**fields: object) -> Mutation:
    return lambda doc, item: doc["sections"][0].update(fields)


def _option(item_id: str, index: int, **fields: object) -> Mutation:
    return lambda doc, item: item(doc, item_id)["options"][index].update(fields)


def _when(item_id: str, condition: object) -> Mutation:
    return _set(item_id, relevant=condition)


def _chain(*mutations: Mutation) -> Mutation:
    return lambda doc, item: [mutate(doc, item) for mutate in mutations]


LABEL = {"zh": "标签", "en": "Label"}

# (mutation, item named in the problem, field named in the problem, part of the message)
CASES: dict[str, tuple[Mutation, str | None, str | None, str]] = {
    "top: id missing": (lambda d, i: d.pop("id"), None, "id", "is required"),
    "top: id not an identifier": (_top(id="Daily-1"), None, "id", "must be an identifier"),
    "top: id too long": (_top(id="a" * 65), None, "id", "at most 64"),
    "top: mode unknown": (_top(mode="weekly"), None, "mode", "must be one of daily"),
    "top: title not a mapping": (_top(title="演示"), None, "title", "must be a mapping"),
    "top: title.en missing": (_top(title={"zh": "演示"}), None, "title.en", "is required"),
    "top: title.zh empty": (_top(title={"zh": " ", "en": "x"}), None, "title.zh", "non-empty"),
    "top: title.zh not text": (_top(title={"zh": 3, "en": "x"}), None, "title.zh", "non-empty"),
    "top: title extra language": (
        _top(title={"zh": "a", "en": "b", "fr": "c"}),
        None,
        "title.fr",
        "unknown field",
    ),
    "top: description invalid": (_top(description={"zh": "a"}), None, "description.en", "required"),
    "top: unknown field": (_top(version=2), None, "version", "unknown field"),
    "top: misspelt field": (_top(titel=LABEL), None, "titel", "did you mean title?"),
    "top: sections empty": (_top(sections=[]), None, "sections", "non-empty list"),
    "top: sections not a list": (_top(sections="main"), None, "sections", "non-empty list"),
    "section: not a mapping": (
        lambda d, i: d["sections"].append("more"),
        None,
        "sections[2]",
        "must be a mapping",
    ),
    "section: items missing": (
        lambda d, i: d["sections"][0].pop("items"),
        None,
        "sections[0].items",
        "is required",
    ),
    "section: items empty": (_section(items=[]), None, "sections[0].items", "non-empty list"),
    "section: title missing": (
        lambda d, i: d["sections"][0].pop("title"),
        None,
        "sections[0].title",
        "is required",
    ),
    "section: id invalid": (_section(id="Main"), None, "sections[0].id", "identifier"),
    "section: duplicate id": (_section(id="more"), None, "sections[1].id", "duplicate section"),
    "section: unknown field": (_section(intro=LABEL), None, "sections[0].intro", "unknown"),
    "item: not a mapping": (
        lambda d, i: d["sections"][0]["items"].append("q9"),
        "sections[0].items[4]",
        None,
        "must be a mapping",
    ),
    "item: id missing": (_drop("q_yes", "id"), "sections[0].items[0]", "id", "is required"),
    "item: id not an identifier": (_set("q_yes", id="Q1"), "Q1", "id", "identifier"),
    "item: duplicate id": (_set("q_rating", id="q_yes"), "q_yes", "id", "duplicate item id"),
    "item: type missing": (_drop("q_yes", "type"), "q_yes", "type", "is required"),
    "item: type unknown": (_set("q_yes", type="scale"), "q_yes", "type", "must be one of likert"),
    "item: text missing": (_drop("q_yes", "text"), "q_yes", "text", "is required"),
    "item: text.en missing": (_set("q_yes", text={"zh": "题"}), "q_yes", "text.en", "required"),
    "item: text.zh blank": (
        _set("q_yes", text={"zh": "", "en": "Q"}),
        "q_yes",
        "text.zh",
        "non-empty",
    ),
    "item: text a string": (_set("q_yes", text="题目"), "q_yes", "text", "must be a mapping"),
    "item: unknown field": (_set("q_yes", colour="red"), "q_yes", "colour", "unknown field"),
    "item: misspelt field": (
        _set("q_yes", requird=True),
        "q_yes",
        "requird",
        "did you mean required?",
    ),
    "item: dimension unknown": (
        _set("q_yes", dimension="loyalty"),
        "q_yes",
        "dimension",
        "must be one of awareness",
    ),
    "item: weight zero": (_set("q_yes", weight=0), "q_yes", "weight", "greater than 0"),
    "item: weight negative": (_set("q_yes", weight=-1), "q_yes", "weight", "greater than 0"),
    "item: weight text": (_set("q_yes", weight="heavy"), "q_yes", "weight", "greater than 0"),
    "item: weight boolean": (_set("q_yes", weight=True), "q_yes", "weight", "greater than 0"),
    "item: weight infinite": (
        _set("q_yes", weight=float("inf")),
        "q_yes",
        "weight",
        "greater than 0",
    ),
    "item: weight huge integer": (_set("q_yes", weight=10**400), "q_yes", "weight", "greater"),
    "item: required not boolean": (
        _set("q_yes", required="yes"),
        "q_yes",
        "required",
        "true or false",
    ),
    "item: allow_na not boolean": (_set("q_yes", allow_na=1), "q_yes", "allow_na", "true or"),
    "item: allow_dont_know not boolean": (
        _set("q_yes", allow_dont_know=None),
        "q_yes",
        "allow_dont_know",
        "true or false",
    ),
    "item: dont_know unknown": (
        _set("q_yes", dont_know="skip"),
        "q_yes",
        "dont_know",
        "must be one of zero, missing",
    ),
    "likert: points missing": (_drop("q_likert", "points"), "q_likert", "points", "required"),
    "likert: points too few": (
        _set("q_likert", points=2),
        "q_likert",
        "points",
        "must be an integer from 3 to 11",
    ),
    "likert: points too many": (_set("q_likert", points=12), "q_likert", "points", "3 to 11"),
    "likert: points fractional": (_set("q_likert", points=4.5), "q_likert", "points", "integer"),
    "likert: points boolean": (_set("q_likert", points=True), "q_likert", "points", "integer"),
    "likert: labels wrong count": (
        _set("q_likert", labels=[LABEL] * 4),
        "q_likert",
        "labels",
        "exactly 5 labels",
    ),
    "likert: label not a text": (
        _set("q_likert", labels=[LABEL] * 4 + ["好"]),
        "q_likert",
        "labels[4]",
        "mapping",
    ),
    "likert: anchors incomplete": (
        _set("q_likert", labels={"low": LABEL}),
        "q_likert",
        "labels.high",
        "is required",
    ),
    "likert: anchors unknown key": (
        _set("q_likert", labels={"low": LABEL, "high": LABEL, "mid": LABEL}),
        "q_likert",
        "labels.mid",
        "unknown field",
    ),
    "likert: labels a string": (
        _set("q_likert", labels="agree"),
        "q_likert",
        "labels",
        "one label per point",
    ),
    "yesno: points not used": (
        _set("q_yes", points=5),
        "q_yes",
        "points",
        "not used by yesno items",
    ),
    "text: options not used": (
        _set("q_text", options=[]),
        "q_text",
        "options",
        "not used by text items",
    ),
    "multi: reverse not used": (
        _set("q_multi", reverse=True),
        "q_multi",
        "reverse",
        "not used by multi items",
    ),
    "text: reverse not used": (_set("q_text", reverse=False), "q_text", "reverse", "not used"),
    "likert: suggestion not used": (
        _set("q_likert", suggestion=True),
        "q_likert",
        "suggestion",
        "not used by likert",
    ),
    "likert: reverse not boolean": (
        _set("q_likert", reverse="yes"),
        "q_likert",
        "reverse",
        "true or false",
    ),
    "single: reverse without scores": (
        _set("q_multi", type="single", reverse=True),
        "q_multi",
        "reverse",
        "only for items that produce a score",
    ),
    "number: reverse without min and max": (
        _chain(_drop("q_number", "min"), _drop("q_number", "max"), _set("q_number", reverse=True)),
        "q_number",
        "reverse",
        "only for items that produce a score",
    ),
    "single: options missing": (_drop("q_single", "options"), "q_single", "options", "required"),
    "single: one option": (
        _set("q_single", options=[{"value": "a", "label": LABEL, "score": 1}]),
        "q_single",
        "options",
        "at least 2 options",
    ),
    "single: options a mapping": (
        _set("q_single", options={"a": LABEL}),
        "q_single",
        "options",
        "list of at least 2",
    ),
    "single: option not a mapping": (
        lambda d, i: i(d, "q_single")["options"].append("d"),
        "q_single",
        "options[3]",
        "must be a mapping",
    ),
    "single: option label missing": (
        lambda d, i: i(d, "q_single")["options"][0].pop("label"),
        "q_single",
        "options[0].label",
        "is required",
    ),
    "single: option value missing": (
        lambda d, i: i(d, "q_single")["options"][0].pop("value"),
        "q_single",
        "options[0].value",
        "is required",
    ),
    "single: option value with space": (
        _option("q_single", 0, value="a b"),
        "q_single",
        "options[0].value",
        "letters, digits",
    ),
    "multi: option value with comma": (
        _option("q_multi", 0, value="a,b"),
        "q_multi",
        "options[0].value",
        "no comma",
    ),
    "single: option value a float": (
        _option("q_single", 0, value=1.5),
        "q_single",
        "options[0].value",
        "letters, digits",
    ),
    "single: duplicate option value": (
        _option("q_single", 1, value="a"),
        "q_single",
        "options[1].value",
        "duplicate option",
    ),
    "single: duplicate option value after bool": (
        _chain(_option("q_single", 0, value=True), _option("q_single", 1, value="yes")),
        "q_single",
        "options[1].value",
        "duplicate option value yes",
    ),
    "single: score above 100": (
        _option("q_single", 0, score=101),
        "q_single",
        "options[0].score",
        "from 0 to 100",
    ),
    "single: score negative": (
        _option("q_single", 0, score=-1),
        "q_single",
        "options[0].score",
        "from 0 to 100",
    ),
    "single: score text": (
        _option("q_single", 0, score="high"),
        "q_single",
        "options[0].score",
        "0 to 100",
    ),
    "multi: score not used": (
        _option("q_multi", 0, score=50),
        "q_multi",
        "options[0].score",
        "only single options",
    ),
    "single: option unknown field": (
        _option("q_single", 0, points=3),
        "q_single",
        "options[0].points",
        "unknown field",
    ),
    "number: min without max": (_drop("q_number", "max"), "q_number", "max", "together"),
    "number: max without min": (_drop("q_number", "min"), "q_number", "min", "together"),
    "number: min equals max": (_set("q_number", min=10), "q_number", "max", "greater than min"),
    "number: min above max": (_set("q_number", min=11), "q_number", "max", "greater than min"),
    "number: min not a number": (_set("q_number", min="low"), "q_number", "min", "finite number"),
    "number: max not finite": (
        _set("q_number", max=float("nan")),
        "q_number",
        "max",
        "finite number",
    ),
    "text: max_length zero": (
        _set("q_text", max_length=0),
        "q_text",
        "max_length",
        "from 1 to 100000",
    ),
    "text: max_length text": (_set("q_text", max_length="long"), "q_text", "max_length", "int"),
    "text: suggestion not boolean": (
        _set("q_text", suggestion="yes"),
        "q_text",
        "suggestion",
        "true or false",
    ),
    "relevant: not a mapping": (_when("q_text", "q_yes"), "q_text", "relevant", "must be {item"),
    "relevant: item missing": (
        _when("q_text", {"equals": "yes"}),
        "q_text",
        "relevant.item",
        "is required",
    ),
    "relevant: unknown key": (
        _when("q_text", {"item": "q_yes", "when": "yes"}),
        "q_text",
        "relevant.when",
        "unknown",
    ),
    "relevant: neither equals nor in": (
        _when("q_text", {"item": "q_yes"}),
        "q_text",
        "relevant",
        "exactly one of equals or in",
    ),
    "relevant: both equals and in": (
        _when("q_text", {"item": "q_yes", "equals": "yes", "in": ["no"]}),
        "q_text",
        "relevant",
        "exactly one of equals or in",
    ),
    "relevant: in empty": (
        _when("q_text", {"item": "q_yes", "in": []}),
        "q_text",
        "relevant.in",
        "non-empty list",
    ),
    "relevant: in not a list": (
        _when("q_text", {"item": "q_yes", "in": "yes"}),
        "q_text",
        "relevant.in",
        "list",
    ),
    "relevant: item not a string": (
        _when("q_text", {"item": 3, "equals": 1}),
        "q_text",
        "relevant.item",
        "earlier item",
    ),
    "relevant: unknown item": (
        _when("q_text", {"item": "q_nope", "equals": "yes"}),
        "q_text",
        "relevant.item",
        "unknown item q_nope",
    ),
    "relevant: later item": (
        _when("q_yes", {"item": "q_rating", "equals": 5}),
        "q_yes",
        "relevant.item",
        "item q_rating comes later",
    ),
    "relevant: itself": (
        _when("q_rating", {"item": "q_rating", "equals": 5}),
        "q_rating",
        "relevant.item",
        "cannot depend on itself",
    ),
    "relevant: on a text item": (
        lambda d, i: d["sections"][1]["items"].append(
            {
                "id": "q_after",
                "type": "yesno",
                "text": LABEL,
                "relevant": {"item": "q_text", "equals": "x"},
            }
        ),
        "q_after",
        "relevant.item",
        "text item",
    ),
    "relevant: yesno value not yes/no": (
        _when("q_text", {"item": "q_yes", "equals": "maybe"}),
        "q_text",
        "relevant.equals",
        "must be yes or no",
    ),
    "relevant: yesno value a number": (
        _when("q_text", {"item": "q_yes", "in": ["yes", 1]}),
        "q_text",
        "relevant.in",
        "must be yes or no",
    ),
    "relevant: unknown option": (
        _when("q_text", {"item": "q_single", "equals": "z"}),
        "q_text",
        "relevant.equals",
        "must be an option of item q_single (a, b, c)",
    ),
    "relevant: unknown multi option": (
        _when("q_text", {"item": "q_multi", "in": ["a", "d"]}),
        "q_text",
        "relevant.in",
        "option of item q_multi",
    ),
    "relevant: likert value off the scale": (
        _when("q_text", {"item": "q_likert", "equals": 6}),
        "q_text",
        "relevant.equals",
        "whole number from 1 to 5",
    ),
    "relevant: likert value fractional": (
        _when("q_text", {"item": "q_likert", "equals": 2.5}),
        "q_text",
        "relevant.equals",
        "whole number from 1 to 5",
    ),
    "relevant: likert value a string": (
        _when("q_text", {"item": "q_likert", "equals": "3"}),
        "q_text",
        "relevant.equals",
        "whole number",
    ),
    "relevant: rating10 value off the scale": (
        _when("q_text", {"item": "q_rating", "in": [10, 11]}),
        "q_text",
        "relevant.in",
        "whole number from 0 to 10",
    ),
    "relevant: number value not a number": (
        _when("q_text", {"item": "q_number", "equals": "many"}),
        "q_text",
        "relevant.equals",
        "must be a number",
    ),
}


def _problems(doc: Doc) -> list[Problem]:
    with pytest.raises(InstrumentError) as caught:
        Instrument.from_dict(doc, "daily.yaml")
    return caught.value.problems


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_rule_is_enforced_and_named(case: str, make_doc, item_in, to_yaml) -> None:
    mutate, item, field, fragment = CASES[case]
    doc = make_doc()
    mutate(doc, item_in)
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(to_yaml(doc), "daily.yaml")
    problems = caught.value.problems
    matching = [p for p in problems if (p.item, p.field) == (item, field)]
    assert matching, f"no problem at item {item}, field {field}: {problems}"
    assert any(fragment in p.message for p in matching), matching
    assert all(p.source == "daily.yaml" for p in problems)


def test_message_names_file_item_and_field(make_doc, item_in, to_yaml) -> None:
    doc = make_doc()
    item_in(doc, "q_likert")["points"] = 2
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(to_yaml(doc), "daily.yaml")
    assert str(caught.value) == (
        "daily.yaml: item q_likert, field points: must be an integer from 3 to 11"
    )


def test_all_problems_are_reported_in_one_pass(make_doc, item_in, to_yaml) -> None:
    doc = make_doc()
    doc["mode"] = "weekly"
    item_in(doc, "q_likert")["points"] = 12
    item_in(doc, "q_single")["options"][0]["score"] = 150
    item_in(doc, "q_text")["relevant"] = {"item": "q_missing", "equals": "x"}
    item_in(doc, "q_rating")["wieght"] = 2
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(to_yaml(doc), "daily.yaml")
    lines = str(caught.value).splitlines()
    assert lines == [str(p) for p in caught.value.problems]
    assert [line.split(": ")[1] for line in lines] == [
        "field mode",
        "item q_likert, field points",
        "item q_single, field options[0].score",
        "item q_rating, field wieght",
        "item q_text, field relevant.item",
    ]


def test_problem_text_without_item_or_field() -> None:
    assert str(Problem("a.yaml", None, None, "bad")) == "a.yaml: bad"
    assert str(Problem("a.yaml", None, "mode", "bad")) == "a.yaml: field mode: bad"
    assert str(Problem("a.yaml", "q1", None, "bad")) == "a.yaml: item q1: bad"


def test_instrument_error_is_a_value_error() -> None:
    error = InstrumentError([Problem("a.yaml", None, None, "bad")])
    assert isinstance(error, ValueError)
    assert error.problems == [Problem("a.yaml", None, None, "bad")]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("id: [unclosed\n", "invalid YAML at line 2"),
        ("id: demo\n  mode: daily\n", "invalid YAML at line 2"),
        ("id: demo\nid: other\n", "found duplicate key 'id'"),
        ("- id: demo\n", "must be a mapping with id, mode, title and sections (found a list)"),
        ("just text\n", "(found a str)"),
        ("", "(found an empty file)"),
        ("# only a comment\n", "(found an empty file)"),
        ("[" * 5000, "invalid YAML"),
    ],
)
def test_unreadable_documents_name_the_file(text: str, fragment: str) -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(text, "broken.yaml")
    assert str(caught.value).startswith("broken.yaml: ")
    assert fragment in str(caught.value)


def test_duplicate_key_inside_an_item_is_refused(make_doc, to_yaml) -> None:
    text = to_yaml(make_doc()).replace("  - id: q_yes\n", "  - id: q_yes\n    id: q_yes2\n")
    with pytest.raises(InstrumentError, match=r"line \d+.*duplicate key 'id'"):
        parse_instrument(text, "daily.yaml")


def test_yaml_merge_keys_are_not_duplicates(make_doc, to_yaml) -> None:
    text = to_yaml(make_doc()).replace(
        "title:\n  zh: 演示问卷\n  en: Demo\n",
        "title: &t\n  zh: 演示问卷\n  en: Demo\ndescription:\n  <<: *t\n  en: Demo notes\n",
    )
    instrument = parse_instrument(text, "daily.yaml")
    assert instrument.description is not None
    assert instrument.description.en == "Demo notes"


def test_load_instrument_names_the_file(tmp_path, make_doc, to_yaml) -> None:
    path = tmp_path / "daily.yaml"
    doc = make_doc()
    doc["mode"] = "monthly"
    path.write_text(to_yaml(doc), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^daily\.yaml: field mode: "):
        load_instrument(path)


def test_load_instrument_refuses_non_utf8(tmp_path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: 日常\n".encode("gbk"))
    with pytest.raises(InstrumentError, match=r"^gbk\.yaml: not UTF-8 text"):
        load_instrument(path)


def test_problems_of_an_invalid_earlier_item_are_not_repeated(make_doc, item_in) -> None:
    doc = make_doc()
    item_in(doc, "q_yes")["type"] = "boolean"
    problems = _problems(doc)
    assert [(p.item, p.field) for p in problems] == [("q_yes", "type")]
