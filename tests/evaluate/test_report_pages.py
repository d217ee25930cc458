"""The round report in the browser: league table, charts, report cards and downloads.

A tiny round (three items, one per dimension) over two counties and two kinds of unit, with
min_n 2: S9 has a single response and is suppressed in every dimension; its distinctive
answers (all 2 of 5 = 25.00) must appear nowhere. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.models import Round, Unit
from evalapp.reporting import cache as cache_module
from evalapp.reporting import cached_card, cached_file, report_folder
from evalapp.responses.recording import AnswerInput, Submission, record_responses
from evalapp.rounds import operations as rounds
from evalapp.scoring import service
from reports import labels
from tests.factories import make_unit
from tests.observe.helpers import make_person
from tests.scoring.conftest import make_tiny_round

from .helpers import ZH, audit_actions, fresh, post, signed_in, text

SUPPRESSED_VALUE = "25.00"  # S9's only response scores 25 on every dimension
HOSTILE = '<script>alert("x")</script>=1+1'


@dataclass
class Report:
    round_id: int
    units: dict[str, Unit]

    @property
    def base(self) -> str:
        return f"/evaluate/rounds/{self.round_id}/report"


def _answer(value: float | None = None, words: str | None = None) -> AnswerInput:
    return AnswerInput(value=value, text=words, na=False, dont_know=False)


def _submit(session: Session, round_: Round, unit: Unit, values: tuple[int, int, int],
            key: str, idea: str | None = None) -> None:
    answers = {item: _answer(v) for item, v in zip(("know", "join", "like"), values,
                                                    strict=True)}
    if idea:
        answers["idea"] = _answer(words=idea)
    record_responses(session, round_, [Submission(
        unit_id=unit.id, submission_key=key, submitted_on=dt.date(2026, 11, 2),
        answers=answers, channel="handout")])


def _units(session: Session) -> dict[str, Unit]:
    east = make_unit(session, "county", code="CE", name="东区")
    west = make_unit(session, "county", code="CW", name="西区")
    return {"CE": east, "CW": west,
            "A1": make_unit(session, "youth_home", east, "A1", "东区青年之家"),
            "A2": make_unit(session, "branch", east, "A2", "东区团支部"),
            "B1": make_unit(session, "youth_home", west, "B1", "西区青年之家"),
            "S9": make_unit(session, "branch", west, "S9", "西区小团支部")}


ANSWERS = {"A1": [(5, 5, 5), (4, 5, 4), (5, 4, 5)], "A2": [(3, 3, 4), (2, 3, 3)],
           "B1": [(4, 4, 4), (4, 3, 5), (3, 4, 4)], "S9": [(2, 2, 2)]}


def make_report(session: Session, status: str = "open", previous: bool = False) -> Report:
    units = _units(session)
    scoped = [units[code] for code in ANSWERS]
    if previous:
        before = make_tiny_round(session, "九月", opens=dt.date(2026, 9, 1), units=scoped)
        for code, answers in ANSWERS.items():
            for number, values in enumerate(answers):
                _submit(session, before.round, units[code], values[::-1], f"p-{code}-{number}")
        rounds.close_round(session, before.round)
        rounds.publish_round(session, before.round)
    made = make_tiny_round(session, "十一月", units=scoped)
    for code, answers in ANSWERS.items():
        for number, values in enumerate(answers):
            idea = f"{HOSTILE} {code}-{number}" if number == 0 else None
            _submit(session, made.round, units[code], values, f"{code}-{number}", idea)
    if status in ("closed", "published"):
        rounds.close_round(session, made.round)
    if status == "published":
        rounds.publish_round(session, made.round)
    session.commit()
    return Report(made.round.id, units)


@pytest.fixture
def evaluator(client: FlaskClient, session: Session) -> FlaskClient:
    person = make_person(session, "evaluator", login="pingjia")
    session.commit()
    return signed_in(client, person.id)


def _get(client: FlaskClient, path: str, **options: object):  # type: ignore[no-untyped-def]
    """A GET whose body is read and whose file (a chart, a download) is closed."""
    response = client.get(path, **options)
    response.get_data()
    response.close()
    return response


def _post(client: FlaskClient, path: str, **options: object):  # type: ignore[no-untyped-def]
    response = post(client, path, **options)
    response.get_data()
    response.close()
    return response


def _league(page: str) -> list[str]:
    return re.findall(r'data-unit="([^"]+)"', page)


def _row(page: str, code: str) -> str:
    found = re.search(rf'<tr[^>]*data-unit="{code}">(.*?)</tr>', page, re.S)
    assert found, code
    return found.group(1)


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_league_table_shows_the_score_table(evaluator: FlaskClient,
                                                session: Session) -> None:
    report = make_report(session)
    page = text(_get(evaluator, report.base, headers=ZH))
    table = service.score_table(fresh(session), session.get(Round, report.round_id)).table
    ranked = table.dropna(subset=["rank"]).sort_values(["rank", "unit_code"])
    assert _league(page) == [*ranked["unit_code"], "S9"]
    for row in ranked.itertuples():
        cells = _cells(_row(page, row.unit_code))
        assert cells[0] == str(row.rank)
        assert cells[5:7] == [labels.number(row.composite_adjusted),
                              labels.number(row.composite_raw)]
        assert cells[7:10] == [labels.number(row.awareness_adjusted),
                               labels.number(row.awareness_raw), str(row.awareness_n)]
    assert "初步结果" in page or "尚未发布" in page


def test_suppressed_units_show_no_score_anywhere(evaluator: FlaskClient,
                                                 session: Session) -> None:
    report = make_report(session)
    page = text(_get(evaluator, report.base, headers=ZH))
    cells = _cells(_row(page, "S9"))
    assert cells[0] == "" and cells[1] == ""  # no rank, no stars
    assert cells.count("样本不足") == 4  # the composite and each dimension
    assert SUPPRESSED_VALUE not in _row(page, "S9")
    card = text(_get(evaluator, f"{report.base}/units/S9", headers=ZH))
    assert SUPPRESSED_VALUE not in card and "样本不足" in card
    assert "S9-0" not in card  # its suggestion is withheld (fewer than min_n responses)
    assert "为保护" in card or "不予显示" in card or "暂不显示" in card
    for sort in ("awareness_raw", "composite_adjusted"):  # sorting shows nothing either
        sorted_page = text(_get(evaluator, f"{report.base}?sort={sort}&order=asc"))
        assert _league(sorted_page)[-1] == "S9"


def test_sorting_and_filtering(evaluator: FlaskClient, session: Session) -> None:
    report = make_report(session)
    table = service.score_table(fresh(session), session.get(Round, report.round_id)).table
    by_awareness = table.dropna(subset=["awareness_raw"]).sort_values(
        ["awareness_raw", "rank", "unit_code"], ascending=[True, True, True])
    page = text(_get(evaluator, f"{report.base}?sort=awareness_raw&order=asc"))
    assert _league(page) == [*by_awareness["unit_code"], "S9"]
    page = text(_get(evaluator, f"{report.base}?sort=unit&order=desc"))
    assert _league(page) == ["S9", "B1", "A2", "A1"]
    page = text(_get(evaluator, f"{report.base}?sort=awareness_n"))  # n: largest first
    assert _league(page)[0] in ("A1", "B1") and _league(page)[-1] == "S9"
    assert _league(text(_get(evaluator, f"{report.base}?county=CW"))) == ["B1", "S9"]
    assert _league(text(_get(evaluator, f"{report.base}?kind=youth_home"))) in (
        ["A1", "B1"], ["B1", "A1"])
    assert _league(text(_get(evaluator, f"{report.base}?county=CE&kind=branch"))) == ["A2"]


@pytest.mark.parametrize("query", ["sort=bogus", "order=up", "county=XX", "kind=castle",
                                   "county=../../etc", "sort=" + "x" * 500, "page=abc"])
def test_bad_query_values_are_400(evaluator: FlaskClient, session: Session,
                                  query: str) -> None:
    report = make_report(session)
    response = _get(evaluator, f"{report.base}?{query}", headers=ZH)
    assert response.status_code == 400, query
    assert "<p class=\"detail\">" in text(response)


def test_the_unit_card(evaluator: FlaskClient, session: Session) -> None:
    report = make_report(session, previous=True)
    page = text(_get(evaluator, f"{report.base}/units/A1", headers=ZH))
    data_round = session.get(Round, report.round_id)
    row = service.score_table(fresh(session), data_round).table.set_index("unit_code").loc["A1"]
    assert labels.number(row["composite_adjusted"]) in page
    assert labels.number(row["awareness_raw"]) in page
    assert "东区" in page  # its county, compared with
    trend = service.trend_table(session, data_round).set_index("unit_code").loc["A1"]
    assert labels.signed(trend["awareness_delta"]) in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;=1+1 A1-0" in page  # escaped
    assert "<script>alert" not in page
    assert re.search(r"Wilson", page)
    for name in ("dimensions", "items"):
        image = _get(evaluator, f"{report.base}/units/A1/{name}.svg")
        assert image.status_code == 200 and image.mimetype == "image/svg+xml"
        assert image.data.startswith(b"<?xml")
    assert _get(evaluator, f"{report.base}/units/NOPE", headers=ZH).status_code == 404
    assert _get(evaluator, f"{report.base}/units/NOPE/items.svg").status_code == 404
    assert _get(evaluator, f"{report.base}/units/A1/other.svg").status_code == 404
    assert _get(evaluator, "/evaluate/rounds/999/report/units/A1").status_code == 404


def test_charts_are_made_once_and_served_as_svg(app: Flask, evaluator: FlaskClient,
                                               session: Session) -> None:
    report = make_report(session, previous=True)
    page = text(_get(evaluator, report.base, headers=ZH))
    sources = re.findall(r'<img src="([^"]+)"[^>]*alt="([^"]+)"', page)
    names = {src.rsplit("/", 1)[1] for src, _ in sources}
    assert {"composite-1.svg", "heatmap-1.svg", "counties.svg", "funnel-awareness.svg",
            "distribution-composite.svg", "stars.svg", "trend.svg"} <= names
    assert all(alt.strip() for _, alt in sources)
    first = _get(evaluator, sources[0][0])
    assert first.status_code == 200 and first.mimetype == "image/svg+xml"
    folder = report_folder(fresh(session), session.get(Round, report.round_id),
                           app.instance_path)
    cached = folder / "charts" / "composite-1.svg"
    assert cached.read_bytes() == first.data
    made = cached.stat().st_mtime_ns
    again = _get(evaluator, sources[0][0], headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and cached.stat().st_mtime_ns == made
    for missing in ("composite-9", "nothing", "trend-1", "..%2F..%2Fsecret_key"):
        assert _get(evaluator, f"{report.base}/charts/{missing}.svg").status_code == 404


def test_no_trend_chart_without_a_previous_round(evaluator: FlaskClient,
                                                 session: Session) -> None:
    report = make_report(session)
    page = text(_get(evaluator, report.base, headers=ZH))
    assert "trend.svg" not in page
    assert _get(evaluator, f"{report.base}/charts/trend.svg").status_code == 404


def test_downloads_are_the_cached_files_and_audited(app: Flask, evaluator: FlaskClient,
                                                    session: Session) -> None:
    report = make_report(session)
    round_ = session.get(Round, report.round_id)
    for name, content_type in (("scores.csv", "text/csv"), ("items.csv", "text/csv"),
                               ("report.xlsx", "application/vnd.openxmlformats-officedocument"
                                               ".spreadsheetml.sheet")):
        response = _post(evaluator, f"{report.base}/files/{name}", page=report.base)
        assert response.status_code == 200, name
        assert response.mimetype == content_type
        path = cached_file(fresh(session), round_, name, app.instance_path)
        assert response.data == path.read_bytes()
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="round-{report.round_id}-{name}"')
        assert f"filename*=UTF-8''{report.round_id}-{quote('十一月')}-{name}" in disposition
        assert response.headers["Cache-Control"] == "no-store"
    assert audit_actions(session, "round").count("export") == 3
    page = text(_get(evaluator, report.base, headers=ZH))
    for name in ("report.pdf", "report.xlsx", "scores.csv", "items.csv"):
        assert f'action="{report.base}/files/{name}"' in page


def test_a_published_rounds_files_never_change(app: Flask, evaluator: FlaskClient,
                                               session: Session) -> None:
    report = make_report(session, status="published")
    first = _post(evaluator, f"{report.base}/units/A1/card.pdf", page=report.base)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF")
    round_ = fresh(session).get(Round, report.round_id)
    path = cached_card(session, round_, "A1", app.instance_path)
    assert path.read_bytes() == first.data and "published" in str(path)
    made = path.stat().st_mtime_ns
    scores = _post(evaluator, f"{report.base}/files/scores.csv", page=report.base)
    again = _post(evaluator, f"{report.base}/units/A1/card.pdf", page=report.base)
    assert again.data == first.data and path.stat().st_mtime_ns == made
    assert _post(evaluator, f"{report.base}/files/scores.csv", page=report.base).data \
        == scores.data
    assert "已发布" in text(_get(evaluator, report.base, headers=ZH))


def test_downloads_refuse_unknown_names_and_gets(evaluator: FlaskClient,
                                                 session: Session) -> None:
    report = make_report(session)
    for name in ("secret_key", "..%2F..%2Fsecret_key", "report.docx"):
        response = _post(evaluator, f"{report.base}/files/{name}", page=report.base)
        assert response.status_code == 404, name
    assert _post(evaluator, f"{report.base}/units/NOPE/card.pdf",
                page=report.base).status_code == 404
    assert _get(evaluator, f"{report.base}/files/scores.csv").status_code == 405
    assert evaluator.post(f"{report.base}/files/scores.csv").status_code == 400  # no token
    assert "export" not in audit_actions(session, "round")


def test_the_round_page_links_to_the_report(evaluator: FlaskClient, session: Session) -> None:
    report = make_report(session)
    page = text(_get(evaluator, f"/evaluate/rounds/{report.round_id}", headers=ZH))
    assert f'href="{report.base}"' in page


def test_other_roles_are_refused(client: FlaskClient, session: Session) -> None:
    report = make_report(session)
    paths = [report.base, f"{report.base}/units/A1", f"{report.base}/charts/stars.svg",
             f"{report.base}/units/A1/items.svg"]
    for path in paths:
        response = _get(client, path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    observer = make_person(session, "observer", login="guancha")
    session.commit()
    signed_in(client, observer.id)
    for path in paths:
        assert _get(client, path).status_code == 403, path
    assert _post(client, f"{report.base}/files/scores.csv", page="/").status_code == 403


def test_the_dashboard_needs_no_inline_script_or_style(evaluator: FlaskClient,
                                                       session: Session) -> None:
    report = make_report(session)
    for path in (report.base, f"{report.base}/units/A1"):
        page = text(_get(evaluator, path, headers=ZH))
        assert "<script>" not in page and " style=" not in page and "<style" not in page


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # SQLite's write lock
def test_making_a_file_holds_no_write_lock(app: Flask, evaluator: FlaskClient, session: Session,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """While a download's file is made (a minute for a large PDF), others can still write."""
    report = make_report(session)
    session.rollback()
    path = session.get_bind().url.database
    others_wrote: list[bool] = []
    making = cache_module.file_bytes

    def make_while_another_writes(data, name, workers=None):  # type: ignore[no-untyped-def]
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if the request holds the lock
            other.execute("ROLLBACK")
            others_wrote.append(True)
        finally:
            other.close()
        return making(data, name, workers)

    monkeypatch.setattr(cache_module, "file_bytes", make_while_another_writes)
    response = _post(evaluator, f"{report.base}/files/scores.csv", page=report.base)
    assert response.status_code == 200 and others_wrote == [True]
    assert audit_actions(session, "round").count("export") == 1
