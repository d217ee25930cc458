"""The operations' refusals reach the pages translated, not as English fallbacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from evalapp import create_app
from evalapp.evaluate.messages import RULES, explain, explain_problem
from evalapp.models import Unit, User
from evalapp.operations import OperationError
from evalapp.rounds import operations as rounds
from evalapp.rounds import scope

from .helpers import build_city, make_round


def _sample(pattern: str) -> dict[str, str]:
    return {name: "1" for name in re.findall(r"\?P<(\w+)>", pattern)}


def test_every_rule_formats_in_both_languages(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": tmp_path, "TESTING": True,
                      "SECRET_KEY": "k", "RATER_SECRET": "r"})
    for language in ("zh_CN", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            for rule in RULES:
                assert str(rule.message) % _sample(rule.pattern)


def _refusal(action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(OperationError) as caught:
        action()
    return str(caught.value)


def test_real_refusals_are_recognised(app: Flask, session: Session) -> None:
    city = build_city(session, observers=2)
    draft = make_round(session, city, homes=2, exclude_same_county=True)
    opened = make_round(session, city, "open", name="进行中批次")
    unit, observer = session.get(Unit, city.homes[0]), session.get(User, city.observers[0])
    neighbour = session.get(Unit, city.homes[1])
    messages = [
        _refusal(lambda: rounds.close_round(session, draft)),
        _refusal(lambda: rounds.assign_observer(session, draft, unit, observer)),
        _refusal(lambda: rounds.assign_observer(session, draft, neighbour, observer)),
        _refusal(lambda: rounds.correct_publication(session, opened, "x")),
        _refusal(lambda: scope.sample_scope(session, opened, size=1)),
        _refusal(lambda: scope.sample_scope(session, draft, size=99, seed=1)),
        _refusal(lambda: rounds.update_round(session, opened, name=" ",
                                             closes_on=opened.opens_on.replace(year=2000))),
    ]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        for message in messages:
            shown = explain(message)
            assert not shown.startswith("未能执行"), message
            assert re.search(r"[\u4e00-\u9fff]", shown), message
        assert explain("something new").startswith("未能执行：something new")
        assert explain_problem("missing unit") == "缺少单位。"
        assert explain_problem("an unknown reason") == "an unknown reason"
