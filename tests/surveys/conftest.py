"""Fixtures for the surveys tests: a small valid instrument covering every item type."""

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

T = {"zh": "题目", "en": "Question"}


def _options(scored: bool) -> list[dict[str, Any]]:
    scores = [100, 0, None] if scored else [None, None, None]
    options = []
    for value, score in zip(("a", "b", "c"), scores, strict=True):
        option: dict[str, Any] = {"value": value, "label": {"zh": value, "en": value}}
        if score is not None:
            option["score"] = score
        options.append(option)
    return options


BASE_DOC: dict[str, Any] = {
    "id": "demo",
    "mode": "daily",
    "title": {"zh": "演示问卷", "en": "Demo"},
    "sections": [
        {
            "id": "main",
            "title": {"zh": "主体", "en": "Main"},
            "items": [
                {"id": "q_yes", "type": "yesno", "text": T, "dimension": "awareness",
                 "allow_dont_know": True},
                {"id": "q_likert", "type": "likert", "points": 5, "text": T,
                 "dimension": "satisfaction", "reverse": True, "allow_na": True},
                {"id": "q_single", "type": "single", "text": T, "dimension": "participation",
                 "options": _options(scored=True)},
                {"id": "q_multi", "type": "multi", "text": T, "options": _options(scored=False)},
            ],
        },
        {
            "id": "more",
            "title": {"zh": "其他", "en": "More"},
            "items": [
                {"id": "q_rating", "type": "rating10", "text": T, "dimension": "satisfaction",
                 "weight": 2},
                {"id": "q_number", "type": "number", "text": T, "dimension": "participation",
                 "min": 0, "max": 10},
                {"id": "q_text", "type": "text", "text": T, "suggestion": True,
                 "relevant": {"item": "q_yes", "equals": "yes"}},
            ],
        },
    ],
}  # fmt: skip


def item_of(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    """The raw item ``item_id`` of a document, for tests that mutate it."""
    for section in doc["sections"]:
        for item in section["items"]:
            if item["id"] == item_id:
                return item
    raise KeyError(item_id)


@pytest.fixture(scope="session")
def make_doc() -> Callable[[], dict[str, Any]]:
    """A factory of fresh copies of the valid base document."""
    return lambda: copy.deepcopy(BASE_DOC)


@pytest.fixture(scope="session")
def item_in() -> Callable[[dict[str, Any], str], dict[str, Any]]:
    return item_of


@pytest.fixture(scope="session")
def to_yaml() -> Callable[[dict[str, Any]], str]:
    return lambda doc: yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
