"""Importing collected questionnaires from the page: upload, review the mapping, import."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import ImportMapping, Response, Round
from evalapp.rounds import operations as rounds
from tests.imports.helpers import write_csv
from tests.imports.responses.experience import (
    Experience,
    make_experience,
    one_activity_rows,
)
from tests.observe.helpers import make_person
from tests.surveys.importers.samples import (
    IDENTIFYING_VALUES,
    WJX_META,
    WJX_QUESTIONS,
    WJX_TEXT_ANSWERS,
    wjx_meta,
    wjx_number_rows,
)

from .helpers import (
    EN,
    GOOD_ROWS,
    HEADER,
    ZH,
    Youth,
    audit_actions,
    count,
    make_youth,
    signed_in,
    text,
    token,
)


@pytest.fixture
def youth(session: Session) -> Youth:
    return make_youth(session)


def _upload(client: FlaskClient, youth: Youth, path: Path | None = None, *,
            body: bytes | None = None, name: str = "答卷.csv", **fields: str):  # type: ignore[no-untyped-def]
    content = body if body is not None else path.read_bytes()  # type: ignore[union-attr]
    data = {"csrf_token": token(client, youth.base), "format": "", "unit": "",
            "file": (io.BytesIO(content), name), **fields}
    return client.post(youth.base, data=data, headers=ZH, content_type="multipart/form-data")


def _review_form(page: str) -> dict[str, str]:
    """The review form as the page holds it: questions, chosen items, channel."""
    form = dict(re.findall(r'name="(source-\d+)" value="([^"]*)"', page))
    for name, options in re.findall(r'<select name="(item-\d+)"[^>]*>(.*?)</select>', page,
                                    re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        form[name] = chosen.group(1) if chosen else ""
    return {key: value.replace("&amp;", "&") for key, value in form.items()}


def _confirm(client: FlaskClient, review_url: str, action: str = "import",
             **fields: str):  # type: ignore[no-untyped-def]
    page = text(client.get(review_url))
    data = {"csrf_token": token(client, review_url), **_review_form(page), "action": action,
            "channel": "import", **fields}
    return client.post(review_url, data=data, headers=ZH)


def _stored(session: Session) -> list[Response]:
    session.rollback()
    return list(session.scalars(select(Response)))


def test_the_template_round_trip_and_importing_it_again(client: FlaskClient, session: Session,
                                                        youth: Youth, tmp_path: Path) -> None:
    signed_in(client, youth.evaluator)
    page = text(client.get(youth.base))
    assert "下载模板（XLSX）" in page
    download = client.get(f"{youth.base}/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.get_data()))
    assert workbook.sheetnames == ["responses", "legend", "units"]
    sheet = workbook["responses"]
    assert [cell.value for cell in sheet[1]] == HEADER
    for row in GOOD_ROWS:
        sheet.append(row)
    path = tmp_path / "纸质问卷.xlsx"
    workbook.save(path)
    uploaded = _upload(client, youth, path, name="纸质问卷.xlsx")
    assert uploaded.status_code == 303
    review_url = uploaded.headers["Location"]
    review = text(client.get(review_url))
    assert "所有题目都已明确对应" in review and "纸质问卷.xlsx" in review
    imported = _confirm(client, review_url)
    assert imported.status_code == 303 and imported.headers["Location"].endswith("/progress")
    progress = text(client.get(imported.headers["Location"]))
    assert "纸质问卷.xlsx：共 2 份答卷，导入 2 份，0 份此前已导入。" in progress
    assert sorted(r.submission_key for r in _stored(session)) == [
        "template:QN01:001", "template:QN02:002"]
    assert client.get(review_url).status_code == 404  # the staged file is gone
    again = _upload(client, youth, path, name="纸质问卷.xlsx")
    repeated = _confirm(client, again.headers["Location"])
    assert "共 2 份答卷，导入 0 份，2 份此前已导入" in text(client.get(
        repeated.headers["Location"]))
    assert len(_stored(session)) == 2
    assert audit_actions(session, "response") == ["import", "import"]


def test_wjx_by_number_marks_guesses_and_the_evaluators_choices_are_imported(
        client: FlaskClient, session: Session, youth: Youth, tmp_path: Path) -> None:
    signed_in(client, youth.evaluator)
    path = write_csv(tmp_path / "问卷星按序号.csv", wjx_number_rows(3))
    uploaded = _upload(client, youth, path, name="问卷星按序号.csv")
    review_url = uploaded.headers["Location"]
    page = text(client.get(review_url))
    assert "mark-check" in page and "请核对" in page
    assert "选项 1 视为“是”，选项 2 视为“否”" in page
    assert "身份信息列，未读取即丢弃" in page and "来自IP" in page
    assert not any(value in page for value in IDENTIFYING_VALUES)
    unread = re.findall(r'<span>([^<]*) →</span>\s*<select name="(value-\d+-\d+)"', page)
    assert tuple({text for text, _ in unread if text == "3"}) == ("3", )
    choices = {}
    for shown, name in unread:
        row = int(name.split("-")[1])
        item = _review_form(page)[f"item-{row}"]
        choices[name] = {"know_site": "@dont_know"}.get(item, "@na" if shown == "6" else "")
    checked = _confirm(client, review_url, "check", **choices)
    assert checked.status_code == 303
    assert "无法识别的答案" not in text(client.get(review_url))
    assert count(session, Response) == 0  # checking stores nothing
    done = _confirm(client, review_url, mapping_name="青年之家-按序号")
    assert done.status_code == 303, text(done)[:2000]
    assert len(_stored(session)) == 3
    assert [m.name for m in session.scalars(select(ImportMapping))] == ["青年之家-按序号"]
    reused = _upload(client, youth, path, name="问卷星按序号.csv", mapping="青年之家-按序号")
    assert "所有题目都已明确对应" in text(client.get(reused.headers["Location"]))
    _confirm(client, reused.headers["Location"])
    assert len(_stored(session)) == 3


def test_a_file_with_bad_rows_lists_every_problem_and_stores_nothing(
        client: FlaskClient, session: Session, youth: Youth, tmp_path: Path) -> None:
    signed_in(client, youth.evaluator)
    rows = [HEADER, GOOD_ROWS[0],
            ["QN77", "003", "paper", "2026-11-05", "", "1", "", "once", "", "", "", "5", "", ""],
            ["QN02", "004", "paper", "2026-12-31", "", "1", "", "once", "", "", "", "12", "",
             ""],
            ["QN03", "", "paper", "明天", "", "", "", "", "", "", "", "", "", ""]]
    path = write_csv(tmp_path / "有错.csv", rows)
    uploaded = _upload(client, youth, path, name="有错.csv")
    refused = _confirm(client, uploaded.headers["Location"])
    page = text(refused)
    assert refused.status_code == 400 and "没有导入任何内容" in page
    problems = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>',
                          page)
    rows_named = {row for row, _, _ in problems}
    assert {"3", "4", "5"} <= rows_named
    assert any("QN77" in reason for _, _, reason in problems)
    assert any("不在本批次的评议期" in reason for _, _, reason in problems)
    assert any(column.startswith("date") for _, column, _ in problems)
    assert count(session, Response) == 0


PROBLEM_ROW = re.compile(r'<tr><td class="num">(\d*)</td><td>([^<]*)</td><td>([^<]*)</td>')
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _problems(response) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return PROBLEM_ROW.findall(text(response))


def test_every_reason_in_a_refused_file_is_shown_in_chinese_by_row_and_column(
        client: FlaskClient, session: Session, youth: Youth, tmp_path: Path) -> None:
    signed_in(client, youth.evaluator)
    rows = [HEADER, GOOD_ROWS[0],
            ["QN09", "003", "fax", "明天", "abc", "maybe", "na", "twice", "", "dk", "7", "abc",
             "x", ""],
            ["湖滨", "", "paper", "2026-11-05", "", "dk", "7", "none", "volunteering,foo", "5",
             "", "12", "", ""],
            ["QN01", "x" * 40, "paper", "2026-11-05", "", "1", "", "once", "dk,sports", "", "",
             "5", "", "x" * 2001]]
    uploaded = _upload(client, youth, write_csv(tmp_path / "有错.csv", rows), name="有错.csv")
    problems = _problems(_confirm(client, uploaded.headers["Location"]))
    shown = {(row, column.split(" (")[0]): reason for row, column, reason in problems}
    assert shown[("3", "unit")] == "未知的单位“QN09”：既不是单位代码，也不是单位全称。"
    assert shown[("3", "know_site")] == "未知选项 &#39;maybe&#39;。"
    assert shown[("3", "know_services")] == "&#39;na&#39;：题目 know_services 不允许回答“不适用”。"
    assert shown[("3", "overall")] == "&#39;abc&#39; 不是 0 到 10 之间的数字。"
    assert shown[("3", "staff")] == "题目 staff：必须是 1 至 5 之间的整数（读到的值：7）。"
    assert shown[("4", "kinds")] == "未知选项 &#39;foo&#39;。"
    assert shown[("5", "ref")] == "行编号超过 36 个字符。"
    assert shown[("5", "suggestion")] == "题目 suggestion：文字超过 2000 个字符。"
    assert len(problems) >= 15 and all(CHINESE.search(reason) for _, _, reason in problems), \
        problems
    assert count(session, Response) == 0


def test_header_problems_are_shown_in_chinese(client: FlaskClient, session: Session,
                                              youth: Youth, tmp_path: Path) -> None:
    signed_in(client, youth.evaluator)
    header = [name for name in HEADER if name != "date"] + ["know_site", "unit"]
    path = write_csv(tmp_path / "表头.csv", [header, ["QN01", "009", "paper"]])
    problems = _problems(_upload(client, youth, path, name="表头.csv"))
    assert ("1", "know_site (N)", "有两列使用了这道题的表头。") in problems
    assert ("1", "unit (O)", "又一个“单位”列：unit (A) 已经给出了该项。") in problems
    assert any(reason.startswith("缺少“日期”列；可用的表头：date, 日期") for *_, reason in problems)
    unknown = write_csv(tmp_path / "未知.csv", [["a", "b"], ["1", "2"]])
    assert _problems(_upload(client, youth, unknown, name="未知.csv"))[0][2].startswith(
        "无法从表头判断文件格式")


def test_uploads_are_checked_by_content_and_size(client: FlaskClient, session: Session,
                                                 youth: Youth, app: Flask) -> None:
    signed_in(client, youth.evaluator)
    cases = {b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "既不是 Excel 工作簿",
             b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64: ".xls",
             b"PK\x05\x06" + b"\x00" * 18: "不是 Excel 工作簿",
             b"": "文件是空的"}
    for body, message in cases.items():
        response = _upload(client, youth, body=body, name="答卷.csv")
        assert response.status_code == 400 and message in text(response), message
    boundary = "evalapp-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.csv\"\r\n\r\n").encode() + b"a" * app.config[
        "MAX_CONTENT_LENGTH"] + f"\r\n--{boundary}--\r\n".encode()
    too_big = client.post(youth.base, data=body, headers=ZH,
                          content_type=f"multipart/form-data; boundary={boundary}")
    assert too_big.status_code == 413 and "20 MB" in text(too_big)
    assert count(session, Response) == 0


def test_a_staged_file_belongs_to_its_uploader_and_round(client: FlaskClient, session: Session,
                                                         youth: Youth, tmp_path: Path,
                                                         app: Flask) -> None:
    other = make_person(session, "evaluator", login="other")
    signed_in(client, youth.evaluator)
    uploaded = _upload(client, youth, write_csv(tmp_path / "a.csv", [HEADER, GOOD_ROWS[0]]))
    review_url = uploaded.headers["Location"]
    assert client.get(f"{review_url}/mapping.json").get_json()["format"] == "template"
    stage = review_url.rsplit("/", 1)[1]
    assert client.get(f"/evaluate/rounds/999/import/{stage}").status_code == 404
    assert client.get(f"{youth.base}/not-a-token").status_code == 404
    signed_in(client, other.id)
    assert client.get(review_url).status_code == 404
    signed_in(client, youth.evaluator)
    cancel = client.post(f"{review_url}/cancel", data={"csrf_token": token(client, review_url)})
    assert cancel.status_code == 303
    assert client.get(review_url).status_code == 404
    assert not any((Path(app.instance_path) / "uploads" / "responses").iterdir())
    round_ = session.get(Round, youth.round_id)
    rounds.close_round(session, round_)
    rounds.publish_round(session, round_)
    session.commit()
    closed = _upload(client, youth, write_csv(tmp_path / "b.csv", [HEADER, GOOD_ROWS[0]]))
    assert closed.status_code == 400 and "只有进行中或已结束的批次才能导入答卷" in text(closed)
    english = client.get(youth.base, headers=EN)
    assert "responses can be imported only while a round is open or closed" in text(english)


# --- experience rounds: each row's activity --------------------------------------------


@pytest.fixture
def experience(session: Session) -> tuple[Youth, Experience]:
    made = make_experience(session)
    evaluator = make_person(session, "evaluator", login="pingjia")
    session.commit()
    return Youth(made.round.id, evaluator.id), made


def _activity_rows(rows: list[tuple[str, str, object]]) -> list[list[object]]:
    header = [*HEADER[:5], "activity", *HEADER[5:]]
    return [header, *([unit, ref, "paper", "2026-11-20", "", activity, *GOOD_ROWS[0][5:]]
                      for unit, ref, activity in rows)]


def test_experience_template_and_activity_problems_in_chinese(
        client: FlaskClient, session: Session, experience: tuple[Youth, Experience],
        tmp_path: Path) -> None:
    page, made = experience
    ids = made.activities
    signed_in(client, page.evaluator)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(
        f"{page.base}/template.xlsx").get_data()))
    assert workbook.sheetnames == ["responses", "legend", "units", "activities"]
    assert [c.value for c in workbook["responses"][1]][:6] == [
        "unit", "ref", "channel", "date", "duration_s", "activity"]
    assert workbook["activities"]["A2"].value == str(ids["reading"])

    bad = write_csv(tmp_path / "体验.csv", _activity_rows([
        ("QN01", "001", ids["reading"]), ("QN02", "002", ids["reading"]),
        ("QN01", "003", 999999), ("QN01", "004", ids["old"])]))
    uploaded = _upload(client, page, bad, name="体验.csv")
    review = text(client.get(uploaded.headers["Location"]))
    assert "activity (F)" in review
    problems = _problems(_confirm(client, uploaded.headers["Location"]))
    assert problems == [
        ("3", "activity (F)", f"活动 {ids['reading']}（青年读书会）属于单位 QN01，"
                              "不属于本行的单位 QN02。"),
        ("4", "activity (F)", "未知的活动“999999”：没有这个编号的活动。"),
        ("5", "activity (F)", f"活动 {ids['old']}（往期读书会）于 2026-10-10 举行，"
                              "不在本批次的评议期 2026-11-01 至 2026-11-30 内。")]
    assert count(session, Response) == 0

    good = write_csv(tmp_path / "好.csv", _activity_rows([("QN01", "001", ids["reading"]),
                                                         ("QN02", "002", "")]))
    done = _confirm(client, _upload(client, page, good, name="好.csv").headers["Location"])
    assert done.status_code == 303
    assert {r.submission_key: r.activity_id for r in _stored(session)} == {
        "template:QN01:001": ids["reading"], "template:QN02:002": None}


def test_wjx_activity_question_is_shown_chosen_and_imported(
        client: FlaskClient, session: Session, experience: tuple[Youth, Experience],
        tmp_path: Path) -> None:
    page, made = experience
    ids = made.activities
    signed_in(client, page.evaluator)
    header = [*WJX_META, WJX_QUESTIONS[0], "2、您参加的活动", *WJX_QUESTIONS[1:]]
    rows = [header, *([*wjx_meta(n, day="2026/11/20"), answers[0], activity, *answers[1:]]
                      for n, (answers, activity) in enumerate(
                          zip(WJX_TEXT_ANSWERS, ["青年读书会", "城南篮球赛", "", "周末志愿服务"],
                              strict=True), start=1))]
    uploaded = _upload(client, page, write_csv(tmp_path / "问卷星.csv", rows),
                       name="问卷星.csv")
    review_url = uploaded.headers["Location"]
    shown = text(client.get(review_url))
    assert "哪道题给出活动" in shown and "该列的内容是活动名称" in shown
    assert '<option value="2、您参加的活动" selected>' in shown
    none = _confirm(client, review_url, "check", activity_source="")
    assert none.status_code == 303
    assert "没有一列指明活动：答卷不关联活动" in text(client.get(review_url))
    done = _confirm(client, review_url, activity_source="2、您参加的活动")
    assert done.status_code == 303, text(done)[:2000]
    stored = {r.submission_key.rsplit(":", 1)[1]: r.activity_id for r in _stored(session)}
    assert stored == {"1": ids["reading"], "2": ids["basketball"], "3": None,
                      "4": ids["volunteer"]}


def test_a_file_about_one_activity_names_it_at_upload(
        client: FlaskClient, session: Session, experience: tuple[Youth, Experience],
        tmp_path: Path) -> None:
    page, made = experience
    ids = made.activities
    signed_in(client, page.evaluator)
    assert 'name="activity"' in text(client.get(page.base, headers=ZH))
    path = write_csv(tmp_path / "读书会.csv", one_activity_rows())
    refused = _upload(client, page, path, name="读书会.csv", activity=str(ids["old"]))
    assert refused.status_code == 400
    assert "不在本批次的评议期 2026-11-01 至 2026-11-30 内" in text(refused)
    uploaded = _upload(client, page, path, name="读书会.csv", activity=str(ids["reading"]))
    review_url = uploaded.headers["Location"]
    shown = text(client.get(review_url))
    assert f"所有行所属的活动</dt><dd>{ids['reading']} · 青年读书会 · QN01" in shown
    assert "哪道题给出活动" not in shown and "哪道题给出单位" not in shown
    done = _confirm(client, review_url)
    assert done.status_code == 303, text(done)[:2000]
    unit = made.units["QN01"].id
    assert {(r.unit_id, r.activity_id) for r in _stored(session)} == {(unit, ids["reading"])}
    assert count(session, Response) == 4
