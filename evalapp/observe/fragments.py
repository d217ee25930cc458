"""The questionnaire's questions as HTML, kept while they are blank.

The questionnaire page is the page observers open most on a busy day, and it usually opens
blank. Building the form's fields and rendering each question's macro (choices through
WTForms, escaping, translated labels) was most of the page's cost, which limited
``bench/load.py``. So two things are kept per instrument version, language and process:

- the whole body (the channel and every section) of a questionnaire nobody has touched;
- each blank question, for a draft with some answers.

A question with an answer or a problem is rendered each time and never kept: answers must
not linger in memory after their draft is deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from flask import get_template_attribute, render_template
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from surveys.instrument import Instrument as Definition

from .forms import DEFAULT_CHANNEL, form_class
from .pages import Question, questionnaire_sections

MACRO = ("observe/_question.html", "question")
BODY = "observe/_questions.html"

_kept: dict[tuple[str, str, str, int], Markup] = {}
_blank_bodies: dict[tuple[str, str], Markup] = {}
_lock = threading.Lock()


def questionnaire_body(definition: Definition, language: str, data: MultiDict[str, str],
                       problems: Mapping[str, str]) -> Markup:
    """The questions of ``definition`` filled in from ``data``, with ``problems`` shown."""
    if problems or not is_untouched(data):
        return _render_body(definition, language, data, problems)
    key = (definition.content_hash, language)
    found = _blank_bodies.get(key)
    if found is None:
        found = _render_body(definition, language, data, problems)
        with _lock:
            _blank_bodies[key] = found
    return found


def is_untouched(data: MultiDict[str, str]) -> bool:
    """Nothing answered and the channel as it comes (a draft just started)."""
    return all(name == "channel" and value == DEFAULT_CHANNEL
               for name, value in data.items(multi=True))


def _render_body(definition: Definition, language: str, data: MultiDict[str, str],
                 problems: Mapping[str, str]) -> Markup:
    form = form_class(definition, language)(formdata=data, meta={"csrf": False})
    sections = questionnaire_sections(definition, form, language, problems)
    return Markup(render_template(BODY, form=form, sections=sections,
                                  render_question=question_renderer(definition.content_hash,
                                                                    language)))


def question_renderer(content_hash: str, language: str) -> Callable[[Question], Markup]:
    """A function rendering the questions of one instrument version in one language."""
    def render(question: Question) -> Markup:
        if not is_blank(question):
            return _render(question)
        key = (content_hash, language, question.item.id, question.number)
        found = _kept.get(key)
        if found is None:
            found = _render(question)
            with _lock:
                _kept[key] = found
        return found
    return render


def is_blank(question: Question) -> bool:
    """No answer, no ticked flag, no problem: the page shows the question as it comes."""
    return (question.problem is None and _empty(question.field.data)
            and (question.flags is None or _empty(question.flags.data)))


def _empty(data: object) -> bool:
    return data is None or data == "" or data == []


def _render(question: Question) -> Markup:
    return Markup(get_template_attribute(*MACRO)(question))
