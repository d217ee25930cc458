"""Drawing plausible answers to any instrument from a latent quality.

Each response has a location per dimension on a logit scale (unit quality + the unit's
dimension offset + a respondent effect, see `rounds`); each item adds a fixed difficulty.
The chance p = logistic(location + difficulty) drives every scored item the same way: a
k-point likert answer is 1 + Binomial(k − 1, p), a rating10 answer Binomial(10, p), a yes
is Bernoulli(p), a scored single option is drawn near 100·p. Reversed items use 1 − p. So a
unit's expected scores follow its quality, with realistic noise, ties and ceiling effects.

Items are walked in instrument order; an item hidden by ``relevant`` is never answered and a
required shown item always is. Don't-knows are likelier when p is low, and only on items
that allow them; likewise not-applicables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from surveys.answers import Answer, encode_multi
from surveys.instrument import Instrument, Item

from .names import REMARKS, SUGGESTIONS

ITEM_DIFFICULTY_SD = 0.35
SKIP_OPTIONAL = 0.03
NOT_APPLICABLE = 0.05
DONT_KNOW_BASE = 0.03
DONT_KNOW_SLOPE = 0.2
SUGGESTION_RATE = 0.1
REMARK_RATE = 0.5
# Scored single options: P(option) ∝ exp(λ · score / 100), λ = slope · logit(p) + tilt; the
# tilt makes the best option the likeliest for an average unit, as in real checklists.
OPTION_SLOPE = 3.0
OPTION_TILT = 1.0
UNSCORED_OPTION_SHARE = 0.04
EXCLUSIVE_OPTION = "none"
MULTI_PICK = 0.35
# Expected number for a descriptive number item without min/max (e.g. a head count).
COUNT_MEAN = 18.0


@dataclass(frozen=True)
class Respondent:
    """Who answers: a location per dimension, and the value a straight-liner ticks."""

    location: Mapping[str, float]
    straight_value: int | None = None


def item_difficulties(definition: Instrument, rng: np.random.Generator) -> dict[str, float]:
    """A fixed easiness per item (positive = answered more favourably)."""
    return {item.id: float(rng.normal(0.0, ITEM_DIFFICULTY_SD)) for item in definition.items}


def draw_answers(
    definition: Instrument,
    respondent: Respondent,
    difficulties: Mapping[str, float],
    rng: np.random.Generator,
    presets: Mapping[str, Answer] | None = None,
) -> dict[str, Answer]:
    """One response's answers; ``presets`` fix some items (e.g. the routing question)."""
    answers: dict[str, Answer] = {}
    for item in definition.items:
        if not item.is_shown(answers):
            continue
        if presets and item.id in presets:
            answers[item.id] = presets[item.id]
            continue
        if not item.required and rng.random() < SKIP_OPTIONAL:
            continue
        answer = _draw_item(item, _chance(item, respondent, difficulties), respondent, rng)
        if answer is not None:
            answers[item.id] = answer
    return answers


def _chance(item: Item, respondent: Respondent, difficulties: Mapping[str, float]) -> float:
    location = respondent.location.get(item.dimension)
    if location is None:
        location = sum(respondent.location.values()) / max(len(respondent.location), 1)
    p = 1.0 / (1.0 + math.exp(-(location + difficulties.get(item.id, 0.0))))
    return 1.0 - p if item.reverse else p


def _draw_item(item: Item, p: float, respondent: Respondent,
               rng: np.random.Generator) -> Answer | None:
    if respondent.straight_value is not None and item.type == "likert":
        points = item.points or respondent.straight_value
        return Answer(value=float(min(respondent.straight_value, points)))
    flag = _draw_flag(item, p, rng)
    if flag is not None:
        return flag
    return _DRAWERS[item.type](item, p, rng)


def _draw_flag(item: Item, p: float, rng: np.random.Generator) -> Answer | None:
    favourable = 1.0 - p if item.reverse else p
    if item.allow_dont_know and rng.random() < DONT_KNOW_BASE + DONT_KNOW_SLOPE * (1 - favourable):
        return Answer(dont_know=True)
    if item.allow_na and rng.random() < NOT_APPLICABLE:
        return Answer(na=True)
    return None


def _likert(item: Item, p: float, rng: np.random.Generator) -> Answer:
    return Answer(value=float(1 + rng.binomial((item.points or 2) - 1, p)))


def _rating10(_item: Item, p: float, rng: np.random.Generator) -> Answer:
    return Answer(value=float(rng.binomial(10, p)))


def _yesno(_item: Item, p: float, rng: np.random.Generator) -> Answer:
    return Answer(value=float(rng.random() < p))


def _single(item: Item, p: float, rng: np.random.Generator) -> Answer:
    """Scored options by a softmax over their scores, sharper as p moves from ½; an
    unscored option (e.g. "cannot tell") takes a small fixed share."""
    if not any(option.score is not None for option in item.options):
        return Answer(text=item.options[int(rng.integers(len(item.options)))].value)
    sharpness = OPTION_SLOPE * math.log(p / (1 - p)) + OPTION_TILT if 0 < p < 1 else 0.0
    scored = [math.exp(sharpness * option.score / 100) if option.score is not None else 0.0
              for option in item.options]
    unscored = UNSCORED_OPTION_SHARE * sum(scored)
    weights = np.array([w if option.score is not None else unscored
                        for w, option in zip(scored, item.options, strict=True)])
    index = int(rng.choice(len(item.options), p=weights / weights.sum()))
    return Answer(text=item.options[index].value)


def _multi(item: Item, _p: float, rng: np.random.Generator) -> Answer:
    values = item.option_values
    if EXCLUSIVE_OPTION in values and rng.random() < 0.1:
        return Answer(text=EXCLUSIVE_OPTION)
    others = [value for value in values if value != EXCLUSIVE_OPTION]
    chosen = [value for value in others if rng.random() < MULTI_PICK]
    if not chosen:
        chosen = [others[int(rng.integers(len(others)))]]
    return Answer(text=encode_multi(item, chosen))


def _number(item: Item, p: float, rng: np.random.Generator) -> Answer:
    if item.min is None or item.max is None:
        return Answer(value=float(rng.poisson(COUNT_MEAN * (0.5 + p))))
    span = item.max - item.min
    if float(span).is_integer() and float(item.min).is_integer():
        return Answer(value=float(item.min + rng.binomial(int(span), p)))
    return Answer(value=round(item.min + p * span, 1))


def _text(item: Item, _p: float, rng: np.random.Generator) -> Answer | None:
    pool, rate = (SUGGESTIONS, SUGGESTION_RATE) if item.suggestion else (REMARKS, REMARK_RATE)
    if not item.required and rng.random() >= rate:
        return None
    text = pool[int(rng.integers(len(pool)))]
    if item.max_length is not None:
        text = text[:item.max_length]
    return Answer(text=text)


_DRAWERS = {
    "likert": _likert,
    "rating10": _rating10,
    "yesno": _yesno,
    "single": _single,
    "multi": _multi,
    "number": _number,
    "text": _text,
}
