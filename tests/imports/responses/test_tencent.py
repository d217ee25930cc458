"""腾讯问卷 exports: option letters, one column per option, a mapping confirmed, refused,
edited and reused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from tests.imports.helpers import write_xlsx
from tests.surveys.importers.samples import AGREE5, tencent_rows

from .conftest import Youth, answers, by_row_id, counts, invoke, stored


def test_tencent_xlsx_with_a_mapping_confirmed_then_corrected(
        runner: FlaskCliRunner, session: Session, youth: Youth, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "腾讯问卷.xlsx", {"答卷数据": tencent_rows(3)})
    first = invoke(runner, "responses", "--round", youth.id, path)
    assert first.exit_code == 1
    assert "[check] 6.活动质量令人满意。 (X) → quality (same text)" in first.output
    assert "values it cannot read: 'D.同意', 'C.一般'" in first.output
    assert "[ok]    5.您参加过哪些活动？（可多选） (T–W) → kinds" in first.output

    # Confirming the mapping as inferred saves it, but its rows are refused: nothing stored.
    confirmed = invoke(runner, "responses", "--round", youth.id, path, "--save-mapping", "腾讯")
    assert confirmed.exit_code == 1
    assert "mapping '腾讯' saved" in confirmed.output
    assert ("腾讯问卷.xlsx, row 2, column 6.活动质量令人满意。 (X): 'D.同意' is neither a point "
            "of the 1–5 scale nor a label the mapping knows") in confirmed.output
    assert counts(session)["response"] == 0

    shown = invoke(runner, "mapping", "show", "腾讯", "--round", youth.id)
    data = json.loads(shown.output)
    for question in data["questions"]:
        if question["item"] in ("quality", "staff"):
            question["values"] = dict(AGREE5)
    edited = tmp_path / "腾讯.json"
    edited.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = invoke(runner, "responses", "--round", youth.id, path, "--mapping-file", edited,
                    "--save-mapping", "腾讯")
    assert result.exit_code == 0, result.output
    assert "3 responses — 3 imported, 0 already imported" in result.output
    assert "dropped identifying column (not read, not stored): 昵称 (K)" in result.output
    assert "ignored column: 开始答题时间 (B)" in result.output

    responses = stored(session)
    first_row = by_row_id(responses, "1")
    assert first_row.submission_key.startswith("tencent:")
    assert (first_row.submitted_on, first_row.duration_s) == (dt.date(2026, 11, 6), 139)
    assert answers(first_row) == {
        "know_site": (1.0, None, False, False), "know_services": (5.0, None, False, False),
        "times": (None, "once", False, False), "kinds": (None, "volunteering,sports", False, False),
        "quality": (4.0, None, False, False), "staff": (5.0, None, False, False),
        "overall": (9.0, None, False, False), "friends": (2.0, None, False, False),
        "suggestion": (None, "多开展就业指导", False, False)}
    second = answers(by_row_id(responses, "2"))
    assert second["know_site"] == (None, None, False, True)
    assert second["quality"] == (None, None, True, False)
    assert answers(by_row_id(responses, "3"))["times"] == (None, "few", False, False)
    assert counts(session)["import_mapping"] == 1

    listed = invoke(runner, "mapping", "list")
    assert "腾讯\ttencent\tyouth_check v1\t" in listed.output
