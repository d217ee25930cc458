"""The parsed instrument: accessors, the stored form, the content hash and the items frame."""

import dataclasses
import hashlib
import json
import math

import pandas as pd
import pytest

from surveys import Instrument, Text, load_instrument, parse_instrument

BLOCK_YAML = """\
# A questionnaire written out in block style, with comments.
id: demo
mode: daily
title:
  zh: 演示问卷
  en: Demo
sections:
  - id: main
    title: {zh: 主体, en: Main}
    items:
      - id: q_yes
        type: yesno
        text: {zh: 知道吗, en: Do you know}
        dimension: awareness
        allow_dont_know: true
      - id: q_single
        type: single
        text: {zh: 参加几次, en: How often}
        dimension: participation
        options:
          - {value: 1, label: {zh: 一次, en: Once}, score: 50}
          - {value: 2, label: {zh: 两次, en: Twice}, score: 100}
      - id: q_likert
        type: likert
        points: 5
        text: {zh: 满意, en: Satisfied}
        dimension: satisfaction
        relevant: {item: q_yes, equals: yes}
"""

FLOW_YAML = """\
{id: demo, mode: daily, title: {en: Demo, zh: 演示问卷},
 sections: [{title: {zh: 主体, en: Main}, id: main, items: [
  {id: q_yes, type: yesno, text: {zh: 知道吗, en: Do you know}, dimension: awareness,
   allow_dont_know: true, dont_know: zero, weight: 1.0, required: false, reverse: false},
  {id: q_single, type: single, text: {zh: 参加几次, en: How often}, dimension: participation,
   options: [{value: '1', label: {zh: 一次, en: Once}, score: 50.0},
             {value: '2', label: {zh: 两次, en: Twice}, score: 100}]},
  {id: q_likert, type: likert, points: 5, text: {zh: 满意, en: Satisfied},
   dimension: satisfaction, relevant: {item: q_yes, in: [true]}, weight: 1,
   allow_na: false, dont_know: missing}]}]}
"""


@pytest.fixture
def demo(make_doc) -> Instrument:
    return Instrument.from_dict(make_doc(), "demo.yaml")


def test_layout_comments_and_spelled_out_defaults_keep_the_hash() -> None:
    block = parse_instrument(BLOCK_YAML, "a.yaml")
    flow = parse_instrument(FLOW_YAML, "b.yaml")
    assert block == flow
    assert block.content_hash == flow.content_hash


def test_content_hash_is_sha256_of_canonical_json(demo: Instrument) -> None:
    canonical = json.dumps(
        demo.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert demo.content_hash == hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: demo", "id: demo2"),
        ("mode: daily", "mode: spot_check"),
        ("en: Demo", "en: Demo survey"),
        ("zh: 知道吗", "zh: 您知道吗"),
        ("dimension: awareness", "dimension: participation"),
        ("allow_dont_know: true", "allow_dont_know: false"),
        ("score: 50", "score: 40"),
        ("{value: 1,", "{value: one,"),
        ("points: 5", "points: 7"),
        ("equals: yes", "equals: no"),
        ("dimension: satisfaction", "dimension: satisfaction\n        weight: 2"),
        ("dimension: satisfaction", "dimension: satisfaction\n        required: true"),
        ("dimension: satisfaction", "dimension: satisfaction\n        reverse: true"),
        ("dimension: satisfaction", "dimension: satisfaction\n        allow_na: true"),
        ("dimension: awareness\n", "dimension: awareness\n        dont_know: missing\n"),
        (
            "  - id: main\n",
            "  - id: main\n    description: {zh: 说明, en: Notes}\n",
        ),
    ],
)
def test_any_change_of_content_changes_the_hash(old: str, new: str) -> None:
    assert old in BLOCK_YAML
    changed = parse_instrument(BLOCK_YAML.replace(old, new, 1), "a.yaml")
    assert changed.content_hash != parse_instrument(BLOCK_YAML, "a.yaml").content_hash


def test_reordering_options_or_items_changes_the_hash(demo: Instrument, make_doc) -> None:
    doc = make_doc()
    doc["sections"][0]["items"][0:2] = doc["sections"][0]["items"][1::-1]
    swapped_items = Instrument.from_dict(doc)
    doc = make_doc()
    doc["sections"][0]["items"][2]["options"].reverse()
    swapped_options = Instrument.from_dict(doc)
    hashes = {demo.content_hash, swapped_items.content_hash, swapped_options.content_hash}
    assert len(hashes) == 3


def test_to_dict_round_trips_exactly_through_json(demo: Instrument) -> None:
    stored = json.loads(json.dumps(demo.to_dict(), ensure_ascii=False))
    again = Instrument.from_dict(stored)
    assert again == demo
    assert again.to_dict() == demo.to_dict()
    assert again.content_hash == demo.content_hash


def test_to_dict_is_itself_a_valid_document(demo: Instrument, to_yaml) -> None:
    assert parse_instrument(to_yaml(demo.to_dict()), "stored.yaml") == demo


def test_to_dict_is_normalised(demo: Instrument) -> None:
    item = next(i for s in demo.to_dict()["sections"] for i in s["items"] if i["id"] == "q_text")
    assert item == {
        "id": "q_text",
        "type": "text",
        "text": {"zh": "题目", "en": "Question"},
        "dimension": "none",
        "weight": 1.0,
        "required": False,
        "allow_na": False,
        "allow_dont_know": False,
        "dont_know": "missing",
        "max_length": 2000,
        "suggestion": True,
        "relevant": {"item": "q_yes", "in": ["yes"]},
    }


def test_labels_round_trip_as_list_and_as_anchors(make_doc, item_in) -> None:
    doc = make_doc()
    scale = [{"zh": f"{n}分", "en": f"{n} points"} for n in range(1, 6)]
    item_in(doc, "q_likert")["labels"] = scale
    listed = Instrument.from_dict(doc)
    item_in(doc, "q_likert")["labels"] = {"low": scale[0], "high": scale[-1]}
    anchored = Instrument.from_dict(doc)
    for instrument in (listed, anchored):
        assert Instrument.from_dict(instrument.to_dict()) == instrument
    assert listed.item("q_likert").scale_label(3) == Text("3分", "3 points")
    assert anchored.item("q_likert").scale_label(3) is None
    assert anchored.item("q_likert").scale_label(5) == Text("5分", "5 points")
    assert listed.content_hash != anchored.content_hash


def test_yaml_booleans_are_read_as_yes_and_no(make_doc, to_yaml) -> None:
    text = to_yaml(make_doc()).replace("equals: 'yes'", "equals: yes")
    assert "equals: yes" in text
    instrument = parse_instrument(text, "demo.yaml")
    assert instrument.item("q_text").relevant.values == ("yes",)  # type: ignore[union-attr]


def test_bare_integers_and_booleans_as_option_values() -> None:
    instrument = parse_instrument(BLOCK_YAML, "a.yaml")
    assert instrument.item("q_single").option_values == ("1", "2")
    assert instrument.item("q_single").option("2").score == 100.0
    with pytest.raises(KeyError, match="no option '3'"):
        instrument.item("q_single").option("3")


def test_relevant_values_are_deduplicated_and_canonical(make_doc, item_in) -> None:
    doc = make_doc()
    item_in(doc, "q_text")["relevant"] = {"item": "q_rating", "in": [7, 7.0, 10]}
    relevance = Instrument.from_dict(doc).item("q_text").relevant
    assert relevance is not None
    assert (relevance.item, relevance.values, relevance.item_type) == (
        "q_rating",
        ("7", "10"),
        "rating10",
    )


def test_items_in_order_and_lookup(demo: Instrument) -> None:
    assert [i.id for i in demo.items] == [
        "q_yes", "q_likert", "q_single", "q_multi", "q_rating", "q_number", "q_text",
    ]  # fmt: skip
    assert demo.item("q_rating").weight == 2.0
    with pytest.raises(KeyError, match="no item 'q_nope'"):
        demo.item("q_nope")


def test_scored_items_per_dimension(demo: Instrument) -> None:
    assert [i.id for i in demo.scored_items("awareness")] == ["q_yes"]
    assert [i.id for i in demo.scored_items("participation")] == ["q_single", "q_number"]
    assert [i.id for i in demo.scored_items("satisfaction")] == ["q_likert", "q_rating"]
    with pytest.raises(ValueError, match="dimension must be one of"):
        demo.scored_items("none")


@pytest.mark.parametrize(
    ("item_id", "changes", "scored"),
    [
        ("q_single", {"options": [{"value": "a", "label": {"zh": "甲", "en": "A"}},
                                  {"value": "b", "label": {"zh": "乙", "en": "B"}}]}, False),
        ("q_number", {"min": None, "max": None}, False),
        ("q_rating", {"dimension": "none"}, False),
        ("q_multi", {"dimension": "participation"}, False),
        ("q_text", {"dimension": "satisfaction"}, False),
        ("q_yes", {"dimension": "satisfaction"}, True),
    ],
)  # fmt: skip
def test_scored_needs_a_dimension_and_a_score(make_doc, item_in, item_id, changes, scored):
    doc = make_doc()
    raw = item_in(doc, item_id)
    for key, value in changes.items():
        if value is None:
            raw.pop(key)
        else:
            raw[key] = value
    assert Instrument.from_dict(doc).item(item_id).scored is scored


def test_defaults(demo: Instrument) -> None:
    yes, likert, text = demo.item("q_yes"), demo.item("q_likert"), demo.item("q_text")
    assert (yes.dont_know, likert.dont_know) == ("zero", "missing")
    assert (yes.weight, yes.required, yes.allow_na, yes.reverse) == (1.0, False, False, False)
    assert text.max_length == 2000
    assert demo.description is None


def test_dont_know_can_be_overridden(make_doc, item_in) -> None:
    doc = make_doc()
    item_in(doc, "q_yes")["dont_know"] = "missing"
    item_in(doc, "q_likert")["dont_know"] = "zero"
    instrument = Instrument.from_dict(doc)
    assert instrument.item("q_yes").dont_know == "missing"
    assert instrument.item("q_likert").dont_know == "zero"


def test_text_falls_back_to_chinese() -> None:
    text = Text("您好", "Hello")
    assert text.get("en") == text.get("en_US") == text.get("EN") == "Hello"
    assert text.get("zh_CN") == text.get(None) == text.get("fr") == "您好"
    assert Text("您好", "").get("en") == "您好"


def test_instruments_are_immutable(demo: Instrument) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo.id = "other"  # type: ignore[misc]
    assert hash(demo) == hash(Instrument.from_dict(demo.to_dict()))


def test_load_instrument_reads_a_file(tmp_path, make_doc, to_yaml) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(to_yaml(make_doc()), encoding="utf-8")
    assert load_instrument(path) == load_instrument(str(path)) == Instrument.from_dict(make_doc())


FRAME_COLUMNS = [
    "item_id", "section_id", "position", "type", "dimension", "weight", "reverse", "required",
    "allow_na", "allow_dont_know", "dont_know", "points", "min", "max", "option_scores",
    "suggestion", "relevant_item", "relevant_values", "scored", "text_zh", "text_en",
]  # fmt: skip


def test_items_frame_columns_and_types(demo: Instrument) -> None:
    frame = demo.items_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    assert len(frame) == len(demo.items)
    assert frame["position"].tolist() == list(range(1, 8))
    assert frame["position"].dtype == "int64"
    for column in ("weight", "points", "min", "max"):
        assert frame[column].dtype == "float64", column
    for column in ("reverse", "required", "allow_na", "allow_dont_know", "suggestion", "scored"):
        assert frame[column].dtype == bool, column
    assert pd.api.types.is_string_dtype(frame["item_id"])


def test_items_frame_values(demo: Instrument) -> None:
    rows = demo.items_frame().set_index("item_id")
    assert rows.loc["q_yes", "section_id"] == "main"
    assert rows.loc["q_rating", "section_id"] == "more"
    assert rows.loc["q_likert", "points"] == 5.0 and bool(rows.loc["q_likert", "reverse"])
    assert math.isnan(rows.loc["q_yes", "points"])
    assert (rows.loc["q_number", "min"], rows.loc["q_number", "max"]) == (0.0, 10.0)
    assert math.isnan(rows.loc["q_likert", "min"])
    assert rows.loc["q_single", "option_scores"] == {"a": 100.0, "b": 0.0}
    assert rows.loc["q_multi", "option_scores"] is None
    assert rows.loc["q_rating", "weight"] == 2.0
    assert rows.loc["q_yes", "dont_know"] == "zero"
    assert rows.loc["q_text", "relevant_item"] == "q_yes"
    assert rows.loc["q_text", "relevant_values"] == ("yes",)
    assert rows.loc["q_yes", "relevant_item"] is None
    assert rows.loc["q_yes", "relevant_values"] is None
    assert bool(rows.loc["q_text", "suggestion"])
    assert rows["scored"].to_dict() == {
        "q_yes": True, "q_likert": True, "q_single": True, "q_multi": False,
        "q_rating": True, "q_number": True, "q_text": False,
    }  # fmt: skip
    assert (rows.loc["q_yes", "text_zh"], rows.loc["q_yes", "text_en"]) == ("题目", "Question")


@pytest.mark.parametrize(
    ("target", "values", "stored"),
    [
        ("q_likert", [1, 2.0], [1, 2]),
        ("q_rating", [10], [10]),
        ("q_number", [2.5, -1], [2.5, -1]),
        ("q_yes", [True], ["yes"]),
        ("q_single", ["a", "b"], ["a", "b"]),
    ],
)
def test_conditions_are_stored_as_written(make_doc, item_in, target, values, stored) -> None:
    doc = make_doc()
    item_in(doc, "q_text")["relevant"] = {"item": target, "in": values}
    instrument = Instrument.from_dict(doc)
    item = instrument.item("q_text").to_dict()
    assert item["relevant"] == {"item": target, "in": stored}
    assert Instrument.from_dict(json.loads(json.dumps(instrument.to_dict()))) == instrument
