"""Blank questions and untouched questionnaires are rendered once and reused; answered ones
are rendered each time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from evalapp.observe import fragments
from evalapp.observe.forms import form_class
from evalapp.observe.pages import Question, questionnaire_sections
from tests.observe.test_forms import INSTRUMENT, in_request


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from in_request(tmp_path_factory.mktemp("fragments"))


def _questions(data: MultiDict[str, str], problems: dict[str, str] | None = None
               ) -> dict[str, Question]:
    form = form_class(INSTRUMENT, "zh")(formdata=data)
    sections = questionnaire_sections(INSTRUMENT, form, "zh", problems or {})
    return {q.item.id: q for section in sections for q in section.questions}


def _render(question: Question) -> str:
    return str(fragments.question_renderer(INSTRUMENT.content_hash, "zh")(question))


def test_a_blank_question_is_kept_and_equals_a_fresh_rendering(app: Flask) -> None:
    blank = _questions(MultiDict())
    for question in blank.values():
        assert fragments.is_blank(question)
        assert _render(question) == str(fragments._render(question))
    kept = {key[2] for key in fragments._kept if key[0] == INSTRUMENT.content_hash}
    assert kept == set(blank)
    assert 'data-relevant-item="gate"' in _render(blank["lik"])


def test_answers_and_problems_are_rendered_each_time_and_never_kept(app: Flask) -> None:
    fragments._kept.clear()
    answered = _questions(MultiDict([("q_one", "b"), ("q_many", "x"), ("q_words", "秘密答案"),
                                     ("f_num", "-na")]), problems={"r10": "请回答此题。"})
    for item_id in ("one", "many", "words", "num", "r10"):
        assert not fragments.is_blank(answered[item_id])
    assert 'value="b" checked' in _render(answered["one"])
    assert 'value="x" checked' in _render(answered["many"])
    assert "秘密答案" in _render(answered["words"])
    assert 'value="-na" checked' in _render(answered["num"])
    assert "请回答此题。" in _render(answered["r10"])
    kept = {key[2] for key in fragments._kept}
    assert kept.isdisjoint({"one", "many", "words", "num", "r10"})
    assert not any("秘密答案" in html for html in fragments._kept.values())


def test_an_untouched_questionnaire_body_is_kept_and_equals_a_fresh_rendering(app: Flask
                                                                              ) -> None:
    fragments._blank_bodies.clear()
    untouched = MultiDict([("channel", "onsite")])
    body = fragments.questionnaire_body(INSTRUMENT, "zh", untouched, {})
    assert list(fragments._blank_bodies) == [(INSTRUMENT.content_hash, "zh")]
    assert body == fragments._render_body(INSTRUMENT, "zh", untouched, {})
    assert fragments.questionnaire_body(INSTRUMENT, "zh", MultiDict(), {}) is body
    assert 'value="onsite" checked' in body and "csrf_token" not in body
    assert fragments.questionnaire_body(INSTRUMENT, "en", untouched, {}) != body


def test_a_touched_body_is_rendered_each_time_and_never_kept(app: Flask) -> None:
    fragments._blank_bodies.clear()
    touched = [MultiDict([("channel", "phone")]),
               MultiDict([("channel", "onsite"), ("q_words", "秘密答案")])]
    for data in touched:
        fragments.questionnaire_body(INSTRUMENT, "zh", data, {})
    problem = fragments.questionnaire_body(INSTRUMENT, "zh", MultiDict(), {"r10": "请回答此题。"})
    assert 'value="phone" checked' in fragments.questionnaire_body(INSTRUMENT, "zh",
                                                                   touched[0], {})
    assert "秘密答案" in fragments.questionnaire_body(INSTRUMENT, "zh", touched[1], {})
    assert "请回答此题。" in problem
    assert not fragments._blank_bodies
