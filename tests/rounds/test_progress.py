"""Round progress per unit and county, its CSV and `evalapp round progress`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from evalapp.models import Draft, Response
from evalapp.responses.exclusions import exclude_response
from evalapp.rounds import operations as rounds
from evalapp.rounds.progress import round_progress
from tests.factories import make_unit, make_user
from tests.scoring.conftest import make_tiny_round, submit


def test_progress_counts_per_unit_and_county(session: Session, runner: FlaskCliRunner,
                                             tmp_path: Path) -> None:
    county = make_unit(session, kind="county", code="P-C1", name="翠屏区")
    a = make_unit(session, parent=county, code="P-A", name="甲支部")
    b = make_unit(session, parent=county, code="P-B", name="乙支部")
    loose = make_unit(session, code="P-L", name="=直属单位")
    tiny = make_tiny_round(session, units=[a, b, loose], min_n=2)
    round_ = tiny.round
    observers = [make_user(session) for _ in range(3)]
    first = rounds.assign_observer(session, round_, a, observers[0])
    rounds.assign_observer(session, round_, a, observers[1])
    rounds.assign_observer(session, round_, b, observers[2])
    session.add_all([Draft(assignment_id=first.id, submission_key="d1"),
                     Draft(assignment_id=first.id, submission_key="d2")])
    first.status = "submitted"
    for n in range(3):
        submit(session, round_, a, (4, 4, 4), f"a{n}")
    excluded = submit(session, round_, b, (1, 1, 1), "b0")
    exclude_response(session, session.get_one(Response, excluded), "重复提交")
    session.commit()

    report = round_progress(session, round_, today=round_.closes_on - dt.timedelta(days=4))
    assert report.days_left == 4 and report.min_n == 2
    rows = {unit.unit_code: unit for unit in report.units}
    assert (rows["P-A"].assigned, rows["P-A"].drafts, rows["P-A"].submitted,
            rows["P-A"].responses) == (2, 2, 1, 3)
    assert (rows["P-B"].assigned, rows["P-B"].responses, rows["P-B"].excluded) == (1, 0, 1)
    assert rows["P-L"].county_name == "(no county)" and rows["P-L"].short_of(2) == 2
    counties = {c.county_code: c for c in report.counties}
    assert (counties["P-C1"].units, counties["P-C1"].assigned, counties["P-C1"].responses,
            counties["P-C1"].units_at_min_n) == (2, 3, 3, 1)
    assert list(report.county_frame()["county_code"]) == ["", "P-C1"]

    data = report.csv()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns)[-3:] == ["min_n", "short_of_min_n", "days_left"]
    assert frame.loc[frame["unit_code"] == "P-L", "unit_name"].item() == "'=直属单位"

    target = tmp_path / "progress.csv"
    result = runner.invoke(args=["round", "progress", str(round_.id), "--csv", str(target)])
    assert result.exit_code == 0, result.output
    assert "P-C1" in result.output and "1/2 units at min_n" in result.output
    assert "P-B" in result.output and "(2 short)" in result.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    rounds.close_round(session, round_)
    assert round_progress(session, round_).days_left == 0
