"""Rows naming their activity in an experience round: the template, 问卷星 mappings, checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from evalapp.imports.outcome import ImportFailed
from evalapp.imports.responses import import_responses, inspect_responses
from evalapp.instruments.operations import store_instrument
from evalapp.models import Activity
from evalapp.rounds import operations as rounds
from tests.imports.helpers import write_csv
from tests.surveys.importers.samples import (
    WJX_META,
    WJX_NUMBER_ANSWERS,
    WJX_NUMBER_HEADER,
    WJX_QUESTIONS,
    WJX_TEXT_ANSWERS,
    YOUTH_YAML,
    wjx_meta,
    youth_instrument,
)

from .conftest import Youth, by_row_id, counts, invoke, stored
from .experience import Experience, make_experience, one_activity_rows

ITEMS = ["know_site", "know_services", "times", "kinds", "quality", "staff", "overall",
         "friends", "suggestion"]
HEADER = ["unit", "ref", "channel", "date", "duration_s", "activity", *ITEMS]
ANSWERS = ["1", "4", "few", "volunteering", "5", "na", "9", "2", ""]
ACTIVITY_QUESTION = "2、您参加的活动"


@pytest.fixture
def experience(session: Session) -> Experience:
    return make_experience(session)


def _template_rows(rows: list[tuple[str, str, str]]) -> list[list[str]]:
    """Template rows of (unit, ref, activity) with the same good answers."""
    return [HEADER, *([unit, ref, "paper", "2026-11-20", "", activity, *ANSWERS]
                      for unit, ref, activity in rows)]


def _refused(session: Session, experience: Experience, path: Path) -> list[tuple]:
    """(row, column, reason) of every problem; asserts that nothing was written."""
    with pytest.raises(ImportFailed) as caught:
        import_responses(session, experience.round, path)
    session.rollback()
    assert counts(session)["response"] == 0
    return [(p.row, p.column, p.reason) for p in caught.value.problems]


def test_template_round_trip_with_activities(runner: FlaskCliRunner, session: Session,
                                             experience: Experience, tmp_path: Path) -> None:
    ids = experience.activities
    path = tmp_path / "体验.xlsx"
    result = invoke(runner, "template", "--round", experience.id, "--out", path)
    assert result.exit_code == 0, result.output
    assert "9 items, 3 units, 4 activities" in result.output
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["responses", "legend", "units", "activities"]
    sheet = workbook["responses"]
    assert [cell.value for cell in sheet[1]] == HEADER
    listed = list(workbook["activities"].iter_rows(values_only=True))
    assert listed == [  # the round's units' activities within its window, by unit and day
        ("id", "unit", "date", "title"),
        (str(ids["reading"]), "QN01", "2026-11-05", "青年读书会"),
        (str(ids["volunteer"]), "QN01", "2026-11-12", "周末志愿服务"),
        (str(ids["basketball"]), "QN02", "2026-11-06", "城南篮球赛"),
        (str(ids["reading2"]), "QN02", "2026-11-07", "青年读书会")]
    legend = {row[0]: row for row in workbook["legend"].iter_rows(min_row=2, values_only=True)}
    assert legend["activity"][4] == "no"
    validations = [str(v.sqref) for v in sheet.data_validations.dataValidation
                   if v.formula1 == "activities!$A$2:$A$5"]
    assert validations == ["F2:F5000"]

    sheet.append(["QN01", "001", "纸质", dt.datetime(2026, 11, 5), 600, ids["reading"],
                  *ANSWERS])
    sheet.append(["QN02", "002", "paper", "2026-11-07", None, "青年读书会", *ANSWERS])
    sheet.append(["QN03", "003", "paper", "2026-11-08", None, None, *ANSWERS])
    workbook.save(path)
    imported = invoke(runner, "responses", "--round", experience.id, path)
    assert imported.exit_code == 0, imported.output
    assert "3 responses — 3 imported, 0 already imported" in imported.output
    responses = stored(session)
    assert {key: r.activity_id for key, r in responses.items()} == {
        "template:QN01:001": ids["reading"],
        "template:QN02:002": ids["reading2"],  # the title of the row's own unit's activity
        "template:QN03:003": None}  # blank: allowed, as under an assignment naming none

    again = invoke(runner, "responses", "--round", experience.id, path)
    assert "3 responses — 0 imported, 3 already imported" in again.output
    sheet = (workbook := openpyxl.load_workbook(path))["responses"]
    sheet["F2"] = ids["volunteer"]
    workbook.save(path)
    changed = invoke(runner, "responses", "--round", experience.id, path)
    assert changed.exit_code == 1
    assert (f"体验.xlsx, row 2, column activity (F): this row was imported before with "
            f"activity {ids['reading']}, but names activity {ids['volunteer']}") in changed.output
    assert counts(session)["response"] == 3


def test_wrong_unit_unknown_and_out_of_window_activities_are_refused_row_by_row(
        session: Session, experience: Experience, tmp_path: Path) -> None:
    ids = experience.activities
    path = write_csv(tmp_path / "体验.csv", _template_rows([
        ("QN02", "001", str(ids["reading"])),
        ("QN01", "002", "999999"),
        ("QN01", "003", "城南篮球赛"),
        ("QN01", "004", str(ids["old"])),
        ("QN01", "005", str(ids["volunteer"])),
    ]))
    assert _refused(session, experience, path) == [
        (2, "activity (F)", f"activity {ids['reading']} (青年读书会) belongs to unit QN01, "
                            "not to the row's unit QN02"),
        (3, "activity (F)", "unknown activity '999999': no activity has this id"),
        (4, "activity (F)", "unknown activity '城南篮球赛': unit QN01 lists no activity with "
                            "this id or title"),
        (5, "activity (F)", f"activity {ids['old']} (往期读书会) was held on 2026-10-10, "
                            "outside the round's window 2026-11-01 – 2026-11-30"),
    ]


def test_a_title_several_of_the_units_activities_share_needs_the_id(
        session: Session, experience: Experience, tmp_path: Path) -> None:
    ids = experience.activities
    path = write_csv(tmp_path / "体验.csv", _template_rows([("QN01", "001", "青年读书会")]))
    import_responses(session, experience.round, path)
    session.commit()
    second = write_csv(tmp_path / "again.csv", _template_rows([("QN01", "002", "青年读书会")]))
    session.add(Activity(  # a second 青年读书会 of QN01 inside the window
        unit_id=experience.units["QN01"].id, held_on=dt.date(2026, 11, 19), title="青年读书会",
        type="other"))
    session.commit()
    with pytest.raises(ImportFailed) as caught:
        import_responses(session, experience.round, second)
    reason = caught.value.problems[0].reason
    assert reason.startswith(f"'青年读书会' names several activities of unit QN01 (ids "
                             f"{ids['reading']}, ")
    assert reason.endswith("); give the activity id")


def test_a_round_of_another_mode_refuses_an_activity_column(
        runner: FlaskCliRunner, session: Session, youth: Youth, tmp_path: Path) -> None:
    template = tmp_path / "抽查.csv"
    assert invoke(runner, "template", "--round", youth.id, "--out", template).exit_code == 0
    header = template.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "activity" not in header.split(",")
    path = write_csv(tmp_path / "抽查.csv", _template_rows([("QN01", "001", "1")]))
    result = invoke(runner, "responses", "--round", youth.id, path)
    assert result.exit_code == 1
    assert ("抽查.csv, row 1, column activity (F): this round records no activity (only "
            "experience rounds do): remove the activity column, or the activity from the "
            "mapping") in result.output
    assert counts(session)["response"] == 0


def _wjx_text_rows() -> list[list[str]]:
    activities = ["青年读书会", "青年读书会", "(跳过)", "周末志愿服务"]
    rows = [[*WJX_META, WJX_QUESTIONS[0], ACTIVITY_QUESTION, *WJX_QUESTIONS[1:]]]
    for number, (answers, activity) in enumerate(zip(WJX_TEXT_ANSWERS, activities,
                                                     strict=True), start=1):
        rows.append([*wjx_meta(number, day="2026/11/20"), answers[0], activity, *answers[1:]])
    return rows


def test_wjx_question_answered_with_titles_is_found_and_read(
        runner: FlaskCliRunner, session: Session, experience: Experience,
        tmp_path: Path) -> None:
    ids = experience.activities
    path = write_csv(tmp_path / "问卷星.csv", _wjx_text_rows())
    out = tmp_path / "mapping.json"
    inferred = invoke(runner, "mapping", "infer", "--round", experience.id, path, "--out", out)
    assert inferred.exit_code == 0, inferred.output
    assert (f"[ok]    activity: {ACTIVITY_QUESTION} (H) (values are activity titles)"
            in inferred.output)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["activity"] == {"source": ACTIVITY_QUESTION, "values": {}}
    assert ACTIVITY_QUESTION not in {q["source"] for q in data["questions"]}

    result = invoke(runner, "responses", "--round", experience.id, path)
    assert result.exit_code == 0, result.output
    assert "4 responses — 4 imported" in result.output
    responses = stored(session)
    assert [by_row_id(responses, str(n)).activity_id for n in range(1, 5)] == [
        ids["reading"], ids["reading2"], None, ids["volunteer"]]


def test_wjx_by_number_activity_options_are_mapped_to_ids_and_saved(
        runner: FlaskCliRunner, session: Session, experience: Experience,
        tmp_path: Path) -> None:
    ids = experience.activities
    rows = [[*WJX_NUMBER_HEADER[:7], "2、参加的活动名称", *WJX_NUMBER_HEADER[7:]]]
    for number, (answers, option) in enumerate(zip(WJX_NUMBER_ANSWERS, ["1", "2", "-3"],
                                                   strict=True), start=1):
        rows.append([*wjx_meta(number, day="2026/11/20"), answers[0], option, *answers[1:]])
    path = write_csv(tmp_path / "按序号.csv", rows)
    first = invoke(runner, "responses", "--round", experience.id, path)
    assert first.exit_code == 1
    assert ("[check] activity: 2、参加的活动名称 (H) (header names an activity); naming no "
            "activity: '1', '2'") in first.output

    out = tmp_path / "mapping.json"
    assert invoke(runner, "mapping", "infer", "--round", experience.id, path, "--out",
                  out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["activity"]["values"] = {"1": str(ids["reading"]), "2": str(ids["basketball"])}
    for question in data["questions"]:
        if question["item"] == "know_site":
            question["values"] = {"1": "yes", "2": "no", "3": "@dont_know"}
        if question["item"] in ("quality", "staff"):
            question["values"] = {str(n): str(n) for n in range(1, 6)} | {"6": "@na"}
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    saved = invoke(runner, "responses", "--round", experience.id, path, "--mapping-file", out,
                   "--save-mapping", "体验-按序号")
    assert saved.exit_code == 0, saved.output
    assert "3 responses — 3 imported" in saved.output
    responses = stored(session)
    assert [by_row_id(responses, str(n)).activity_id for n in (1, 2, 3)] == [
        ids["reading"], ids["basketball"], None]
    shown = json.loads(invoke(runner, "mapping", "show", "体验-按序号").output)
    assert shown["activity"]["values"] == data["activity"]["values"]


def test_an_untranslated_option_number_is_not_read_as_an_activity_id(
        session: Session, experience: Experience, tmp_path: Path) -> None:
    rows = [[*WJX_NUMBER_HEADER[:7], "2、参加的活动名称", *WJX_NUMBER_HEADER[7:]],
            [*wjx_meta(1, day="2026/11/20"), WJX_NUMBER_ANSWERS[0][0],
             str(experience.activities["reading"]), *WJX_NUMBER_ANSWERS[0][1:]]]
    path = write_csv(tmp_path / "按序号.csv", rows)
    inspection = inspect_responses(session, experience.round, path)
    mapping = inspection.review.mapping
    assert mapping.activity is not None and mapping.activity.source == "2、参加的活动名称"
    with pytest.raises(ImportFailed) as caught:
        import_responses(session, experience.round, path, mapping)
    reasons = [(p.column, p.reason) for p in caught.value.problems]
    assert ("2、参加的活动名称 (H)", f"option '{experience.activities['reading']}' of the "
            "activity question: give its activity id in the mapping's activity values"
            ) in reasons


# --- a file about one activity: --activity ---------------------------------------------


def test_every_row_of_a_file_about_one_activity(runner: FlaskCliRunner, session: Session,
                                                experience: Experience,
                                                tmp_path: Path) -> None:
    ids, units = experience.activities, experience.units
    path = write_csv(tmp_path / "读书会.csv", one_activity_rows())
    proposed = invoke(runner, "mapping", "infer", "--round", experience.id, path,
                      "--activity", ids["reading"])
    assert proposed.exit_code == 0, proposed.output
    assert json.loads(proposed.output)["activity"] == {"source": None, "values": {}}

    first = invoke(runner, "responses", "--round", experience.id, path, "--activity",
                   ids["reading"])
    assert first.exit_code == 0, first.output
    assert "4 responses — 4 imported" in first.output
    responses = stored(session)
    assert {(r.unit_id, r.activity_id) for r in responses.values()} == {
        (units["QN01"].id, ids["reading"])}
    again = invoke(runner, "responses", "--round", experience.id, path, "--activity",
                   ids["reading"])
    assert "0 imported, 4 already imported" in again.output, again.output
    # The same survey copied for another activity numbers its rows alike: they are new.
    other = invoke(runner, "responses", "--round", experience.id, path, "--activity",
                   f"#{ids['volunteer']}", "--unit", "QN01")
    assert "4 responses — 4 imported" in other.output, other.output
    assert counts(session)["response"] == 8


@pytest.mark.parametrize(("given", "reason"), [
    (("--activity", "old"), "outside the round's window 2026-11-01 – 2026-11-30"),
    (("--activity", "basketball", "--unit", "QN01"), "belongs to unit QN02, not to"),
    (("--activity", "99999"), "unknown activity '99999': no activity has this id"),
    (("--activity", "读书会"), "unknown activity '读书会': no activity has this id"),
])
def test_an_activity_given_for_every_row_must_fit(runner: FlaskCliRunner, session: Session,
                                                  experience: Experience, tmp_path: Path,
                                                  given: tuple[str, ...], reason: str) -> None:
    path = write_csv(tmp_path / "活动.csv", one_activity_rows())
    arguments = [str(experience.activities.get(value, value)) for value in given]
    result = invoke(runner, "responses", "--round", experience.id, path, *arguments)
    assert result.exit_code == 1 and reason in result.output, result.output
    assert counts(session)["response"] == 0


def test_only_an_experience_round_takes_an_activity(runner: FlaskCliRunner, session: Session,
                                                    experience: Experience,
                                                    tmp_path: Path) -> None:
    instrument, _ = store_instrument(session, youth_instrument(), YOUTH_YAML)
    spot = rounds.create_round(session, name="抽查", mode="spot_check", instrument=instrument,
                               opens_on=experience.round.opens_on,
                               closes_on=experience.round.closes_on,
                               units=list(experience.units.values()))
    rounds.open_round(session, spot)
    session.commit()
    path = write_csv(tmp_path / "活动.csv", one_activity_rows())
    result = invoke(runner, "responses", "--round", spot.id, path, "--activity",
                    experience.activities["reading"])
    assert result.exit_code == 1
    assert "records no activity: an activity for every row is for experience rounds" in \
        result.output
