"""The template round trip: generate it for a round, fill it in as Excel or as CSV, import."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from .conftest import Youth, answers, counts, invoke, stored

ITEMS = ["know_site", "know_services", "times", "kinds", "quality", "staff", "overall",
         "friends", "suggestion"]


def test_xlsx_template_generated_filled_and_imported(
        runner: FlaskCliRunner, session: Session, youth: Youth, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    result = invoke(runner, "template", "--round", youth.id, "--out", path)
    assert result.exit_code == 0, result.output
    assert "youth_check v1, 9 items, 3 units" in result.output
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["responses", "legend", "units"]
    sheet = workbook["responses"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["unit", "ref", "channel", "date", "duration_s", *ITEMS]
    legend = {row[0]: row for row in workbook["legend"].iter_rows(min_row=2, values_only=True)}
    assert legend["know_site"][1] == "您知道附近的青年之家吗？"
    assert legend["times"][6] == "none = 没有参加过; once = 1次; few = 2–3次; many = 4次及以上"
    assert legend["kinds"][5] == "times = once / few / many"
    assert legend["know_site"][7] == "dk = 不知道"
    assert [row for row in workbook["units"].iter_rows(values_only=True)][1] == (
        "QN01", "滨江青年之家")

    sheet.append(["QN01", "017", "纸质", dt.datetime(2026, 11, 3), 600,
                  1, 4, "few", "volunteering,learning", 5, "na", 9, 2, "希望增加夜间开放"])
    sheet.append(["城南青年之家", "018", "phone", "2026-11-04", None,
                  "dk", None, "none", None, "na", "na", 6, 0, None])
    sheet.append(["QN03", "017", None, "2026/11/05", "5分钟",
                  "是", "比较了解", "many", "sports", 4, 4, 10, None, None])
    workbook.save(path)

    imported = invoke(runner, "responses", "--round", youth.id, path)
    assert imported.exit_code == 0, imported.output
    assert "3 responses — 3 imported, 0 already imported (evalapp template)" in imported.output
    responses = stored(session)
    assert set(responses) == {"template:QN01:017", "template:QN02:018", "template:QN03:017"}
    first = responses["template:QN01:017"]
    assert (first.channel, first.submitted_on, first.duration_s) == (
        "paper", dt.date(2026, 11, 3), 600)
    assert answers(first)["kinds"] == (None, "volunteering,learning", False, False)
    assert answers(first)["staff"] == (None, None, True, False)
    second = responses["template:QN02:018"]
    assert (second.channel, second.duration_s) == ("phone", None)
    assert answers(second)["know_site"] == (None, None, False, True)
    third = responses["template:QN03:017"]
    assert (third.channel, third.duration_s) == ("paper", 300)
    assert answers(third)["know_site"] == (1.0, None, False, False)
    assert answers(third)["know_services"] == (4.0, None, False, False)

    again = invoke(runner, "responses", "--round", youth.id, path)
    assert "3 responses — 0 imported, 3 already imported" in again.output


def test_csv_template_with_its_legend(runner: FlaskCliRunner, session: Session, youth: Youth,
                                      tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    result = invoke(runner, "template", "--round", youth.id, "--out", path)
    assert result.exit_code == 0, result.output
    legend = (tmp_path / "paper.legend.csv").read_text(encoding="utf-8-sig")
    assert "know_services" in legend and "QN02,城南青年之家" in legend
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(
            ["QN02", "A-1", "电话", "2026-11-08", "", "0", "1", "none", "", "2", "1", "3", "",
             ""])
    assert header[:5] == ["unit", "ref", "channel", "date", "duration_s"]
    imported = invoke(runner, "responses", "--round", youth.id, path, "--format", "template")
    assert imported.exit_code == 0, imported.output
    response = stored(session)["template:QN02:A-1"]
    assert response.channel == "phone"
    assert answers(response)["know_site"] == (0.0, None, False, False)
    assert counts(session)["answer"] == 6
