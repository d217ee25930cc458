"""The dashboard's charts: which ones a round's report shows, drawn as SVG by the draw
functions of `reports.charts`, and made once per round and data version in the round's
report folder (beside its files, see `cache`): `charts/<name>.svg` for the round,
`cards/…/<unit code>-<name>.svg` for a unit's card. A published round's charts are
written once and never change, like its files.

Names come from a fixed catalogue (`round_charts`, `UNIT_CHARTS`); a requested name is
looked up there and never used as a path as it is. SVG rather than PNG: sharp at any zoom
and on any screen, and the same data gives the same bytes (no dates, fixed hash salt).
The two long charts (composite and heat map) are split like the PDF's pages, so a large
round gives several images of the same row height rather than one very tall one.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from reports.charts import (
    draw_composite,
    draw_counties,
    draw_county_stars,
    draw_distribution,
    draw_funnel,
    draw_heatmap,
    draw_stars,
    draw_trend,
    draw_trend_deltas,
    draw_unit_dimensions,
    draw_unit_items,
    svg,
)
from reports.charts.composite import ROWS as COMPOSITE_ROWS
from reports.charts.heatmap import ROWS as HEAT_ROWS
from reports.charts.heatmap import heat_order
from reports.model import ReportData, UnitCard
from reports.settings import DIMENSIONS

from ..models import Round
from .cache import cached, require_unit, unit_folder

PART_NAME = re.compile(r"(?:composite|heatmap)-[1-9][0-9]{0,3}")
NAMES = frozenset({"counties", "county-stars", "stars", "trend", "trend-deltas",
                   *(f"funnel-{d}" for d in DIMENSIONS),
                   *(f"distribution-{d}" for d in (*DIMENSIONS, "composite"))})
UNIT_CHARTS = ("dimensions", "items")
ROW_INCHES = 0.17


@dataclass(frozen=True)
class Chart:
    """One image of the round's report: `kind` says what it shows (the page's captions and
    alt texts are chosen by it), `name` is its file name without `.svg`."""

    name: str
    kind: str
    draw: Callable[..., None]
    args: tuple[Any, ...] = ()
    size: tuple[float, float] = (7.5, 4.5)
    dimension: str | None = None
    first: int = 0  # the first and last row shown, 1-based, for the long charts
    last: int = 0

    def svg(self, data: ReportData) -> bytes:
        return svg(self.draw, data, *self.args, size=self.size)


def round_charts(data: ReportData) -> list[Chart]:
    """The round report's charts, in the order the page shows them."""
    charts = [*_parts(data, "composite", draw_composite, len(data.ranked), COMPOSITE_ROWS,
                      width=8.0, margin=0.9),
              *_parts(data, "heatmap", draw_heatmap, len(heat_order(data)), HEAT_ROWS,
                      width=5.2, margin=0.6)]
    counties = max(len(data.counties), 1)
    charts += [Chart("counties", "counties", draw_counties,
                     size=(8.0, 1.2 + 0.42 * counties)),
               Chart("county-stars", "county-stars", draw_county_stars,
                     size=(8.0, 1.0 + 0.3 * counties))]
    charts += [Chart(f"funnel-{d}", "funnel", draw_funnel, (d,), (6.0, 4.0), dimension=d)
               for d in DIMENSIONS]
    charts += [Chart(f"distribution-{d}", "distribution", draw_distribution, (d,), (6.0, 3.2),
                     dimension=d) for d in (*DIMENSIONS, "composite")]
    charts.append(Chart("stars", "stars", draw_stars, size=(6.0, 3.2)))
    if data.trend is not None:
        charts += [Chart("trend", "trend", draw_trend, size=(5.0, 5.0)),
                   Chart("trend-deltas", "trend-deltas", draw_trend_deltas, size=(6.0, 3.2))]
    return charts


def _parts(data: ReportData, kind: str, draw: Callable[..., None], total: int, rows: int,
           width: float, margin: float) -> list[Chart]:
    """A long chart in parts of at most `rows` rows, spread evenly, all of one row height."""
    count = max(1, math.ceil(total / rows))
    per_part = math.ceil(total / count) if total else 0
    charts = []
    for number in range(count):
        start, stop = number * per_part, min(total, (number + 1) * per_part)
        height = margin + ROW_INCHES * max(stop - start, 3)
        charts.append(Chart(f"{kind}-{number + 1}", kind, draw, (start, stop),
                            (width, height), first=start + 1, last=stop))
    return charts


def cached_chart(session: Session, round_: Round, name: str,
                 instance_path: str | os.PathLike[str]) -> Path | None:
    """The SVG of the round's chart `name`, made if missing; None when there is no such
    chart for this round (an unknown name, or a part beyond the last)."""
    if name not in NAMES and not PART_NAME.fullmatch(name):
        return None

    def make(data: ReportData) -> bytes:
        chart = next((c for c in round_charts(data) if c.name == name), None)
        if chart is None:
            raise LookupError(name)
        return chart.svg(data)

    try:
        return cached(session, round_, f"charts/{name}.svg", instance_path, make)
    except LookupError:
        return None


def unit_chart_svg(card: UnitCard, name: str) -> bytes:
    if name == "dimensions":
        return svg(draw_unit_dimensions, card, size=(7.5, 2.6))
    items = max(len(card.items), 1)
    return svg(draw_unit_items, card, size=(7.5, 0.9 + 0.26 * items))


def cached_unit_chart(session: Session, round_: Round, unit_code: str, name: str,
                      instance_path: str | os.PathLike[str]) -> Path:
    """The SVG of a unit's card chart (`UNIT_CHARTS`), made if missing; KeyError when the
    unit is not in the round."""
    if name not in UNIT_CHARTS:
        raise ValueError(f"unknown card chart {name!r}")
    require_unit(session, round_, unit_code)
    safe = _safe(unit_code)
    return cached(session, round_, f"{unit_folder(unit_code)}/{safe}-{name}.svg", instance_path,
                  lambda data: unit_chart_svg(data.card(unit_code), name))


def _safe(unit_code: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "_", unit_code).strip("._") or "unit"
