"""The API's resources on SQLite and PostgreSQL: filters, paging, errors, suppression and
anonymity. Every answer is also checked against the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.api.openapi import document
from evalapp.api.routes import ROUTES
from evalapp.models import Unit
from tests.api.conftest import City, bearer

SCHEMA = schemathesis.openapi.from_dict(document())
PATHS = sorted((route.path for route in ROUTES), key=len, reverse=True)


class Api:
    """A client for the API that signs every call with the city's token and checks the
    answer against the document."""

    def __init__(self, client: FlaskClient, city: City) -> None:
        self.client, self.city = client, city

    def get(self, url: str, status: int = 200) -> Any:
        response = self.client.get(f"/api/v1{url}", headers=bearer(self.city.token))
        assert response.status_code == status, response.get_data(as_text=True)
        SCHEMA[_template(url)]["GET"].validate_response(response)
        self.last = response
        return response.json

    def all_rows(self, url: str, key: str) -> list[dict[str, Any]]:
        """Every row of a paged list, following ``next``."""
        rows: list[dict[str, Any]] = []
        body = self.get(url)
        while True:
            rows += body[key]
            if body["next"] is None:
                return rows
            body = self.get(body["next"].removeprefix("http://localhost/api/v1"))


def _template(url: str) -> str:
    """The document's path template that ``url`` (path and query) falls under."""
    parts = url.split("?")[0].strip("/").split("/")
    for path in PATHS:
        pattern = path.strip("/").split("/")
        if len(pattern) == len(parts) and all(
                p.startswith("{") or p == part for p, part in zip(pattern, parts, strict=True)):
            return path
    raise AssertionError(f"{url} is not in the document")


@pytest.fixture
def api(client: FlaskClient, city: City) -> Api:
    return Api(client, city)


def codes(rows: list[dict[str, Any]], key: str = "code") -> list[str]:
    return [row[key] for row in rows]


def test_units_filter_and_page(api: Api, session: Session, city: City) -> None:
    everything = api.all_rows("/units?per_page=4", "units")
    assert codes(everything) == sorted(city.units)
    first = api.get("/units?per_page=4")
    links = {rel: url for url, rel in (part.split("; ") for part in
                                      api.last.headers["Link"].split(", "))}
    assert links['rel="next"'] == f"<{first['next']}>" and 'rel="prev"' not in links
    assert links['rel="last"'] == "<http://localhost/api/v1/units?page=3&per_page=4>"
    assert codes(api.get("/units?kind=county")["units"]) == ["K1", "K2"]
    assert codes(api.get("/units?parent=K1")["units"]) == ["K1-B1", "K1-B2", "K1-H1"]
    assert api.get("/units?parent=NOPE")["units"] == []
    session.get(Unit, city.units["C-D1"].id).active = False  # type: ignore[union-attr]
    session.commit()
    assert codes(api.get("/units?active=false")["units"]) == ["C-D1"]
    past = api.get("/units?page=7&per_page=4")
    assert past["units"] == [] and past["next"] is None and "page=3&" in past["prev"]


def test_one_unit(api: Api) -> None:
    home = api.get("/units/K1-H1")
    assert home == {
        "code": "K1-H1", "name": "翠屏青年之家", "kind": "youth_home", "parent_code": "K1",
        "active": True, "parent_name": "翠屏区", "address": None, "contact": None,
        "phone": "0831-1234567", "children": 0}
    assert api.get("/units/K1")["children"] == 3
    assert api.get("/units/NOPE", 404) == {"error": "页面不存在", "status": 404}


BAD = [
    ("/units?kind=town", "kind"), ("/units?per_page=1001", "per_page"),
    ("/units?per_page=0", "per_page"), ("/units?page=0", "page"), ("/units?page=two", "page"),
    ("/units?page=99999999999999999999999", "page"), ("/units?active=yes", "active"),
    ("/units?parent=%00", "parent"), ("/rounds?status=finished", "status"),
    ("/rounds?mode=weekly", "mode"), ("/rounds/{current}/rollups?level=street", "level"),
    ("/rounds/{current}/suggestions?status=done", "status"),
    ("/rounds/{current}/suggestions?under=" + "x" * 65, "under"),
    ("/rounds/{current}/items?unit=", "unit"),
]


def test_bad_parameters_are_400s_naming_them(api: Api, city: City) -> None:
    for url, parameter in BAD:
        body = api.get(url.format(current=city.current.id), 400)
        assert body["parameter"] == parameter and parameter in body["detail"]


def test_unknown_rounds_and_methods(api: Api, city: City) -> None:
    for tail in ("", "/progress", "/scores", "/trend", "/rollups", "/items", "/suggestions"):
        assert api.get(f"/rounds/999{tail}", 404)["status"] == 404
    client = api.client
    assert client.get("/api/v1/rounds/0", headers=bearer(city.token)).status_code == 404
    assert client.get("/api/v1/rounds/99999999999", headers=bearer(city.token)).status_code \
        == 404
    refused = client.post("/api/v1/units", headers=bearer(city.token))
    assert refused.status_code == 405 and "GET" in refused.headers["Allow"]


def test_rounds(api: Api, city: City) -> None:
    listed = api.get("/rounds")["rounds"]
    assert [r["status"] for r in listed] == ["draft", "open", "published"]
    assert [r["id"] for r in api.get("/rounds?status=published")["rounds"]] == \
        [city.published.id]
    assert api.get("/rounds?mode=daily")["rounds"] == []
    detail = api.get(f"/rounds/{city.current.id}")
    assert detail["units"] == 5 and detail["min_n"] == 2 and detail["star_cutoffs"][0] == 60
    assert detail["instrument"]["key"] == "tiny"


def test_scores_keep_their_shape_and_page(api: Api, city: City) -> None:
    url = f"/rounds/{city.current.id}/scores"
    whole = api.get(url)
    assert list(whole)[:5] == ["round", "data_version", "frozen", "warnings", "scores"]
    assert whole["total"] == 5 and whole["next"] is None
    assert api.all_rows(f"{url}?per_page=2", "scores") == whole["scores"]
    home = next(row for row in whole["scores"] if row["unit_code"] == "K1-H1")
    assert home["awareness_n"] == 0 and home["awareness_suppressed"] is True
    assert home["awareness_raw"] is None and home["rank"] is None
    assert api.get(f"/rounds/{city.published.id}/scores")["frozen"] is True


ITEM_FIGURES = ("mean", "positive_pct", "positive_ci_low", "positive_ci_high")


def _hidden_figures(row: dict[str, Any]) -> Iterator[str]:
    """The figures a true ``*suppressed`` flag of ``row`` hides."""
    for flag, value in row.items():
        if not flag.endswith("suppressed") or value is not True:
            continue
        prefix = flag.removesuffix("suppressed")
        figures = ITEM_FIGURES if not prefix else [
            f for f in row if f.startswith(prefix) and not f.endswith(("_n", "suppressed"))]
        assert figures
        yield from figures


def test_no_suppressed_figure_is_ever_a_number(api: Api, city: City) -> None:
    """Every figure next to a true ``*suppressed`` flag is null, in every result table."""
    for round_ in (city.published, city.current, city.draft):
        tables = [(api.get(f"/rounds/{round_.id}/{key}"), key)
                  for key in ("scores", "rollups", "items", "trend")]
        tables.append((api.get(f"/rounds/{round_.id}/rollups?level=city"), "rollups"))
        hidden = [(row, figure) for body, key in tables for row in body[key]
                  for figure in _hidden_figures(row)]
        assert hidden and all(row[figure] is None for row, figure in hidden)
    trend = api.get(f"/rounds/{city.current.id}/trend")["trend"]
    scores = {row["unit_code"]: row for row in
              api.get(f"/rounds/{city.current.id}/scores")["scores"]}
    for row in trend:
        if scores[row["unit_code"]]["satisfaction_suppressed"]:
            assert row["satisfaction_delta"] is None and row["composite_delta"] is None


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_no_answer_names_an_observer(api: Api, city: City) -> None:
    """The observer was sent to K1-B1 and the unit has responses and a suggestion; no answer
    carries their login, name, a rater code or a response id."""
    urls = ["/units", "/rounds"] + [
        f"/rounds/{r.id}/{tail}" for r in (city.published, city.current, city.draft)
        for tail in ("progress", "scores", "trend", "rollups", "items", "suggestions")]
    bodies = [api.get(url) for url in urls]
    keys = {key for body in bodies for key in _keys(body)}
    assert "text" in keys and "assigned" in keys
    assert not {key for key in keys if "response_id" in key
                or any(word in key for word in ("observer", "rater", "user", "login"))}
    dumped = json.dumps(bodies, ensure_ascii=False)
    assert f'"{city.observer.login}"' not in dumped and city.observer.name not in dumped


def test_progress(api: Api, city: City) -> None:
    body = api.get(f"/rounds/{city.current.id}/progress?per_page=2")
    assert body["total"] == 5 and len(body["units"]) == 2
    assert [c["county_code"] for c in body["counties"]] == ["K1", "K2"]
    first = body["units"][0]
    assert first["unit_code"] == "K1-B1" and first["assigned"] == 1
    assert first["responses"] == 3 and first["short_of_min_n"] == 0


def test_trend_rollups_and_items(api: Api, city: City) -> None:
    trend = api.get(f"/rounds/{city.current.id}/trend")
    assert trend["previous_round"]["id"] == city.published.id
    first = trend["trend"][0]
    assert first["unit_code"] == "K1-B1" and first["previous_round"] == city.published.id
    assert first["awareness_previous"] == 75.0
    assert api.get(f"/rounds/{city.published.id}/trend") | {"round": None} == {
        "round": None, "previous_round": None, "trend": [], "page": 1, "per_page": 100,
        "total": 0, "next": None, "prev": None}
    rollups = api.get(f"/rounds/{city.current.id}/rollups")
    assert rollups["level"] == "county" and codes(rollups["rollups"], "group_code") == [
        "K1", "K2"]
    assert api.get(f"/rounds/{city.current.id}/rollups?level=township")["rollups"] == []
    items = api.get(f"/rounds/{city.current.id}/items?unit=K1-B1")["items"]
    assert [row["item_id"] for row in items] == ["know", "join", "like"]
    assert items[0]["n"] == 3 and items[0]["mean"] == pytest.approx(100 * 11 / 12)
    assert api.get(f"/rounds/{city.published.id}/items")["total"] == 15


def test_suggestions(api: Api, city: City) -> None:
    url = f"/rounds/{city.current.id}/suggestions"
    both = api.get(url)["suggestions"]
    assert codes(both, "unit_code") == ["K1-B1", "K2-B2"]
    assert both[1]["text"] == "=HYPERLINK(\"http://evil\")"
    forwarded = api.get(f"{url}?status=forwarded")["suggestions"]
    assert codes(forwarded, "unit_code") == ["K1-B1"] and "转交" in forwarded[0]["note"]
    assert codes(api.get(f"{url}?unit=K2-B2")["suggestions"], "unit_code") == ["K2-B2"]
    assert codes(api.get(f"{url}?under=K1")["suggestions"], "unit_code") == ["K1-B1"]
    assert len(api.get(f"{url}?under=C")["suggestions"]) == 2
    assert api.get(f"{url}?under=NOPE")["suggestions"] == []
    assert api.get(f"/rounds/{city.published.id}/suggestions")["total"] == 0
