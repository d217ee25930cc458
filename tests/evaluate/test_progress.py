"""Progress per county and unit, on the page and as CSV."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.models import Unit, User
from evalapp.observe import operations as observing
from evalapp.rounds import operations as rounds

from .helpers import build_city, make_round, signed_in, text


def test_progress_page_and_csv(client: FlaskClient, session: Session) -> None:
    city = build_city(session, observers=3)
    round_ = make_round(session, city, "open", min_n=3)
    home = session.get(Unit, city.homes[4])
    for n in (0, 1):
        assignment = rounds.assign_observer(session, round_, home, session.get(
            User, city.observers[n]))
    assert observing.start_draft(session, assignment.observer_id, assignment.id)
    session.commit()
    signed_in(client, city.evaluator)
    page = text(client.get(f"/evaluate/rounds/{round_.id}/progress"))
    assert "按区县" in page and "第2区" in page and "剩余天数" in page
    assert '<progress max="3" value="0">' in page
    response = client.get(f"/evaluate/rounds/{round_.id}/progress.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # a BOM: Excel and WPS read the Chinese names
    rows = {row["unit_code"]: row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert (rows["H22"]["assigned"], rows["H22"]["drafts"], rows["H22"]["short_of_min_n"]) == (
        "2", "1", "3")
    assert rows["H22"]["county_name"] == "第2区" and len(rows) == 6
