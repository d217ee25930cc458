"""JSON Schemas (OpenAPI 3.1) of every API answer, strict: each field required, no others.

The row schemas of the result tables are built from the tables' column lists (the score
table's :data:`reports.TABLE_COLUMNS`, the item results' columns), and a test checks they
name the same columns in the same order, so a column added to a table cannot go undocumented.
Suppressed figures are null, never a number, next to their ``*_suppressed`` flag.
"""

from __future__ import annotations

from typing import Any

from reports import DIMENSIONS
from reports.item_results import ITEM_RESULT_COLUMNS
from reports.table import STAT_FIELDS

from ..models import MODES, ROUND_STATUSES, SUGGESTION_STATUSES, UNIT_KINDS
from ..scoring.cli import ROLLUP_KINDS
from .pagination import MAX_PAGE, MAX_PER_PAGE

Schema = dict[str, Any]

INTEGER: Schema = {"type": "integer"}
COUNT: Schema = {"type": "integer", "minimum": 0}
NUMBER: Schema = {"type": ["number", "null"]}
BOOLEAN: Schema = {"type": "boolean"}
TEXT: Schema = {"type": "string"}
OPTIONAL_TEXT: Schema = {"type": ["string", "null"]}
DAY: Schema = {"type": "string", "format": "date"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def enum(values: tuple[str, ...]) -> Schema:
    return {"type": "string", "enum": list(values)}


def strict(properties: dict[str, Schema], description: str = "") -> Schema:
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(properties), "additionalProperties": False}
    return schema | ({"description": description} if description else {})


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


PAGE_PROPERTIES: dict[str, Schema] = {
    "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    "total": COUNT,
    "next": OPTIONAL_TEXT | {"description": "URL of the next page, null on the last."},
    "prev": OPTIONAL_TEXT | {"description": "URL of the previous page, null on the first."},
}


def page_of(key: str, rows: Schema, description: str, **before: Schema) -> Schema:
    return strict({**before, key: array(rows), **PAGE_PROPERTIES}, description)


def _dimension(d: str, adjusted: bool) -> dict[str, Schema]:
    fields: dict[str, Schema] = {f"{d}_n": COUNT}
    fields |= {f"{d}_{field}": NUMBER for field in STAT_FIELDS}
    if adjusted:
        fields[f"{d}_adjusted"] = NUMBER
    return fields | {f"{d}_suppressed": BOOLEAN}


def score_row() -> Schema:
    properties: dict[str, Schema] = {
        "round": INTEGER, "unit_code": TEXT, "unit_name": TEXT, "unit_kind": enum(UNIT_KINDS),
        "parent_code": OPTIONAL_TEXT}
    for d in DIMENSIONS:
        properties |= _dimension(d, adjusted=True)
    properties |= {"composite_raw": NUMBER, "composite_adjusted": NUMBER,
                   "composite_suppressed": BOOLEAN,
                   "rank": {"type": ["integer", "null"], "minimum": 1},
                   "rank_in_kind": {"type": ["integer", "null"], "minimum": 1},
                   "stars": {"type": ["integer", "null"], "minimum": 1}}
    return strict(properties, "One unit's scores; suppressed figures are null.")


def rollup_row() -> Schema:
    properties: dict[str, Schema] = {
        "round": INTEGER, "group_code": TEXT, "group_name": OPTIONAL_TEXT,
        "group_kind": {"type": ["string", "null"]}, "units": COUNT, "units_published": COUNT}
    properties |= {f"stars_{star}": COUNT for star in range(1, 6)}
    for d in DIMENSIONS:
        properties |= _dimension(d, adjusted=False)
    properties |= {"composite_raw": NUMBER, "composite_suppressed": BOOLEAN}
    return strict(properties, "One area's pooled scores (no adjusted score).")


def trend_row() -> Schema:
    properties: dict[str, Schema] = {
        "round": INTEGER, "previous_round": INTEGER, "unit_code": TEXT, "unit_name": TEXT,
        "unit_kind": enum(UNIT_KINDS)}
    for d in DIMENSIONS:
        properties |= {f"{d}_previous": NUMBER, f"{d}_delta": NUMBER,
                       f"{d}_significant": {"type": ["boolean", "null"]}}
    properties |= {"composite_previous": NUMBER, "composite_delta": NUMBER}
    return strict(properties, "Δ of raw scores; null where either round suppresses the "
                              "score, significance null where it cannot be tested.")


def item_row() -> Schema:
    types: dict[str, Schema] = {"round": INTEGER, "unit_code": TEXT, "item_id": TEXT,
                                "dimension": TEXT, "n": COUNT, "suppressed": BOOLEAN}
    return strict({column: types.get(column, NUMBER) for column in ITEM_RESULT_COLUMNS},
                  "One unit's results on one scored item; suppressed figures are null.")


ROUND_REF = strict({"id": INTEGER, "name": TEXT, "mode": enum(MODES),
                    "status": enum(ROUND_STATUSES), "min_n": {"type": "integer", "minimum": 1}})
ROUND_SUMMARY: dict[str, Schema] = {
    **ROUND_REF["properties"],
    "instrument": strict({"key": TEXT, "version": INTEGER, "title_zh": TEXT, "title_en": TEXT}),
    "opens_on": DAY, "closes_on": DAY, "units": COUNT,
}
UNIT_SUMMARY: dict[str, Schema] = {"code": TEXT, "name": TEXT, "kind": enum(UNIT_KINDS),
                                   "parent_code": OPTIONAL_TEXT, "active": BOOLEAN}
PROGRESS_COUNTS = ("assigned", "drafts", "submitted", "responses", "excluded")
COUNTY_NAME = {"county_code": TEXT | {"description": "Empty for units outside any county."},
               "county_name": TEXT}


def components() -> dict[str, Schema]:
    """Every component schema, by name."""
    return {
        "Error": strict({
            "error": TEXT | {"description": "The status's title, in the caller's language."},
            "status": INTEGER,
            "detail": TEXT | {"description": "What was wrong."},
            "parameter": TEXT | {"description": "The query parameter at fault."},
        }) | {"required": ["error", "status"]},
        "RoundRef": ROUND_REF,
        "UnitSummary": strict(UNIT_SUMMARY),
        "Unit": strict({**UNIT_SUMMARY, "parent_name": OPTIONAL_TEXT, "address": OPTIONAL_TEXT,
                        "contact": OPTIONAL_TEXT, "phone": OPTIONAL_TEXT,
                        "children": COUNT | {"description": "Units directly below."}}),
        "UnitList": page_of("units", ref("UnitSummary"), "A page of units."),
        "RoundSummary": strict(ROUND_SUMMARY),
        "Round": strict({**ROUND_SUMMARY,
                         "weights": {"type": "object", "additionalProperties": {"type": "number"}},
                         "star_cutoffs": array({"type": "number"}),
                         "observers_per_unit": {"type": "integer", "minimum": 1}}),
        "RoundList": page_of("rounds", ref("RoundSummary"), "A page of rounds."),
        **_progress(),
        **_results(),
        "Suggestion": strict({
            "id": INTEGER, "unit_code": TEXT, "unit_name": TEXT, "item_id": TEXT, "text": TEXT,
            "status": enum(SUGGESTION_STATUSES), "note": OPTIONAL_TEXT, "created_on": DAY,
            "status_changed_on": {"type": ["string", "null"], "format": "date"}}),
        "SuggestionList": page_of("suggestions", ref("Suggestion"), "A page of suggestions.",
                                  round=ref("RoundRef")),
        "OpenApiDocument": {"type": "object", "required": ["openapi", "info", "paths"]},
    }


def _progress() -> dict[str, Schema]:
    counts = {name: COUNT for name in PROGRESS_COUNTS}
    return {
        "UnitProgress": strict({**COUNTY_NAME, "unit_code": TEXT, "unit_name": TEXT, **counts,
                                "short_of_min_n": COUNT}),
        "CountyProgress": strict({**COUNTY_NAME, "units": COUNT, **counts,
                                  "units_at_min_n": COUNT}),
        "Progress": page_of("units", ref("UnitProgress"), "A page of units' progress.",
                            round=ref("RoundRef"), closes_on=DAY, days_left=COUNT,
                            counties=array(ref("CountyProgress"))),
    }


def _results() -> dict[str, Schema]:
    version = TEXT | {"description": "Hash of the data the figures come from."}
    frozen = BOOLEAN | {"description": "True when read from the published (frozen) result."}
    return {
        "ScoreRow": score_row(),
        "ScoreTable": page_of("scores", ref("ScoreRow"), "A page of the score table.",
                              round=ref("RoundRef"), data_version=version, frozen=frozen,
                              warnings=array(TEXT)),
        "TrendRow": trend_row(),
        "Trend": page_of("trend", ref("TrendRow"), "A page of changes since the previous "
                         "round.", round=ref("RoundRef"),
                         previous_round={"anyOf": [ref("RoundRef"), {"type": "null"}]}),
        "RollupRow": rollup_row(),
        "Rollups": page_of("rollups", ref("RollupRow"), "A page of roll-ups.",
                           round=ref("RoundRef"), level=enum(ROLLUP_KINDS)),
        "ItemResult": item_row(),
        "ItemResults": page_of("items", ref("ItemResult"), "A page of item results.",
                               round=ref("RoundRef"), data_version=version, frozen=frozen),
    }
