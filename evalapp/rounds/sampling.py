"""Drawing a spot-check sample of units, stratified by county, reproducibly from a seed.

A pure module: plain codes in, plain codes out, no database. The draw is designed so that an
auditor can repeat it from the recorded frame and seed alone, on any machine and any
Python version:

- **Allocation**: proportional to each stratum's size by the largest-remainder (Hamilton)
  method, computed with exact fractions. Stratum *h* with *N_h* of the frame's *N* units gets
  ⌊n·N_h/N⌋ units, and the units still missing go one each to the strata with the largest
  remainders, ties broken by the seeded key of the stratum. Every stratum thus gets its
  quota rounded down or up, and the total is exactly *n*.
- **Selection**: within a stratum, units are ordered by a seeded SHA-256 key of their code
  and the first ones taken. Sorting by a keyed hash is a uniform random sample without
  replacement, and unlike :mod:`random` (whose algorithms may change between Python
  versions) SHA-256 is fixed, so a seed names the same sample forever. The result does not
  depend on the order in which the frame is listed.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

NO_COUNTY = ""
MAX_SEED = 10**12


@dataclass(frozen=True)
class SampleDraw:
    """A drawn sample: the codes (sorted) and how many each stratum contributed."""

    seed: int
    codes: tuple[str, ...]
    allocation: dict[str, int]


def seeded_key(seed: int, *parts: object) -> int:
    """A 64-bit number fixed by ``seed`` and ``parts``: the random order used throughout."""
    text = "|".join([str(seed), *(str(part) for part in parts)])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def sample_size(frame_size: int, *, size: int | None = None, share: float | None = None) -> int:
    """The number of units to draw from a frame of ``frame_size``.

    Exactly one of ``size`` and ``share`` is given. A share is taken as written in decimal
    (0.15 of 10 is 1.5, not binary 1.4999…), rounded half up, and gives at least one unit,
    so that 20% of three units is one unit.
    """
    if (size is None) == (share is None):
        raise ValueError("give either a sample size or a share, not both")
    if size is None:
        if share is None or not 0 < share <= 1:
            raise ValueError(f"the sample share must be in (0, 1], not {share}")
        size = max(1, math.floor(Fraction(str(share)) * frame_size + Fraction(1, 2)))
    if size < 1:
        raise ValueError(f"the sample size must be at least 1, not {size}")
    if size > frame_size:
        raise ValueError(f"cannot draw {size} units from a frame of {frame_size}")
    return size


def allocate(strata_sizes: Mapping[str, int], size: int, seed: int) -> dict[str, int]:
    """Units per stratum: proportional allocation by largest remainder (see the module)."""
    total = sum(strata_sizes.values())
    if not 0 <= size <= total:
        raise ValueError(f"cannot allocate {size} units over strata of {total}")
    if total == 0:
        return {}
    quotas = {name: Fraction(size * count, total) for name, count in strata_sizes.items()}
    allocation = {name: math.floor(quota) for name, quota in quotas.items()}
    missing = size - sum(allocation.values())
    by_remainder = sorted(quotas, key=lambda name: (-(quotas[name] - allocation[name]),
                                                    seeded_key(seed, "stratum", name)))
    for name in by_remainder[:missing]:
        allocation[name] += 1
    return allocation


def draw_sample(frame: Mapping[str, str], size: int, seed: int) -> SampleDraw:
    """Draw ``size`` unit codes from ``frame`` (unit code → stratum, e.g. its county code).

    Units without a county belong to the stratum :data:`NO_COUNTY`.
    """
    strata: dict[str, list[str]] = {}
    for code, stratum in frame.items():
        strata.setdefault(stratum, []).append(code)
    allocation = allocate({name: len(codes) for name, codes in strata.items()}, size, seed)
    chosen: list[str] = []
    for name, codes in strata.items():
        ordered = sorted(codes, key=lambda code: (seeded_key(seed, "unit", code), code))
        chosen.extend(ordered[:allocation[name]])
    return SampleDraw(seed, tuple(sorted(chosen)), dict(sorted(allocation.items())))
