"""A round's responses with their quality flags, never who answered; exclude and include."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Response, Round, Unit, User
from evalapp.rounds import operations as rounds

from .helpers import (
    EN,
    GOOD_ROWS,
    audit_actions,
    fresh,
    import_rows,
    make_youth,
    post,
    signed_in,
    text,
)


def _rows() -> list[list[str]]:
    """Four answers from QN01: two alike (one is flagged, whichever has the smaller random
    id), one very fast."""
    base = GOOD_ROWS[0]
    other = ["QN01", "", "paper", "2026-11-03", "600", "0", "2", "once", "learning", "3",
             "3", "5", "1", ""]
    return [[*base[:1], "001", *base[2:]], [*base[:1], "002", *base[2:]],
            [*other[:1], "003", *other[2:]],
            [*other[:1], "004", *other[2:4], "30", *other[5:11], "6", *other[12:]]]


def test_flags_exclusion_and_inclusion_without_any_observer(client: FlaskClient,
                                                            session: Session,
                                                            tmp_path: Path) -> None:
    youth = make_youth(session)
    import_rows(session, youth.round_id, _rows(), tmp_path)
    round_ = session.get(Round, youth.round_id)
    observer = User(login="guanchayuan9", name="观察员甲", role="observer")
    session.add(observer)
    unit = session.scalar(select(Unit).where(Unit.code == "QN02"))
    rounds.assign_observer(session, round_, unit, observer)
    session.commit()
    signed_in(client, youth.evaluator)
    base = f"/evaluate/rounds/{youth.round_id}/responses"
    page = text(client.get(base))
    assert "共 4 份答卷" in page and "重复答卷" in page and "作答过快" in page
    for secret in ("guanchayuan9", "观察员甲", "2026-11-03", "template:"):
        assert secret not in page, secret
    flagged = text(client.get(f"{base}?show=flagged"))
    assert "共 2 份答卷" in flagged
    chosen = re.findall(r'name="response" value="([0-9a-f]{32})"', flagged)
    assert len(chosen) == 2
    no_reason = post(client, f"{base}/exclude", {"response": chosen, "reason": ""}, page=base)
    assert no_reason.status_code == 400
    excluded = post(client, f"{base}/exclude?show=flagged",
                    {"response": chosen, "reason": "重复且用时过短"}, page=base)
    assert excluded.status_code == 303 and "show=flagged" in excluded.headers["Location"]
    stored = {r.id: r for r in fresh(session).scalars(select(Response))}
    assert all(stored[i].excluded and stored[i].excluded_reason == "重复且用时过短"
               for i in chosen)
    twice = post(client, f"{base}/exclude", {"response": chosen[:1], "reason": "再次"},
                 page=base)
    assert twice.status_code == 400 and "已被排除" in text(twice)
    included = post(client, f"{base}/include", {"response": chosen[:1], "reason": "误判"},
                    page=base)
    assert included.status_code == 303
    assert not fresh(session).get(Response, chosen[0]).excluded
    assert audit_actions(session, "response")[-3:] == ["exclude", "exclude", "include"]
    tampered = post(client, f"{base}/exclude", {"response": ["x' OR 1=1"], "reason": "r"},
                    page=base)
    assert tampered.status_code == 400
    foreign = post(client, f"{base}/exclude", {"response": ["0" * 32], "reason": "r"},
                   page=base, headers=EN)
    assert foreign.status_code == 400 and "has no response" in text(foreign)


def test_a_published_round_lists_responses_but_changes_none(client: FlaskClient,
                                                            session: Session,
                                                            tmp_path: Path) -> None:
    youth = make_youth(session)
    import_rows(session, youth.round_id, _rows()[:2], tmp_path)
    round_ = session.get(Round, youth.round_id)
    rounds.close_round(session, round_)
    rounds.publish_round(session, round_)
    session.commit()
    signed_in(client, youth.evaluator)
    base = f"/evaluate/rounds/{youth.round_id}/responses"
    page = text(client.get(base))
    assert "批次已发布：答卷不再变动" in page and 'name="response"' not in page
    one = session.scalars(select(Response.id)).first()
    refused = post(client, f"{base}/exclude", {"response": [one], "reason": "迟了"}, page=base)
    assert refused.status_code == 400 and "已发布" in text(refused)
