"""The questionnaire as a WTForms form built from the instrument, and reading its answers.

Each item gets a field named ``q_<item id>``: radio buttons for likert, rating10, yesno and
single items, checkboxes for multi items, a text box for number and text items. "Not
applicable" and "don't know" are two more choices in the same group, with the values ``-na``
and ``-dk`` (no option value can start with ``-``); number and text items have no group, so
theirs are checkboxes in a second field ``f_<item id>``.

A post is read in two steps. `read_post` takes the raw fields and refuses what none of our
pages can send — unknown names, several values for one answer, over-long values, an unknown
channel — with a `BadPost` (400). `collect_answers` turns the fields into answers in
instrument order, drops answers to items that the answers before them hide (so a page
filled in without JavaScript, where every item shows, still works), and names what the
observer must fix. The operation then checks the result once more with `check_answers`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs

    def SelectChoice(value: str, label: Any) -> tuple[str, Any]:  # type: ignore[no-redef]
        return value, label

from surveys.answers import Answer, encode_multi
from surveys.instrument import Instrument as Definition
from surveys.instrument import Item
from surveys.vocab import LIKERT, MULTI, NUMBER, RATING10, SINGLE, TEXT, YESNO

NA, DONT_KNOW = "-na", "-dk"
RADIO_TYPES = (LIKERT, RATING10, YESNO, SINGLE)
CHANNELS = {"onsite": _l("On site"), "handout": _l("Handed-out questionnaire"),
            "phone": _l("Phone interview")}
CONTROL_FIELDS = ("csrf_token", "action", "channel")
DEFAULT_CHANNEL = "onsite"
SHORT_VALUE = 32
QUESTION_PREVIEW = 30

REQUIRED = _l("Please answer this question.")
INVALID_CHOICE = _l("This choice does not exist. Reload the page and choose again.")
NOT_A_NUMBER = _l("Please enter a number, for example 12 or 3.5.")
ANSWER_OR_FLAG = _l("Give an answer or tick “not applicable” or “don't know”, not both.")
ONE_FLAG = _l("Tick either “not applicable” or “don't know”, not both.")


class BadPost(ValueError):
    """A post that no page of ours sends; the message is for the user."""


class QuestionnaireForm(FlaskForm):
    channel = RadioField(_l("How was this questionnaire collected?"),
                         choices=[SelectChoice(k, v) for k, v in CHANNELS.items()],
                         default=DEFAULT_CHANNEL,
                         validate_choice=False)


def value_name(item_id: str) -> str:
    return f"q_{item_id}"


def flag_name(item_id: str) -> str:
    return f"f_{item_id}"


def has_flag_field(item: Item) -> bool:
    return item.type in (NUMBER, TEXT) and (item.allow_na or item.allow_dont_know)


_classes: dict[tuple[str, str], type[QuestionnaireForm]] = {}


def form_class(definition: Definition, language: str) -> type[QuestionnaireForm]:
    """The form class of an instrument version in a language (built once, then reused)."""
    key = (definition.content_hash, language)
    if key not in _classes:
        fields: dict[str, Field] = {}
        for item in definition.items:
            fields.update(_fields(item, language))
        _classes[key] = type("Questionnaire", (QuestionnaireForm,), fields)
    return _classes[key]


def _fields(item: Item, language: str) -> dict[str, Any]:
    label = item.text.get(language)
    name = value_name(item.id)
    if item.type in RADIO_TYPES:
        choices = _choices(item, language) + _flag_choices(item)
        return {name: RadioField(label, choices=_wrap(choices), validate_choice=False)}
    if item.type == MULTI:
        return {name: _checkboxes(label, _choices(item, language) + _flag_choices(item))}
    if item.type == NUMBER:
        box: Field = StringField(label, render_kw={"inputmode": "decimal",
                                                   "autocomplete": "off"})
    else:
        box = TextAreaField(label, render_kw={"maxlength": item.max_length, "rows": 4})
    fields = {name: box}
    if has_flag_field(item):
        fields[flag_name(item.id)] = _checkboxes(label, _flag_choices(item))
    return fields


def _checkboxes(label: str, choices: list[tuple[str, Any]]) -> SelectMultipleField:
    return SelectMultipleField(label, choices=_wrap(choices), validate_choice=False,
                               widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput())


def _wrap(choices: list[tuple[str, Any]]) -> list[Any]:
    return [SelectChoice(value, label) for value, label in choices]


def _choices(item: Item, language: str) -> list[tuple[str, Any]]:
    if item.type == YESNO:
        return [("yes", _l("Yes")), ("no", _l("No"))]
    if item.type == LIKERT:
        points = range(1, (item.points or 0) + 1)
        return [(str(p), _point_label(item, p, language)) for p in points]
    if item.type == RATING10:
        return [(str(p), str(p)) for p in range(11)]
    return [(option.value, option.label.get(language)) for option in item.options]


def _point_label(item: Item, point: int, language: str) -> str:
    label = item.scale_label(point)
    if label is None or not item.labels:
        return str(point)
    return label.get(language)


def _flag_choices(item: Item) -> list[tuple[str, Any]]:
    flags = []
    if item.allow_na:
        flags.append((NA, _l("Not applicable")))
    if item.allow_dont_know:
        flags.append((DONT_KNOW, _l("Don't know")))
    return flags


@dataclass(frozen=True)
class Post:
    """A post as read: the questionnaire's fields (name → values), channel and action."""

    fields: dict[str, list[str]]
    channel: str
    action: str


def read_post(definition: Definition, data: MultiDict[str, str]) -> Post:
    """The raw fields of a post; `BadPost` for anything our pages never send."""
    limits = _field_limits(definition)
    fields: dict[str, list[str]] = {}
    for name in data:
        if name in CONTROL_FIELDS:
            continue
        if name not in limits:
            raise BadPost(_("The form holds a question this questionnaire does not have "
                            "(%(name)s). Reload the page and try again.", name=name[:64]))
        values = data.getlist(name)
        _check_values(name, values, *limits[name])
        fields[name] = [value for value in values if value != ""]
    channel = data.get("channel", DEFAULT_CHANNEL)
    if channel not in CHANNELS:
        raise BadPost(_("Unknown way of collecting the questionnaire. Reload the page."))
    return Post({k: v for k, v in fields.items() if v}, channel, data.get("action", "save"))


def _field_limits(definition: Definition) -> dict[str, tuple[bool, int]]:
    """Field name → (may hold several values, longest value allowed)."""
    limits: dict[str, tuple[bool, int]] = {}
    for item in definition.items:
        longest = (item.max_length or 0) if item.type == TEXT else SHORT_VALUE
        limits[value_name(item.id)] = (item.type == MULTI, longest)
        if has_flag_field(item):
            limits[flag_name(item.id)] = (True, SHORT_VALUE)
    return limits


def _check_values(name: str, values: list[str], several: bool, longest: int) -> None:
    if not several and len(values) > 1:
        raise BadPost(_("The form sent several answers to one question (%(name)s). "
                        "Reload the page and try again.", name=name))
    if len(values) > 64 or any(len(value) > longest for value in values):
        raise BadPost(_("An answer is longer than allowed (at most %(limit)d characters).",
                        limit=longest))


@dataclass
class Answers:
    """What a post answers, and a message for each item the observer must fix."""

    answers: dict[str, Answer] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def collect_answers(definition: Definition, fields: Mapping[str, list[str]],
                    complete: bool = True) -> Answers:
    """The answers of the items shown, in instrument order.

    With ``complete`` a required item that is shown and unanswered is a problem too.
    """
    result = Answers()
    for item in definition.items:
        if not item.is_shown(result.answers):
            continue
        try:
            answer = _answer(item, fields)
        except ValueError as problem:
            result.problems[item.id] = str(problem)
            continue
        if answer is not None:
            result.answers[item.id] = answer
        elif complete and item.required:
            result.problems[item.id] = str(REQUIRED)
    return result


def _answer(item: Item, fields: Mapping[str, list[str]]) -> Answer | None:
    values = fields.get(value_name(item.id), [])
    if item.type in RADIO_TYPES:
        return _radio_answer(item, values[0] if values else "")
    if item.type == MULTI:
        flags = [value for value in values if value in (NA, DONT_KNOW)]
        codes = [value for value in values if value not in (NA, DONT_KNOW)]
        return _flagged(item, flags, codes) or _multi_answer(item, codes)
    text = values[0].strip() if values else ""
    flagged = _flagged(item, fields.get(flag_name(item.id), []), [text] if text else [])
    if flagged or not text:
        return flagged
    return _number_answer(text) if item.type == NUMBER else Answer(text=text)


def _radio_answer(item: Item, raw: str) -> Answer | None:
    if raw in (NA, DONT_KNOW):
        return _flagged(item, [raw], [])
    if not raw:
        return None
    if item.type == YESNO and raw in ("yes", "no"):
        return Answer(value=1.0 if raw == "yes" else 0.0)
    if item.type == SINGLE and raw in item.option_values:
        return Answer(text=raw)
    if item.type in (LIKERT, RATING10) and raw in {value for value, _label in
                                                    _choices(item, "zh")}:
        return Answer(value=float(raw))
    raise ValueError(str(INVALID_CHOICE))


def _flagged(item: Item, flags: list[str], given: list[str]) -> Answer | None:
    """The n/a or don't-know answer that ``flags`` ask for, if any."""
    if not flags:
        return None
    if len(set(flags)) > 1:
        raise ValueError(str(ONE_FLAG))
    if given:
        raise ValueError(str(ANSWER_OR_FLAG))
    if flags[0] == NA and item.allow_na:
        return Answer(na=True)
    if flags[0] == DONT_KNOW and item.allow_dont_know:
        return Answer(dont_know=True)
    raise ValueError(str(INVALID_CHOICE))


def _multi_answer(item: Item, codes: list[str]) -> Answer | None:
    if not codes:
        return None
    try:
        return Answer(text=encode_multi(item, codes))
    except ValueError:
        raise ValueError(str(INVALID_CHOICE)) from None


def _number_answer(text: str) -> Answer:
    try:
        number = float(text.replace(",", ".").replace("，", "."))
    except ValueError:
        raise ValueError(str(NOT_A_NUMBER)) from None
    if not math.isfinite(number):
        raise ValueError(str(NOT_A_NUMBER))
    return Answer(value=number)


def relevance_hint(definition: Definition, item: Item, language: str) -> str | None:
    """"Only if …" under a conditional item, for pages shown without JavaScript."""
    if item.relevant is None:
        return None
    source = definition.item(item.relevant.item)
    question = source.text.get(language)
    if len(question) > QUESTION_PREVIEW:
        question = question[:QUESTION_PREVIEW] + "…"
    labels = dict(_choices(source, language)) if source.type != NUMBER else {}
    answers = " / ".join(str(labels.get(value, value)) for value in item.relevant.values)
    return _("Only if you answered “%(answers)s” to “%(question)s”.", answers=answers,
             question=question)
