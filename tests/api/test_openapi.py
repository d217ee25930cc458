"""The OpenAPI document covers the whole API: every API rule of the URL map was declared with
``api_route`` and is in the document, and the result tables' columns are all described."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from evalapp import create_app
from evalapp.api.openapi import document
from evalapp.api.routes import ROUTES
from evalapp.api.schemas import components
from reports import TABLE_COLUMNS
from reports.item_results import ITEM_RESULT_COLUMNS

IMPLICIT = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app's URL map is all these tests need (no database is touched)."""
    folder = tmp_path_factory.mktemp("openapi")
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'x.db'}",
                       "INSTANCE_PATH": folder, "SECRET_KEY": "k", "RATER_SECRET": "r"})


def _openapi_path(rule: str) -> str:
    """``/api/v1/rounds/<int(...):round_id>`` → ``/rounds/{round_id}``."""
    return re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_every_api_rule_is_declared_and_documented(bare_app: Flask) -> None:
    paths = document()["paths"]
    api_rules = [rule for rule in bare_app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert len(api_rules) == len(ROUTES) >= 11
    for rule in api_rules:
        view = bare_app.view_functions[rule.endpoint]
        assert getattr(view, "api_route", None) is not None, \
            f"{rule.rule} was not declared with evalapp.api.routes.api_route"
        path = _openapi_path(rule.rule)
        assert path == view.api_route.path
        for method in sorted((rule.methods or set()) - IMPLICIT):
            assert method.lower() in paths.get(path, {}), f"{method} {path} is not documented"


def test_every_documented_operation_is_routed(bare_app: Flask) -> None:
    routed = {_openapi_path(rule.rule): rule.methods or set()
              for rule in bare_app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    for path, operations in document()["paths"].items():
        assert {method.upper() for method in operations} <= routed[path]


def test_operations_describe_parameters_errors_and_security() -> None:
    doc = document()
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "An API token made in the admin pages."}
    for path, operations in doc["paths"].items():
        spec = operations["get"]
        public = path == "/openapi.json"
        assert (spec.get("security") == []) is public
        codes = set(spec["responses"])
        assert codes >= ({"200"} if public else {"200", "401", "403"})
        assert ("404" in codes) is ("{" in path)
        names = {p["name"] for p in spec["parameters"]}
        assert set(re.findall(r"{(\w+)}", path)) <= names
        if "page" in names:
            assert "Link" in spec["responses"]["200"]["headers"] and "400" in codes
        for code in codes - {"200"}:
            assert spec["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}


def test_table_rows_are_described_column_by_column() -> None:
    schemas = components()
    assert list(schemas["ScoreRow"]["properties"]) == list(TABLE_COLUMNS)
    assert list(schemas["ItemResult"]["properties"]) == list(ITEM_RESULT_COLUMNS)
    for name in ("ScoreRow", "ItemResult", "RollupRow", "TrendRow", "Unit", "Round"):
        assert schemas[name]["additionalProperties"] is False
        assert schemas[name]["required"] == list(schemas[name]["properties"])


def test_every_reference_resolves() -> None:
    doc = document()
    text = str(doc)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in doc["components"]["schemas"]
