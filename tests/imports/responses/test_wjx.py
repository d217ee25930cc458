"""问卷星 exports by option text and by option number, through the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from evalapp.imports.responses import import_responses
from tests.imports.helpers import write_csv, write_xlsx
from tests.surveys.importers.samples import (
    WJX_TEXT_ANSWERS,
    wjx_meta,
    wjx_number_rows,
    wjx_text_rows,
)

from .conftest import Youth, answers, by_row_id, counts, invoke, stored


def test_by_text_gb18030_csv_imports_when_every_question_maps(
        runner: FlaskCliRunner, session: Session, youth: Youth, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "问卷星导出.csv", wjx_text_rows(4), encoding="gb18030")
    result = invoke(runner, "responses", "--round", youth.id, path)
    assert result.exit_code == 0, result.output
    assert "问卷星导出.csv: 4 responses — 4 imported, 0 already imported" in result.output
    assert "dropped identifying column (not read, not stored): 来自IP (F)" in result.output
    assert "dropped identifying column (not read, not stored): 来源详情 (E)" in result.output
    responses = stored(session)
    first = by_row_id(responses, "1")
    assert first.submission_key.startswith("wjx:")
    assert (first.unit.code, first.channel, first.submitted_on, first.duration_s) == (
        "QN01", "import", dt.date(2026, 11, 5), 136)
    assert answers(first) == {
        "know_site": (1.0, None, False, False), "know_services": (5.0, None, False, False),
        "times": (None, "once", False, False), "kinds": (None, "volunteering,sports", False, False),
        "quality": (4.0, None, False, False), "staff": (5.0, None, False, False),
        "overall": (8.0, None, False, False), "friends": (2.0, None, False, False),
        "suggestion": (None, "希望多组织周末活动", False, False)}
    second = answers(by_row_id(responses, "2"))
    assert second["know_site"] == (None, None, False, True)  # 不清楚: don't know
    assert second["quality"] == second["staff"] == (None, None, True, False)  # 不适用
    assert "kinds" not in second and "know_services" not in second  # (跳过)
    third = by_row_id(responses, "3")
    assert third.unit.code == "QN03"  # ＱＮ０３: full-width code
    assert answers(third)["kinds"] == (None, "learning,other", False, False)  # 〖…〗 dropped
    assert by_row_id(responses, "4").unit.code == "QN01"  # a zero-width space in the code
    assert counts(session)["suggestion"] == 2


def test_by_text_xlsx_in_the_2016_layout(session: Session, youth: Youth, tmp_path: Path) -> None:
    """来自IP before 来源, a suffixed multiple choice, a matrix headed 题干(矩阵单选题 *必答)—行标签
    then the bare row label, and a real date-time cell."""
    header = ["序号", "提交答卷时间", "所用时间", "来自IP", "来源", "来源详情",
              "1、您所在的青年之家(填空题 *必答)", "2、您知道附近的青年之家吗？(单选题 *必答)",
              "3、您对青年之家提供的服务了解多少？", "4、过去三个月，您参加过几次活动？",
              "5、您参加过哪些活动？（可多选）(多选题 *必答)",
              "6、请评价以下方面(矩阵单选题 *必答)—活动质量令人满意", "工作人员热情周到",
              "7、总体满意度打分（0-10分）", "8、您带动过几位朋友参加？", "9、您有什么意见和建议？"]
    rows: list[list[object]] = [header]
    for number, answer_row in enumerate(WJX_TEXT_ANSWERS, start=1):
        _, _, duration, source, detail, ip = wjx_meta(number)
        submitted = dt.datetime(2026, 11, 7, 20, 15, number)
        rows.append([number, submitted, duration, ip, source, detail, *answer_row])
    path = write_xlsx(tmp_path / "2016.xlsx", {"Sheet1": rows})
    summary = import_responses(session, youth.round, path)
    session.commit()
    assert (summary.rows, summary.imported, summary.format) == (4, 4, "wjx-text")
    responses = stored(session)
    first = by_row_id(responses, "1")
    assert first.submitted_on == dt.date(2026, 11, 7)
    assert answers(first)["quality"] == (4.0, None, False, False)
    assert answers(first)["staff"] == (5.0, None, False, False)
    assert answers(by_row_id(responses, "2"))["staff"] == (None, None, True, False)


def test_by_number_needs_confirmation_then_an_edited_mapping_is_saved_and_reused(
        runner: FlaskCliRunner, session: Session, youth: Youth, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "按序号.csv", wjx_number_rows(3))
    first = invoke(runner, "responses", "--round", youth.id, path)
    assert first.exit_code == 1
    assert "[check] 2、您知道附近的青年之家吗？ (H) → know_site" in first.output
    assert "note: option 1 read as yes, option 2 as no" in first.output
    assert "values it cannot read: '3'" in first.output
    assert "[ok]    第5题 (K–N) → kinds" in first.output
    assert "nothing imported; the mapping needs your confirmation" in first.output
    assert counts(session)["response"] == 0

    out = tmp_path / "mapping.json"
    inferred = invoke(runner, "mapping", "infer", "--round", youth.id, path, "--out", out)
    assert inferred.exit_code == 0, inferred.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "wjx-number" and data["unit"]["source"] == "1、您所在的青年之家"
    for question in data["questions"]:
        if question["item"] == "know_site":
            question["values"] = {"1": "yes", "2": "no", "3": "@dont_know"}
        if question["item"] in ("quality", "staff"):
            question["values"] = {str(n): str(n) for n in range(1, 6)} | {"6": "@na"}
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    saved = invoke(runner, "responses", "--round", youth.id, path, "--mapping-file", out,
                   "--save-mapping", "青年之家-按序号")
    assert saved.exit_code == 0, saved.output
    assert "mapping '青年之家-按序号' saved" in saved.output
    assert "3 responses — 3 imported, 0 already imported" in saved.output
    responses = stored(session)
    assert answers(by_row_id(responses, "2"))["know_site"] == (None, None, False, True)
    third = answers(by_row_id(responses, "3"))
    assert third["know_site"] == (0.0, None, False, False)
    assert third["overall"] == (10.0, None, False, False)  # option 11 of 0–10
    assert third["kinds"] == (None, "learning,other", False, False)

    shown = invoke(runner, "mapping", "show", "青年之家-按序号")
    assert json.loads(shown.output) == json.loads(out.read_text(encoding="utf-8")) | {
        "version": 1}
    again = invoke(runner, "responses", "--round", youth.id, path, "--mapping",
                   "青年之家-按序号")
    assert "3 responses — 0 imported, 3 already imported" in again.output
    assert counts(session)["response"] == 3
