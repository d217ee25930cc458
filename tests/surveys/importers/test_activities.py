"""Activities in mappings and the activity index, without a database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from surveys.importers import (
    ActivityIndex,
    ActivityMap,
    ActivityRef,
    MappingError,
    ResponseMapping,
    UnitMap,
    UnitRef,
)
from surveys.importers.activities import UnknownActivity, activity_id

from .samples import youth_instrument

QN01, QN02 = UnitRef(1, "QN01", "滨江青年之家"), UnitRef(2, "QN02", "城南青年之家")
WINDOW = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
INDEX = ActivityIndex([ActivityRef(7, 1, "QN01", dt.date(2026, 11, 5), "青年读书会"),
                       ActivityRef(8, 2, "QN02", dt.date(2026, 11, 6), "青年 读书会")], WINDOW)


def _data(**changes: Any) -> dict[str, Any]:
    data = {"version": 1, "format": "wjx-text", "instrument": "youth_check",
            "questionnaire": "abc", "unit": {"source": "1、单位", "values": {}},
            "questions": [{"source": "3、您知道附近的青年之家吗？", "item": "know_site",
                           "values": {"知道": "yes"}}]}
    return data | changes


def test_a_mapping_without_an_activity_reads_and_writes_as_before() -> None:
    mapping = ResponseMapping.from_json(_data(), youth_instrument())
    assert mapping.activity is None and "activity" not in mapping.to_json()


def test_the_activity_round_trips_through_json() -> None:
    data = _data(activity={"source": "2、参加的活动", "values": {"1": "17", "读书会": "8"}})
    mapping = ResponseMapping.from_json(data, youth_instrument())
    assert mapping.activity == ActivityMap("2、参加的活动", {"1": "17", "读书会": "8"})
    assert ResponseMapping.from_json(mapping.to_json(), youth_instrument()) == mapping
    assert ResponseMapping(format="template", instrument="youth_check", questionnaire="x",
                           unit=UnitMap(None), questions=(),
                           activity=ActivityMap(None)).to_json()["activity"] == {
        "source": None, "values": {}}


def test_activity_problems_are_listed() -> None:
    data = _data(activity={"source": "1、单位", "values": {"1": "abc", "2": "0"}, "x": 1})
    with pytest.raises(MappingError) as caught:
        ResponseMapping.from_json(data, youth_instrument())
    assert caught.value.problems == [
        "activity: unknown field x (allowed: source, values)",
        "activity, value '1': 'abc' is not an activity id (a whole number from the activity "
        "list)",
        "activity, value '2': '0' is not an activity id (a whole number from the activity "
        "list)",
        "activity: question '1、单位' already names the unit"]
    feeding = _data(activity={"source": "3、您知道附近的青年之家吗？"})
    with pytest.raises(MappingError) as caught:
        ResponseMapping.from_json(feeding, youth_instrument())
    assert caught.value.problems == [
        "activity: question '3、您知道附近的青年之家吗？' also feeds item know_site"]


def test_ids_are_read_as_written_in_spreadsheets() -> None:
    assert [activity_id(text) for text in ("17", " #17 ", "１７", "17.5", "十七", "")] == [
        17, 17, 17, None, None, None]


def test_the_index_resolves_by_id_or_by_the_units_own_title() -> None:
    assert INDEX.resolve("7", QN01).id == 7
    assert INDEX.resolve("青年读书会", QN02).id == 8  # spaces ignored; QN02's own
    with pytest.raises(UnknownActivity, match="belongs to unit QN02, not to the row's unit"):
        INDEX.resolve("8", QN01)
    with pytest.raises(UnknownActivity, match="unit QN02 lists no activity"):
        INDEX.resolve("篮球赛", QN02)
