"""A4 pages as matplotlib Figures: margins, running header and footer, text blocks and
typeset tables. Positions are in inches from the page's top-left corner.

Every string that may come from users (unit names, suggestions, reasons) is drawn with
mathtext off, so `$…$` is printed, never interpreted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from reports.charts.base import GREY, INK, fit, wrap

PAGE_W, PAGE_H = 8.27, 11.69
MARGIN_L, MARGIN_R = 0.6, 0.6
TOP = 0.95  # below the running header
BOTTOM = 0.55  # above the footer
BODY_W = PAGE_W - MARGIN_L - MARGIN_R
STRIPE = "#f4f4f4"
RULE = "#bdbdbd"
ACCENT = "#1f4e79"


def new_page() -> Figure:
    return Figure(figsize=(PAGE_W, PAGE_H))


def frame(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """An invisible Axes over a page region whose data units are inches from its top-left."""
    ax = fig.add_axes((left / PAGE_W, 1 - (top + height) / PAGE_H, width / PAGE_W,
                       height / PAGE_H))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    return ax


def chart_axes(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """A visible Axes for a chart, placed in inches from the page's top-left."""
    return fig.add_axes((left / PAGE_W, 1 - (top + height) / PAGE_H, width / PAGE_W,
                         height / PAGE_H))


def put(fig: Figure, x: float, y: float, s: str, **kwargs: object) -> None:
    """Text at (x, y) inches from the top-left of the page."""
    fig.text(x / PAGE_W, 1 - y / PAGE_H, s, parse_math=False, **kwargs)  # type: ignore[arg-type]


def running(fig: Figure, left: str, right: str, number: int, total: int, version: str) -> None:
    """Header (round, section) and footer (page number, data version) of a page."""
    put(fig, MARGIN_L, 0.45, left, fontsize=7.5, color=GREY, va="baseline")
    put(fig, PAGE_W - MARGIN_R, 0.45, right, fontsize=7.5, color=GREY, va="baseline",
        ha="right")
    fig.add_artist(_hline(fig, 0.55))
    put(fig, PAGE_W / 2, PAGE_H - 0.3, f"第 {number} 页 / 共 {total} 页 · page {number} of {total}",
        fontsize=7, color=GREY, ha="center", va="baseline")
    if version:
        put(fig, MARGIN_L, PAGE_H - 0.3, f"数据版本 data version {version[:12]}", fontsize=6,
            color=GREY, va="baseline")


def _hline(fig: Figure, y: float, colour: str = RULE) -> Rectangle:
    return Rectangle((MARGIN_L / PAGE_W, 1 - y / PAGE_H), BODY_W / PAGE_W, 0.0,
                     transform=fig.transFigure, edgecolor=colour, linewidth=0.6,
                     facecolor="none")


def heading(fig: Figure, y: float, zh: str, en: str = "") -> float:
    """A section heading; returns the y below it."""
    put(fig, MARGIN_L, y, zh, fontsize=15, color=ACCENT, va="top")
    if en:
        put(fig, MARGIN_L, y + 0.32, en, fontsize=9, color=GREY, va="top")
        return y + 0.62
    return y + 0.4


def paragraph(fig: Figure, y: float, lines: Sequence[str], size: float = 8.5,
              leading: float = 1.55, x: float = MARGIN_L, colour: str = INK,
              width: float | None = None) -> float:
    """Lines of text from y downwards, each wrapped to `width` inches (default: to the right
    margin); returns the y below them."""
    step = size * leading / 72
    width = PAGE_W - MARGIN_R - x if width is None else width
    line_em = width * 72 / size
    lines = [part for line in lines for part in (wrap(line, line_em, 50) or [""])]
    for line in lines:
        put(fig, x, y, line, fontsize=size, va="top", color=colour)
        y += step
    return y


@dataclass(frozen=True)
class Column:
    """A table column: header (one or two lines), width in inches, alignment, max ems."""

    header: str
    width: float
    align: str = "right"
    max_em: float | None = None


def table(fig: Figure, top: float, columns: Sequence[Column], rows: Sequence[Sequence[str]],
          row_h: float = 0.2, size: float = 6.8, groups: Sequence[tuple[str, int]] = (),
          left: float = MARGIN_L, header_h: float = 0.34,
          dim_rows: Sequence[int] = (), colours: Sequence[Sequence[str | None]] = ()) -> float:
    """A striped table with a (grouped) header; returns the y below it.

    `groups` are (label, span) over consecutive columns, drawn above the headers.
    `dim_rows` are drawn in grey; `colours` optionally colour single cells.
    """
    width = sum(c.width for c in columns)
    group_h = 0.2 if groups else 0.0
    height = group_h + header_h + row_h * len(rows) + 0.02
    ax = frame(fig, left, top, width, height)
    x, start = 0.0, 0
    for label, span in groups:
        span_w = sum(c.width for c in columns[start:start + span])
        start += span
        if label:
            ax.text(x + span_w / 2, group_h - 0.05, label, ha="center", va="baseline",
                    fontsize=size, color=ACCENT, parse_math=False)
            ax.plot([x + 0.04, x + span_w - 0.04], [group_h - 0.015] * 2, color=ACCENT,
                    linewidth=0.5)
        x += span_w
    x = 0.0
    for column in columns:
        ax.text(_anchor(x, column), group_h + header_h - 0.06, column.header, ha=column.align,
                va="baseline", fontsize=size - 0.3, color=GREY, linespacing=1.15,
                parse_math=False)
        x += column.width
    y0 = group_h + header_h
    ax.plot([0, width], [y0, y0], color=INK, linewidth=0.6)
    for i, row in enumerate(rows):
        top_i = y0 + i * row_h
        if i % 2 == 1:
            ax.add_patch(Rectangle((0, top_i), width, row_h, facecolor=STRIPE, linewidth=0))
        x = 0.0
        for j, (column, cell) in enumerate(zip(columns, row, strict=True)):
            colour = GREY if i in dim_rows else INK
            if colours and colours[i][j]:
                colour = colours[i][j]  # type: ignore[assignment]
            value = fit(cell, column.max_em) if column.max_em else cell
            ax.text(_anchor(x, column), top_i + row_h * 0.7, value, ha=column.align,
                    va="baseline", fontsize=size, color=colour, parse_math=False)
            x += column.width
    bottom = y0 + row_h * len(rows)
    ax.plot([0, width], [bottom, bottom], color=RULE, linewidth=0.5)
    return top + height


def _anchor(x: float, column: Column) -> float:
    pad = 0.05
    if column.align == "left":
        return x + pad
    if column.align == "center":
        return x + column.width / 2
    return x + column.width - pad

