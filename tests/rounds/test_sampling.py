"""The stratified sampler (pure) and sampled rounds re-drawn for an audit."""

from __future__ import annotations

import hashlib
import math
import random
from fractions import Fraction

import pytest
from flask.testing import FlaskCliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import AuditEvent, RoundUnit
from evalapp.operations import OperationError
from evalapp.rounds import scope
from evalapp.rounds.sampling import allocate, draw_sample, sample_size, seeded_key
from tests.factories import make_instrument, make_round, make_unit

frames = st.dictionaries(st.text("ABCDEFGHJK0123456789", min_size=1, max_size=6),
                         st.sampled_from(["C1", "C2", "C3", "C4", ""]), min_size=1,
                         max_size=60)


@settings(max_examples=100, deadline=None)
@given(frames, st.data(), st.integers(0, 2**40))
def test_samples_have_the_exact_size_and_proportional_strata(frame: dict[str, str],
                                                             data: st.DataObject,
                                                             seed: int) -> None:
    size = data.draw(st.integers(1, len(frame)))
    draw = draw_sample(frame, size, seed)
    assert len(draw.codes) == size == len(set(draw.codes))
    assert set(draw.codes) <= set(frame)
    for stratum, count in draw.allocation.items():
        members = [code for code, s in frame.items() if s == stratum]
        quota = Fraction(size * len(members), len(frame))
        assert math.floor(quota) <= count <= math.ceil(quota)
        assert sum(1 for code in draw.codes if frame[code] == stratum) == count


@settings(max_examples=60, deadline=None)
@given(frames, st.integers(0, 2**40), st.randoms(use_true_random=False))
def test_a_seed_names_the_same_sample_whatever_the_frame_order(
        frame: dict[str, str], seed: int, rng: random.Random) -> None:
    size = max(1, len(frame) // 3)
    items = list(frame.items())
    rng.shuffle(items)
    assert draw_sample(dict(items), size, seed) == draw_sample(frame, size, seed)


def test_the_draw_is_pinned_to_sha256_and_differs_between_seeds() -> None:
    frame = {f"U{n:02d}": f"C{n % 3}" for n in range(30)}
    assert seeded_key(7, "unit", "U01") == int.from_bytes(
        hashlib.sha256(b"7|unit|U01").digest()[:8], "big")
    samples = {draw_sample(frame, 6, seed).codes for seed in range(5)}
    assert len(samples) > 1
    assert allocate({"C0": 10, "C1": 10, "C2": 10}, 6, 1) == {"C0": 2, "C1": 2, "C2": 2}


def test_largest_remainder_allocation() -> None:
    # quotas 5.4, 3.3, 1.3 → floors 5, 3, 1 and the one left goes to the largest remainder
    assert allocate({"a": 54, "b": 33, "c": 13}, 10, 0) == {"a": 6, "b": 3, "c": 1}


@pytest.mark.parametrize(("frame", "size", "share", "expected"), [
    (10, 4, None, 4), (10, None, 0.2, 2), (10, None, 0.15, 2), (3, None, 0.2, 1),
    (7, None, 1.0, 7),
])
def test_sample_size(frame: int, size: int | None, share: float | None, expected: int) -> None:
    assert sample_size(frame, size=size, share=share) == expected


@pytest.mark.parametrize(("size", "share"), [(None, None), (2, 0.5), (0, None), (11, None),
                                             (None, 0.0), (None, 1.5)])
def test_bad_sample_sizes(size: int | None, share: float | None) -> None:
    with pytest.raises(ValueError):
        sample_size(10, size=size, share=share)


def test_sampled_round_records_its_draw_and_passes_the_resample_check(
        session: Session, runner: FlaskCliRunner) -> None:
    counties = [make_unit(session, kind="county", code=f"S{c}") for c in range(3)]
    for c, county in enumerate(counties):
        for n in range(4 + 2 * c):
            make_unit(session, kind="youth_home", parent=county, code=f"S{c}-{n:02d}")
    make_unit(session, kind="youth_home", code="LOOSE")
    make_instrument(session, "spot_check")
    session.commit()
    created = runner.invoke(args=[
        "round", "create", "--name", "抽查", "--mode", "spot_check", "--opens", "2026-11-01",
        "--closes", "2026-11-30", "--kind", "youth_home", "--sample-share", "0.5",
        "--seed", "42"])
    assert created.exit_code == 0, created.output
    assert "a sample of 10 of 19 units, seed 42" in created.output
    round_id = int(created.output.split("round ")[1].split()[0])
    scope_codes = set(session.scalars(select(RoundUnit.unit_id).where(
        RoundUnit.round_id == round_id)))
    assert len(scope_codes) == 10
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sample"))
    assert event is not None and event.detail["seed"] == 42 and len(event.detail["frame"]) == 19
    assert event.detail["allocation"] == {"": 1, "S0": 2, "S1": 3, "S2": 4}

    checked = runner.invoke(args=["round", "resample-check", str(round_id)])
    assert checked.exit_code == 0, checked.output
    assert "matches the round's scope" in checked.output

    make_unit(session, kind="youth_home", parent=counties[0], code="S0-NEW")
    session.execute(RoundUnit.__table__.delete().where(RoundUnit.round_id == round_id,
                                                       RoundUnit.unit_id.in_(scope_codes)))
    session.commit()
    tampered = runner.invoke(args=["round", "resample-check", str(round_id)])
    assert tampered.exit_code == 1
    assert "does NOT match" in tampered.output and "drawn but not in scope" in tampered.output
    assert "1 now selected in addition" in tampered.output


def test_sampling_rules(session: Session) -> None:
    county = make_unit(session, kind="county")
    for _ in range(3):
        make_unit(session, parent=county)
    round_ = make_round(session, [])
    with pytest.raises(OperationError, match="cannot draw 9 units from a frame of 3"):
        scope.sample_scope(session, round_, under=[county.code], size=9)
    with pytest.raises(OperationError, match="unknown unit code"):
        scope.sample_scope(session, round_, under=["NOPE"], size=1)
    with pytest.raises(OperationError, match="not drawn as a sample"):
        scope.check_sample(session, round_)
    draw = scope.sample_scope(session, round_, under=[county.code], size=2)
    assert round_.sampling_seed == draw.seed and len(draw.codes) == 2
    assert scope.check_sample(session, round_).matches
