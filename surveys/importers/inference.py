"""Proposing a mapping for an export, and reviewing a mapping against a file.

`infer_mapping` matches each question to an item — by item id (our template), by the same
text once spaces, punctuation and bracketed notes are ignored, by similar text, or (for one
column per option) by the option labels — finds the column naming the unit (the one whose
values are unit codes or names), and proposes each question's value table
(`values.guess_values`). It marks every guess it is not sure of: the evaluator confirms the
mapping unless every question maps unambiguously. `review_mapping` shows what a confirmed
mapping does with a file: the values it cannot read, the questions it does not know.

In an ``experience`` round (an `ActivityIndex` is given) it also looks for the question
naming each row's activity: one whose answers are activity titles (certain when all are),
else one that feeds no item and whose header asks which activity (`ACTIVITY_WORDS`; to
check). Answers that are bare numbers do not count: a count of friends would look like
activity ids. No such question is no problem — responses are then stored without an
activity, as under an assignment that names none — and is shown as such.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from difflib import SequenceMatcher

from surveys.importers.activities import ActivityIndex, activity_id
from surveys.importers.cells import match_key, strip_option_letter, text_key, without_notes
from surveys.importers.mapping import (
    DEFAULT_CHANNEL,
    ActivityMap,
    QuestionMap,
    ResponseMapping,
    UnitMap,
)
from surveys.importers.profile import SourceProfile, resolve_format
from surveys.importers.table import (
    FORMAT_NAMES,
    TEMPLATE,
    TENCENT,
    WJX_NUMBER,
    WJX_TEXT,
    SourceLayout,
    SourceQuestion,
)
from surveys.importers.template import DEFAULT_CHANNEL as TEMPLATE_CHANNEL
from surveys.importers.template import header_item_id
from surveys.importers.units import UnitIndex
from surveys.importers.values import CODE_NAMES, guess_values, unreadable
from surveys.instrument import Instrument
from surveys.model import Item
from surveys.vocab import IDENTIFIER, MULTI

SIMILAR = 0.75  # the least similarity ratio of a proposed text match
UNIT_WORDS = ("单位", "团组织", "青年之家", "组织", "支部", "阵地", "服务站", "站点", "unit",
              "branch")
SHOWN_UNMATCHED = 12
ACTIVITY_WORDS = ("活动名称", "活动编号", "活动id", "参加的活动", "参与的活动", "参加了哪",
                  "哪个活动", "哪项活动", "哪场活动", "哪一个活动", "哪一项活动", "activity")


@dataclass(frozen=True)
class QuestionReview:
    """What the mapping does with one question, and whether the evaluator should check it."""

    source: str
    column: str
    item: str | None
    basis: str
    certain: bool
    values: dict[str, str]
    unmatched: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitReview:
    source: str | None
    column: str | None
    basis: str
    certain: bool
    unmatched: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityReview:
    """The question naming the activity (experience rounds): the same fields as a unit's."""

    source: str | None
    column: str | None
    basis: str
    certain: bool
    unmatched: tuple[str, ...] = ()


@dataclass(frozen=True)
class MappingReview:
    """A mapping with what it does to a file: shown to the evaluator to confirm or edit.

    ``activity`` is None where the round records no activity.
    """

    mapping: ResponseMapping
    questions: tuple[QuestionReview, ...]
    unit: UnitReview
    missing_required: tuple[str, ...]
    dropped: tuple[str, ...]
    ignored: tuple[str, ...]
    rows: int
    fingerprint: str
    activity: ActivityReview | None = None

    @property
    def certain(self) -> bool:
        """Every question maps unambiguously: the mapping may be used unconfirmed."""
        return (all(question.certain for question in self.questions) and self.unit.certain
                and (self.activity is None or self.activity.certain)
                and not self.missing_required)

    def lines(self) -> list[str]:
        """The review as text for the command line."""
        return _describe(self)


@dataclass(frozen=True)
class _Match:
    item: Item
    basis: str
    score: float
    certain: bool


def infer_mapping(layout: SourceLayout, profile: SourceProfile, instrument: Instrument,
                  units: UnitIndex, *, unit_given: bool = False,
                  activities: ActivityIndex | None = None,
                  activity_given: bool = False) -> MappingReview:
    """The proposed mapping of ``layout`` (profiled by ``profile``) to ``instrument``;
    ``activities`` for an experience round (``activity_given``: every row's activity is given
    at import, so no column is looked for)."""
    format = resolve_format(layout, profile)
    matches = _assign(list(layout.questions), instrument, format)
    unit = _infer_unit(layout, profile, units, unit_given, set(matches))
    activity = None if activities is None else GIVEN_ACTIVITY if activity_given else \
        _infer_activity(layout, profile, activities, format, unit.source, set(matches))
    taken = {unit.source, activity.source if activity else None}
    questions = [q for q in layout.questions if q.key not in taken]
    if taken & set(matches):
        matches = _assign(questions, instrument, format)
    reviews = tuple(_review(question, matches.get(question.key), format, profile)
                    for question in questions)
    channel = TEMPLATE_CHANNEL if format == TEMPLATE else DEFAULT_CHANNEL
    mapping = ResponseMapping(
        format=format, instrument=instrument.id, questionnaire=layout.fingerprint,
        unit=UnitMap(None if layout.format == TEMPLATE else unit.source),
        questions=tuple(QuestionMap(r.source, r.item, r.values) for r in reviews),
        channel=channel, activity=None if activity is None else ActivityMap(
            None if layout.format == TEMPLATE else activity.source))
    return _finish(mapping, reviews, unit, layout, profile, instrument, activity)


def review_mapping(mapping: ResponseMapping, layout: SourceLayout, profile: SourceProfile,
                   instrument: Instrument, units: UnitIndex, *, unit_given: bool = False,
                   activities: ActivityIndex | None = None,
                   activity_given: bool = False) -> MappingReview:
    """What a confirmed ``mapping`` does with the file of ``layout``."""
    reviews = []
    skipped = {text_key(source) for source in (
        mapping.unit.source, mapping.activity.source if mapping.activity else None) if source}
    for question in layout.questions:
        if text_key(question.key) in skipped:
            continue
        entry = mapping.question(question.key)
        if entry is None:
            reviews.append(QuestionReview(question.key, str(question), None, "not in the mapping",
                                          True, {}, notes=("not imported",)))
            continue
        reviews.append(_confirmed(question, entry, instrument, mapping.format, profile))
    unit = _review_unit(mapping, layout, profile, units, unit_given)
    activity = None if activities is None else GIVEN_ACTIVITY if activity_given else \
        _review_activity(mapping, layout, profile, activities)
    return _finish(mapping, tuple(reviews), unit, layout, profile, instrument, activity)


def _finish(mapping: ResponseMapping, reviews: tuple[QuestionReview, ...], unit: UnitReview,
            layout: SourceLayout, profile: SourceProfile, instrument: Instrument,
            activity: ActivityReview | None = None) -> MappingReview:
    return MappingReview(
        mapping=mapping, questions=reviews, unit=unit,
        missing_required=_missing_required(mapping, instrument),
        dropped=tuple(str(column) for column in layout.dropped),
        ignored=tuple(str(column) for column in layout.ignored),
        rows=profile.rows, fingerprint=layout.fingerprint, activity=activity)


# --- items -----------------------------------------------------------------------------


def _assign(questions: list[SourceQuestion], instrument: Instrument, format: str
            ) -> dict[str, _Match]:
    """The best item of each question; an item goes to the question that fits it best."""
    proposals = [(question, match) for question in questions
                 if (match := _best_match(question, instrument, format)) is not None]
    proposals.sort(key=lambda pair: (pair[1].certain, pair[1].score), reverse=True)
    taken: set[str] = set()
    assigned: dict[str, _Match] = {}
    for question, match in proposals:
        if match.item.id not in taken:
            taken.add(match.item.id)
            assigned[question.key] = match
    return assigned


def _best_match(question: SourceQuestion, instrument: Instrument, format: str) -> _Match | None:
    if format == TEMPLATE:
        word = header_item_id(question.key)
        item = next((i for i in instrument.items if i.id == word), None)
        return None if item is None else _Match(item, "item id", 1.0, True)
    candidates = [item for item in instrument.items if _fits(question, item, format)]
    match = _by_text(question.text, candidates)
    if match is None and question.has_option_columns:
        match = _by_options(question.options, candidates)
    return match


def _fits(question: SourceQuestion, item: Item, format: str) -> bool:
    """One column per option feeds a multiple choice; one column feeds a multiple choice
    only where the export joins the options in the cell (问卷星 by text)."""
    if question.has_option_columns:
        return item.type == MULTI
    return item.type != MULTI or format == WJX_TEXT


def _by_text(text: str, items: list[Item]) -> _Match | None:
    key, bare = match_key(text), match_key(without_notes(text))
    if not key:
        return None
    exact = [item for item in items if _same_text(key, bare, item)]
    if exact:
        return _Match(exact[0], "same text", 1.0, len(exact) == 1)
    scored = sorted(((_similarity(bare or key, item), item) for item in items),
                    key=lambda pair: pair[0], reverse=True)
    if not scored or scored[0][0] < SIMILAR:
        return None
    score, item = scored[0]
    return _Match(item, f"similar text ({score:.0%})", score, False)


def _same_text(key: str, bare: str, item: Item) -> bool:
    for text in (item.text.zh, item.text.en):
        if key == match_key(text) or (bare and bare == match_key(without_notes(text))):
            return True
    return False


def _similarity(key: str, item: Item) -> float:
    return max(SequenceMatcher(None, key, match_key(without_notes(text))).ratio()
               for text in (item.text.zh, item.text.en))


def _by_options(labels: tuple[str, ...], items: list[Item]) -> _Match | None:
    wanted = {match_key(label) for label in labels}
    best: list[tuple[float, Item]] = []
    for item in items:
        known = {match_key(text) for option in item.options
                 for text in (option.label.zh, option.label.en, option.value)}
        best.append((len(wanted & known) / len(wanted), item))
    best.sort(key=lambda pair: pair[0], reverse=True)
    if not best or best[0][0] < 0.5:
        return None
    score, item = best[0]
    unique = len(best) == 1 or best[1][0] < score
    return _Match(item, f"option labels ({score:.0%})", score, score == 1.0 and unique)


def _review(question: SourceQuestion, match: _Match | None, format: str,
            profile: SourceProfile) -> QuestionReview:
    observed = question.options or profile.observed(question.key)
    if match is None:
        ignorable = format == TEMPLATE and not IDENTIFIER.fullmatch(header_item_id(question.key))
        note = "not imported" if ignorable else "no matching item: not imported"
        return QuestionReview(question.key, str(question), None, "no match", ignorable, {},
                              notes=(note,))
    guess = guess_values(match.item, format, question.text, observed,
                         labels=question.has_option_columns)
    values_certain = not guess.assumptions and (format == TEMPLATE or not guess.unmatched)
    return QuestionReview(question.key, str(question), match.item.id, match.basis,
                          match.certain and values_certain, guess.values, guess.unmatched,
                          guess.assumptions)


def _confirmed(question: SourceQuestion, entry: QuestionMap, instrument: Instrument,
               format: str, profile: SourceProfile) -> QuestionReview:
    if entry.item is None or entry.item not in {item.id for item in instrument.items}:
        return QuestionReview(question.key, str(question), None, "mapping", True, {},
                              notes=("not imported",))
    observed = question.options or profile.observed(question.key)
    unmatched = unreadable(instrument.item(entry.item), format, entry.values, observed,
                           labels=question.has_option_columns)
    return QuestionReview(question.key, str(question), entry.item, "mapping", True,
                          dict(entry.values), unmatched)


def _missing_required(mapping: ResponseMapping, instrument: Instrument) -> tuple[str, ...]:
    """Required items no question feeds nor a fixed answer gives, that rows could show."""
    fed = {question.item for question in mapping.mapped} | set(mapping.fixed)
    return tuple(item.id for item in instrument.items
                 if item.required and item.id not in fed
                 and (item.relevant is None or item.relevant.item in fed))


# --- the unit --------------------------------------------------------------------------


def _infer_unit(layout: SourceLayout, profile: SourceProfile, units: UnitIndex,
                unit_given: bool, items: Collection[str] = ()) -> UnitReview:
    """The question naming the unit: the one whose values are unit codes or names, else
    one whose header speaks of a unit and that feeds no item."""
    if unit_given:
        return UnitReview(None, None, "given at import", True)
    if layout.format == TEMPLATE:
        column = layout.unit
        return UnitReview(None, str(column) if column else None, "unit column", column is not None)
    scored = []
    for question in layout.questions:
        if question.has_option_columns:
            continue
        values = profile.observed(question.key)
        known = sum(1 for value in values if units.knows(value))
        scored.append((known / len(values) if values else 0.0, _names_unit(question), question))
    by_values = sorted((s for s in scored if s[0] >= 0.5), key=lambda s: s[0], reverse=True)
    if by_values:
        share, _, question = by_values[0]
        certain = share == 1.0 and (len(by_values) == 1 or by_values[1][0] < 1.0)
        return _unit_review(question, "values are unit codes or names", certain, profile, units)
    named = [question for _, names, question in scored if names and question.key not in items]
    if named:
        return _unit_review(named[0], "header names a unit", False, profile, units)
    return UnitReview(None, None, "no column names the unit", False)


def _names_unit(question: SourceQuestion) -> bool:
    key = text_key(question.text)
    return any(word in key for word in UNIT_WORDS)


def _unit_review(question: SourceQuestion, basis: str, certain: bool, profile: SourceProfile,
                 units: UnitIndex, values: dict[str, str] | None = None) -> UnitReview:
    table = {text_key(text) for text in values or {}}
    unmatched = tuple(value for value in profile.observed(question.key)
                      if not units.knows(value) and text_key(value) not in table)
    return UnitReview(question.key, str(question), basis, certain, unmatched)


def _review_unit(mapping: ResponseMapping, layout: SourceLayout, profile: SourceProfile,
                 units: UnitIndex, unit_given: bool) -> UnitReview:
    if unit_given or layout.format == TEMPLATE:
        return _infer_unit(layout, profile, units, unit_given)
    question = layout.question(mapping.unit.source) if mapping.unit.source else None
    if question is None:
        return UnitReview(mapping.unit.source, None, "not in this file", False)
    return _unit_review(question, "mapping", True, profile, units, mapping.unit.values)


# --- the activity (experience rounds) ----------------------------------------------------

GIVEN_ACTIVITY = ActivityReview(None, None, "given at import", True)


def _infer_activity(layout: SourceLayout, profile: SourceProfile, activities: ActivityIndex,
                    format: str, unit_source: str | None = None, items: Collection[str] = ()
                    ) -> ActivityReview:
    """The question naming the activity: by its answers (titles), else by its header and
    feeding no item."""
    if layout.format == TEMPLATE:
        column = layout.activity
        basis = "activity column" if column else "no activity column"
        return ActivityReview(None, str(column) if column else None, basis, True)
    candidates = [q for q in layout.questions
                  if not q.has_option_columns and q.key != unit_source]
    scored = sorted(((_title_share(q, profile, activities, format), q) for q in candidates),
                    key=lambda pair: pair[0], reverse=True)
    if scored and scored[0][0] >= 0.5:
        share, question = scored[0]
        certain = share == 1.0 and (len(scored) == 1 or scored[1][0] < 1.0)
        return _activity_review(question, "values are activity titles", certain, profile,
                                activities, format)
    named = [q for q in candidates if q.key not in items
             and any(word in text_key(q.text) for word in ACTIVITY_WORDS)]
    if named:
        return _activity_review(named[0], "header names an activity", False, profile,
                                activities, format)
    return ActivityReview(None, None, "no column names the activity", True)


def _title_share(question: SourceQuestion, profile: SourceProfile, activities: ActivityIndex,
                 format: str) -> float:
    values = profile.observed(question.key)
    if not values or format == WJX_NUMBER:
        return 0.0
    known = sum(1 for value in values if activities.knows_title(_cell_text(value, format)))
    return known / len(values)


def _cell_text(value: str, format: str) -> str:
    return strip_option_letter(value) if format == TENCENT else value


def _activity_review(question: SourceQuestion, basis: str, certain: bool,
                     profile: SourceProfile, activities: ActivityIndex, format: str,
                     values: dict[str, str] | None = None) -> ActivityReview:
    """The review of ``question`` as the activity's, with the answers naming none."""
    table = {text_key(text) for text in values or {}}
    unmatched = tuple(value for value in profile.observed(question.key)
                      if text_key(value) not in table
                      and not _names_activity(value, activities, format))
    return ActivityReview(question.key, str(question), basis, certain and not unmatched,
                          unmatched)


def _names_activity(value: str, activities: ActivityIndex, format: str) -> bool:
    """Whether a cell can name an activity without the mapping's values (an id, or a title;
    a 问卷星 option number never can)."""
    number = activity_id(value)
    if number is not None:
        return format != WJX_NUMBER and activities.by_id(number) is not None
    return activities.knows_title(_cell_text(value, format))


def _review_activity(mapping: ResponseMapping, layout: SourceLayout, profile: SourceProfile,
                     activities: ActivityIndex) -> ActivityReview:
    if layout.format == TEMPLATE:
        return _infer_activity(layout, profile, activities, mapping.format)
    source = mapping.activity.source if mapping.activity else None
    if source is None:
        return ActivityReview(None, None, "no column names the activity", True)
    question = layout.question(source)
    if question is None:
        return ActivityReview(source, None, "not in this file", False)
    values = mapping.activity.values if mapping.activity else {}
    return _activity_review(question, "mapping", True, profile, activities, mapping.format,
                            values)


# --- the text shown to the evaluator ---------------------------------------------------


def _describe(review: MappingReview) -> list[str]:
    mapping = review.mapping
    lines = [f"format: {FORMAT_NAMES.get(mapping.format, mapping.format)}; "
             f"{review.rows} rows; questionnaire {mapping.questionnaire}"
             + ("" if mapping.questionnaire == review.fingerprint
                else f" (this file's questions: {review.fingerprint})"),
             _unit_line(review.unit)]
    if review.activity is not None:
        lines.append(_activity_line(review.activity))
    lines.append("questions:")
    for question in review.questions:
        lines.extend(_question_lines(question))
    if mapping.fixed:
        fixed = ", ".join(f"{item} = {code}" for item, code in mapping.fixed.items())
        lines.append(f"fixed answers: {fixed}")
    if review.missing_required:
        lines.append(f"[check] required items no column feeds: "
                     f"{', '.join(review.missing_required)} — map a question to them or give "
                     "them under \"fixed\"")
    if review.dropped:
        lines.append(f"dropped, identifying (never read): {', '.join(review.dropped)}")
    if review.ignored:
        lines.append(f"ignored: {', '.join(review.ignored)}")
    return lines


def _mark(certain: bool) -> str:
    return "[ok]   " if certain else "[check]"


def _unit_line(unit: UnitReview) -> str:
    where = f"{unit.column} ({unit.basis})" if unit.column else unit.basis
    line = f"{_mark(unit.certain)} unit: {where}"
    if unit.unmatched:
        line += f"; naming no unit: {_shown(unit.unmatched)}"
    return line


def _activity_line(activity: ActivityReview) -> str:
    where = f"{activity.column} ({activity.basis})" if activity.column else activity.basis
    line = f"{_mark(activity.certain)} activity: {where}"
    if activity.source is None and activity.column is None:
        line += "; responses are stored without an activity"
    if activity.unmatched:
        line += f"; naming no activity: {_shown(activity.unmatched)}"
    return line


def _question_lines(question: QuestionReview) -> list[str]:
    target = question.item or "not imported"
    lines = [f"  {_mark(question.certain)} {question.column} → {target} ({question.basis})"]
    if question.values:
        entries = " · ".join(f"{text} → {CODE_NAMES.get(code, code)}"
                             for text, code in question.values.items())
        lines.append(f"            values: {entries}")
    if question.unmatched:
        lines.append(f"            values it cannot read: {_shown(question.unmatched)}")
    lines.extend(f"            note: {note}" for note in question.notes)
    return lines


def _shown(values: tuple[str, ...]) -> str:
    shown = ", ".join(repr(value) for value in values[:SHOWN_UNMATCHED])
    more = len(values) - SHOWN_UNMATCHED
    return shown + (f" and {more} more" if more > 0 else "")
