"""Raw answer conventions: legal answers, canonical strings and conditional items."""

import math

import pytest

from surveys import Answer, Instrument, canonical_strings, encode_multi, validate_answer
from surveys.answers import format_number


@pytest.fixture(scope="module")
def demo(make_doc) -> Instrument:
    return Instrument.from_dict(make_doc())


LEGAL = [
    ("q_likert", 1, None),
    ("q_likert", 5.0, None),
    ("q_rating", 0, None),
    ("q_rating", 10, None),
    ("q_yes", 1, None),
    ("q_yes", 0.0, None),
    ("q_number", -3.5, None),
    ("q_number", 1e6, None),
    ("q_single", None, "c"),
    ("q_multi", None, "a"),
    ("q_multi", None, "a,c"),
    ("q_multi", None, "a,b,c"),
    ("q_text", None, "多开展周末活动"),
    ("q_text", None, "x" * 2000),
]


@pytest.mark.parametrize(("item_id", "value", "text"), LEGAL)
def test_legal_answers(demo: Instrument, item_id: str, value, text) -> None:
    assert validate_answer(demo.item(item_id), value, text) is None


ILLEGAL = [
    ("q_likert", 0, None, "whole number from 1 to 5"),
    ("q_likert", 6, None, "whole number from 1 to 5"),
    ("q_likert", 2.5, None, "whole number from 1 to 5"),
    ("q_likert", True, None, "finite number"),
    ("q_likert", "3", None, "finite number"),
    ("q_likert", math.nan, None, "finite number"),
    ("q_likert", None, "3", "is a number, not text"),
    ("q_likert", None, None, "no answer given"),
    ("q_rating", 11, None, "whole number from 0 to 10"),
    ("q_rating", -1, None, "whole number from 0 to 10"),
    ("q_yes", 2, None, "must be 1 (yes) or 0 (no)"),
    ("q_yes", 0.5, None, "must be 1 (yes) or 0 (no)"),
    ("q_number", math.inf, None, "finite number"),
    ("q_single", None, "d", "unknown option 'd'"),
    ("q_single", None, None, "no answer given"),
    ("q_single", 1, None, "is text, not a number"),
    ("q_multi", None, "", "no option selected"),
    ("q_multi", None, "a,d", "unknown option 'd'"),
    ("q_multi", None, "c,a", "in the item's option order"),
    ("q_multi", None, "a,a", "in the item's option order"),
    ("q_multi", None, "a,", "unknown option ''"),
    ("q_text", None, "   ", "the text is empty"),
    ("q_text", None, "x" * 2001, "longer than 2000 characters"),
    ("q_text", None, 42, "must be text"),
]


@pytest.mark.parametrize(("item_id", "value", "text", "message"), ILLEGAL)
def test_illegal_answers(demo: Instrument, item_id: str, value, text, message: str) -> None:
    error = validate_answer(demo.item(item_id), value, text)
    assert error is not None and message in error


@pytest.mark.parametrize(
    ("item_id", "value", "text", "na", "dont_know", "message"),
    [
        ("q_likert", None, None, True, False, None),
        ("q_yes", None, None, False, True, None),
        ("q_yes", None, None, True, False, "not applicable is not allowed"),
        ("q_likert", None, None, False, True, "don't know is not allowed"),
        ("q_likert", 3, None, True, False, "carries no value or text"),
        ("q_yes", None, "yes", False, True, "carries no value or text"),
        ("q_likert", None, None, True, True, "cannot be both"),
    ],
)
def test_not_applicable_and_dont_know(demo, item_id, value, text, na, dont_know, message):
    error = validate_answer(demo.item(item_id), value, text, na=na, dont_know=dont_know)
    assert (error is None) if message is None else (error is not None and message in error)


@pytest.mark.parametrize(
    ("item_id", "value", "text", "strings"),
    [
        ("q_yes", 1.0, None, ("yes",)),
        ("q_yes", 0, None, ("no",)),
        ("q_likert", 4.0, None, ("4",)),
        ("q_rating", 10, None, ("10",)),
        ("q_number", 2.5, None, ("2.5",)),
        ("q_number", -0.0, None, ("0",)),
        ("q_single", None, "b", ("b",)),
        ("q_multi", None, "a,c", ("a", "c")),
        ("q_text", None, "意见", ("意见",)),
        ("q_likert", None, None, ()),
        ("q_multi", None, None, ()),
    ],
)
def test_canonical_strings(demo, item_id, value, text, strings) -> None:
    assert canonical_strings(demo.item(item_id), value, text) == strings


def test_format_number() -> None:
    assert [format_number(v) for v in (3, 3.0, 2.5, 1e-7)] == ["3", "3", "2.5", "1e-07"]


def test_encode_multi_uses_option_order(demo: Instrument) -> None:
    item = demo.item("q_multi")
    assert encode_multi(item, ["c", "a", "c"]) == "a,c"
    assert validate_answer(item, None, encode_multi(item, ["c", "b"])) is None
    with pytest.raises(ValueError, match="unknown options d"):
        encode_multi(item, ["a", "d"])


def test_answer_is_substantive() -> None:
    assert Answer(value=0).is_substantive
    assert Answer(text="a").is_substantive
    assert not Answer().is_substantive
    assert not Answer(na=True).is_substantive
    assert not Answer(dont_know=True).is_substantive


def test_item_without_condition_is_always_shown(demo: Instrument) -> None:
    assert demo.item("q_yes").is_shown({})


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (None, False),
        (Answer(value=1), True),
        (Answer(value=1.0), True),
        (Answer(value=0), False),
        (Answer(na=True), False),
        (Answer(dont_know=True), False),
    ],
)
def test_is_shown_follows_a_yesno_answer(demo: Instrument, answer, shown: bool) -> None:
    answers = {} if answer is None else {"q_yes": answer}
    assert demo.item("q_text").is_shown(answers) is shown


@pytest.mark.parametrize(
    ("target", "condition", "answer", "shown"),
    [
        ("q_multi", {"in": ["b", "c"]}, Answer(text="a,c"), True),
        ("q_multi", {"in": ["b", "c"]}, Answer(text="a"), False),
        ("q_multi", {"equals": "a"}, Answer(text="a,b,c"), True),
        ("q_single", {"equals": "b"}, Answer(text="b"), True),
        ("q_single", {"in": ["a", "c"]}, Answer(text="b"), False),
        ("q_likert", {"in": [1, 2]}, Answer(value=2.0), True),
        ("q_likert", {"in": [1, 2]}, Answer(value=3.0), False),
        ("q_rating", {"equals": 0}, Answer(value=0), True),
        ("q_number", {"equals": 2.5}, Answer(value=2.5), True),
        ("q_number", {"equals": 3}, Answer(value=3.0), True),
        ("q_number", {"equals": 3}, Answer(value=3.1), False),
    ],
)
def test_is_shown_per_referenced_type(make_doc, item_in, target, condition, answer, shown):
    doc = make_doc()
    item_in(doc, "q_text")["relevant"] = {"item": target, **condition}
    instrument = Instrument.from_dict(doc)
    assert instrument.item("q_text").is_shown({target: answer}) is shown
