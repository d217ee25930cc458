"""Suggestions: filter, follow up with a note, export to XLSX (audited, by POST)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Suggestion

from .helpers import (
    GOOD_ROWS,
    audit_actions,
    fresh,
    import_rows,
    make_youth,
    post,
    signed_in,
    text,
)


def _rows() -> list[list[str]]:
    second = [*GOOD_ROWS[0][:1], "005", *GOOD_ROWS[0][2:-1], "=HYPERLINK(\"x\")开放时间太短"]
    third = ["QN02", "006", *GOOD_ROWS[0][2:-1], "希望增加心理辅导"]
    return [GOOD_ROWS[0], second, third]


def test_filter_follow_up_and_export(client: FlaskClient, session: Session,
                                     tmp_path: Path) -> None:
    youth = make_youth(session)
    import_rows(session, youth.round_id, _rows(), tmp_path)
    ids = {s.text: s.id for s in session.scalars(select(Suggestion))}
    signed_in(client, youth.evaluator)
    page = text(client.get("/evaluate/suggestions"))
    assert "共 3 条意见建议" in page and "希望多办周末活动" in page
    assert "您有什么意见和建议？" in page  # the question the suggestion answers
    only = text(client.get("/evaluate/suggestions?unit=QN02&status=new"))
    assert "共 1 条意见建议" in only and "希望增加心理辅导" in only
    path = f"/evaluate/suggestions/{ids['希望增加心理辅导']}/status"
    no_note = post(client, path, {"status": "forwarded", "note": " "},
                   page="/evaluate/suggestions")
    assert no_note.status_code == 400
    done = post(client, path, {"status": "forwarded", "note": "已转交城南团工委",
                               "keep_unit": "QN02"}, page="/evaluate/suggestions")
    assert done.status_code == 303 and "unit=QN02" in done.headers["Location"]
    assert fresh(session).get(Suggestion, ids["希望增加心理辅导"]).status == "forwarded"
    backwards = post(client, path, {"status": "new", "note": "撤回"},
                     page="/evaluate/suggestions")
    assert backwards.status_code == 400  # not a choice from forwarded
    listed = text(client.get("/evaluate/suggestions?status=forwarded"))
    assert "已转交城南团工委" in listed and "已转交" in listed
    assert client.get("/evaluate/suggestions/export").status_code == 405
    exported = post(client, f"/evaluate/suggestions/export?round={youth.round_id}",
                    page="/evaluate/suggestions")
    assert exported.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(exported.get_data()))
    cells = [row for row in workbook.active.iter_rows(values_only=True)]
    assert len(cells) == 4 and cells[0][7] == "意见建议"
    assert any(str(row[7]).startswith("'=HYPERLINK") for row in cells[1:])
    assert audit_actions(session, "suggestion") == ["status", "export"]
