"""The blind assignment algorithm (a pure function): properties over generated instances.

Small instances are checked against brute force: every valid plan is enumerated, so the
plan's loads must be the decreasingly minimal ones and a refusal must mean no plan exists.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from evalapp.rounds.assignment import (
    AssignmentImpossible,
    Candidate,
    Plan,
    UnitSlot,
    plan_assignments,
)

COUNTIES = ("A", "B", None)


@dataclass(frozen=True)
class Instance:
    units: list[UnitSlot]
    people: list[Candidate]
    per_unit: int
    existing: list[tuple[int, int]]
    exclude_same_county: bool
    seed: int

    def plan(self, shuffle: int | None = None) -> Plan:
        units, people, existing = list(self.units), list(self.people), list(self.existing)
        if shuffle is not None:
            for items in (units, people, existing):
                random.Random(shuffle).shuffle(items)
        return plan_assignments(units, people, self.per_unit, seed=self.seed,
                                existing=existing, exclude_same_county=self.exclude_same_county)

    def allowed(self, unit: UnitSlot, person: Candidate) -> bool:
        if unit.id in person.units:
            return False
        return not (self.exclude_same_county and unit.county is not None
                    and unit.county in person.counties)


@st.composite
def instances(draw: st.DrawFn, max_units: int = 4, max_people: int = 5) -> Instance:
    n_units = draw(st.integers(1, max_units))
    units = [UnitSlot(10 + i, f"U{i} 单位{i}", draw(st.sampled_from(COUNTIES)))
             for i in range(n_units)]
    county = {unit.id: unit.county for unit in units}
    people = []
    for j in range(draw(st.integers(0, max_people))):
        mine = draw(st.frozensets(st.sampled_from([u.id for u in units]), max_size=2))
        counties = frozenset(c for u in mine if (c := county[u]) is not None)
        people.append(Candidate(100 + j, mine, counties))
    per_unit = draw(st.integers(1, 2))
    pairs = [(u.id, p.id) for u in units for p in people if u.id not in p.units]
    existing = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)) if pairs else []
    return Instance(units, people, per_unit, existing, draw(st.booleans()),
                    draw(st.integers(0, 2**40)))


def valid_plans(instance: Instance) -> Iterator[Counter[int]]:
    """The load vector of every valid plan (brute force)."""
    have = {u.id: {o for unit, o in instance.existing if unit == u.id} for u in instance.units}
    base = Counter(o for _, o in instance.existing)
    choices = []
    for unit in instance.units:
        free = [p.id for p in instance.people
                if p.id not in have[unit.id] and instance.allowed(unit, p)]
        need = max(0, instance.per_unit - len(have[unit.id]))
        choices.append(list(itertools.combinations(free, need)))
    for picks in itertools.product(*choices):
        loads = Counter(base)
        loads.update(o for pick in picks for o in pick)
        yield loads


def descending(loads: Counter[int] | dict[int, int], people: Sequence[Candidate]) -> list[int]:
    return sorted((loads.get(p.id, 0) for p in people), reverse=True)


def check_plan(instance: Instance, plan: Plan) -> None:
    by_id = {p.id: p for p in instance.people}
    on_unit = {u.id: {o for unit, o in instance.existing if unit == u.id}
               for u in instance.units}
    for unit_id, observer in plan.pairs:
        unit = next(u for u in instance.units if u.id == unit_id)
        assert observer not in on_unit[unit_id], "an observer twice on one unit"
        assert instance.allowed(unit, by_id[observer]), "an ineligible observer"
        on_unit[unit_id].add(observer)
    for observers in on_unit.values():
        assert len(observers) >= instance.per_unit
    new = Counter(o for _, o in plan.pairs)
    old = Counter(o for _, o in instance.existing)
    assert plan.loads == {p.id: new[p.id] + old[p.id] for p in instance.people}


def _unbalanced_by_greedy() -> list[Instance]:
    """Instances where least-loaded-first alone ends with loads 3 and 1: the repair's job."""
    def person(id_: int, units: set[int], counties: set[str]) -> Candidate:
        return Candidate(id_, frozenset(units), frozenset(counties))

    first = Instance(
        [UnitSlot(10, "U0"), UnitSlot(11, "U1", "A"), UnitSlot(12, "U2", "B"),
         UnitSlot(13, "U3", "B"), UnitSlot(14, "U4", "A")],
        [person(100, set(), set()), person(101, {13}, {"B"}), person(102, {10, 11, 14}, {"A"}),
         person(103, {10, 11}, {"A"}), person(104, {13}, {"B"})],
        2, [], False, 130610)
    second = Instance(
        [UnitSlot(10, "U0", "A"), UnitSlot(11, "U1"), UnitSlot(12, "U2", "A"),
         UnitSlot(13, "U3"), UnitSlot(14, "U4", "A")],
        [person(100, {13}, set()), person(101, set(), set()), person(102, {10}, {"A"}),
         person(103, {14}, {"A"}), person(104, {14}, {"A"})],
        2, [(14, 101), (12, 103), (11, 104)], False, 632147)
    return [first, second]


@settings(max_examples=100, deadline=None)
@given(instances())
@example(_unbalanced_by_greedy()[0])
@example(_unbalanced_by_greedy()[1])
def test_plans_are_valid_and_as_balanced_as_brute_force(instance: Instance) -> None:
    best = min((descending(loads, instance.people) for loads in valid_plans(instance)),
               default=None)
    try:
        plan = instance.plan()
    except AssignmentImpossible as refusal:
        assert best is None, "refused although a valid plan exists"
        assert refusal.shortfalls
        for shortfall in refusal.shortfalls:
            assert shortfall.unit.label in str(refusal)
            assert shortfall.eligible < shortfall.needed
        return
    assert best is not None
    check_plan(instance, plan)
    assert descending(plan.loads, instance.people) == best


@settings(max_examples=60, deadline=None)
@given(instances(max_units=12, max_people=8), st.integers(0, 1000))
def test_the_same_seed_gives_the_same_plan_whatever_the_input_order(
        instance: Instance, shuffle: int) -> None:
    try:
        plan = instance.plan()
    except AssignmentImpossible as refusal:
        with pytest.raises(AssignmentImpossible) as again:
            instance.plan(shuffle)
        assert str(again.value) == str(refusal)
        return
    check_plan(instance, plan)
    assert instance.plan(shuffle) == plan


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 15), st.integers(1, 3), st.integers(0, 2**40))
def test_without_constraints_loads_differ_by_at_most_one(
        units: int, people: int, per_unit: int, seed: int) -> None:
    per_unit = min(per_unit, people)
    plan = plan_assignments([UnitSlot(u, f"U{u}") for u in range(units)],
                            [Candidate(100 + p) for p in range(people)], per_unit, seed=seed)
    assert len(plan.pairs) == units * per_unit
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1


@settings(max_examples=60, deadline=None)
@given(instances(max_units=15, max_people=10))
def test_no_load_can_drop_by_handing_one_assignment_over(instance: Instance) -> None:
    """On larger instances: no observer can pass a new assignment to one with two fewer."""
    try:
        plan = instance.plan()
    except AssignmentImpossible:
        return
    check_plan(instance, plan)
    on_unit: dict[int, set[int]] = {u.id: set() for u in instance.units}
    for unit_id, observer in [*instance.existing, *plan.pairs]:
        on_unit[unit_id].add(observer)
    units = {u.id: u for u in instance.units}
    for unit_id, giver in plan.pairs:
        for taker in instance.people:
            if plan.loads[taker.id] <= plan.loads[giver] - 2 \
                    and taker.id not in on_unit[unit_id]:
                assert not instance.allowed(units[unit_id], taker)


def test_different_seeds_mix_observers_differently() -> None:
    units = [UnitSlot(u, f"U{u}") for u in range(12)]
    people = [Candidate(100 + p) for p in range(8)]
    plans = {plan_assignments(units, people, 2, seed=seed).pairs for seed in range(6)}
    assert len(plans) > 1


def test_refusal_names_each_unit_and_why() -> None:
    units = [UnitSlot(1, "YB-CP-003 翠屏区青年之家", "C1"),
             UnitSlot(2, "YB-XZ-001 叙州区团委", "C2")]
    people = ([Candidate(10 + i, frozenset({1}), frozenset({"C1"})) for i in range(5)]
              + [Candidate(20 + i, frozenset({3}), frozenset({"C1"})) for i in range(12)]
              + [Candidate(40, frozenset(), frozenset())])
    with pytest.raises(AssignmentImpossible) as refusal:
        plan_assignments(units, people, 2, seed=1, exclude_same_county=True)
    message = str(refusal.value)
    assert "YB-CP-003 翠屏区青年之家: 2 needed, 1 eligible (5 affiliated, 12 in the same county)" \
        in message
    assert "YB-XZ-001" not in message
    assert "18 active observers" in message


def test_existing_assignments_are_kept_and_counted() -> None:
    units = [UnitSlot(u, f"U{u}") for u in range(4)]
    people = [Candidate(100 + p) for p in range(4)]
    existing = [(0, 100), (1, 100), (2, 100)]
    plan = plan_assignments(units, people, 2, seed=3, existing=existing)
    assert not {pair for pair in plan.pairs if pair in existing}
    assert len(plan.pairs) == 8 - 3
    assert plan.loads[100] == 3 and sorted(plan.loads.values()) == [1, 2, 2, 3]
