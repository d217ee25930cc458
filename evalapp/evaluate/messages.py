"""The operations' refusals and import problems in the visitor's language.

The operations (`evalapp.rounds`, `evalapp.activities`, …) refuse with an
`OperationError` whose English message names what is wrong; the command line prints it
as it is. The pages show the same refusal translated: each rule below recognises one
message by its wording and fills its parts (round ids, unit codes, states) into a
translated sentence. A message no rule knows is shown in English after a translated
"Refused:", so a new refusal is never lost, only untranslated until a rule is added here
(tests/evaluate/test_messages.py ties the rules to the operations' real messages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .labels import MODE_NAMES, STATUS_NAMES, SUGGESTION_STATUS_NAMES

Convert = Callable[[str], str]

VERBS = {
    "open": _l("be opened"),
    "close": _l("be closed"),
    "be published": _l("be published"),
    "get a corrected publication": _l("get a corrected publication"),
}


def _table(names: Mapping[str, object]) -> Convert:
    return lambda code: str(names.get(code, code))


def _statuses(text: str) -> str:
    """``forwarded or resolved`` → the names joined in the visitor's language."""
    return " / ".join(str(SUGGESTION_STATUS_NAMES.get(part, part))
                      for part in text.split(" or "))


@dataclass(frozen=True)
class Rule:
    pattern: str
    message: object  # a lazy string with %(group)s placeholders
    convert: Mapping[str, Convert] = field(default_factory=dict)

    def apply(self, text: str) -> str | None:
        match = re.fullmatch(self.pattern, text, flags=re.DOTALL)
        if match is None:
            return None
        values = {key: self.convert.get(key, str)(value or "")
                  for key, value in match.groupdict().items()}
        return str(self.message) % values


STATUS = {"status": _table(STATUS_NAMES), "expected": _table(STATUS_NAMES)}
R = r"round (?P<round>\d+)"

ROUND_RULES = [
    Rule(R + r" has no units in its scope",
         _l("Round %(round)s has no units to evaluate: choose its units first.")),
    Rule(R + r" is (?P<status>\w+); only a (?P<expected>\w+) round can (?P<verb>.+)",
         _l("Round %(round)s is %(status)s: only a round that is %(expected)s can %(verb)s."),
         {**STATUS, "verb": _table(VERBS)}),
    Rule(R + r" is published: its settings no longer change",
         _l("Round %(round)s is published: its settings no longer change.")),
    Rule(R + r" is (?P<status>\w+): the instrument can only change in draft",
         _l("Round %(round)s is %(status)s: the questionnaire can only change in a draft "
            "round."), STATUS),
    Rule(R + r" is (?P<status>\w+): assignments are closed",
         _l("Round %(round)s is %(status)s: its assignments no longer change."), STATUS),
    Rule(R + r" is already frozen; a corrected publication needs a reason",
         _l("Round %(round)s is already published: a corrected publication needs a reason.")),
    Rule(r"a corrected publication needs a reason",
         _l("A corrected publication needs a reason.")),
    Rule(r"name: must not be empty", _l("The name must not be empty.")),
    Rule(r"mode: must be one of .+", _l("Choose one of the evaluation modes.")),
    Rule(r"instrument: (?P<instrument>\S+) is for mode (?P<mode>\w+), not (?P<expected>\w+)",
         _l("The questionnaire %(instrument)s is for rounds of the mode “%(mode)s”, not "
            "“%(expected)s”."),
         {"mode": _table(MODE_NAMES), "expected": _table(MODE_NAMES)}),
    Rule(r"closes_on: must not be before opens_on",
         _l("The round cannot close before it opens.")),
    Rule(r"weights: give a weight ≥ 0 for each of .+",
         _l("Give each dimension a weight of 0 or more.")),
    Rule(r"weights: at least one weight must be positive",
         _l("At least one dimension needs a weight above 0.")),
    Rule(r"min_n: must be at least 1", _l("The minimum number of responses is at least 1.")),
    Rule(r"star_cutoffs: four increasing numbers in 0–100 \(two to five stars\)",
         _l("The star thresholds are four increasing numbers from 0 to 100.")),
    Rule(r"observers_per_unit: must be at least 1",
         _l("Send at least one observer to each unit.")),
]

SCOPE_RULES = [
    Rule(r"unknown unit codes?(?:\(s\))?: (?P<codes>.+)",
         _l("Unknown unit code: %(codes)s.")),
    Rule(R + r" is published: its scope no longer changes",
         _l("Round %(round)s is published: its units no longer change.")),
    Rule(R + r": cannot remove (?P<codes>.+) from the scope: they already have assignments "
         r"or responses",
         _l("Round %(round)s: %(codes)s cannot leave the round: they already have "
            "assignments or responses.")),
    Rule(r"the seed must be a whole number from 0 to 2\^63 − 1",
         _l("The seed must be a whole number from 0 to 9223372036854775807.")),
    Rule(R + r" is (?P<status>\w+): only a draft round can be sampled",
         _l("Round %(round)s is %(status)s: only a draft round can draw a sample."), STATUS),
    Rule(R + r": give either a sample size or a share, not both",
         _l("Give either a number of units or a share, not both.")),
    Rule(R + r": the sample share must be in \(0, 1\], not (?P<share>.+)",
         _l("The share must be more than 0 and at most 100 percent.")),
    Rule(R + r": the sample size must be at least 1, not (?P<size>.+)",
         _l("The sample needs at least one unit.")),
    Rule(R + r": cannot draw (?P<size>\d+) units from a frame of (?P<frame>\d+)",
         _l("Cannot draw %(size)s units: the chosen kinds and areas have only %(frame)s.")),
    Rule(R + r" was not drawn as a sample",
         _l("Round %(round)s was not drawn as a sample.")),
    Rule(R + r": the recorded seed (?P<seed>\S+) differs from the seed of its sample event "
         r"\((?P<event>\S+)\)",
         _l("Round %(round)s: its seed %(seed)s differs from the seed recorded with its "
            "sample (%(event)s).")),
]

ASSIGNMENT_RULES = [
    Rule(r"(?P<login>\S+) has already submitted for (?P<unit>\S+): the assignment records "
         r"that visit and stays",
         _l("%(login)s has already submitted for %(unit)s: the assignment records that "
            "visit and stays.")),
    Rule(r"(?P<login>\S+) has (?P<count>\d+) unfinished questionnaire\(s\) for (?P<unit>\S+); "
         r"discard them explicitly to change this assignment",
         _l("%(login)s has %(count)s unfinished questionnaire(s) for %(unit)s. Tick “discard "
            "unfinished questionnaires” to change this assignment.")),
    Rule(r"(?P<login>\S+) is not an active observer",
         _l("%(login)s is not an active observer.")),
    Rule(r"unit (?P<unit>\S+) is not in round (?P<round>\d+)",
         _l("Unit %(unit)s is not evaluated in round %(round)s.")),
    Rule(r"activity (?P<activity>\d+) does not belong to unit (?P<unit>\S+)",
         _l("Activity %(activity)s does not belong to unit %(unit)s.")),
    Rule(r"(?P<login>\S+) is affiliated with (?P<unit>\S+) and cannot evaluate it",
         _l("%(login)s belongs to %(unit)s and cannot evaluate it.")),
    Rule(r"(?P<login>\S+) belongs to a unit in (?P<county>.+), the county of (?P<unit>\S+), "
         r"and round (?P<round>\d+) excludes observers from the same county",
         _l("%(login)s belongs to a unit in %(county)s, the county of %(unit)s, and round "
            "%(round)s keeps observers away from their own county.")),
    Rule(r"(?P<login>\S+) is already assigned to (?P<unit>\S+)",
         _l("%(login)s is already assigned to %(unit)s.")),
    Rule(r"(?P<unit>.+): no observer assigned", _l("%(unit)s: no observer assigned.")),
    Rule(r"(?P<unit>.+): only one observer — anyone who knows the assignment can read that "
         r"observer's answers in the unit's results",
         _l("%(unit)s: only one observer. Anyone who knows the assignment can read that "
            "observer's answers in the unit's results.")),
]

ACTIVITY_RULES = [
    Rule(r"type: unknown activity type (?P<type>.+?); use one of .+",
         _l("Unknown activity type %(type)s.")),
    Rule(r"unit: (?P<unit>\S+) is not active", _l("Unit %(unit)s is not active.")),
    Rule(r"title: missing required value", _l("The title is missing.")),
    Rule(r"title: too long: (?P<length>\d+) characters, at most (?P<limit>\d+)",
         _l("The title is too long: %(length)s characters, at most %(limit)s.")),
    Rule(r"place: too long: (?P<length>\d+) characters, at most (?P<limit>\d+)",
         _l("The place is too long: %(length)s characters, at most %(limit)s.")),
    Rule(r"(?P<unit>\S+) already lists (?P<title>.+) on (?P<day>\d{4}-\d\d-\d\d)",
         _l("%(unit)s already lists %(title)s on %(day)s.")),
]

SUGGESTION_RULES = [
    Rule(r"status must be one of .+", _l("Choose one of the statuses.")),
    Rule(r"suggestion (?P<id>\d+) is (?P<status>\w+): it can move only to (?P<allowed>.+), "
         r"not to (?P<target>\w+)",
         _l("Suggestion %(id)s is %(status)s: it can move only to %(allowed)s, not to "
            "%(target)s."),
         {"status": _table(SUGGESTION_STATUS_NAMES), "allowed": _statuses,
          "target": _table(SUGGESTION_STATUS_NAMES)}),
    Rule(r"suggestion (?P<id>\d+) is (?P<status>\w+): it can move no further, not to "
         r"(?P<target>\w+)",
         _l("Suggestion %(id)s is %(status)s: its status no longer changes."),
         {"status": _table(SUGGESTION_STATUS_NAMES)}),
    Rule(r"a note is required: say what was done", _l("Write a note saying what was done.")),
    Rule(r"the note is too long: (?P<length>\d+) characters, at most (?P<limit>\d+)",
         _l("The note is too long: %(length)s characters, at most %(limit)s.")),
]

EXCLUSION_RULES = [
    Rule(r"already excluded: (?P<ids>.+)", _l("Already excluded: %(ids)s.")),
    Rule(r"not excluded: (?P<ids>.+)", _l("Not excluded: %(ids)s.")),
    Rule(R + r" is published: its responses no longer change",
         _l("Round %(round)s is published: its responses no longer change.")),
    Rule(r"a reason is required", _l("Give a reason.")),
    Rule(r"the reason is too long: (?P<length>\d+) characters, at most (?P<limit>\d+)",
         _l("The reason is too long: %(length)s characters, at most %(limit)s.")),
    Rule(r"no response given", _l("Tick at least one response.")),
    Rule(R + r" has no response (?P<ids>.+)",
         _l("Round %(round)s has no response %(ids)s.")),
]

IMPORT_RULES = [
    Rule(R + r" is (?P<status>\w+): it takes no responses \(import while it is open or "
         r"closed\)",
         _l("Round %(round)s is %(status)s: responses can be imported only while a round is "
            "open or closed."), STATUS),
    Rule(r"unit (?P<unit>.+) is not evaluated in round (?P<round>\d+)",
         _l("Unit %(unit)s is not evaluated in round %(round)s.")),
    Rule(r"the mapping is for instrument (?P<mapping>\S+), the round uses (?P<instrument>\S+)",
         _l("The mapping is for the questionnaire %(mapping)s; this round uses "
            "%(instrument)s.")),
    Rule(r"a mapping name is 1–(?P<limit>\d+) characters",
         _l("A mapping name has 1 to %(limit)s characters.")),
    Rule(r"the file is empty: it has no header row", _l("The file is empty: it has no header "
                                                        "row.")),
    Rule(r"there are no data rows below the header",
         _l("There are no rows below the header.")),
    Rule(r"is an old Excel 97–2003 \(\.xls\) or other OLE file; save it as \.xlsx or as CSV",
         _l("This is an old Excel 97–2003 (.xls) file: save it as .xlsx or as CSV.")),
    Rule(r"is UTF-16 text \(Excel's 'Unicode text'\); save it as 'CSV UTF-8' instead",
         _l("This is UTF-16 text (Excel's “Unicode text”): save it as “CSV UTF-8”.")),
    Rule(r"missing required value", _l("Missing value.")),
    Rule(r"missing row id: every row needs its own number",
         _l("Missing row number: every row needs its own number.")),
    Rule(r"missing unit", _l("Missing unit.")),
    Rule(r"missing date", _l("Missing date.")),
    Rule(r"unit (?P<unit>.+) is not evaluated in this round",
         _l("Unit %(unit)s is not evaluated in this round.")),
    Rule(r"unit (?P<unit>.+) is not active", _l("Unit %(unit)s is not active.")),
    Rule(r"unknown unit (?P<text>.+): neither a unit code nor a unit's full name",
         _l("Unknown unit %(text)s: neither a unit code nor a unit's full name.")),
    Rule(r"(?P<text>.+) names several units \((?P<codes>.+)\); give the unit's code",
         _l("%(text)s names several units (%(codes)s): give the unit's code.")),
    Rule(r"not a date: (?P<text>.+) \(write e\.g\. 2026-11-05 or 2026年11月5日\)",
         _l("Not a date: %(text)s (write e.g. 2026-11-05 or 2026年11月5日).")),
    Rule(r"bad date (?P<text>.+): write it as 2026-11-05 \(a time may follow\)",
         _l("Not a date: %(text)s (write e.g. 2026-11-05; a time may follow).")),
    Rule(r"date (?P<day>\S+) is outside the round's window (?P<opens>\S+) – (?P<closes>\S+)",
         _l("The date %(day)s is outside the round's window %(opens)s to %(closes)s.")),
    Rule(r"duration (?P<text>.+) is not a number of seconds",
         _l("The duration %(text)s is not a number of seconds.")),
    Rule(r"unknown channel (?P<text>.+?): use .+", _l("Unknown channel %(text)s.")),
    Rule(r"too long: (?P<length>\d+) characters, at most (?P<limit>\d+)",
         _l("Too long: %(length)s characters, at most %(limit)s.")),
    Rule(r"unknown activity type (?P<type>.+?); use one of .+",
         _l("Unknown activity type %(type)s.")),
    Rule(r"the same activity \(unit, date and title\) is also in row (?P<row>\d+)",
         _l("The same activity (unit, date and title) is also in row %(row)s.")),
    Rule(r"the row answers none of the mapped questions",
         _l("The row answers none of the questions.")),
    Rule(r"item (?P<item>\S+)(?: \(no column in this file\))? is required but not answered",
         _l("Question %(item)s is required but not answered.")),
    Rule(r"item (?P<item>\S+)(?: \(no column in this file\))? is answered, but its "
         r"condition on item (?P<other>\S+) hides it",
         _l("Question %(item)s is answered, but the answer to %(other)s hides it.")),
    Rule(r"row id (?P<id>.+) appears twice \(also row (?P<row>\d+)\)",
         _l("Row number %(id)s appears twice (also in row %(row)s).")),
]

REVIEW_RULES = [
    Rule(r"not imported", _l("not imported")),
    Rule(r"no matching item: not imported", _l("no matching question: not imported")),
    Rule(r"option numbers read in the instrument's option order",
         _l("option numbers read in the questionnaire's option order")),
    Rule(r"option 1 read as yes, option 2 as no", _l("option 1 read as yes, option 2 as no")),
    Rule(r"options 1–11 read as 0–10", _l("options 1 to 11 read as 0 to 10")),
    Rule(r"option numbers read as scale points", _l("option numbers read as scale points")),
    Rule(r"不知道 read as no: the question asks whether they know",
         _l("不知道 read as no: the question asks whether they know")),
    Rule(r"item id", _l("column named by the question's id")),
    Rule(r"same text", _l("same text")),
    Rule(r"similar text \((?P<share>\d+%)\)", _l("similar text (%(share)s)")),
    Rule(r"option labels \((?P<share>\d+%)\)", _l("option labels (%(share)s)")),
    Rule(r"no match", _l("no match")),
    Rule(r"not in the mapping", _l("not in the mapping")),
    Rule(r"mapping", _l("as mapped")),
    Rule(r"given at import", _l("given at upload")),
    Rule(r"unit column", _l("unit column")),
    Rule(r"values are unit codes or names", _l("its answers are unit codes or names")),
    Rule(r"header names a unit", _l("its header speaks of a unit")),
    Rule(r"no column names the unit", _l("no column names the unit")),
    Rule(r"not in this file", _l("not in this file")),
]

RULES = (*ROUND_RULES, *SCOPE_RULES, *ASSIGNMENT_RULES, *ACTIVITY_RULES, *SUGGESTION_RULES,
         *EXCLUSION_RULES, *IMPORT_RULES, *REVIEW_RULES)


def translate(text: str) -> str | None:
    """``text`` in the visitor's language, or None when no rule knows it."""
    for rule in RULES:
        found = rule.apply(text)
        if found is not None:
            return found
    return None


def explain(error: Exception | str) -> str:
    """A refusal for the page: translated whole, or part by part (settings problems come
    joined with "; "), else the English text after a translated "Refused:"."""
    text = str(error).strip()
    whole = translate(text)
    if whole is not None:
        return whole
    parts = [part.strip() for part in text.split("; ")]
    translated = [translate(part) for part in parts]
    if len(parts) > 1 and all(part is not None for part in translated):
        return " ".join(part for part in translated if part)
    return _("Refused: %(reason)s", reason=text)


def explain_problem(reason: str) -> str:
    """An import problem's reason translated, or as the importer wrote it."""
    return translate(reason.strip()) or reason
