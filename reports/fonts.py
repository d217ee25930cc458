"""The report font: Noto Sans SC from a PyPI package, so Chinese renders on any machine.

`pylopdf-fonts-zh-cn` ships Noto Sans SC Regular as a single static OTF (SIL OFL 1.1).
Choice: not the Noto Sans CJK *variable* collection (`manimgx-fonts-cjk`): matplotlib opens
a variable font at its default instance, which for that file is the Thin (100) weight, so
every report would be set in hairlines. The CJK font has one weight, so reports use no bold
type: emphasis is size and colour. DejaVu Sans (matplotlib's own) follows in the family
list as the fallback for the few symbols Noto Sans SC lacks.

Everything here is process-wide but idempotent: `report_style()` registers the font once
and applies the report's rc parameters only inside its context. PDF fonts stay Type 3
(Type 42 with Noto CJK has produced broken, very large PDFs).
"""

from __future__ import annotations

import contextlib
import functools
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import matplotlib
from matplotlib import font_manager, ft2font

FONT_FAMILY = "Noto Sans SC"
FALLBACK_FAMILY = "DejaVu Sans"
REPLACEMENT = "□"
REPORT_RC: dict[str, object] = {
    "font.family": [FONT_FAMILY, FALLBACK_FAMILY],
    "font.size": 8.0,
    "axes.unicode_minus": False,
    "axes.titleweight": "normal",
    "figure.titleweight": "normal",
    "axes.titlesize": 9.0,
    "axes.labelsize": 8.0,
    "xtick.labelsize": 7.0,
    "ytick.labelsize": 7.0,
    "legend.fontsize": 7.0,
    "pdf.fonttype": 3,
    "pdf.compression": 6,
    "svg.hashsalt": "evalapp",
    "svg.fonttype": "path",
    "path.simplify": True,
    "text.usetex": False,
}

_lock = threading.Lock()
_style_lock = threading.RLock()


def font_path() -> Path:
    """The Noto Sans SC file installed with the package `pylopdf-fonts-zh-cn`."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def register_fonts() -> str:
    """Make Noto Sans SC known to matplotlib (once per process); returns the family name."""
    with _lock:
        known = {entry.name for entry in font_manager.fontManager.ttflist}
        if FONT_FAMILY not in known:
            font_manager.fontManager.addfont(str(font_path()))
    return FONT_FAMILY


@contextlib.contextmanager
def report_style() -> Iterator[None]:
    """Draw and save inside this context: the report font and rc parameters apply.

    rc parameters are process-wide, so threads (a threaded web server) take turns here.
    """
    register_fonts()
    with _style_lock, matplotlib.rc_context(REPORT_RC):
        yield


def apply_report_style() -> None:
    """Set the report's rc parameters for the whole process (for worker processes only)."""
    register_fonts()
    matplotlib.rcParams.update(REPORT_RC)


@functools.cache
def _covered() -> frozenset[int]:
    paths = [font_path(), Path(font_manager.findfont(FALLBACK_FAMILY, fallback_to_default=True))]
    codes: set[int] = set()
    for path in paths:
        codes.update(ft2font.FT2Font(str(path)).get_charmap())
    return frozenset(codes)


def printable(text: str) -> str:
    """Free text made safe to draw: control characters become spaces, characters no report
    font has (emoji, rare ideographs) become □.

    For respondents' free text only. Unit names and item texts are drawn as they are, so a
    font that cannot show them is noticed (matplotlib warns about a missing glyph).
    """
    covered = _covered()
    out = []
    for char in text:
        if unicodedata.category(char).startswith("C"):
            out.append(" ")
        elif ord(char) in covered or char.isspace():
            out.append(char)
        else:
            out.append(REPLACEMENT)
    return "".join(out)
