"""Reading the questionnaire form: every item type, n/a and don't know, conditions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from evalapp import create_app
from evalapp.observe.forms import BadPost, collect_answers, form_class, read_post
from surveys import Answer, parse_instrument

INSTRUMENT = parse_instrument("""
id: every_type
mode: spot_check
title: {zh: 测试, en: Test}
sections:
  - id: all
    title: {zh: 全部, en: All}
    items:
      - {id: gate, type: yesno, required: true, text: {zh: 门, en: Gate}}
      - {id: lik, type: likert, points: 5, allow_na: true, required: true,
         relevant: {item: gate, equals: yes}, text: {zh: 量表, en: Scale}}
      - {id: r10, type: rating10, text: {zh: 打分, en: Rating}}
      - {id: one, type: single, allow_dont_know: true, text: {zh: 单选, en: Single},
         options: [{value: a, label: {zh: 甲, en: A}}, {value: b, label: {zh: 乙, en: B}}]}
      - {id: many, type: multi, allow_na: true, text: {zh: 多选, en: Multi},
         options: [{value: x, label: {zh: 子, en: X}}, {value: y, label: {zh: 丑, en: Y}}]}
      - {id: num, type: number, allow_na: true, text: {zh: 数字, en: Number}}
      - {id: words, type: text, max_length: 10, allow_dont_know: true,
         text: {zh: 文字, en: Text}}
""", "every_type.yaml")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from in_request(tmp_path_factory.mktemp("forms"))


def in_request(folder: Path) -> Iterator[Flask]:
    """An app without a database, inside a request (forms and templates need one)."""
    application = create_app({"TESTING": True, "DATABASE_URL": "sqlite://",
                              "INSTANCE_PATH": folder, "SECRET_KEY": "k", "RATER_SECRET": "r"})
    with application.test_request_context():
        yield application


def _collect(**fields: object):  # type: ignore[no-untyped-def]
    data = MultiDict()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            data.add(f"q_{name}" if not name.startswith("f_") else name, one)
    return collect_answers(INSTRUMENT, read_post(INSTRUMENT, data).fields)


def test_every_type_becomes_its_stored_answer(app: Flask) -> None:
    result = _collect(gate="yes", lik="4", r10="0", one="b", many=["y", "x"], num="3,5",
                      words=" 很好 ")
    assert result.problems == {}
    assert result.answers == {
        "gate": Answer(value=1.0), "lik": Answer(value=4.0), "r10": Answer(value=0.0),
        "one": Answer(text="b"), "many": Answer(text="x,y"), "num": Answer(value=3.5),
        "words": Answer(text="很好")}


def test_not_applicable_and_dont_know(app: Flask) -> None:
    result = _collect(gate="yes", lik="-na", one="-dk", many="-na", f_num="-na",
                      f_words="-dk")
    assert result.problems == {}
    assert result.answers["lik"] == Answer(na=True) == result.answers["many"]
    assert result.answers["num"] == Answer(na=True)
    assert result.answers["one"] == Answer(dont_know=True) == result.answers["words"]


@pytest.mark.parametrize(("fields", "item", "message"), [
    ({"gate": "yes"}, "lik", "请回答此题"),
    ({"gate": "maybe"}, "gate", "该选项不存在"),
    ({"gate": "no", "r10": "10.5"}, "r10", "该选项不存在"),
    ({"gate": "no", "one": "-na"}, "one", "该选项不存在"),
    ({"gate": "no", "many": ["x", "-na"]}, "many", "不能同时"),
    ({"gate": "no", "num": "十二"}, "num", "请输入数字"),
    ({"gate": "no", "num": "nan"}, "num", "请输入数字"),
    ({"gate": "no", "num": "4", "f_num": "-na"}, "num", "不能同时"),
])
def test_problems_are_named_per_item(app: Flask, fields: dict[str, object], item: str,
                                     message: str) -> None:
    result = _collect(**fields)
    assert message in result.problems[item]


def test_hidden_items_are_dropped_not_refused(app: Flask) -> None:
    result = _collect(gate="no", lik="-na")
    assert result.problems == {} and "lik" not in result.answers


@pytest.mark.parametrize(("data", "message"), [
    ({"q_ghost": "1"}, "ghost"),
    ({"q_words": "十一个字十一个字十一个"}, "10"),
    ({"q_gate": ["yes", "no"]}, "多个答案"),
    ({"channel": "carrier-pigeon"}, "收集方式"),
])
def test_what_no_page_sends_is_a_bad_post(app: Flask, data: dict[str, object],
                                          message: str) -> None:
    with pytest.raises(BadPost, match=message):
        read_post(INSTRUMENT, MultiDict(data))


def test_the_form_has_one_field_per_item_and_flag_boxes(app: Flask) -> None:
    form = form_class(INSTRUMENT, "en")(formdata=MultiDict({"q_gate": "yes"}))
    names = {field.name for field in form}
    assert {"q_gate", "q_lik", "q_many", "f_num", "f_words", "channel"} <= names
    assert "f_gate" not in names
    assert [sub.data for sub in form["q_lik"]] == ["1", "2", "3", "4", "5", "-na"]
    assert next(iter(form["q_gate"])).checked
