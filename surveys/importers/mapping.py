"""A mapping from a foreign export to an instrument, as the evaluator confirms and saves it.

Its JSON form is what ``evalapp import mapping show`` prints, what ``--mapping-file``
reads and what the database stores::

    {
      "version": 1,
      "format": "wjx-text",              // template | wjx-text | wjx-number | tencent
      "instrument": "spot_check",        // the instrument id
      "questionnaire": "3f2a9c0d1e2b4c5d",  // the source's identity (see below)
      "channel": "import",               // recorded on every response
      "unit": {"source": "1、您评价的是哪个青年之家？", "values": {}},
      "activity": {"source": "2、您参加的活动", "values": {"读书会": "17"}},
      "fixed": {"record_type": "youth_onsite"},
      "questions": [
        {"source": "2、您知道附近有这个青年之家吗？", "item": "yq_know_site",
         "values": {"知道": "yes", "不知道": "no", "不清楚": "@dont_know"}},
        {"source": "9、您的年龄", "item": null}
      ]
    }

``source`` names a question by its key (`table.SourceQuestion.key`); ``unit.source`` is
the question naming the unit (by code or name; ``unit.values`` may translate other texts,
e.g. option numbers, to unit codes), or null when every row's unit is given at import.
``activity`` exists only for ``experience`` rounds (see `activities`): the question naming
each row's activity by id or title, ``values`` translating other texts (a 问卷星 option
number, a title as the survey spelled it) to activity ids; ``source`` null when no column
names it (our template reads its ``activity`` column).
``fixed`` answers items the export does not ask, for every row. ``values`` tables are
described in `values`. ``questionnaire`` is computed from the first file's questions and
kept with the mapping, so editing a question's text in the survey tool (and then the
mapping's ``source``) does not change the rows' identity.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.answers import validate_answer
from surveys.importers.cells import match_key, text_key
from surveys.importers.table import CHANNELS, FORMATS, TEMPLATE
from surveys.importers.values import SPECIAL_CODES, CellError, answer_for_code
from surveys.instrument import Instrument
from surveys.model import Item
from surveys.vocab import TEXT

MAPPING_VERSION = 1
DEFAULT_CHANNEL = "import"
_IDENTITY = re.compile(r"[A-Za-z0-9_-]{1,16}")
TOP_KEYS = ("version", "format", "instrument", "questionnaire", "channel", "unit", "activity",
            "fixed", "questions")
_ACTIVITY_ID = re.compile(r"[1-9][0-9]{0,17}")


class MappingError(ValueError):
    """A mapping that does not fit the instrument; ``problems`` lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the mapping is not valid:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class QuestionMap:
    """Question ``source`` feeds ``item`` (None: not imported) through ``values``."""

    source: str
    item: str | None
    values: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "item": self.item, "values": dict(self.values)}


@dataclass(frozen=True)
class UnitMap:
    source: str | None
    values: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "values": dict(self.values)}


@dataclass(frozen=True)
class ActivityMap:
    """Question ``source`` names each row's activity; ``values`` translate texts to ids."""

    source: str | None
    values: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "values": dict(self.values)}


@dataclass(frozen=True)
class ResponseMapping:
    format: str
    instrument: str
    questionnaire: str
    unit: UnitMap
    questions: tuple[QuestionMap, ...]
    fixed: dict[str, str] = field(default_factory=dict)
    channel: str = DEFAULT_CHANNEL
    activity: ActivityMap | None = None

    def question(self, source: str) -> QuestionMap | None:
        key = text_key(source)
        return next((q for q in self.questions if text_key(q.source) == key), None)

    @property
    def mapped(self) -> tuple[QuestionMap, ...]:
        return tuple(question for question in self.questions if question.item is not None)

    def to_json(self) -> dict[str, Any]:
        """The JSON form; ``activity`` only where the mapping has one (experience rounds),
        so the mappings of other rounds read as before."""
        data: dict[str, Any] = {
            "version": MAPPING_VERSION, "format": self.format, "instrument": self.instrument,
            "questionnaire": self.questionnaire, "channel": self.channel,
            "unit": self.unit.to_json()}
        if self.activity is not None:
            data["activity"] = self.activity.to_json()
        data["fixed"] = dict(self.fixed)
        data["questions"] = [question.to_json() for question in self.questions]
        return data

    @classmethod
    def from_json(cls, data: Any, instrument: Instrument) -> ResponseMapping:
        """Read and check a mapping against ``instrument``; `MappingError` lists problems."""
        return _Reader(instrument).read(data)


@dataclass
class _Reader:
    instrument: Instrument
    problems: list[str] = field(default_factory=list)

    def read(self, data: Any) -> ResponseMapping:
        if not isinstance(data, Mapping):
            raise MappingError(["a mapping is a JSON object"])
        self._keys("the mapping", data, TOP_KEYS)
        if data.get("version", MAPPING_VERSION) != MAPPING_VERSION:
            self.problems.append(f"version must be {MAPPING_VERSION}")
        format = self._choice(data, "format", FORMATS, None)
        if data.get("instrument") != self.instrument.id:
            self.problems.append(f"instrument: the mapping is for {data.get('instrument')!r}, "
                                 f"not {self.instrument.id!r}")
        identity = data.get("questionnaire")
        if not isinstance(identity, str) or not _IDENTITY.fullmatch(identity):
            self.problems.append("questionnaire: 1–16 letters, digits, '-' or '_'")
        channel = self._choice(data, "channel", CHANNELS, DEFAULT_CHANNEL)
        unit = self._unit(data.get("unit"), format)
        activity = self._activity(data.get("activity"))
        questions = self._questions(data.get("questions"))
        fixed = self._fixed(data.get("fixed", {}), questions)
        self._activity_source(activity, unit, questions)
        if self.problems:
            raise MappingError(self.problems)
        return ResponseMapping(format, self.instrument.id, identity, unit, questions, fixed,
                               channel, activity)

    def _keys(self, where: str, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        unknown = [str(key) for key in data if key not in allowed]
        if unknown:
            self.problems.append(f"{where}: unknown field {', '.join(unknown)} "
                                 f"(allowed: {', '.join(allowed)})")

    def _choice(self, data: Mapping[str, Any], key: str, choices: tuple[str, ...],
                default: str | None) -> Any:
        value = data.get(key, default)
        if value not in choices:
            self.problems.append(f"{key} must be one of {', '.join(choices)}")
        return value

    def _text_table(self, where: str, raw: Any) -> dict[str, str]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            self.problems.append(f"{where}: values must map texts to texts")
            return {}
        seen: dict[str, tuple[str, str]] = {}
        for text, code in raw.items():
            key = match_key(text)
            if key in seen and seen[key][1] != code:
                self.problems.append(f"{where}: {text!r} and {seen[key][0]!r} are the same text "
                                     "once spaces and punctuation are ignored, but have "
                                     "different codes")
            seen[key] = (text, code)
        return dict(raw)

    def _unit(self, raw: Any, format: str | None) -> UnitMap:
        if format == TEMPLATE and raw is None:
            return UnitMap(None)
        if not isinstance(raw, Mapping):
            self.problems.append("unit: an object {source, values}")
            return UnitMap(None)
        self._keys("unit", raw, ("source", "values"))
        source = raw.get("source")
        if source is not None and not (isinstance(source, str) and source.strip()):
            self.problems.append("unit: source must be a question or null")
            source = None
        return UnitMap(source, self._text_table("unit", raw.get("values")))

    def _activity(self, raw: Any) -> ActivityMap | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            self.problems.append("activity: an object {source, values}")
            return None
        self._keys("activity", raw, ("source", "values"))
        source = raw.get("source")
        if source is not None and not (isinstance(source, str) and source.strip()):
            self.problems.append("activity: source must be a question or null")
            source = None
        values = self._text_table("activity", raw.get("values"))
        for text, code in values.items():
            if not _ACTIVITY_ID.fullmatch(code):
                self.problems.append(f"activity, value {text!r}: {code!r} is not an activity "
                                     "id (a whole number from the activity list)")
        return ActivityMap(source, values)

    def _activity_source(self, activity: ActivityMap | None, unit: UnitMap,
                         questions: tuple[QuestionMap, ...]) -> None:
        """The activity's question names nothing else: not the unit, not an item."""
        source = activity.source if activity else None
        if source is None:
            return
        if unit.source is not None and text_key(unit.source) == text_key(source):
            self.problems.append(f"activity: question {source!r} already names the unit")
        for question in questions:
            if question.item is not None and text_key(question.source) == text_key(source):
                self.problems.append(f"activity: question {source!r} also feeds item "
                                     f"{question.item}")

    def _questions(self, raw: Any) -> tuple[QuestionMap, ...]:
        if not isinstance(raw, list):
            self.problems.append("questions: a list of {source, item, values}")
            return ()
        questions: list[QuestionMap] = []
        sources: set[str] = set()
        items: dict[str, str] = {}
        for number, entry in enumerate(raw, start=1):
            question = self._question(f"questions[{number}]", entry)
            if question is None:
                continue
            if text_key(question.source) in sources:
                self.problems.append(f"questions[{number}]: source {question.source!r} "
                                     "appears twice")
            sources.add(text_key(question.source))
            if question.item is not None and question.item in items:
                self.problems.append(f"questions[{number}]: item {question.item} is already fed "
                                     f"by {items[question.item]!r}")
            elif question.item is not None:
                items[question.item] = question.source
            questions.append(question)
        return tuple(questions)

    def _question(self, where: str, entry: Any) -> QuestionMap | None:
        if not isinstance(entry, Mapping):
            self.problems.append(f"{where}: an object {{source, item, values}}")
            return None
        self._keys(where, entry, ("source", "item", "values"))
        source, item_id = entry.get("source"), entry.get("item")
        if not isinstance(source, str) or not source.strip():
            self.problems.append(f"{where}: source must name a question of the export")
            return None
        item = self._item(where, item_id) if item_id is not None else None
        values = self._text_table(where, entry.get("values"))
        if item is not None:
            for text, code in values.items():
                self._code(f"{where}, value {text!r}", item, code)
        return QuestionMap(source, item_id if item is not None else None, values)

    def _item(self, where: str, item_id: Any) -> Item | None:
        try:
            return self.instrument.item(str(item_id))
        except KeyError:
            self.problems.append(f"{where}: instrument {self.instrument.id} has no item "
                                 f"{item_id!r}")
            return None

    def _code(self, where: str, item: Item, code: str) -> None:
        if item.type == TEXT and code not in SPECIAL_CODES:
            self.problems.append(f"{where}: a text item takes only {', '.join(SPECIAL_CODES)}")
            return
        try:
            answer = answer_for_code(item, code)
        except CellError as error:
            self.problems.append(f"{where}: {error.reason}")
            return
        if answer is not None:
            reason = validate_answer(item, answer.value, answer.text, answer.na,
                                     answer.dont_know)
            if reason is not None:
                self.problems.append(f"{where}: code {code!r}: {reason}")

    def _fixed(self, raw: Any, questions: tuple[QuestionMap, ...]) -> dict[str, str]:
        if not isinstance(raw, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            self.problems.append("fixed: an object mapping item ids to codes")
            return {}
        fed = {question.item for question in questions}
        for item_id, code in raw.items():
            item = self._item("fixed", item_id)
            if item is None:
                continue
            if item_id in fed:
                self.problems.append(f"fixed: item {item_id} is also fed by a question")
            self._code(f"fixed, item {item_id}", item, code)
        return dict(raw)
