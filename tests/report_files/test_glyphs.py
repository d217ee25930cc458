"""Chinese renders: the CJK font comes with the install and no glyph is missing when the
charts and pages are drawn with Chinese unit names (any matplotlib warning fails)."""

from __future__ import annotations

import io
import warnings

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from reports import charts
from reports.fonts import FONT_FAMILY, font_path, printable, report_style
from reports.model import ReportData
from reports.pdf import plan
from reports.pdf.document import render
from reports.settings import DIMENSIONS


def test_the_report_font_is_the_packaged_noto_sans_sc() -> None:
    with report_style():
        found = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY),
                                      fallback_to_default=False)
    assert found == str(font_path()) and font_path().stat().st_size > 1_000_000


def test_a_missing_glyph_is_noticed() -> None:
    """The control: a character no report font has makes matplotlib warn."""
    fig = Figure()
    fig.text(0.5, 0.5, "青年\ue000")  # a private-use character
    with report_style(), pytest.warns(UserWarning, match="missing from"):
        fig.savefig(io.BytesIO(), format="png")


def test_every_chart_draws_chinese_without_a_missing_glyph(sample: ReportData) -> None:
    card = sample.card(sample.card_order[0])
    drawings = [(charts.draw_composite, sample, ()), (charts.draw_heatmap, sample, ()),
                (charts.draw_counties, sample, ()), (charts.draw_county_stars, sample, ()),
                (charts.draw_trend, sample, ()), (charts.draw_trend_deltas, sample, ()),
                (charts.draw_stars, sample, ()),
                *((charts.draw_funnel, sample, (d,)) for d in DIMENSIONS),
                *((charts.draw_distribution, sample, (d,)) for d in (*DIMENSIONS, "composite")),
                (charts.draw_unit_dimensions, card, ()), (charts.draw_unit_items, card, ())]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for draw, data, args in drawings:
            png = charts.png(draw, data, *args, size=(6, 4), dpi=50)
            assert png.startswith(b"\x89PNG")


def test_every_kind_of_page_draws_without_a_missing_glyph(sample: ReportData) -> None:
    pages = plan(sample)
    one_of_each = list({page.kind: page for page in reversed(pages)}.values())[::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pdf = render(sample, one_of_each, workers=1)
    assert pdf.startswith(b"%PDF") and b"/Type3" in pdf.replace(b" ", b"")


def test_free_text_loses_what_no_font_can_show() -> None:
    assert printable("很好👍\x07ok") == "很好□ ok"
    assert printable("样本不足 ★ −1") == "样本不足 ★ −1"
