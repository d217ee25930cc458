"""Round settings that steer scoring: dimension weights, the suppression threshold, stars."""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

DIMENSIONS: tuple[str, ...] = ("awareness", "participation", "satisfaction")


def _equal_weights() -> Mapping[str, float]:
    return dict.fromkeys(DIMENSIONS, 1.0)


@dataclass(frozen=True)
class RoundSettings:
    """The scoring settings of one round, validated on construction.

    `weights` must name all three dimensions (a forgotten dimension is an error, not a silent
    zero); weights are finite and non-negative with at least one positive. `min_n` is an int
    of at least 1. `star_cutoffs` are the lower bounds of two, three, four and five stars,
    strictly increasing within [0, 100].
    """

    round_id: str | int
    weights: Mapping[str, float] = field(default_factory=_equal_weights)
    min_n: int = 5
    star_cutoffs: tuple[float, float, float, float] = (60.0, 70.0, 80.0, 90.0)

    def __post_init__(self) -> None:
        _check_round_id(self.round_id)
        object.__setattr__(self, "weights", MappingProxyType(_checked_weights(self.weights)))
        object.__setattr__(self, "min_n", _checked_min_n(self.min_n))
        object.__setattr__(self, "star_cutoffs", _checked_cutoffs(self.star_cutoffs))

    def __hash__(self) -> int:
        return hash((self.round_id, tuple(self.weights.items()), self.min_n, self.star_cutoffs))

    @property
    def weighted_dimensions(self) -> tuple[str, ...]:
        """The dimensions that enter the composite (weight > 0), in canonical order."""
        return tuple(d for d in DIMENSIONS if self.weights[d] > 0)

    def as_dict(self) -> dict[str, Any]:
        """Plain values, e.g. for the method sheet or the round's data version."""
        return {
            "round_id": self.round_id,
            "weights": dict(self.weights),
            "min_n": self.min_n,
            "star_cutoffs": list(self.star_cutoffs),
        }


def _check_round_id(round_id: object) -> None:
    if isinstance(round_id, bool) or not isinstance(round_id, str | int):
        raise ValueError(f"round_id must be a str or an int, got {round_id!r}")
    if isinstance(round_id, str) and not round_id.strip():
        raise ValueError("round_id must not be empty")


def _checked_weights(weights: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be a mapping of dimension to weight, got {weights!r}")
    unknown = sorted(set(weights) - set(DIMENSIONS))
    missing = [d for d in DIMENSIONS if d not in weights]
    if unknown or missing:
        raise ValueError(f"weights must name exactly {DIMENSIONS}: unknown {unknown}, "
                         f"missing {missing}")
    checked = {d: _finite_number(weights[d], f"weights[{d!r}]") for d in DIMENSIONS}
    if any(w < 0 for w in checked.values()):
        raise ValueError(f"weights must not be negative: {checked}")
    if not any(w > 0 for w in checked.values()):
        raise ValueError("at least one dimension weight must be positive")
    return checked


def _checked_min_n(min_n: object) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, numbers.Integral) or min_n < 1:
        raise ValueError(f"min_n must be an int of at least 1, got {min_n!r}")
    return int(min_n)


def _checked_cutoffs(cutoffs: object) -> tuple[float, float, float, float]:
    if isinstance(cutoffs, str | bytes) or not hasattr(cutoffs, "__len__") or len(cutoffs) != 4:
        raise ValueError(f"star_cutoffs must be four numbers (two to five stars), got {cutoffs!r}")
    values = tuple(_finite_number(c, "star_cutoffs") for c in cutoffs)
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ValueError(f"star_cutoffs must be strictly increasing, got {values}")
    if values[0] < 0 or values[-1] > 100:
        raise ValueError(f"star_cutoffs must lie within [0, 100], got {values}")
    return values  # type: ignore[return-value]


def _finite_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)
