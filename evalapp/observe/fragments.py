"""Blank questions rendered once per instrument version, language and process.

The questionnaire page is the page observers open most on a busy day, and most of its
questions are blank when it opens. Rendering a question's macro (its choices through
WTForms, escaping, translated labels) was most of the page's cost: about 5 of 7.5 ms of
CPU for the spot-check questionnaire, which limited ``bench/load.py``. A blank question
renders the same every time, so its HTML is kept here. A question with an answer or a
problem is rendered each time and never kept: answers must not linger in memory after
their draft is deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import get_template_attribute
from markupsafe import Markup

from .pages import Question

MACRO = ("observe/_question.html", "question")

_kept: dict[tuple[str, str, str, int], Markup] = {}
_lock = threading.Lock()


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
