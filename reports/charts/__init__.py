"""The report's charts. Each is `draw_x(ax, data, ...)` on a given Axes, returning nothing;
`figure`, `png` and `svg` (in `base`) make a standalone chart of any of them, e.g.

    png(draw_funnel, data, "satisfaction", size=(6, 4))

No pyplot: Figures are `matplotlib.figure.Figure` objects, drawn with the Agg or PDF
backend. `data` is a `reports.model.ReportData` (a `UnitCard` for the card charts).
"""

from reports.charts.base import figure, png, svg
from reports.charts.card import draw_unit_dimensions, draw_unit_items
from reports.charts.composite import composite_pages, draw_composite
from reports.charts.counties import draw_counties, draw_county_stars
from reports.charts.distributions import draw_distribution, draw_stars
from reports.charts.funnel import draw_funnel
from reports.charts.heatmap import draw_heatmap
from reports.charts.trend import draw_trend, draw_trend_deltas

__all__ = [
    "composite_pages",
    "draw_composite",
    "draw_counties",
    "draw_county_stars",
    "draw_distribution",
    "draw_funnel",
    "draw_heatmap",
    "draw_stars",
    "draw_trend",
    "draw_trend_deltas",
    "draw_unit_dimensions",
    "draw_unit_items",
    "figure",
    "png",
    "svg",
]
