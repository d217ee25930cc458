"""Benchmark: `score_round` against a bare pandas group-by of the same answers.

    python bench/scoring.py            # BENCH_SCALE=0.1: 1,000 units, 100,000 responses
    BENCH_SCALE=1 python bench/scoring.py   # 10,000 units, 1,000,000 responses

Prints the median of several runs of each, in CPU time (steady on a shared machine) and in
wall time, and their ratios; the floor (a bare `answers.groupby([unit, item]).value.mean()`,
units joined beforehand) is measured in the same run, so the ratio means the same on any
machine. Not a test: nothing fails on a time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from reports import RoundSettings, score_round
from reports.testing import make_items, make_units

RUNS = 5
ITEM_SPECS = [
    ("a1", "yesno", "awareness"), ("a2", "yesno", "awareness"), ("a3", "yesno", "awareness"),
    ("a4", "likert", "awareness"), ("a5", "likert", "awareness"),
    ("a6", "likert", "awareness", {"reverse": True}),
    ("p1", "likert", "participation"), ("p2", "likert", "participation"),
    ("p3", "rating10", "participation"), ("p4", "rating10", "participation"),
    ("p5", "number", "participation", {"min": 0.0, "max": 12.0}),
    ("p6", "likert", "participation", {"points": 7.0}),
    ("s1", "likert", "satisfaction"), ("s2", "likert", "satisfaction"),
    ("s3", "likert", "satisfaction", {"reverse": True}),
    ("s4", "single", "satisfaction", {"option_scores": {"x": 0.0, "y": 50.0, "z": 100.0}}),
    ("s5", "rating10", "satisfaction"),
    ("s6", "likert", "satisfaction", {"relevant_item": "a1", "relevant_values": ("yes",)}),
    ("m1", "multi", "none"), ("t1", "text", "none", {"suggestion": True}),
]


def generate(n_units: int, n_responses: int, seed: int = 20180501) -> dict[str, pd.DataFrame]:
    """A round with unit effects, n/a, don't know and skipped answers, in long format."""
    rng = np.random.default_rng(seed)
    items = make_items(ITEM_SPECS)
    units = make_units([f"U{u:06d}" for u in range(n_units)])
    unit_of = rng.integers(0, n_units, n_responses)
    latent = rng.normal(0, 0.6, n_units)[unit_of] + rng.normal(0, 1, n_responses)
    response_ids = np.array([f"R{r:08d}" for r in range(n_responses)], dtype=object)
    responses = pd.DataFrame({
        "response_id": response_ids, "unit_code": units["unit_code"].to_numpy()[unit_of],
        "excluded": rng.random(n_responses) < 0.01,
        "duration_s": rng.gamma(4.0, 60.0, n_responses), "rater_code": None,
        "submitted_on": pd.Timestamp("2024-05-01")
        + pd.to_timedelta(rng.integers(0, 30, n_responses), unit="D"),
    })
    frames = {spec[0]: _item_answers(rng, spec, latent, response_ids) for spec in ITEM_SPECS}
    gate = frames["a1"].loc[frames["a1"]["value"] == 1.0, "response_id"]
    frames["s6"] = frames["s6"].loc[frames["s6"]["response_id"].isin(gate)]  # hidden: no row
    answers = pd.concat(frames.values(), ignore_index=True)
    answers = answers.sort_values("response_id", kind="stable", ignore_index=True)
    return {"answers": answers, "responses": responses, "items": items, "units": units}


def _item_answers(rng: np.random.Generator, spec: tuple, latent: np.ndarray,
                  response_ids: np.ndarray) -> pd.DataFrame:
    item_id, item_type = spec[0], spec[1]
    n = len(latent)
    p = 1 / (1 + np.exp(-(latent + rng.normal(0, 0.8, n))))
    value = np.full(n, np.nan)
    text = np.full(n, None, dtype=object)
    if item_type == "likert":
        value = 1.0 + rng.binomial((spec[3] if len(spec) > 3 else {}).get("points", 5) - 1, p)
    elif item_type == "yesno":
        value = (rng.random(n) < p).astype(float)
    elif item_type == "rating10":
        value = rng.binomial(10, p).astype(float)
    elif item_type == "number":
        value = np.round(rng.gamma(2.0, 3.0 * p), 1)
    elif item_type == "single":
        text = np.array(["x", "y", "z"], dtype=object)[rng.binomial(2, p)]
    elif item_type == "multi":
        text = np.array(["a", "a,b", "b,c", "c"], dtype=object)[rng.integers(0, 4, n)]
    else:
        text = np.where(rng.random(n) < 0.1, "建议：多组织周末活动", None)
    flag = rng.random(n)
    na, dont_know, keep = flag < 0.02, (flag >= 0.02) & (flag < 0.05), flag < 0.98
    value = np.where(na | dont_know, np.nan, value)
    text = np.where(na | dont_know, None, text)
    keep &= ~(pd.isna(text) & np.isnan(value) & ~na & ~dont_know)
    return pd.DataFrame({"response_id": response_ids[keep], "item_id": item_id,
                         "value": value[keep], "text": text[keep], "na": na[keep],
                         "dont_know": dont_know[keep]})


def median_times(function: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median CPU and wall seconds of `runs` calls."""
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "0.1"))
    n_units, n_responses = max(2, round(10_000 * scale)), max(2, round(1_000_000 * scale))
    start = time.perf_counter()
    data = generate(n_units, n_responses)
    print(f"generated {n_units:,} units, {n_responses:,} responses, "
          f"{len(data['answers']):,} answers in {time.perf_counter() - start:.1f} s")
    unit_of = data["responses"].set_index("response_id")["unit_code"]
    joined = data["answers"].assign(unit_code=unit_of.reindex(data["answers"]["response_id"])
                                    .to_numpy())
    settings = RoundSettings("bench")
    floor = median_times(lambda: joined.groupby(["unit_code", "item_id"])["value"].mean())
    scoring = median_times(lambda: score_round(settings=settings, **data))
    print(f"medians of {RUNS} runs     cpu s    wall s")
    print(f"bare group-by      {floor[0]:8.3f}  {floor[1]:8.3f}")
    print(f"score_round        {scoring[0]:8.3f}  {scoring[1]:8.3f}")
    print(f"ratio              {scoring[0] / floor[0]:8.2f}  {scoring[1] / floor[1]:8.2f}")


if __name__ == "__main__":
    main()
