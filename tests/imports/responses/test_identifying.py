"""Identifying columns (IP, user agent, user id, nickname, location, referrer, source
details) are dropped unread: their values reach no table, no file byte, no message, no log."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from evalapp import database
from evalapp.models import Base
from tests.imports.helpers import write_csv, write_xlsx
from tests.surveys.importers.samples import (
    AGREE5,
    IDENTIFYING_VALUES,
    tencent_rows,
    wjx_text_rows,
)

from .conftest import Youth, counts, invoke


def leaks(text: str) -> list[str]:
    return [value for value in IDENTIFYING_VALUES if value in text]


def test_identifying_values_are_never_stored_shown_or_logged(
        app: Flask, runner: FlaskCliRunner, session: Session, youth: Youth, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    outputs = []
    wjx = write_csv(tmp_path / "wjx.csv", wjx_text_rows(4), encoding="utf-8-sig")
    outputs.append(invoke(runner, "responses", "--round", youth.id, wjx,
                          "--save-mapping", "问卷星"))
    tencent = write_xlsx(tmp_path / "tencent.xlsx", {"Sheet1": tencent_rows(3)})
    mapping_file = tmp_path / "tencent.json"
    outputs.append(invoke(runner, "mapping", "infer", "--round", youth.id, tencent,
                          "--out", mapping_file))
    data = json.loads(mapping_file.read_text(encoding="utf-8"))
    for question in data["questions"]:
        if question["item"] in ("quality", "staff"):
            question["values"] = AGREE5
    mapping_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    outputs.append(invoke(runner, "responses", "--round", youth.id, tencent,
                          "--mapping-file", mapping_file, "--save-mapping", "腾讯"))
    bad = tencent_rows(2)
    bad[1][2] = "不是日期"
    refused = invoke(runner, "responses", "--round", youth.id,
                     write_xlsx(tmp_path / "bad.xlsx", {"Sheet1": bad}), "--mapping", "腾讯")
    assert refused.exit_code == 1 and "不是日期" in refused.output
    outputs.append(refused)
    assert [result.exit_code for result in outputs] == [0, 0, 0, 1]
    assert counts(session)["response"] == 7 and counts(session)["import_mapping"] == 2

    for result in outputs:
        assert leaks(result.output) == []
    assert leaks("\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)) == []
    for table in Base.metadata.sorted_tables:
        rows = session.execute(select(table)).all()
        assert leaks(repr(rows)) == [], table.name
    url = make_url(str(database.engine_of(app).url))
    if url.get_backend_name() == "sqlite":
        session.close()
        database.engine_of(app).dispose()
        files = sorted(Path(url.database or "").parent.glob("evalapp.db*"))
        content = b"".join(path.read_bytes() for path in files)
        assert content
        assert [v for v in IDENTIFYING_VALUES if v.encode("utf-8") in content] == []
