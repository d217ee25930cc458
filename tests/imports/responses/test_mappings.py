"""Saving confirmed mappings with their instrument, reusing and exchanging them as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import surveys
from evalapp.imports.mappings import (
    load_mapping,
    mapping_json,
    mapping_rows,
    read_mapping_file,
    save_mapping,
)
from evalapp.imports.responses import import_responses, inspect_responses
from evalapp.instruments.operations import store_instrument
from evalapp.models import CHANNELS, AuditEvent
from evalapp.operations import OperationError
from surveys.importers import CHANNELS as IMPORT_CHANNELS
from tests.imports.helpers import write_csv
from tests.surveys.importers.samples import YOUTH_YAML, wjx_text_rows, youth_instrument

from .conftest import Youth, counts, stored


def test_save_update_load_and_reuse(session: Session, youth: Youth, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wjx.csv", wjx_text_rows(2))
    inspection = inspect_responses(session, youth.round, path)
    assert not inspection.needs_confirmation
    mapping = inspection.review.mapping
    row = save_mapping(session, " 青年之家  问卷星 ", youth.round.instrument, mapping)
    assert (row.name, row.source, row.instrument_id) == (
        "青年之家 问卷星", "wjx-text", youth.round.instrument.id)
    assert load_mapping(session, "青年之家 问卷星", youth.round.instrument) == mapping

    online = mapping.to_json() | {"channel": "online"}
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(online, ensure_ascii=False), encoding="utf-8")
    changed = read_mapping_file(edited, youth.round.instrument)
    again = save_mapping(session, "青年之家 问卷星", youth.round.instrument, changed)
    assert again.id == row.id and again.mapping["channel"] == "online"
    assert [e.action for e in session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "import_mapping"))] == ["save",
                                                                                  "update"]
    reused = load_mapping(session, "青年之家 问卷星", youth.round.instrument)
    summary = import_responses(session, youth.round, path, reused, mapping_name="青年之家 问卷星")
    session.commit()
    assert summary.imported == 2
    assert {response.channel for response in stored(session).values()} == {"online"}
    assert counts(session)["import_mapping"] == 1
    assert json.loads(mapping_json(reused)) == reused.to_json()


def test_mapping_problems_are_named(session: Session, youth: Youth, tmp_path: Path) -> None:
    with pytest.raises(OperationError, match="no mapping 'nope' for instrument youth_check v1"):
        load_mapping(session, "nope", youth.round.instrument)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(OperationError, match=r"broken\.json: not a JSON mapping"):
        read_mapping_file(broken, youth.round.instrument)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({
        "format": "wjx-text", "instrument": "youth_check", "questionnaire": "abc",
        "unit": {"source": "1、单位"}, "colour": "red",
        "questions": [{"source": "2、题", "item": "no_such", "values": {}},
                      {"source": "3、题", "item": "times", "values": {"很多": "lots"}},
                      {"source": "4、题", "item": "quality", "values": {"不知道": "@dont_know"}}],
        "fixed": {"overall": "11"}}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(OperationError) as failure:
        read_mapping_file(wrong, youth.round.instrument)
    message = str(failure.value)
    for part in ("unknown field colour", "questions[1]: instrument youth_check has no item "
                 "'no_such'", "questions[2], value '很多': code 'lots' is not an answer of item "
                 "times", "questions[3], value '不知道': code '@dont_know': don't know is not "
                 "allowed for this item", "fixed, item overall: code '11': must be a whole "
                 "number from 0 to 10"):
        assert part in message


def test_a_mapping_belongs_to_an_instrument_version(session: Session, youth: Youth,
                                                    tmp_path: Path) -> None:
    mapping = inspect_responses(session, youth.round,
                                write_csv(tmp_path / "a.csv", wjx_text_rows(1))).review.mapping
    save_mapping(session, "一版", youth.round.instrument, mapping)
    newer, _ = store_instrument(session, youth_instrument(), YOUTH_YAML + "\n# v2\n")
    assert newer.id == youth.round.instrument.id  # same content: the same version
    changed = YOUTH_YAML.replace("您有什么意见和建议？", "您还有什么建议？")
    other, created = store_instrument(session, surveys.parse_instrument(changed, "v2.yaml"),
                                      changed)
    assert created
    with pytest.raises(OperationError, match="it exists for other instrument versions"):
        load_mapping(session, "一版", other)
    assert len(mapping_rows(session, "一版")) == 1


def test_import_channels_are_the_models_channels() -> None:
    assert IMPORT_CHANNELS == CHANNELS
