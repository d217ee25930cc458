"""Complementary suppression of roll-ups, decided jointly over every published level.

The threat: a roll-up shows its pooled n and mean (and sd); the shown units show theirs;
the suppressed units show their n. Subtracting the shown units from a roll-up gives the
pooled sum of its suppressed units, and subtracting one roll-up from another that contains
it gives the pooled sum of the suppressed units between them. DESIGN.md's rule — no figure
may be derivable for fewer than `min_n` responses, so no suppressed unit's score can be
backed out — must hold for every such difference, not only for each roll-up on its own.

The roll-ups published anywhere (report: counties and the whole round; API and CLI:
townships, counties, cities) nest: each unit's chain runs township → county → city → the
whole round. For such a nested (laminar) family, the figures an attacker can derive about
suppressed units are exactly the unions of *atoms*: the atom of a published roll-up is the
set of suppressed units whose lowest published roll-up it is. Every atom must therefore pool
0 or at least `min_n` responses. It must also not be constant: when all the responses in an
atom have the same score, that score is every one of its units' score (an atom of one n = 2
unit and one n = 3 unit whose five responses are all 100 reveals both units as 100).

The plan, per dimension, bottom-up from the lowest level:
1. A roll-up with pooled n < min_n is withheld (primary).
2. A published roll-up P whose atom is disclosive is fixed by withholding either P itself
   (its atom joins its nearest published ancestor's), or a published roll-up Q just below it
   (Q's atom, already safe, joins P's). Withholding Q keeps the larger figure and never
   cascades, so it is preferred, choosing the Q with the smallest pooled n; P is withheld when
   there is no such Q, or when P's atom alone repairs a disclosive ancestor atom too.

Each step withholds one figure and repairs at least one atom, and an atom can be repaired in
no other way (units' own scores are never withheld for the sake of a roll-up: they are the
product, DESIGN.md publishes every unit with n ≥ min_n). Without a joint plan the county rule
alone lets the whole round's figure minus the published counties reveal a lone withheld
county's suppressed unit, and a county minus its published townships reveal the unit between
them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports.settings import DIMENSIONS

ROOT_CODE = "__all__"
LEVELS = ("township", "county", "city")


@dataclass(frozen=True)
class Nesting:
    """The roll-ups over a round's units and how they nest.

    `chain` is units × levels (lowest first, the whole round last) of node numbers, −1 where
    the unit has no roll-up at that level; node k is `keys[k]` = (level, group code) and its
    parent node is `parent[k]` (−1 for the top). Identical member sets share one node (the
    same figure published twice).
    """

    keys: list[tuple[str, str]]
    parent: np.ndarray
    level: np.ndarray
    chain: np.ndarray


@dataclass(frozen=True)
class SuppressionPlan:
    """Per dimension, the roll-ups withheld, as sets of (level, group code)."""

    withheld: Mapping[str, frozenset[tuple[str, str]]]

    def groups(self, level: str) -> dict[str, frozenset[str]]:
        """Per dimension, the group codes withheld at `level` (for `reports.rollup`)."""
        return {d: frozenset(code for lvl, code in keys if lvl == level)
                for d, keys in self.withheld.items()}


def nesting(groups: Sequence[tuple[str, Sequence[object]]]) -> tuple[Nesting, np.ndarray]:
    """Nodes from per-level group codes of the units (lowest level first; None = none), and
    per node the node standing for it (itself, or the ancestor with the same units).

    Raises ValueError when the groups do not nest (a group's units lie in two groups of a
    higher level): such a family cannot be protected by this plan.
    """
    names = [level for level, _ in groups]
    chain = np.full((len(groups[0][1]), len(groups)), -1, dtype=np.int64)
    keys: list[tuple[str, str]] = []
    for j, (level, column) in enumerate(groups):
        codes = pd.Series(column, dtype=object)
        present = codes.notna().to_numpy()
        number, uniques = pd.factorize(codes[present].astype(str), sort=True)
        chain[present, j] = number + len(keys)
        keys += [(level, code) for code in uniques]
    parent = _parents(chain, keys)
    level = np.array([names.index(k[0]) for k in keys], dtype=np.int64)
    return _merge_identical(Nesting(keys, parent, level, chain))


def _parents(chain: np.ndarray, keys: list[tuple[str, str]]) -> np.ndarray:
    """Per node, the next node above it in its units' chains (−1 at the top)."""
    above = np.full(len(chain), -1, dtype=np.int64)
    pairs = []
    for j in range(chain.shape[1] - 1, -1, -1):
        present = chain[:, j] >= 0
        pairs.append(np.column_stack([chain[present, j], above[present]]))
        above = np.where(present, chain[:, j], above)
    links = pd.DataFrame(np.concatenate(pairs), columns=["node", "above"]).drop_duplicates()
    split = links["node"].duplicated()
    if split.any():
        level, code = keys[int(links.loc[split, "node"].iloc[0])]
        raise ValueError(f"roll-ups do not nest: {level} {code!r} has units in more than "
                         "one group above it")
    parent = np.full(len(keys), -1, dtype=np.int64)
    parent[links["node"].to_numpy()] = links["above"].to_numpy()
    return parent


def _merge_identical(nest: Nesting) -> tuple[Nesting, np.ndarray]:
    """Fold a node into its parent when both have the same units (one figure, one fate)."""
    members = np.bincount(nest.chain[nest.chain >= 0], minlength=len(nest.keys))
    alias = np.arange(len(nest.keys))
    if not len(alias):
        return nest, alias
    for node in np.argsort(-nest.level, kind="stable"):
        above = nest.parent[node]
        if above >= 0 and members[node] == members[above]:
            alias[node] = alias[above]
    chain = np.where(nest.chain >= 0, alias[np.maximum(nest.chain, 0)], -1)
    return Nesting(nest.keys, nest.parent, nest.level, chain), alias


def plan_suppression(groups: Sequence[tuple[str, Sequence[object]]], table: pd.DataFrame,
                     responses: pd.DataFrame, min_n: int) -> SuppressionPlan:
    """Withheld roll-ups per dimension for the units of `table` (a score table).

    `groups` gives, lowest level first, each table row's group code at that level;
    `responses` is `RoundScores.responses` (per-response dimension scores, for the constant
    atom check).
    """
    nest, alias = nesting(groups)
    if not nest.keys:
        return SuppressionPlan({d: frozenset() for d in DIMENSIONS})
    withheld = {}
    for d in DIMENSIONS:
        hidden_n, low, high = _hidden_units(d, table, responses)
        published = _plan_dimension(nest, table[f"{d}_n"].to_numpy(dtype=np.int64), hidden_n,
                                    low, high, min_n)
        withheld[d] = frozenset(key for k, key in enumerate(nest.keys)
                                if not published[alias[k]])
    return SuppressionPlan(withheld)


def _hidden_units(d: str, table: pd.DataFrame,
                  responses: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: its n when suppressed (else 0) and the lowest and highest response score."""
    suppressed = table[f"{d}_suppressed"].to_numpy(dtype=bool)
    hidden_n = np.where(suppressed, table[f"{d}_n"].to_numpy(dtype=np.int64), 0)
    counted = responses.loc[~responses["excluded"].to_numpy() & responses[d].notna()]
    spread = counted.groupby("unit_code")[d].agg(["min", "max"])
    spread = spread.reindex(table["unit_code"])
    return hidden_n, spread["min"].to_numpy(float), spread["max"].to_numpy(float)


def _plan_dimension(nest: Nesting, n: np.ndarray, hidden_n: np.ndarray, low: np.ndarray,
                    high: np.ndarray, min_n: int) -> np.ndarray:
    """Published flag per node after primary and complementary suppression."""
    nodes = len(nest.keys)
    inside = nest.chain >= 0
    pooled = np.bincount(nest.chain[inside], weights=np.repeat(n, inside.sum(axis=1)),
                         minlength=nodes)
    published = pooled >= min_n
    published[np.bincount(nest.chain[inside], minlength=nodes) == 0] = False
    while True:
        atoms = _atoms(nest, published, hidden_n, low, high)
        bad = np.flatnonzero(published & _disclosive(atoms, min_n))
        if not len(bad):
            return published
        node = bad[np.lexsort((bad, nest.level[bad]))][0]
        published[_to_withhold(nest, published, atoms, node, pooled, min_n)] = False


@dataclass(frozen=True)
class _Atoms:
    """Per node: the suppressed units whose lowest published roll-up it is."""

    n: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _atoms(nest: Nesting, published: np.ndarray, hidden_n: np.ndarray, low: np.ndarray,
           high: np.ndarray) -> _Atoms:
    node = _lowest_published(nest.chain, published)
    hidden = (node >= 0) & (hidden_n > 0)
    g = node[hidden]
    nodes = len(nest.keys)
    atom_low = np.full(nodes, np.inf)
    atom_high = np.full(nodes, -np.inf)
    np.minimum.at(atom_low, g, low[hidden])
    np.maximum.at(atom_high, g, high[hidden])
    return _Atoms(np.bincount(g, weights=hidden_n[hidden], minlength=nodes), atom_low,
                  atom_high)


def _lowest_published(chain: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Per unit: its lowest published node (−1 when none)."""
    hit = (chain >= 0) & published[np.maximum(chain, 0)]
    first = hit.argmax(axis=1)
    return np.where(hit.any(axis=1), chain[np.arange(len(chain)), first], -1)


def _disclosive(atoms: _Atoms, min_n: int) -> np.ndarray:
    """An atom pooling 1…min_n − 1 responses, or responses that all have the same score."""
    small = (atoms.n >= 1) & (atoms.n < min_n)
    return small | ((atoms.n >= 1) & (atoms.low == atoms.high))


def _to_withhold(nest: Nesting, published: np.ndarray, atoms: _Atoms, node: int,
                 pooled: np.ndarray, min_n: int) -> int:
    """The node to withhold to repair `node`'s atom (see the module docstring)."""
    ancestor = _nearest_published_ancestor(nest, published, node)
    if ancestor >= 0 and _disclosive(atoms, min_n)[ancestor] \
            and _merge_repairs(atoms, node, ancestor, min_n):
        return node
    below = np.flatnonzero(published & (atoms.n >= 1))
    below = [q for q in below if _nearest_published_ancestor(nest, published, q) == node]
    if not below:
        return node
    return min(below, key=lambda q: (pooled[q], nest.keys[q]))


def _merge_repairs(atoms: _Atoms, node: int, ancestor: int, min_n: int) -> bool:
    n = atoms.n[node] + atoms.n[ancestor]
    constant = max(atoms.high[node], atoms.high[ancestor]) \
        == min(atoms.low[node], atoms.low[ancestor])
    return n >= min_n and not constant


def _nearest_published_ancestor(nest: Nesting, published: np.ndarray, node: int) -> int:
    above = nest.parent[node]
    while above >= 0 and not published[above]:
        above = nest.parent[above]
    return int(above)
