"""The JSON form of a mapping: what is saved, shown, edited and read back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from surveys.importers import (
    MappingError,
    ResponseMapping,
    infer_mapping,
    parse_layout,
    profile_rows,
)

from .samples import unit_index, wjx_text_rows, youth_instrument


def inferred() -> dict[str, Any]:
    rows = wjx_text_rows(4)
    layout = parse_layout(rows[0], 1)
    review = infer_mapping(layout, profile_rows(layout, enumerate(rows[1:], start=2)),
                           youth_instrument(), unit_index())
    return review.mapping.to_json()


def problems(data: Any) -> list[str]:
    with pytest.raises(MappingError) as failure:
        ResponseMapping.from_json(data, youth_instrument())
    return failure.value.problems


def test_round_trip_through_json_text() -> None:
    data = inferred()
    text = json.dumps(data, ensure_ascii=False)
    assert "您所在的青年之家" in text
    mapping = ResponseMapping.from_json(json.loads(text), youth_instrument())
    assert mapping.to_json() == data
    assert data["version"] == 1 and data["fixed"] == {} and data["channel"] == "import"
    assert mapping.question("2、 您知道附近的青年之家吗？").item == "know_site"  # type: ignore[union-attr]


def test_every_problem_is_listed() -> None:
    data = inferred()
    data.update(format="excel", instrument="daily", questionnaire="a b", channel="mail",
                extra=1, fixed={"overall": "eleven", "times": "once", "nope": "1"})
    data["questions"][0]["values"] = {"是": "yes", "是 ": "no"}
    data["questions"][1]["item"] = "know_site"
    data["questions"].append({"source": data["questions"][2]["source"], "item": None})
    data["questions"].append({"source": "10、x", "item": "suggestion", "values": {"无": "n/a"}})
    data["questions"].append("not an object")
    found = problems(data)
    expected = [
        "the mapping: unknown field extra",
        "format must be one of template, wjx-text, wjx-number, tencent",
        "instrument: the mapping is for 'daily', not 'youth_check'",
        "questionnaire: 1–16 letters, digits, '-' or '_'",
        "channel must be one of onsite, handout, phone, paper, online, import",
        "questions[1]: '是 ' and '是' are the same text once spaces and punctuation are ignored",
        *(f"questions[2], value '{label}': code '{n}' is not an answer of item know_site"
          for n, label in enumerate(["完全不了解", "不太了解", "一般", "比较了解", "非常了解"],
                                    start=1)),
        "questions[2]: item know_site is already fed by '2、您知道附近的青年之家吗？'",
        "questions[10]: source '4、过去三个月，您参加过几次活动？' appears twice",
        "questions[11], value '无': a text item takes only @dont_know, @na, @skip",
        "questions[11]: item suggestion is already fed by '9、您有什么意见和建议？'",
        "questions[12]: an object {source, item, values}",
        "fixed: item overall is also fed by a question",
        "fixed, item overall: code 'eleven' is not an answer of item overall",
        "fixed: item times is also fed by a question",
        "fixed: instrument youth_check has no item 'nope'",
    ]
    for part, problem in zip(expected, found, strict=True):
        assert problem.startswith(part), (part, problem)


def test_shapes_that_are_not_mappings() -> None:
    assert problems([]) == ["a mapping is a JSON object"]
    assert "questions: a list of {source, item, values}" in problems(
        inferred() | {"questions": {}})
    assert "unit: an object {source, values}" in problems(inferred() | {"unit": "QN01"})
    assert "fixed: an object mapping item ids to codes" in problems(inferred() | {"fixed": []})
    assert any("values must map texts to texts" in p for p in problems(
        inferred() | {"questions": [{"source": "1、x", "item": "times", "values": {"a": 1}}]}))
