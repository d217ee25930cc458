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

from surveys.importers.table import FORMAT_NAMES, TEMPLATE, TENCENT, WJX, WJX_NUMBER, WJX_TEXT

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
ITEM = r"item (?P<item>\S+)(?: \(no column in this file\))?"
COLUMN_NAMES = {"unit": _l("unit"), "row id": _l("row number"), "date": _l("date"),
                "duration": _l("duration"), "channel": _l("channel"), "title": _l("title"),
                "activity": _l("activity"),
                "type": _l("type"), "place": _l("place")}
SPECIAL_ANSWERS = {"don't know": _l("don't know"), "not applicable": _l("not applicable"),
                   "not answered": _l("not answered")}
FORMATS = {FORMAT_NAMES[TEMPLATE]: _l("evalapp template"), FORMAT_NAMES[WJX]: _l("问卷星 export"),
           FORMAT_NAMES[WJX_TEXT]: _l("问卷星 export by option text"),
           FORMAT_NAMES[WJX_NUMBER]: _l("问卷星 export by option number"),
           FORMAT_NAMES[TENCENT]: _l("腾讯问卷 export")}


def _format_name(name: str) -> str:
    return str(FORMATS.get(name, name))


def _unquoted(text: str) -> str:
    """A value the importer quoted as Python does (``'湖滨'``), for a sentence that quotes
    it itself."""
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text


def _inner(reason: str) -> str:
    """A reason quoted inside another (``item q1: must be …``), translated without its
    closing full stop."""
    return (translate(reason) or reason).rstrip("。.")

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
    Rule(R + r" records no activity: an activity for every row is for experience rounds",
         _l("Round %(round)s records no activity: an activity for every row can be given "
            "only in a participation experience round.")),
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
    Rule(r"unknown unit (?P<text>.+): (?:neither a unit code nor a unit's full name|no unit "
         r"has this code or name)",
         _l("Unknown unit %(text)s: neither a unit code nor a unit's full name."),
         {"text": _unquoted}),
    Rule(r"(?P<text>.+) names several units \((?P<codes>.+)\); give the unit(?:'s)? code",
         _l("%(text)s names several units (%(codes)s): give the unit's code."),
         {"text": _unquoted}),
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

def _activity_or_none(text: str) -> str:
    """An activity id, or "none" in the visitor's language."""
    return _("none") if text == "none" else text


# A row's activity in an experience round (surveys.importers.activities and .rows).
ACTIVITY_ROW_RULES = [
    Rule(r"unknown activity (?P<text>.+): no activity has this id",
         _l("Unknown activity %(text)s: no activity has this id."), {"text": _unquoted}),
    Rule(r"unknown activity (?P<text>.+): unit (?P<unit>\S+) lists no activity with this id "
         r"or title",
         _l("Unknown activity %(text)s: unit %(unit)s lists no activity with this id or "
            "title."), {"text": _unquoted}),
    Rule(r"(?P<text>.+) names several activities of unit (?P<unit>\S+) \(ids (?P<ids>.+)\); "
         r"give the activity id",
         _l("%(text)s names several activities of unit %(unit)s (ids %(ids)s): give the "
            "activity id."), {"text": _unquoted}),
    Rule(r"activity (?P<id>\d+) \((?P<title>.*)\) belongs to unit (?P<other>\S+), not to the "
         r"row's unit (?P<unit>\S+)",
         _l("Activity %(id)s (%(title)s) belongs to unit %(other)s, not to this row's unit "
            "%(unit)s.")),
    Rule(r"activity (?P<id>\d+) \((?P<title>.*)\) was held on (?P<day>\S+), outside the "
         r"round's window (?P<opens>\S+) – (?P<closes>\S+)",
         _l("Activity %(id)s (%(title)s) was held on %(day)s, outside the round's window "
            "%(opens)s to %(closes)s.")),
    Rule(r"the mapping translates (?P<text>.+) to activity (?P<code>.+), which does not exist",
         _l("The mapping translates %(text)s to activity %(code)s, which does not exist.")),
    Rule(r"option (?P<text>.+) of the activity question: give its activity id in the "
         r"mapping's activity values",
         _l("Option %(text)s of the activity question: give its activity id in the "
            "mapping's activity values (in the mapping file).")),
    Rule(r"this round records no activity \(only experience rounds do\): remove the activity "
         r"column, or the activity from the mapping",
         _l("This round records no activity (only experience rounds do): remove the activity "
            "column, or the activity from the mapping.")),
    Rule(r"the mapping reads the activity from question (?P<source>.+), which this file does "
         r"not have as one column",
         _l("The mapping reads the activity from the column %(source)s, which this file does "
            "not have as a single column.")),
    Rule(r"this row was imported before with activity (?P<old>\S+), but names activity "
         r"(?P<new>\S+): .+",
         _l("This row was imported before with activity %(old)s, but now names activity "
            "%(new)s: an imported response does not change. Exclude it and import the "
            "corrected row under a new row number."),
         {"old": _activity_or_none, "new": _activity_or_none}),
]

# The importers' reasons: a file's header and layout, one row, one cell, one answer.
LAYOUT_RULES = [
    Rule(r"cannot tell the format from the header row: .+",
         _l("Cannot tell the format from the header row: expected a 问卷星 export "
            "(序号, 提交答卷时间, N、题目), a 腾讯问卷 export (编号, 结束答题时间, N.题目) "
            "or our template (unit, ref, date, question ids).")),
    Rule(r"this file is a (?P<found>.+), the mapping is for a (?P<wanted>.+)",
         _l("This file is a %(found)s; the mapping is for a %(wanted)s."),
         {"found": _format_name, "wanted": _format_name}),
    Rule(r"required (?P<name>.+) column missing; accepted headers: (?P<headers>.+)",
         _l("The %(name)s column is missing; accepted headers: %(headers)s."),
         {"name": _table(COLUMN_NAMES)}),
    Rule(r"required column missing; accepted headers: (?P<headers>.+) \(not recognised "
         r"here: (?P<ignored>.+)\)",
         _l("A required column is missing; accepted headers: %(headers)s (not recognised "
            "here: %(ignored)s).")),
    Rule(r"required column missing; accepted headers: (?P<headers>.+)",
         _l("A required column is missing; accepted headers: %(headers)s.")),
    Rule(r"a second (?P<name>.+) column; (?P<column>.+) already gives it",
         _l("A second %(name)s column: %(column)s already gives it."),
         {"name": _table(COLUMN_NAMES)}),
    Rule(r"a second column for (?P<name>.+); (?P<column>.+) already gives it",
         _l("A second %(name)s column: %(column)s already gives it."),
         {"name": _table(COLUMN_NAMES)}),
    Rule(r"two columns have this question's header",
         _l("Two columns have this question's header.")),
    Rule(r"instrument (?P<instrument>\S+) has no item (?P<item>.+)",
         _l("The questionnaire %(instrument)s has no question %(item)s.")),
    Rule(r"the mapping feeds item (?P<item>\S+) from question (?P<source>.+), which this "
         r"file does not have",
         _l("The mapping feeds question %(item)s from the column %(source)s, which this file "
            "does not have.")),
    Rule(r"one column per option fits a multiple-choice item, not item (?P<item>\S+) "
         r"\((?P<type>\w+)\)",
         _l("One column per option fits only a multiple-choice question, not question "
            "%(item)s.")),
    Rule(r"the mapping reads the unit from question (?P<source>.+), which this file does not "
         r"have as one column",
         _l("The mapping reads the unit from the column %(source)s, which this file does not "
            "have as a single column.")),
    Rule(r"no column names the unit: map one in the mapping, or give the unit of every row "
         r"at import",
         _l("No column names the unit: map one, or give the unit of every row when "
            "uploading.")),
    Rule(r"cannot be read as CSV: (?P<error>.+)",
         _l("The file cannot be read as CSV (%(error)s).")),
    Rule(r"is neither a spreadsheet \(\.xlsx\) nor text in UTF-8 or GB18030 \(GBK\); .+",
         _l("This file is neither an Excel workbook (.xlsx) nor text in UTF-8 or GB18030 "
            "(GBK): save it from Excel or WPS as .xlsx or as “CSV UTF-8”.")),
    Rule(r"contains binary data: it is neither a CSV nor an XLSX file",
         _l("The file contains binary data: it is neither CSV nor XLSX.")),
    Rule(r"is a damaged zip/XLSX file \((?P<error>.+)\)",
         _l("This is a damaged zip or XLSX file (%(error)s).")),
    Rule(r"is a zip archive but not an Excel workbook \(\.xlsx\)",
         _l("This archive is not an Excel workbook (.xlsx).")),
    Rule(r"unpacks to more than (?P<size>\d+) MB; split it or save it as CSV",
         _l("The workbook unpacks to more than %(size)s MB: split it or save it as CSV.")),
    Rule(r"is not a readable Excel workbook \((?P<error>.+)\)",
         _l("This is not a readable Excel workbook (%(error)s).")),
    Rule(r"has no worksheet", _l("The workbook has no worksheet.")),
    Rule(r"has a damaged worksheet \((?P<error>.+)\)",
         _l("The worksheet is damaged (%(error)s).")),
    Rule(r"(?P<count>\d+) more problems after the first (?P<listed>\d+) listed",
         _l("%(count)s more problems after the first %(listed)s listed.")),
    Rule(r"(?P<count>\d+) more problems are not listed; fix these and import again",
         _l("%(count)s more problems are not listed: fix these and import again.")),
    Rule(r"the file changed while it was imported",
         _l("The file changed while it was being imported.")),
]

ROW_RULES = [
    Rule(r"row id longer than (?P<limit>\d+) characters",
         _l("The row number is longer than %(limit)s characters.")),
    Rule(r"the row's identity .+ is longer than (?P<limit>\d+) characters",
         _l("The row's identity (questionnaire, unit and row number) is longer than "
            "%(limit)s characters: shorten the row number.")),
    Rule(r"the mapping translates (?P<text>.+) to unit code (?P<code>.+), which does not "
         r"exist",
         _l("The mapping translates %(text)s to the unit code %(code)s, which does not "
            "exist.")),
    Rule(r"this row was imported before for unit (?P<old>\S+), but names unit (?P<new>\S+): "
         r".+",
         _l("This row was imported before for unit %(old)s, but now names unit %(new)s: is "
            "this another questionnaire with the same questions? Give it its own "
            "“questionnaire” identity in the mapping, or give the unit when uploading.")),
    Rule(r"submission .+?, item (?P<item>\S+): (?P<reason>.+)",
         _l("This response cannot be stored: question %(item)s: %(reason)s."),
         {"reason": _inner}),
    Rule(r"submission .+?: (?P<reason>.+)", _l("This response cannot be stored: %(reason)s."),
         {"reason": _inner}),
    Rule(ITEM + r": (?P<reason>.+) \(found (?P<found>[^()]+)\)",
         _l("Question %(item)s: %(reason)s (found %(found)s)."), {"reason": _inner}),
    Rule(ITEM + r": (?P<reason>.+)", _l("Question %(item)s: %(reason)s."), {"reason": _inner}),
]

CELL_RULES = [
    Rule(r"(?P<cell>.+): item (?P<item>\S+) does not allow don't know",
         _l("%(cell)s: question %(item)s does not allow “don't know”.")),
    Rule(r"(?P<cell>.+): item (?P<item>\S+) does not allow not applicable",
         _l("%(cell)s: question %(item)s does not allow “not applicable”.")),
    Rule(r"(?P<cell>.+) is neither a point of the 1–(?P<points>\d+) scale nor a label the "
         r"mapping knows",
         _l("%(cell)s is neither a point of the 1–%(points)s scale nor a label the mapping "
            "knows.")),
    Rule(r"(?P<cell>.+) is not a number from 0 to 10", _l("%(cell)s is not a number from 0 to "
                                                          "10.")),
    Rule(r"(?P<cell>.+) is not a number", _l("%(cell)s is not a number.")),
    Rule(r"(?P<cell>.+) is not 1 \(chosen\) or 0 \(not chosen\)",
         _l("%(cell)s is neither 1 (chosen) nor 0 (not chosen).")),
    Rule(r"(?P<flag>don't know|not applicable|not answered) cannot be chosen together with "
         r"other options",
         _l("“%(flag)s” cannot be chosen together with other options."),
         {"flag": _table(SPECIAL_ANSWERS)}),
    Rule(r"code (?P<code>.+) is not an answer of item (?P<item>\S+)",
         _l("The code %(code)s is not an answer to question %(item)s.")),
    Rule(r"unknown options (?P<options>.+)", _l("Unknown options: %(options)s.")),
    Rule(r"unknown option (?P<option>.+)", _l("Unknown option %(option)s.")),
]

ANSWER_RULES = [  # surveys.answers.validate_answer, inside ``item …: reason``
    Rule(r"a \w+ answer is a number, not text", _l("the answer must be a number, not text")),
    Rule(r"a \w+ answer is text, not a number", _l("the answer must be text, not a number")),
    Rule(r"an answer cannot be both not applicable and don't know",
         _l("an answer cannot be both “not applicable” and “don't know”")),
    Rule(r"not applicable is not allowed for this item",
         _l("this question does not allow “not applicable”")),
    Rule(r"don't know is not allowed for this item",
         _l("this question does not allow “don't know”")),
    Rule(r"an answer marked not applicable or don't know carries no value or text",
         _l("an answer marked “not applicable” or “don't know” has no value or text")),
    Rule(r"no answer given", _l("no answer given")),
    Rule(r"must be a finite number", _l("must be a number")),
    Rule(r"must be 1 \(yes\) or 0 \(no\)", _l("must be 1 (yes) or 0 (no)")),
    Rule(r"must be a whole number from (?P<low>-?\d+) to (?P<high>-?\d+)",
         _l("must be a whole number from %(low)s to %(high)s")),
    Rule(r"must be text", _l("must be text")),
    Rule(r"the text is empty", _l("the text is empty")),
    Rule(r"the text is longer than (?P<limit>\d+) characters",
         _l("the text is longer than %(limit)s characters")),
    Rule(r"no option selected", _l("no option selected")),
    Rule(r"options must be listed once each, in the item's option order",
         _l("each option must be listed once, in the question's option order")),
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
    Rule(r"activity column", _l("activity column")),
    Rule(r"no activity column", _l("no activity column: responses are stored without one")),
    Rule(r"values are activity titles", _l("its answers are activity titles")),
    Rule(r"header names an activity", _l("its header asks which activity")),
    Rule(r"no column names the activity",
         _l("no column names the activity: responses are stored without one")),
    Rule(r"not in this file", _l("not in this file")),
]

MAPPING_PARTS = {"the mapping": _l("the mapping"), "unit": _l("unit"),
                 "activity": _l("activity"), "fixed": _l("fixed answers")}
ENTRY = r"questions\[(?P<number>\d+)\]"
# Where in a mapping's JSON a problem is: a part, a question entry, one of their values.
PLACE = (r"(?P<place>the mapping|unit|activity|fixed|questions\[\d+\]"
         r"(?:, value .+?|, item \S+)?|fixed, item \S+|activity, value .+?)")

# Where a mapping gives an answer's code: what is wrong with the code follows.
CODE_PLACE = r"(?P<place>questions\[\d+\], value .+?|fixed, item \S+)"


def _place(where: str) -> str:
    """``questions[3], value '是'`` → "question entry 3, answer '是'" in the visitor's
    language."""
    head, _comma, detail = where.partition(", ")
    entry = re.fullmatch(ENTRY, head)
    name = (_("question entry %(number)s", number=entry["number"]) if entry
            else str(MAPPING_PARTS.get(head, head)))
    if detail.startswith("value "):
        return _("%(place)s, answer %(text)s", place=name, text=detail.removeprefix("value "))
    if detail.startswith("item "):
        return _("%(place)s, question %(item)s", place=name, item=detail.removeprefix("item "))
    return name


def _problem_lines(text: str) -> str:
    """A mapping's problems, one per line as `MappingError` lists them, each translated."""
    return explain_problems([line.strip() for line in text.splitlines() if line.strip()])


def _origin(text: str) -> str:
    """Where a checked mapping came from: a saved name, or an uploaded file's name."""
    saved = re.fullmatch(r"(?:saved )?mapping (?P<name>.+)", text)
    return _("Mapping %(name)s", name=saved["name"]) if saved else text


# surveys.importers.mapping: an uploaded or saved mapping that does not fit.
MAPPING_RULES = [
    Rule(r"(?P<origin>.+?): the mapping is not valid:\n(?P<problems>.+)",
         _l("%(origin)s does not fit the questionnaire: %(problems)s"),
         {"origin": _origin, "problems": _problem_lines}),
    Rule(r"(?P<file>.+): not a JSON mapping \((?P<error>.+)\)",
         _l("%(file)s is not a mapping in JSON (%(error)s).")),
    Rule(r"a mapping is a JSON object", _l("A mapping is a JSON object.")),
    Rule(PLACE + r": unknown field (?P<fields>.+) \(allowed: (?P<allowed>.+)\)",
         _l("%(place)s: unknown field %(fields)s (allowed: %(allowed)s)."), {"place": _place}),
    Rule(r"version must be (?P<version>\d+)", _l("The version must be %(version)s.")),
    Rule(r"(?P<key>format|channel) must be one of (?P<choices>.+)",
         _l("%(key)s must be one of %(choices)s.")),
    Rule(r"instrument: the mapping is for (?P<given>.+), not (?P<expected>.+)",
         _l("The mapping is for the questionnaire %(given)s, not %(expected)s.")),
    Rule(r"questionnaire: 1–16 letters, digits, '-' or '_'",
         _l("questionnaire: 1 to 16 letters, digits, “-” or “_”.")),
    Rule(PLACE + r": values must map texts to texts",
         _l("%(place)s: the values must map texts to texts."), {"place": _place}),
    Rule(PLACE + r": (?P<text>.+) and (?P<other>.+) are the same text once spaces and "
         r"punctuation are ignored, but have different codes",
         _l("%(place)s: %(text)s and %(other)s are the same text apart from spaces and "
            "punctuation, but have different codes."), {"place": _place}),
    Rule(r"(?P<place>unit|activity): an object \{source, values\}",
         _l("%(place)s: an object {source, values}."), {"place": _place}),
    Rule(r"(?P<place>unit|activity): source must be a question or null",
         _l("%(place)s: the source must be a question of the file, or null."),
         {"place": _place}),
    Rule(r"activity, value (?P<text>.+): (?P<code>.+) is not an activity id \(a whole "
         r"number from the activity list\)",
         _l("Activity answer %(text)s: %(code)s is not an activity id (a whole number from "
            "the activity list).")),
    Rule(r"activity: question (?P<source>.+) already names the unit",
         _l("Activity: question %(source)s already names the unit.")),
    Rule(r"activity: question (?P<source>.+) also feeds item (?P<item>\S+)",
         _l("Activity: question %(source)s also answers question %(item)s.")),
    Rule(r"questions: a list of \{source, item, values\}",
         _l("questions: a list of {source, item, values}.")),
    Rule(ENTRY + r": source (?P<source>.+) appears twice",
         _l("Question entry %(number)s: the question %(source)s appears twice.")),
    Rule(ENTRY + r": item (?P<item>\S+) is already fed by (?P<source>.+)",
         _l("Question entry %(number)s: question %(item)s is already answered by "
            "%(source)s.")),
    Rule(PLACE + r": an object \{source, item, values\}",
         _l("%(place)s: an object {source, item, values}."), {"place": _place}),
    Rule(PLACE + r": source must name a question of the export",
         _l("%(place)s: the source must name a question of the file."), {"place": _place}),
    Rule(PLACE + r": instrument (?P<instrument>\S+) has no item (?P<item>.+)",
         _l("%(place)s: the questionnaire %(instrument)s has no question %(item)s."),
         {"place": _place}),
    Rule(PLACE + r": a text item takes only (?P<codes>.+)",
         _l("%(place)s: a text question takes only %(codes)s."), {"place": _place}),
    Rule(r"fixed: an object mapping item ids to codes",
         _l("Fixed answers: an object mapping question ids to codes.")),
    Rule(r"fixed: item (?P<item>\S+) is also fed by a question",
         _l("Fixed answers: question %(item)s is also answered by a question of the file.")),
    Rule(CODE_PLACE + r": code (?P<code>.+?): (?P<reason>.+) \(found (?P<found>[^()]+)\)",
         _l("%(place)s: code %(code)s: %(reason)s (found %(found)s)."),
         {"place": _place, "reason": _inner}),
    Rule(CODE_PLACE + r": code (?P<code>.+?): (?P<reason>.+)",
         _l("%(place)s: code %(code)s: %(reason)s."), {"place": _place, "reason": _inner}),
    Rule(CODE_PLACE + r": (?P<reason>.+)", _l("%(place)s: %(reason)s."),
         {"place": _place, "reason": _inner}),
]

RULES = (*ROUND_RULES, *SCOPE_RULES, *ASSIGNMENT_RULES, *ACTIVITY_RULES, *SUGGESTION_RULES,
         *EXCLUSION_RULES, *IMPORT_RULES, *ACTIVITY_ROW_RULES, *LAYOUT_RULES, *ROW_RULES,
         *CELL_RULES, *ANSWER_RULES, *REVIEW_RULES, *MAPPING_RULES)


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


def explain_problems(problems: list[str]) -> str:
    """Problems translated and run together as sentences (a Chinese sentence needs no space
    after its full stop)."""
    sentences = [translate(problem) or f"{problem}." for problem in problems]
    return "".join(s if s.endswith("。") else f"{s} " for s in sentences).strip()
