"""Importing the same export again stores nothing twice; a longer re-download adds only its
new rows. Rows are known by their source identity, never by their answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from evalapp.imports import ImportFailed
from evalapp.imports.responses import MappingNeedsConfirmation, import_responses
from tests.imports.helpers import write_csv, write_xlsx
from tests.surveys.importers.samples import wjx_text_rows

from .conftest import Youth, counts, invoke, stored


def test_same_file_twice_then_a_longer_download(runner: FlaskCliRunner, session: Session,
                                                youth: Youth, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "第一次下载.csv", wjx_text_rows(4))
    assert invoke(runner, "responses", "--round", youth.id, path).exit_code == 0
    before = counts(session)
    again = invoke(runner, "responses", "--round", youth.id, path)
    assert "4 responses — 0 imported, 4 already imported" in again.output
    assert counts(session) == before

    # A week later: more rows, the columns in another order, a 总分 column, as XLSX.
    rows = wjx_text_rows(7)
    order = [0, 1, 2, 5, 4, 3, *range(6, len(rows[0]))]
    order[6:8] = [7, 6]
    longer = [[row[i] for i in order] + [total] for row, total in
              zip(rows, ["总分", *["0"] * 7], strict=True)]
    later = write_xlsx(tmp_path / "第二次下载.xlsx", {"Sheet1": longer})
    dry = invoke(runner, "responses", "--round", youth.id, later, "--dry-run")
    assert "7 responses — 3 imported, 4 already imported" in dry.output
    assert "dry run: nothing written" in dry.output
    assert counts(session) == before
    result = invoke(runner, "responses", "--round", youth.id, later)
    assert result.exit_code == 0, result.output
    assert "7 responses — 3 imported, 4 already imported" in result.output
    assert "ignored column: 总分" in result.output
    assert counts(session)["response"] == 7
    assert len({r.submission_key for r in stored(session).values()}) == 7


def test_identical_answers_are_two_responses(session: Session, youth: Youth,
                                             tmp_path: Path) -> None:
    rows = wjx_text_rows(1)
    rows.append(["2", *rows[1][1:]])
    summary = import_responses(session, youth.round, write_csv(tmp_path / "twins.csv", rows))
    assert summary.imported == 2
    session.commit()
    assert counts(session)["response"] == 2


def test_one_questionnaire_per_unit(session: Session, youth: Youth, tmp_path: Path) -> None:
    """Copies of one questionnaire, one per unit, number their rows alike: the unit given at
    import joins the identity."""
    rows = [row[:6] + row[7:] for row in wjx_text_rows(3)]  # no unit column
    path = write_csv(tmp_path / "滨江.csv", rows)
    with pytest.raises(MappingNeedsConfirmation):
        import_responses(session, youth.round, path)
    first = import_responses(session, youth.round, path, unit="QN01")
    second = import_responses(session, youth.round, write_csv(tmp_path / "城南.csv", rows),
                              unit="城南青年之家")
    session.commit()
    assert (first.imported, second.imported) == (3, 3)
    keys = sorted(stored(session))
    assert keys[0].startswith("wjx:") and ":QN01:1" in keys[0]
    assert {response.unit.code for response in stored(session).values()} == {"QN01", "QN02"}
    repeat = import_responses(session, youth.round, path, unit="QN01")
    assert (repeat.imported, repeat.already) == (0, 3)


def test_a_second_source_with_the_same_identity_is_refused(session: Session, youth: Youth,
                                                           tmp_path: Path) -> None:
    rows = wjx_text_rows(2)
    import_responses(session, youth.round, write_csv(tmp_path / "a.csv", rows))
    session.commit()
    copy = [rows[0], *([[*row[:6], "QN03", *row[7:]] for row in rows[1:]])]
    with pytest.raises(ImportFailed) as failure:
        import_responses(session, youth.round, write_csv(tmp_path / "b.csv", copy))
    problem = failure.value.problems[0]
    assert (problem.row, problem.column) == (2, "序号 (A)")
    assert "imported before for unit QN01, but names unit QN03" in problem.reason
    assert counts(session)["response"] == 2
