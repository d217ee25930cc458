"""What the observer's templates show, prepared here so the templates stay simple."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import Field

from surveys.instrument import Instrument as Definition
from surveys.instrument import Item
from surveys.vocab import LIKERT, MULTI, NUMBER, RATING10, SINGLE, TEXT, YESNO

from ..models import Assignment, Draft
from .forms import QuestionnaireForm, flag_name, has_flag_field, relevance_hint, value_name

STATUS_LABELS = {"todo": _l("To do"), "draft": _l("Draft saved"), "submitted": _l("Submitted")}


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    drafts: Sequence[Draft]

    @property
    def status(self) -> str:
        if self.assignment.status == "submitted":
            return "submitted"
        return "draft" if self.drafts else "todo"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def assignment_rows(assignments: Sequence[Assignment],
                    drafts: Mapping[int, Sequence[Draft]]) -> list[AssignmentRow]:
    return [AssignmentRow(a, drafts.get(a.id, ())) for a in assignments]


@dataclass(frozen=True)
class Question:
    definition: Definition
    language: str
    item: Item
    number: int
    text: str
    field: Field
    flags: Field | None
    layout: str
    problem: str | None
    relevant: Mapping[str, str] | None
    low: str | None = None
    high: str | None = None

    @property
    def hint(self) -> str | None:
        """Asked only when the question is rendered (blank ones are kept rendered)."""
        return relevance_hint(self.definition, self.item, self.language)


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    description: str | None
    questions: Sequence[Question]


def questionnaire_sections(definition: Definition, form: QuestionnaireForm, language: str,
                           problems: Mapping[str, str]) -> list[SectionView]:
    sections = []
    for section in definition.sections:
        questions = [_question(definition, form, item, n, language, problems)
                     for n, item in enumerate(section.items, start=1)]
        description = section.description.get(language) if section.description else None
        sections.append(SectionView(section.id, section.title.get(language), description,
                                    questions))
    return sections


def _question(definition: Definition, form: QuestionnaireForm, item: Item, number: int,
              language: str, problems: Mapping[str, str]) -> Question:
    low, high = _anchors(item, language)
    return Question(
        definition=definition, language=language, item=item, number=number,
        text=item.text.get(language), field=form[value_name(item.id)],
        flags=form[flag_name(item.id)] if has_flag_field(item) else None,
        layout=_layout(item), problem=problems.get(item.id), relevant=_relevant(definition, item),
        low=low, high=high)


def _layout(item: Item) -> str:
    """list: one choice per line; scale: a row of numbers; the rest by type."""
    if item.type == RATING10 or (item.type == LIKERT and not item.labels):
        return "scale"
    if item.type in (LIKERT, SINGLE):
        return "list"
    return {YESNO: "pair", MULTI: "checks", NUMBER: "number", TEXT: "text"}[item.type]


def _anchors(item: Item, language: str) -> tuple[str | None, str | None]:
    if item.type == LIKERT and item.anchors and not item.labels:
        return item.anchors[0].get(language), item.anchors[1].get(language)
    return None, None


def _relevant(definition: Definition, item: Item) -> Mapping[str, str] | None:
    """The data attributes the page's script evaluates the condition from."""
    if item.relevant is None:
        return None
    source = definition.item(item.relevant.item)
    return {"data-relevant-item": source.id, "data-relevant-type": source.type,
            "data-relevant-values": json.dumps(list(item.relevant.values))}
