"""A unit's report card as plain values for its web page: the same figures as the PDF card
(`reports.pdf.card`), from the same `UnitCard`, with suppression already applied (a hidden
value is None and its row says so)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reports.model import ReportData, UnitCard
from reports.pdf.card import responses, withholds_suggestions
from reports.settings import DIMENSIONS


@dataclass(frozen=True)
class UnitPage:
    code: str
    name: str
    kind: str
    county: str | None
    rank: int | None
    ranked: int
    rank_in_kind: int | None
    ranked_in_kind: int
    stars: int | None
    composite: float | None
    responses: int
    min_n: int
    dimensions: list[dict[str, Any]]
    items: list[dict[str, Any]]
    has_trend: bool
    suggestions: tuple[str, ...]
    withheld: bool


def unit_page(data: ReportData, card: UnitCard, language: str = "zh_CN") -> UnitPage:
    row = card.row
    kind = str(row["unit_kind"])
    ranked = data.ranked
    suppressed = bool(row["composite_suppressed"])
    return UnitPage(
        code=str(row["unit_code"]), name=str(row["unit_name"]), kind=kind,
        county=None if card.county is None else str(card.county["group_name"]),
        rank=None if suppressed else plain(row["rank"]), ranked=len(ranked),
        rank_in_kind=None if suppressed else plain(row["rank_in_kind"]),
        ranked_in_kind=int((ranked["unit_kind"] == kind).sum()),
        stars=None if suppressed else plain(row["stars"]),
        composite=None if suppressed else plain(row["composite_adjusted"]),
        responses=responses(card), min_n=card.settings.min_n,
        dimensions=[*(_dimension(card, d) for d in DIMENSIONS), _composite(card)],
        items=_items(card, language), has_trend=card.trend is not None,
        suggestions=() if withholds_suggestions(card) else card.suggestions,
        withheld=withholds_suggestions(card) and bool(card.suggestions),
    )


def _dimension(card: UnitCard, d: str) -> dict[str, Any]:
    row, trend = card.row, card.trend
    hidden = bool(row[f"{d}_suppressed"])
    values = {f: None if hidden else plain(row[f"{d}_{f}"])
              for f in ("raw", "ci_low", "ci_high", "adjusted")}
    return {"key": d, "n": plain(row[f"{d}_n"]), "suppressed": hidden, **values,
            **_pooled(card.county, d, "county"), **_pooled(card.overall, d, "city"),
            "delta": None if trend is None else plain(trend[f"{d}_delta"]),
            "significant": None if trend is None else plain(trend[f"{d}_significant"])}


def _composite(card: UnitCard) -> dict[str, Any]:
    row, trend = card.row, card.trend
    hidden = bool(row["composite_suppressed"])
    return {"key": "composite", "n": None, "suppressed": hidden,
            "raw": None if hidden else plain(row["composite_raw"]), "ci_low": None,
            "ci_high": None, "adjusted": None if hidden else plain(row["composite_adjusted"]),
            **_pooled(card.county, "composite", "county"),
            **_pooled(card.overall, "composite", "city"),
            "delta": None if trend is None else plain(trend["composite_delta"]),
            "significant": None}


def _pooled(group: pd.Series | None, d: str, prefix: str) -> dict[str, Any]:
    if group is None:
        return {prefix: None, f"{prefix}_suppressed": False}
    hidden = bool(group[f"{d}_suppressed"])
    return {prefix: None if hidden else plain(group[f"{d}_raw"]),
            f"{prefix}_suppressed": hidden}


def _items(card: UnitCard, language: str) -> list[dict[str, Any]]:
    items = card.items.sort_values("position", kind="stable")
    text = "text_en" if language == "en" else "text_zh"
    rows = []
    for item in items.to_dict("records"):
        hidden = bool(item["suppressed"])
        shown = plain(item.get(text)) or plain(item.get("text_zh")) or item["item_id"]
        rows.append({
            "item_id": item["item_id"], "text": str(shown), "dimension": item["dimension"],
            "n": plain(item["n"]), "suppressed": hidden,
            **{key: None if hidden else plain(item[column])
               for key, column in (("mean", "mean"), ("positive", "positive_pct"),
                                   ("low", "positive_ci_low"), ("high", "positive_ci_high"))},
            "median": plain(item["median_pct"]),
        })
    return rows


def plain(value: object) -> Any:
    """A table value for a template: None for NaN and NA, Python numbers for numpy's."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[attr-defined]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
