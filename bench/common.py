"""Helpers shared by the benchmarks: scale, timing medians, peak memory, the cache folder."""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE = Path(__file__).parent / ".cache"


def scale() -> float:
    return float(os.environ.get("BENCH_SCALE", "0.1"))


def median_seconds(action: Callable[[], Any], runs: int = 5) -> float:
    """Median wall time of ``runs`` calls (one warm-up call first)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, seconds: float, floor: float | None = None, floor_label: str = "") -> None:
    ratio = f"  = {seconds / floor:5.2f} × {floor_label}" if floor else ""
    print(f"{label:<48} {seconds:9.3f} s{ratio}", flush=True)
