"""Benchmark: the full PDF report against the bare matplotlib cost of the same figures.

    python -m bench.report_pdf             # 200 and 1,000 units (BENCH_SCALE does not apply)
    BENCH_RUNS=1 BENCH_SIZES=1000 python -m bench.report_pdf

For each size it builds a synthetic round (`reports.sample`, made with the
`reports.testing` builders), then times, as medians of several runs in the same process:
- floor: the same page Figures drawn and saved one after another into one `PdfPages`, in
  this process (bare matplotlib: no pool, no merge, no outline or metadata);
- report: `reports.pdf.report_pdf` (page plan, process pool, merge with pypdf).
The ratio report / floor is printed. Targets on the 2-core machine: ratio ≤ 1.5, 200 units
≤ 60 s, 1,000 units ≤ 5 min. Not a test: nothing fails on a time.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Sequence

from matplotlib.backends.backend_pdf import PdfPages

from reports.fonts import report_style
from reports.model import ReportData
from reports.pdf import Page, plan, report_pdf
from reports.pdf.document import default_workers, draw_page
from reports.sample import sample_report

SIZES = "200,1000"


def bare(data: ReportData, pages: Sequence[Page]) -> bytes:
    """The same figures, saved serially with nothing around them."""
    buffer = io.BytesIO()
    with report_style(), PdfPages(buffer, metadata={"CreationDate": None}) as pdf:
        for number in range(1, len(pages) + 1):
            pdf.savefig(draw_page(data, pages, number))
    return buffer.getvalue()


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    print(f"cores available: {len(os.sched_getaffinity(0))}; medians of {runs} runs (wall), "
          "floor and report runs interleaved")
    for n_units in (int(n) for n in os.environ.get("BENCH_SIZES", SIZES).split(",")):
        start = time.perf_counter()
        data = sample_report(n_units)
        pages = plan(data)
        print(f"\n{n_units} units: {len(pages)} pages, data built in "
              f"{time.perf_counter() - start:.1f} s, {default_workers(len(pages))} workers")
        floor, full, cpu = [], [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            bare(data, pages)
            floor.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            start = time.perf_counter()
            report_pdf(data)
            full.append(time.perf_counter() - start)
        low, high = statistics.median(floor), statistics.median(full)
        print(f"  bare matplotlib, serial   {low:8.1f} s   (cpu {statistics.median(cpu):.1f} s)")
        print(f"  report_pdf (pool, merge)  {high:8.1f} s   ratio {high / low:5.2f}")
        print(f"  load average after: {os.getloadavg()[0]:.2f} (other processes skew times)")


if __name__ == "__main__":
    main()
