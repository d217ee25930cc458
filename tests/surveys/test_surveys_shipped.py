"""The three shipped instruments validate and cover what the programme needs."""

import re

import pytest

from surveys import INSTRUMENTS_DIR, Instrument, load_instrument, shipped_instruments
from surveys.vocab import DIMENSIONS

NAMES = ["daily", "experience", "spot_check"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module", params=NAMES)
def shipped(request: pytest.FixtureRequest) -> Instrument:
    return load_instrument(INSTRUMENTS_DIR / f"{request.param}.yaml")


def test_all_three_are_shipped() -> None:
    instruments = shipped_instruments()
    assert sorted(instruments) == NAMES
    assert all(instrument.mode == name for name, instrument in instruments.items())


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_at_least_four_scored_items_per_dimension(shipped: Instrument, dimension: str) -> None:
    assert len(shipped.scored_items(dimension)) >= 4


def test_has_a_suggestions_item(shipped: Instrument) -> None:
    suggestions = [item for item in shipped.items if item.suggestion]
    assert suggestions and all(item.type == "text" for item in suggestions)


def test_uses_the_schema_broadly(shipped: Instrument) -> None:
    frame = shipped.items_frame()
    scored = frame[frame["scored"]]
    likert5 = scored[(scored["type"] == "likert") & (scored["points"] == 5)]
    assert not likert5.empty
    assert {"likert", "yesno", "rating10", "single", "number"} <= set(scored["type"])
    assert scored[scored["type"] == "single"]["option_scores"].map(bool).all()
    assert scored[scored["type"] == "number"][["min", "max"]].notna().all().all()
    assert scored["reverse"].any()
    assert frame["allow_na"].any()
    assert frame["allow_dont_know"].any()
    assert (frame["allow_dont_know"] & (frame["dimension"] == "awareness")).any()
    assert frame["relevant_item"].notna().any()
    assert ((frame["type"] == "multi") & ~frame["scored"]).any()


def test_texts_are_bilingual(shipped: Instrument) -> None:
    texts = [shipped.title, *(s.title for s in shipped.sections)]
    for item in shipped.items:
        texts += [item.text, *(o.label for o in item.options), *item.labels]
    for text in texts:
        assert CJK.search(text.zh), text
        assert text.en and not CJK.search(text.en), text


def test_round_trips_and_hash_is_stable(shipped: Instrument) -> None:
    again = load_instrument(INSTRUMENTS_DIR / f"{shipped.id}.yaml")
    assert again.content_hash == shipped.content_hash
    assert Instrument.from_dict(shipped.to_dict()) == shipped


def test_hashes_differ_between_instruments() -> None:
    hashes = {instrument.content_hash for instrument in shipped_instruments().values()}
    assert len(hashes) == len(NAMES)
