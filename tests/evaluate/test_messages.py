"""The operations' refusals reach the pages translated, not as English fallbacks."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from evalapp import create_app
from evalapp.evaluate.messages import RULES, explain, explain_problem, translate
from evalapp.imports.mappings import read_mapping_file
from evalapp.imports.outcome import ImportFailed
from evalapp.imports.tabular import read_rows
from evalapp.models import Instrument, Unit, User
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from evalapp.rounds import scope
from surveys.answers import validate_answer
from surveys.importers import (
    ActivityIndex,
    ActivityRef,
    MappingError,
    ResponseMapping,
    UnitRef,
    UnknownActivity,
)
from surveys.importers.rows import NO_ACTIVITY
from surveys.importers.table import TEMPLATE, WJX_NUMBER, SourceColumn
from surveys.importers.values import (
    DONT_KNOW,
    CellError,
    answer_for_code,
    read_cell,
    read_option_columns,
    table_of,
)
from tests.surveys.importers.samples import youth_instrument

from .helpers import build_city, make_round


def _sample(pattern: str) -> dict[str, str]:
    return {name: "1" for name in re.findall(r"\?P<(\w+)>", pattern)}


def test_every_rule_formats_in_both_languages(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "TESTING": True,
                      "SECRET_KEY": "k", "RATER_SECRET": "r"})
    for language in ("zh_CN", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            for rule in RULES:
                assert str(rule.message) % _sample(rule.pattern)


def _refusal(action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(OperationError) as caught:
        action()
    return str(caught.value)


def test_real_refusals_are_recognised(app: Flask, session: Session) -> None:
    city = build_city(session, observers=2)
    draft = make_round(session, city, homes=2, exclude_same_county=True)
    opened = make_round(session, city, "open", name="进行中批次")
    unit, observer = session.get(Unit, city.homes[0]), session.get(User, city.observers[0])
    neighbour = session.get(Unit, city.homes[1])
    messages = [
        _refusal(lambda: rounds.close_round(session, draft)),
        _refusal(lambda: rounds.assign_observer(session, draft, unit, observer)),
        _refusal(lambda: rounds.assign_observer(session, draft, neighbour, observer)),
        _refusal(lambda: rounds.correct_publication(session, opened, "x")),
        _refusal(lambda: scope.sample_scope(session, opened, size=1)),
        _refusal(lambda: scope.sample_scope(session, draft, size=99, seed=1)),
        _refusal(lambda: rounds.update_round(session, opened, name=" ",
                                             closes_on=opened.opens_on.replace(year=2000))),
    ]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        for message in messages:
            shown = explain(message)
            assert not shown.startswith("未能执行"), message
            assert re.search(r"[\u4e00-\u9fff]", shown), message
        assert explain("something new").startswith("未能执行：something new")
        assert explain_problem("missing unit") == "缺少单位。"
        assert explain_problem("an unknown reason") == "an unknown reason"


def _cell_error(read) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CellError) as caught:
        read()
    return caught.value.reason


def _answer_reasons() -> list[str]:
    """What `validate_answer` says of each kind of illegal answer."""
    items = {item.id: item for item in youth_instrument().items}
    cases = [("times", 1.0, None, {}), ("overall", None, "x", {}), ("times", None, 5, {}),
             ("quality", None, None, {"na": True, "dont_know": True}),
             ("know_services", None, None, {"na": True}),
             ("overall", None, None, {"dont_know": True}),
             ("quality", 3.0, None, {"na": True}), ("overall", None, None, {}),
             ("overall", math.inf, None, {}), ("know_site", 2.0, None, {}),
             ("overall", 11.0, None, {}), ("suggestion", None, " ", {}),
             ("times", None, "zzz", {}), ("kinds", None, "", {}),
             ("kinds", None, "sports,volunteering", {})]
    reasons = [validate_answer(items[item], value, text, **flags)
               for item, value, text, flags in cases]
    assert all(reasons), reasons
    return [reason for reason in reasons if reason]


def _cell_reasons() -> list[str]:
    """What the importers say of cells they cannot read."""
    items = {item.id: item for item in youth_instrument().items}
    column = SourceColumn(0, "5、您参加过哪些活动？")
    flags = table_of({"dk": DONT_KNOW, "sports": "sports", "zz": "zz"})
    reads = [lambda: read_cell(items["know_services"], {}, "abc", TEMPLATE),
             lambda: read_cell(items["overall"], {}, "abc", TEMPLATE),
             lambda: read_cell(items["friends"], {}, "abc", TEMPLATE),
             lambda: read_cell(items["times"], {}, "abc", TEMPLATE),
             lambda: read_cell(items["overall"], {}, "不知道", TEMPLATE),
             lambda: read_cell(items["overall"], {}, "不适用", TEMPLATE),
             lambda: read_cell(items["kinds"], flags, "dk,sports", TEMPLATE),
             lambda: read_cell(items["kinds"], flags, "zz,sports", TEMPLATE),
             lambda: answer_for_code(items["times"], "zzz"),
             lambda: read_option_columns(items["kinds"], {}, [column], ["志愿服务"], ["3"],
                                         WJX_NUMBER),
             lambda: read_option_columns(items["kinds"], {}, [column], ["志愿服务"], ["1"],
                                         WJX_NUMBER)]
    return [_cell_error(read) for read in reads]


def _file_reasons(folder: Path) -> list[str]:
    """What the file reader says of files that are no table."""
    bodies = {"binary.csv": b"a,b\n\x00\x01", "damaged.xlsx": b"PK\x03\x04 not really a zip"}
    other = folder / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    paths = [other]
    for name, body in bodies.items():
        (folder / name).write_bytes(body)
        paths.append(folder / name)
    reasons = []
    for path in paths:
        with pytest.raises(ImportFailed) as caught:
            list(read_rows(path))
        reasons.extend(problem.reason for problem in caught.value.problems)
    return reasons


def test_the_importers_reasons_are_shown_in_chinese(tmp_path: Path) -> None:
    """Each reason a refused import can list, from the importers themselves, alone and
    inside ``item …:`` as a row's check quotes the answer's."""
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "TESTING": True,
                      "SECRET_KEY": "k", "RATER_SECRET": "r"})
    answers = _answer_reasons()
    reasons = [*answers, *_cell_reasons(), *_file_reasons(tmp_path),
               *(f"item q1: {reason}" for reason in answers),
               "item q1 (no column in this file): must be a whole number from 1 to 5 (found 7)"]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        for reason in reasons:
            shown = explain_problem(reason)
            assert shown != reason and re.search(r"[\u4e00-\u9fff]", shown), reason
        assert explain_problem("item q1: must be a whole number from 1 to 5 (found 7)") == \
            "题目 q1：必须是 1 至 5 之间的整数（读到的值：7）。"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert explain_problem("item q1: no answer given") == "Question q1: no answer given."


def _activity_reasons() -> list[str]:
    """What the importers say of a row's activity in an experience round."""
    window = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    index = ActivityIndex([ActivityRef(7, 1, "QN01", dt.date(2026, 11, 5), "读书会 (第2期)"),
                           ActivityRef(8, 1, "QN01", dt.date(2026, 11, 6), "读书会 (第2期)"),
                           ActivityRef(9, 2, "QN02", dt.date(2026, 10, 6), "篮球赛")], window)
    unit = UnitRef(1, "QN01", "滨江青年之家")
    reasons = []
    for text, owner in (("7", UnitRef(2, "QN02", "城南")), ("99", unit), ("篮球", unit),
                        ("读书会 (第2期)", unit), ("9", UnitRef(2, "QN02", "城南"))):
        with pytest.raises(UnknownActivity) as caught:
            index.resolve(text, owner)
        reasons.append(str(caught.value))
    return [*reasons, NO_ACTIVITY,
            "the mapping translates '读书会' to activity '99', which does not exist",
            "option '2' of the activity question: give its activity id in the mapping's "
            "activity values",
            "the mapping reads the activity from question '2、参加的活动', which this file "
            "does not have as one column",
            "this row was imported before with activity none, but names activity 7: an "
            "imported response does not change; exclude it and import the corrected row "
            "under a new row id",
            "a second activity column; activity (F) already gives it",
            "activity column", "no activity column", "values are activity titles",
            "header names an activity", "no column names the activity"]


def test_the_activity_reasons_are_shown_in_chinese(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "TESTING": True,
                      "SECRET_KEY": "k", "RATER_SECRET": "r"})
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        for reason in _activity_reasons():
            shown = explain_problem(reason)
            assert shown != reason and re.search(r"[\u4e00-\u9fff]", shown), reason
        assert explain_problem(_activity_reasons()[0]) == \
            "活动 7（读书会 (第2期)）属于单位 QN01，不属于本行的单位 QN02。"
        assert "此行此前导入时的活动为 无，现在写的是 7" in explain_problem(
            _activity_reasons()[9])


def _mapping_problems() -> list[str]:
    """What `ResponseMapping.from_json` finds in a badly edited mapping, and the refusals
    that quote it."""
    broken: list[object] = [
        [],
        {"version": 9, "format": "csv", "instrument": "other", "questionnaire": "问卷!",
         "channel": "fax", "extra": 1, "unit": "Q1", "activity": ["Q2"], "questions": {},
         "fixed": []},
        {"instrument": "youth_check", "questionnaire": "wjx-1", "format": "wjx-text",
         "unit": {"source": "", "values": {"滨江": "QN01", "滨江 ": "QN02"}, "where": 1},
         "activity": {"source": "1、单位", "values": {"读书会": "abc"}},
         "questions": [
             {"source": "1、单位", "item": "know_site", "values": {"知道": "yes"}, "x": 1},
             {"source": "1、单位", "item": "times"}, 5, {"source": ""},
             {"source": "3、次数", "item": "know_site"}, {"source": "4、建议",
                                                        "item": "suggestion",
                                                        "values": {"好": "good"}},
             {"source": "5、评分", "item": "overall", "values": {"十一": "11", "x": "-na-"}},
             {"source": "6、其他", "item": "nope"}, {"source": "7、值", "item": "staff",
                                                    "values": 3}],
         "fixed": {"know_site": "yes", "quality": "9", "nope": "1"}},
    ]
    problems: list[str] = []
    for data in broken:
        with pytest.raises(MappingError) as caught:
            ResponseMapping.from_json(data, youth_instrument())
        problems.extend(caught.value.problems)
    return problems


def test_the_mapping_problems_are_shown_in_chinese(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "TESTING": True,
                      "SECRET_KEY": "k", "RATER_SECRET": "r"})
    problems = _mapping_problems()
    assert len(problems) >= 25
    uploaded = tmp_path / "edited.json"
    uploaded.write_text('{"version": 1,', encoding="utf-8")
    with pytest.raises(OperationError) as unreadable:
        read_mapping_file(uploaded, Instrument(key="youth_check", version=1))
    refusals = [str(OperationError("edited.json: " + str(MappingError(problems[:3])))),
                str(OperationError("mapping '问卷星': " + str(MappingError(problems[3:5])))),
                str(unreadable.value)]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        for problem in problems:
            shown = translate(problem)
            assert shown and re.search(r"[\u4e00-\u9fff]", shown), problem
        for refusal in refusals:
            shown = explain(refusal)
            assert not shown.startswith("未能执行"), refusal  # the untranslated fallback
            assert re.search(r"[\u4e00-\u9fff]", shown), refusal
        assert translate("questions[2], value '十一': code '11': must be a whole number "
                         "from 0 to 10 (found 11)") == \
            "第 2 个题目映射，答案 '十一'：代码 '11'：必须是 0 至 10 之间的整数（读到的值：11）。"
