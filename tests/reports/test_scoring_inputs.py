"""Bad input frames are refused with a message that names the row, field or item."""

import pandas as pd
import pytest

from reports import RoundSettings, score_round
from reports.testing import make_answers, make_items, make_responses, make_units

ITEMS = make_items([("q", "likert", "satisfaction"), ("t", "text", "none")])
ANSWERS = make_answers({"r1": {"q": 4, "t": "x"}})
RESPONSES = make_responses({"r1": "u1"})
UNITS = make_units(["u1"])


def run(answers=ANSWERS, responses=RESPONSES, items=ITEMS, units=UNITS):
    return score_round(answers, responses, items, units, RoundSettings("R"))


@pytest.mark.parametrize(("frame", "column"), [
    ("answers", "dont_know"), ("responses", "excluded"), ("items", "reverse"),
    ("units", "parent_code"),
])
def test_missing_columns(frame: str, column: str) -> None:
    frames = {"answers": ANSWERS, "responses": RESPONSES, "items": ITEMS, "units": UNITS}
    frames[frame] = frames[frame].drop(columns=column)
    with pytest.raises(ValueError, match=f"{frame} lacks the columns \\['{column}'\\]"):
        run(**frames)


def test_unknown_references() -> None:
    with pytest.raises(ValueError, match="response 'r1': unit 'zz'"):
        run(responses=make_responses({"r1": "zz"}))
    with pytest.raises(ValueError, match="response_id 'r9' is unknown"):
        run(answers=make_answers({"r9": {"q": 1}}))
    with pytest.raises(ValueError, match="item_id 'zz' is unknown"):
        run(answers=make_answers({"r1": {"zz": 1}}))


def test_duplicates() -> None:
    with pytest.raises(ValueError, match="response 'r1' answers item 'q' more than once"):
        run(answers=pd.concat([ANSWERS, ANSWERS.iloc[:1]]))
    with pytest.raises(ValueError, match=r"responses\.response_id 'r1' occurs more than once"):
        run(responses=pd.concat([RESPONSES, RESPONSES]))
    with pytest.raises(ValueError, match=r"items\.item_id 'q'"):
        run(items=pd.concat([ITEMS, ITEMS.iloc[:1]]))
    with pytest.raises(ValueError, match=r"units\.unit_code 'u1'"):
        run(units=pd.concat([UNITS, UNITS]))


@pytest.mark.parametrize(("spec", "message"), [
    (("q", "slider", "satisfaction"), "type 'slider'"),
    (("q", "likert", "fun"), "dimension 'fun'"),
    (("q", "likert", "awareness", {"dont_know": "maybe"}), "dont_know 'maybe'"),
    (("q", "likert", "awareness", {"points": 2.0}), "scored likert item needs"),
    (("q", "likert", "awareness", {"points": 12.0}), "scored likert item needs"),
    (("q", "number", "awareness", {"scored": True}), "scored number item needs"),
    (("q", "number", "awareness", {"min": 5.0, "max": 5.0, "scored": True}), "number item"),
    (("q", "single", "awareness", {"scored": True}), "scored single item needs"),
    (("q", "multi", "awareness", {"scored": True}), "scored multi item needs"),
    (("q", "likert", "awareness", {"weight": 0.0}), "weight must be a positive number"),
    (("q", "likert", "awareness", {"weight": float("nan")}), "weight must be a positive"),
])
def test_invalid_items(spec: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=f"item 'q': .*{message}"):
        run(items=make_items([spec]), answers=make_answers({}))


def test_empty_text_counts_as_unanswered() -> None:
    answers = make_answers({"r1": {"q": 4, "t": ""}, "r2": {"q": 4}})
    responses = make_responses({"r1": "u1", "r2": "u1"})
    quality = run(answers=answers, responses=responses).quality.set_index("response_id")
    assert quality.at["r2", "duplicate_of"] == "r1"
