"""The mapping review page: what each question of an export feeds, and the evaluator's edits.

The page shows the mapping the importer inferred (or a saved one) question by question:
the item it feeds, on what basis, how its answers translate, and the answers it cannot
read. Guesses are marked ``[check]`` as on the command line; the marks of the first
inference are kept with the staged file (`marks_of`) so they stay visible while the
evaluator edits. The evaluator may send a question to another item (its answer table is
then guessed afresh for that item), choose codes for answers nobody could read, choose
the question naming the unit — in an experience round also the one naming the activity —
and the channel. Anything else — fixed answers, a
questionnaire identity — is edited in the mapping's JSON, which the page offers for
download and upload, as `evalapp import mapping` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from surveys.importers import (
    ActivityMap,
    ActivityReview,
    MappingError,
    MappingReview,
    QuestionMap,
    ResponseMapping,
    SourceLayout,
    UnitMap,
    UnitReview,
)
from surveys.importers.table import TEMPLATE
from surveys.importers.values import CODE_NAMES, DONT_KNOW, NOT_APPLICABLE, SKIP, guess_values
from surveys.instrument import Instrument as Definition
from surveys.instrument import Item
from surveys.vocab import LIKERT, MULTI, RATING10, SINGLE, YESNO

from .labels import CHANNEL_NAMES
from .messages import explain_problem, explain_problems

IMPORT_CHANNELS = ("import", "online", "paper", "phone")
MAX_SHOWN_VALUES = 40
ITEM_PREVIEW = 36


class EditError(ValueError):
    """Edits that do not fit the file or the questionnaire; the message is for the user."""


def marks_of(review: MappingReview) -> dict[str, Any]:
    """The inference's verdicts to keep beside the staged file."""
    return {
        "questions": {q.source: {"item": q.item, "basis": q.basis, "certain": q.certain,
                                 "notes": list(q.notes)} for q in review.questions},
        "unit": {"source": review.unit.source, "basis": review.unit.basis,
                 "certain": review.unit.certain},
        "activity": None if review.activity is None else {
            "source": review.activity.source, "basis": review.activity.basis,
            "certain": review.activity.certain},
    }


@dataclass(frozen=True)
class QuestionRow:
    index: int
    source: str
    column: str
    item: str | None
    basis: str
    check: bool
    values: list[tuple[str, str]]
    more_values: int
    unmatched: tuple[str, ...]
    notes: list[str]
    codes: list[tuple[str, str]]


@dataclass(frozen=True)
class UnitRow:
    source: str | None
    column: str | None
    basis: str
    check: bool
    unmatched: tuple[str, ...]


def question_rows(review: MappingReview, marks: Mapping[str, Any], definition: Definition,
                  language: str) -> list[QuestionRow]:
    """One row per question, with the first inference's mark while its item is unchanged."""
    rows = []
    for index, question in enumerate(review.questions):
        first = marks.get("questions", {}).get(question.source, {})
        unchanged = first and first.get("item") == question.item
        basis = first.get("basis", question.basis) if unchanged else question.basis
        certain = bool(first.get("certain", True)) if unchanged else True
        notes = list(first.get("notes", ())) if unchanged else list(question.notes)
        item = _item(definition, question.item)
        shown = list(question.values.items())
        rows.append(QuestionRow(
            index, question.source, question.column, question.item,
            explain_problem(basis), not certain or bool(question.unmatched),
            [(text, code_name(item, code, language)) for text, code in
             shown[:MAX_SHOWN_VALUES]], max(0, len(shown) - MAX_SHOWN_VALUES),
            question.unmatched, [explain_problem(note) for note in notes],
            code_choices(item, language) if item else []))
    return rows


def unit_row(review: MappingReview, marks: Mapping[str, Any]) -> UnitRow:
    return _column_row(review.unit, marks.get("unit") or {})


def activity_row(review: MappingReview, marks: Mapping[str, Any]) -> UnitRow | None:
    """The question naming the activity (experience rounds), marked like the unit's."""
    if review.activity is None:
        return None
    return _column_row(review.activity, marks.get("activity") or {})


def _column_row(found: UnitReview | ActivityReview, first: Mapping[str, Any]) -> UnitRow:
    """The first inference's mark while the question is unchanged."""
    unchanged = first and first.get("source") == found.source
    certain = bool(first.get("certain", True)) if unchanged else found.certain
    basis = first.get("basis", found.basis) if unchanged else found.basis
    return UnitRow(found.source, found.column, explain_problem(basis),
                   not certain or bool(found.unmatched), found.unmatched)


def _item(definition: Definition, item_id: str | None) -> Item | None:
    return next((i for i in definition.items if i.id == item_id), None) if item_id else None


def item_choices(definition: Definition, language: str) -> list[tuple[str, str]]:
    choices = [("", _("— not imported —"))]
    for item in definition.items:
        text = item.text.get(language)
        if len(text) > ITEM_PREVIEW:
            text = text[:ITEM_PREVIEW] + "…"
        choices.append((item.id, f"{item.id} · {text}"))
    return choices


def code_choices(item: Item, language: str) -> list[tuple[str, str]]:
    """The codes an answer of ``item`` can be read as, with their names."""
    if item.type == YESNO:
        codes = [("yes", _("Yes")), ("no", _("No"))]
    elif item.type in (SINGLE, MULTI):
        codes = [(o.value, f"{o.value} · {o.label.get(language)}") for o in item.options]
    elif item.type == LIKERT:
        codes = [(str(p), _point(item, p, language)) for p in range(1, (item.points or 0) + 1)]
    elif item.type == RATING10:
        codes = [(str(p), str(p)) for p in range(11)]
    else:
        codes = []
    if item.allow_dont_know:
        codes.append((DONT_KNOW, _("Don't know")))
    if item.allow_na:
        codes.append((NOT_APPLICABLE, _("Not applicable")))
    codes.append((SKIP, _("Not answered")))
    return codes


def _point(item: Item, point: int, language: str) -> str:
    label = item.scale_label(point) if item.labels else None
    return f"{point} · {label.get(language)}" if label else str(point)


def code_name(item: Item | None, code: str, language: str) -> str:
    if item is None:
        return code
    names = dict(code_choices(item, language))
    return names.get(code, str(CODE_NAMES.get(code, code)))


def channel_choices() -> list[tuple[str, str]]:
    return [(code, str(CHANNEL_NAMES[code])) for code in IMPORT_CHANNELS]


# --- applying the edits ------------------------------------------------------------------


def apply_edits(mapping: ResponseMapping, review: MappingReview, layout: SourceLayout,
                form: MultiDict[str, str], definition: Definition) -> ResponseMapping:
    """The mapping with the page's edits: items, codes for unread answers, unit, activity,
    channel."""
    questions = {q.source: q for q in mapping.questions}
    for index, question in enumerate(review.questions):
        if form.get(f"source-{index}") != question.source:
            raise EditError(_("The page is out of date: reload it and make your changes "
                              "again."))
        entry = questions.get(question.source) or QuestionMap(question.source, None)
        questions[question.source] = _edited(entry, index, question.unmatched, layout, form,
                                             definition, mapping.format)
    edited = replace(mapping, questions=tuple(questions.values()),
                     channel=_channel(form, mapping.channel))
    if mapping.format != TEMPLATE and "unit_source" in form:
        edited = _with_unit(edited, form.get("unit_source") or None, layout)
    if mapping.format != TEMPLATE and mapping.activity is not None \
            and "activity_source" in form:
        edited = _with_activity(edited, form.get("activity_source") or None, layout)
    return checked(edited, definition)


def _edited(entry: QuestionMap, index: int, unmatched: Sequence[str], layout: SourceLayout,
            form: MultiDict[str, str], definition: Definition, format: str) -> QuestionMap:
    item_id = form.get(f"item-{index}", entry.item or "") or None
    if item_id is not None and _item(definition, item_id) is None:
        raise EditError(_("Unknown question %(item)s.", item=item_id[:64]))
    if item_id != entry.item:
        return QuestionMap(entry.source, item_id,
                           _guess(entry, item_id, unmatched, layout, definition, format))
    values = dict(entry.values)
    for number, text in enumerate(unmatched):
        code = form.get(f"value-{index}-{number}", "")
        if code:
            values[text] = code
    return QuestionMap(entry.source, entry.item, values)


def _guess(entry: QuestionMap, item_id: str | None, unmatched: Sequence[str],
           layout: SourceLayout, definition: Definition, format: str) -> dict[str, str]:
    """A fresh answer table for the question's new item, from the answers seen so far."""
    item = _item(definition, item_id)
    question = layout.question(entry.source)
    if item is None or question is None:
        return {}
    observed = question.options or (*entry.values, *unmatched)
    return guess_values(item, format, question.text, observed,
                        labels=question.has_option_columns).values


def _channel(form: MultiDict[str, str], current: str) -> str:
    channel = form.get("channel", current)
    if channel not in IMPORT_CHANNELS and channel != current:
        raise EditError(_("Unknown channel %(channel)s.", channel=channel[:20]))
    return channel


def _with_unit(mapping: ResponseMapping, source: str | None,
               layout: SourceLayout) -> ResponseMapping:
    """The unit read from question ``source``; the previous unit question is not imported."""
    if source == mapping.unit.source:
        return mapping
    if source is not None and layout.question(source) is None:
        raise EditError(_("The file has no question %(source)s.", source=source[:80]))
    questions = [q for q in mapping.questions if q.source != source]
    if mapping.unit.source and layout.question(mapping.unit.source) is not None:
        questions.append(QuestionMap(mapping.unit.source, None))
    return replace(mapping, unit=UnitMap(source), questions=tuple(questions))


def _with_activity(mapping: ResponseMapping, source: str | None,
                   layout: SourceLayout) -> ResponseMapping:
    """The activity read from question ``source`` (its values table kept only while the
    question is the same); the previous activity question is not imported."""
    current = mapping.activity or ActivityMap(None)
    if source == current.source:
        return mapping
    if source is not None and layout.question(source) is None:
        raise EditError(_("The file has no question %(source)s.", source=source[:80]))
    questions = [q for q in mapping.questions if q.source != source]
    if current.source and layout.question(current.source) is not None:
        questions.append(QuestionMap(current.source, None))
    return replace(mapping, activity=ActivityMap(source), questions=tuple(questions))


def checked(mapping: ResponseMapping, definition: Definition) -> ResponseMapping:
    """The mapping after the importer's own checks; `EditError` with their problems."""
    try:
        return ResponseMapping.from_json(mapping.to_json(), definition)
    except MappingError as error:
        raise EditError(_("The mapping does not fit the questionnaire: %(problems)s",
                          problems=explain_problems(error.problems))) from error
