"""`evalapp scores` and GET /api/v1/rounds/<id>/scores."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from evalapp.rounds import operations as rounds
from tests.factories import make_user
from tests.scoring.conftest import TinyRound, submit


def test_cli_summarises_and_writes_csv_and_json(runner: FlaskCliRunner, tiny: TinyRound,
                                                tmp_path: Path) -> None:
    summary = runner.invoke(args=["scores", str(tiny.round.id)])
    assert summary.exit_code == 0, summary.output
    assert "3 units, 2 ranked, 1 suppressed" in summary.output
    assert "computed from current data" in summary.output
    csv_path, json_path = tmp_path / "scores.csv", tmp_path / "scores.json"
    written = runner.invoke(args=["scores", str(tiny.round.id), "--csv", str(csv_path),
                                  "--json", str(json_path)])
    assert written.exit_code == 0, written.output
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("round,unit_code,unit_name,unit_kind,parent_code,awareness_n")
    assert ",75.00," in first
    rows = json.loads(json_path.read_text(encoding="utf-8"))
    assert rows[0]["awareness_raw"] == 75.0 and rows[2]["awareness_raw"] is None


def test_cli_names_an_unknown_round(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["scores", "999"])
    assert result.exit_code == 1 and "no round with id 999" in result.output


def test_cli_reads_the_frozen_table_of_a_published_round(
    runner: FlaskCliRunner, session: Session, tiny: TinyRound
) -> None:
    rounds.close_round(session, tiny.round)
    session.commit()
    assert runner.invoke(args=["round", "publish", str(tiny.round.id)]).exit_code == 0
    result = runner.invoke(args=["scores", str(tiny.round.id)])
    assert "frozen at publication" in result.output


def _sign_in(client: FlaskClient, user_id: int) -> None:
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(user_id)
        flask_session["_fresh"] = True


def test_api_scores_for_evaluators_only(client: FlaskClient, session: Session,
                                        tiny: TinyRound) -> None:
    url = f"/api/v1/rounds/{tiny.round.id}/scores"
    assert client.get(url).status_code == 401
    observer = make_user(session, role="observer")
    evaluator = make_user(session, role="evaluator")
    session.commit()
    _sign_in(client, observer.id)
    assert client.get(url).status_code == 403
    _sign_in(client, evaluator.id)
    response = client.get(url)
    assert response.status_code == 200
    body = response.json
    assert body["round"]["id"] == tiny.round.id and body["frozen"] is False
    assert len(body["data_version"]) == 64
    by_code = {row["unit_code"]: row for row in body["scores"]}
    assert by_code[tiny.units[0].code]["awareness_raw"] == 75.0
    suppressed = by_code[tiny.units[2].code]
    assert suppressed["awareness_suppressed"] is True and suppressed["awareness_raw"] is None
    assert client.get("/api/v1/rounds/999/scores").status_code == 404


def test_cli_writes_rollups_to_a_level(runner: FlaskCliRunner, session: Session,
                                       tiny: TinyRound, tmp_path: Path) -> None:
    path = tmp_path / "counties.json"

    def county() -> dict:
        result = runner.invoke(args=["scores", str(tiny.round.id), "--level", "county",
                                     "--json", str(path)])
        assert result.exit_code == 0, result.output
        rows = json.loads(path.read_text(encoding="utf-8"))
        assert len(rows) == 1
        return rows[0]

    # Unit C's single response could be backed out of the county's pooled score.
    assert county()["awareness_raw"] is None
    submit(session, tiny.round, tiny.units[2], (2, 2, 2), "c2")
    session.commit()
    pooled = county()
    assert pooled["awareness_n"] == 6
    assert pooled["awareness_raw"] == (100 + 50 + 0 + 0 + 75 + 25) / 6
