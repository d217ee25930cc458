"""The round report and the unit report card as PDF: plan the pages, draw them (in a
process pool for large reports), merge, and fix the metadata.

Every page is a `matplotlib.figure.Figure` saved through `PdfPages` (Type 3 fonts, no
pyplot). Large reports are cut into runs of consecutive pages that worker processes
('forkserver' context where available, else 'spawn') render to PDF bytes; `pypdf` joins
them in order and writes the outline and metadata. Metadata is fixed (no creation date
unless SOURCE_DATE_EPOCH gives one, via `ReportData.generated_at`), so the same data gives
the same bytes whatever the number of workers.
"""

from __future__ import annotations

import copyreg
import io
import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader, PdfWriter

from reports.fonts import apply_report_style, report_style
from reports.model import ReportData
from reports.pdf import appendix, card, chart_pages, cover, league
from reports.pdf.layout import new_page, running

SERIAL_BELOW = 24  # pages: below this a pool costs more than it saves
PAGES_PER_TASK = 12


@dataclass(frozen=True)
class Page:
    """One page to draw: `kind` names a drawing function, `args` its arguments."""

    kind: str
    args: tuple[Any, ...] = ()
    section: str = ""
    outline: str | None = None
    card_of: str | None = None  # unit name, for the cards' outline entries


DRAW: dict[str, Callable[..., None]] = {
    "method": cover.draw_method,
    "league": league.draw_league,
    "composite": chart_pages.draw_composite_page,
    "heatmap": chart_pages.draw_heatmap_page,
    "counties": chart_pages.draw_county_page,
    "funnel": chart_pages.draw_funnel_page,
    "distributions": chart_pages.draw_distribution_page,
    "trend": chart_pages.draw_trend_page,
    "card": card.draw_card,
    "reliability": appendix.draw_reliability,
    "quality": appendix.draw_quality,
}


def plan(data: ReportData) -> list[Page]:
    """The pages of the round report, in order."""
    pages = [Page("cover", (), "封面 Cover", "封面 Cover"),
             Page("method", (), "评分方法 Method", "评分方法 Method")]
    pages += _run("league", league.league_pages(data), "排名总表 League table")
    pages += _run("composite", chart_pages.composite_pages(data), "综合得分 Composite")
    pages += _run("heatmap", chart_pages.heatmap_pages(data), "热力图 Heat map")
    pages += _run("counties", chart_pages.county_pages(data), "县（区）比较 Counties")
    pages.append(Page("funnel", (), "漏斗图 Funnel plots", "漏斗图 Funnel plots"))
    pages.append(Page("distributions", (), "得分分布 Distributions", "得分分布 Distributions"))
    pages.append(Page("trend", (), "趋势 Trend", "趋势 Trend"))
    names = data.table.set_index("unit_code")["unit_name"]
    for i, code in enumerate(data.card_order):
        pages.append(Page("card", (code,), "单位报告卡 Report cards",
                          "单位报告卡 Report cards" if i == 0 else None,
                          card_of=f"{names[code]} {code}"))
    pages += _run("reliability", appendix.item_rest_pages(data), "附录 A 信度 Reliability")
    pages.append(Page("quality", (), "附录 B 数据质量 Data quality",
                      "附录 B 数据质量 Data quality"))
    return pages


def card_plan(data: ReportData, unit_code: str) -> list[Page]:
    """A unit's own report: its card and the method summary."""
    data.card(unit_code)  # KeyError for a unit outside the round
    return [Page("card", (unit_code,), "单位报告卡 Report card", "单位报告卡 Report card"),
            Page("method", (), "评分方法 Method", "评分方法 Method")]


def _run(kind: str, ranges: Sequence[tuple[int, int]], section: str) -> list[Page]:
    return [Page(kind, (start, stop), section, section if i == 0 else None)
            for i, (start, stop) in enumerate(ranges)]


def contents(pages: Sequence[Page]) -> list[tuple[str, int]]:
    return [(page.outline, number) for number, page in enumerate(pages, start=1)
            if page.outline and page.kind != "cover"]


def draw_page(data: ReportData, pages: Sequence[Page], number: int) -> Figure:
    """Page `number` (from 1) of `pages` as a Figure with its running header and footer."""
    page = pages[number - 1]
    fig = new_page()
    if page.kind == "cover":
        cover.draw_cover(fig, data, contents(pages))
    else:
        DRAW[page.kind](fig, data, *page.args)
        running(fig, data.info.name, page.section, number, len(pages), data.info.data_version)
    return fig


def render_pages(data: ReportData, pages: Sequence[Page], numbers: Sequence[int]) -> bytes:
    """Pages `numbers` (from 1) as one PDF (no metadata: the merge sets it)."""
    buffer = io.BytesIO()
    with report_style(), PdfPages(buffer, metadata={"CreationDate": None}) as pdf:
        for number in numbers:
            pdf.savefig(draw_page(data, pages, number))
    return buffer.getvalue()


def render(data: ReportData, pages: Sequence[Page], workers: int | None = None) -> bytes:
    """Draw `pages` (serially below `SERIAL_BELOW` pages or with one worker) and merge."""
    numbers = list(range(1, len(pages) + 1))
    workers = default_workers(len(pages)) if workers is None else max(1, workers)
    if workers == 1:
        parts = [render_pages(data, pages, numbers)]
    else:
        tasks = [numbers[i:i + PAGES_PER_TASK] for i in range(0, len(numbers), PAGES_PER_TASK)]
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker,
                                 initargs=(_dumps((data, list(pages))),)) as pool:
            parts = list(pool.map(_render_task, tasks))
    return merge(parts, pages, metadata(data))


def report_pdf(data: ReportData, workers: int | None = None) -> bytes:
    """The round report as PDF bytes."""
    return render(data, plan(data), workers)


def unit_card_pdf(data: ReportData, unit_code: str) -> bytes:
    """One unit's report card (and the method summary) as PDF bytes."""
    return render(data, card_plan(data, unit_code), workers=1)


def default_workers(pages: int) -> int:
    if pages < SERIAL_BELOW:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1), 8, pages // PAGES_PER_TASK + 1))


def metadata(data: ReportData) -> dict[str, str]:
    info = data.info
    fields = {
        "/Title": f"{info.name} 评议报告",
        "/Subject": "青年观察员第三方评议 Youth observers' third-party evaluation",
        "/Creator": f"evalapp {info.software_version}".strip(),
        "/Producer": "evalapp (matplotlib, pypdf)",
        "/Keywords": f"round {info.round_id}; data version {info.data_version}",
    }
    if data.generated_at is not None:
        fields["/CreationDate"] = data.generated_at.strftime("D:%Y%m%d%H%M%SZ")
    return fields


def merge(parts: Sequence[bytes], pages: Sequence[Page], fields: dict[str, str]) -> bytes:
    """Join the parts in order, add the outline (sections and cards) and the metadata."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)), import_outline=False)
    parent = None
    for number, page in enumerate(pages):
        if page.outline:
            item = writer.add_outline_item(title=page.outline, page_number=number)
            if page.kind == "card":
                parent = item
        if page.kind == "card" and page.card_of and parent is not None:
            writer.add_outline_item(title=page.card_of, page_number=number, parent=parent)
    writer.page_mode = "/UseOutlines"
    writer.add_metadata(fields)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _dumps(value: object) -> bytes:
    """Pickle, with read-only mappings (e.g. `RoundSettings.weights`) as plain dicts."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[MappingProxyType] = _reduce_mapping
    pickler.dump(value)
    return buffer.getvalue()


def _reduce_mapping(mapping: MappingProxyType) -> tuple[Any, ...]:
    return read_only, (dict(mapping),)


def read_only(mapping: dict[Any, Any]) -> MappingProxyType:
    return MappingProxyType(mapping)


# Worker side: the report data arrives once per worker process.
_worker_state: dict[str, Any] = {}


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() \
        else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["reports.pdf.document"])
    return context


def _start_worker(payload: bytes) -> None:
    apply_report_style()
    data, pages = pickle.loads(payload)
    _worker_state["data"], _worker_state["pages"] = data, pages


def _render_task(numbers: list[int]) -> bytes:
    return render_pages(_worker_state["data"], _worker_state["pages"], numbers)
