"""Helpers shared by the charts: plain text, text fitting, colours, standalone figures."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from reports.fonts import report_style

_TOKENS = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+|.")
GREY = "#8c8c8c"
LIGHT = "#d9d9d9"
INK = "#262626"
CITY = "#7f3c8d"
COUNTY = "#e68310"
STAR_COLOURS = {1: "#d7301f", 2: "#fc8d59", 3: "#fdcc8a", 4: "#91cf60", 5: "#1a9850"}
HEAT_CMAP = "RdYlGn"
SUPPRESSED_FILL = "#eeeeee"


def text(ax: Axes, x: float, y: float, s: str, **kwargs: Any) -> Text:
    """`ax.text` with mathtext off: names and free text containing `$` stay literal."""
    return ax.text(x, y, s, parse_math=False, **kwargs)


def literal(s: str) -> str:
    """Text for places that always parse mathtext (legend entries): `$` escaped."""
    return str(s).replace("$", r"\$")


def em_width(s: str) -> float:
    """Approximate width of `s` in ems: wide (CJK) characters 1, lower-case Latin and
    punctuation about 0.5, capitals, digits and other characters about 0.6."""
    return sum(_char_em(c) for c in s)


def _char_em(c: str) -> float:
    if unicodedata.east_asian_width(c) in "WF":
        return 1.0
    if c.islower() or c in " .,;:'()-/|":
        return 0.5
    return 0.6


def fit(s: str, max_em: float) -> str:
    """`s` shortened with '…' to at most `max_em` ems."""
    s = " ".join(str(s).split())
    if em_width(s) <= max_em:
        return s
    out, width = [], 1.0
    for char in s:
        width += em_width(char)
        if width > max_em:
            break
        out.append(char)
    return "".join(out) + "…"


def wrap(s: str, line_em: float, max_lines: int) -> list[str]:
    """`s` broken into lines of at most `line_em` ems (between words for Latin text, between
    characters for Chinese); the last line ends in '…' when text is left over."""
    tokens = _TOKENS.findall(" ".join(str(s).split()))
    lines: list[str] = []
    current, width = "", 0.0
    for token in tokens:
        w = em_width(token.rstrip())
        if current and width + w > line_em:
            lines.append(current.rstrip())
            current, width = "", 0.0
            if token.isspace():
                continue
        while em_width(token.rstrip()) > line_em:  # a word longer than a line
            head = fit(token, line_em)[:-1]
            lines.append(head)
            token = token[len(head):]
        current += token
        width = em_width(current)
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], fit(lines[max_lines - 1] + " " + lines[max_lines] + "…",
                                              line_em)]
    return lines


def spans(centre: object, low: object, high: object) -> list[np.ndarray]:
    """Errorbar `xerr`/`yerr` from an interval: distances below and above, never negative
    (floating-point rounding can put a bound a hair past its centre)."""
    centre, low, high = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (centre, low, high))
    return [np.maximum(centre - low, 0.0), np.maximum(high - centre, 0.0)]


def score_axis(ax: Axes, axis: str = "x", low: float = 0.0, high: float = 100.0) -> None:
    """A 0–100 score axis with light grid lines every 10."""
    ticks = np.arange(low, high + 0.1, 10)
    if axis == "x":
        ax.set_xlim(low, high)
        ax.set_xticks(ticks)
        ax.xaxis.grid(True, color=LIGHT, linewidth=0.5)
    else:
        ax.set_ylim(low, high)
        ax.set_yticks(ticks)
        ax.yaxis.grid(True, color=LIGHT, linewidth=0.5)
    ax.set_axisbelow(True)


def plain_axes(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def no_data(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    text(ax, 0.5, 0.5, message, ha="center", va="center", color=GREY, fontsize=9,
         transform=ax.transAxes)


def star_colour(stars: object) -> str:
    try:
        return STAR_COLOURS.get(int(stars), GREY)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return GREY


def figure(draw: Callable[..., None], data: object, *args: Any,
           size: tuple[float, float] = (7.5, 5.0), **kwargs: Any) -> Figure:
    """A standalone Figure with one Axes drawn by `draw(ax, data, *args, **kwargs)`.

    Build and save it inside `reports.fonts.report_style()` (as `png` does).
    """
    fig = Figure(figsize=size, layout="constrained")
    draw(fig.add_subplot(), data, *args, **kwargs)
    return fig


def png(draw: Callable[..., None], data: object, *args: Any,
        size: tuple[float, float] = (7.5, 5.0), dpi: int = 150, **kwargs: Any) -> bytes:
    """The chart as PNG bytes, drawn in the report style (e.g. for the web dashboard)."""
    with report_style():
        fig = figure(draw, data, *args, size=size, **kwargs)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def svg(draw: Callable[..., None], data: object, *args: Any,
        size: tuple[float, float] = (7.5, 5.0), **kwargs: Any) -> bytes:
    """The chart as SVG bytes (text as paths, no date): same data, same bytes."""
    with report_style():
        fig = figure(draw, data, *args, size=size, **kwargs)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
