"""Blind assignment of observers to units: a pure function over plain data, no database.

:func:`plan_assignments` gives every unit ``per_unit`` distinct observers, counting the
assignments it already has (made by hand or by an earlier run), which are never moved.

**Eligibility.** An observer may not visit a unit they are affiliated with and, when the
round excludes the same county, a unit in a county where any of their affiliations lies.
A unit that cannot get enough eligible observers makes the whole plan fail with an
:class:`AssignmentImpossible` naming every such unit and why; nothing is planned then.
Since an observer can take any number of units, this per-unit count is the only way the
constraints can be unsatisfiable.

**Balance.** Among all plans that satisfy the constraints, the plan's load vector (number of
assignments per observer, existing ones included) is *decreasingly minimal*: the largest
load is as small as possible, then the next, and so on. In particular loads differ by at
most one whenever any valid plan achieves that. It is reached in two steps:

1. a greedy pass: units in order of least slack (eligible observers minus places), each
   taking the least-loaded eligible observers;
2. a repair: while some observer with load *L* can hand one of the new assignments, along a
   chain of eligible exchanges, to an observer with load ≤ *L* − 2, do it. By Frank and
   Murota's theorem on decreasingly minimal elements of M-convex sets (Math. Oper. Res.
   2022), a plan without such a chain is decreasingly minimal; each exchange lowers the sum
   of squared loads, so the repair ends.

**Randomness.** Unit order and ties between equally loaded observers follow seeded SHA-256
keys (see :func:`.sampling.seeded_key`), re-drawn each time an observer's load grows, so
which observers share a unit is mixed anew on every lap. The same inputs and seed give the
same plan on any machine and Python version, whatever order the inputs are listed in.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .sampling import seeded_key


@dataclass(frozen=True)
class UnitSlot:
    """A unit to staff: its id, a label for messages (code and name) and its county."""

    id: int
    label: str
    county: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An observer who may be assigned, with the units and counties they belong to."""

    id: int
    units: frozenset[int] = frozenset()
    counties: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Shortfall:
    """Why a unit cannot be staffed: places needed and the observers that may not go."""

    unit: UnitSlot
    needed: int
    eligible: int
    affiliated: int
    same_county: int

    def __str__(self) -> str:
        return (f"{self.unit.label}: {self.needed} needed, {self.eligible} eligible "
                f"({self.affiliated} affiliated, {self.same_county} in the same county)")


class AssignmentImpossible(ValueError):
    """No plan satisfies the constraints; ``shortfalls`` names every unit that lacks
    observers."""

    def __init__(self, shortfalls: Sequence[Shortfall], observers: int) -> None:
        self.shortfalls = list(shortfalls)
        heading = (f"cannot give every unit enough observers ({observers} active observer"
                   f"{'s' if observers != 1 else ''}); nothing was assigned:")
        super().__init__("\n".join([heading, *(f"  {s}" for s in self.shortfalls)]))


@dataclass(frozen=True)
class Plan:
    """New ``(unit id, observer id)`` pairs, sorted, and every candidate's total load."""

    pairs: tuple[tuple[int, int], ...]
    loads: dict[int, int]


@dataclass
class _State:
    """The plan being built: who is on each unit, loads and the movable (new) pairs."""

    on_unit: dict[int, set[int]]
    load: Counter[int]
    new: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, unit: int, observer: int) -> None:
        self.on_unit[unit].add(observer)
        self.new[observer].add(unit)
        self.load[observer] += 1

    def move(self, unit: int, giver: int, taker: int) -> None:
        self.on_unit[unit].discard(giver)
        self.new[giver].discard(unit)
        self.load[giver] -= 1
        self.add(unit, taker)


def plan_assignments(
    units: Iterable[UnitSlot],
    candidates: Iterable[Candidate],
    per_unit: int,
    *,
    seed: int,
    existing: Iterable[tuple[int, int]] = (),
    exclude_same_county: bool = False,
) -> Plan:
    """Staff every unit with ``per_unit`` observers (see the module docstring).

    ``existing`` lists ``(unit id, observer id)`` pairs already assigned; they count towards
    the units' places and the observers' loads and stay as they are.
    """
    if per_unit < 1:
        raise ValueError("per_unit must be at least 1")
    slots = sorted({unit.id: unit for unit in units}.values(), key=lambda unit: unit.id)
    people = sorted({person.id: person for person in candidates}.values(),
                    key=lambda person: person.id)
    rule = _Eligibility(people, exclude_same_county)
    state = _State(on_unit={unit.id: set() for unit in slots}, load=Counter())
    known = {person.id for person in people}
    for unit_id, observer_id in existing:
        if unit_id in state.on_unit:
            state.on_unit[unit_id].add(observer_id)
            if observer_id in known:
                state.load[observer_id] += 1
    _refuse_shortfalls(slots, people, per_unit, state, rule)
    _greedy(slots, people, per_unit, state, rule, seed)
    _repair(slots, people, state, rule)
    pairs = sorted((unit, observer) for observer, held in state.new.items() for unit in held)
    return Plan(tuple(pairs), {person.id: state.load[person.id] for person in people})


class _Eligibility:
    """Who may visit which unit, with the counts the refusal message gives."""

    def __init__(self, people: Sequence[Candidate], exclude_same_county: bool) -> None:
        self.people = {person.id: person for person in people}
        self.exclude_same_county = exclude_same_county
        self.members: dict[int, list[Candidate]] = defaultdict(list)
        for person in people:
            for unit in person.units:
                self.members[unit].append(person)
        self.in_county: Counter[str] = Counter(c for p in people for c in p.counties)

    def allows(self, unit: UnitSlot, observer: int) -> bool:
        person = self.people[observer]
        if unit.id in person.units:
            return False
        return not (self.exclude_same_county and unit.county is not None
                    and unit.county in person.counties)

    def excluded_counts(self, unit: UnitSlot) -> tuple[int, int]:
        """(affiliated, same county but not affiliated) observers for ``unit``."""
        members = self.members.get(unit.id, [])
        if not self.exclude_same_county or unit.county is None:
            return len(members), 0
        both = sum(1 for person in members if unit.county in person.counties)
        return len(members), self.in_county[unit.county] - both


def _refuse_shortfalls(slots: Sequence[UnitSlot], people: Sequence[Candidate], per_unit: int,
                       state: _State, rule: _Eligibility) -> None:
    shortfalls = []
    for unit in slots:
        have = state.on_unit[unit.id]
        if len(have) >= per_unit:
            continue
        affiliated, same_county = rule.excluded_counts(unit)
        eligible = len(people) - affiliated - same_county
        eligible += sum(1 for observer in have
                        if observer not in rule.people or not rule.allows(unit, observer))
        if eligible < per_unit:
            shortfalls.append(Shortfall(unit, per_unit, eligible, affiliated, same_county))
    if shortfalls:
        raise AssignmentImpossible(shortfalls, len(people))


def _greedy(slots: Sequence[UnitSlot], people: Sequence[Candidate], per_unit: int,
            state: _State, rule: _Eligibility, seed: int) -> None:
    """Least slack first; each unit takes the least-loaded eligible observers.

    The observers wait in one heap keyed by (load, seeded key at that load); observers a
    unit may not take are set aside and put back, so a unit costs about
    O((places + excluded) log n).
    """
    def slack(unit: UnitSlot) -> int:
        affiliated, same_county = rule.excluded_counts(unit)
        return len(people) - affiliated - same_county - per_unit

    order = sorted(slots, key=lambda unit: (slack(unit), seeded_key(seed, "unit", unit.id)))
    heap = [(state.load[p.id], seeded_key(seed, "lap", p.id, state.load[p.id]), p.id)
            for p in people]
    heapq.heapify(heap)
    for unit in order:
        on_unit = state.on_unit[unit.id]
        skipped = []
        while len(on_unit) < per_unit:
            entry = heapq.heappop(heap)
            observer = entry[2]
            if observer in on_unit or not rule.allows(unit, observer):
                skipped.append(entry)
                continue
            state.add(unit.id, observer)
            load = state.load[observer]
            heapq.heappush(heap, (load, seeded_key(seed, "lap", observer, load), observer))
        for entry in skipped:
            heapq.heappush(heap, entry)


def _repair(slots: Sequence[UnitSlot], people: Sequence[Candidate], state: _State,
            rule: _Eligibility) -> None:
    """Move new assignments along exchange chains until no load can drop by shifting."""
    units = {unit.id: unit for unit in slots}
    observers = [person.id for person in people]
    while True:
        loads = sorted({state.load[observer] for observer in observers}, reverse=True)
        if not loads or loads[0] - loads[-1] <= 1:
            return
        for level in (level for level in loads if level >= loads[-1] + 2):
            path = _exchange_path(level, units, observers, state, rule)
            if path is not None:
                for unit, giver, taker in path:
                    state.move(unit, giver, taker)
                break
        else:
            return


def _exchange_path(level: int, units: dict[int, UnitSlot], observers: Sequence[int],
                   state: _State, rule: _Eligibility) -> list[tuple[int, int, int]] | None:
    """A chain of moves from an observer with load ≥ ``level`` to one with load ≤ level − 2.

    Breadth-first from all such observers at once; each unit is expanded once, so a search
    costs O(units × observers) at worst. Returns the moves (unit, giver, taker) in the
    order they must be applied, last link first, so no observer ever holds a unit twice.
    """
    sources = [o for o in observers if state.load[o] >= level]
    came_from: dict[int, tuple[int, int] | None] = dict.fromkeys(sources)
    queue = deque(sources)
    expanded: set[int] = set()
    while queue:
        giver = queue.popleft()
        for unit_id in sorted(state.new[giver] - expanded):
            expanded.add(unit_id)
            for taker in observers:
                if taker in came_from or taker in state.on_unit[unit_id]:
                    continue
                if not rule.allows(units[unit_id], taker):
                    continue
                came_from[taker] = (giver, unit_id)
                if state.load[taker] <= level - 2:
                    return _moves(came_from, taker)
                queue.append(taker)
    return None


def _moves(came_from: dict[int, tuple[int, int] | None], end: int
           ) -> list[tuple[int, int, int]]:
    moves = []
    step = came_from[end]
    taker = end
    while step is not None:
        giver, unit = step
        moves.append((unit, giver, taker))
        taker, step = giver, came_from[giver]
    return moves
