"""The weekly activity list, entering an activity and importing a list."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp.models import Activity
from tests.imports.helpers import write_csv

from .helpers import ZH, audit_actions, build_city, count, post, signed_in, text, token

MONDAY = dt.date(2026, 11, 2)


def test_enter_an_activity_and_see_it_in_its_week(client: FlaskClient, session: Session) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    response = post(client, "/evaluate/activities",
                    {"unit": "H12", "title": "周末 技能培训", "held_on": "2026-11-05",
                     "type": "skills", "place": "青年之家二楼"}, page="/evaluate/activities")
    assert response.status_code == 303 and "week=2026-11-05" in response.headers["Location"]
    page = text(client.get(response.headers["Location"]))
    assert "2026-11-02 至 2026-11-08" in page and "周末 技能培训" in page and "技能培训" in page
    other_area = text(client.get("/evaluate/activities?week=2026-11-05&under=C2"))
    assert "周末 技能培训" not in other_area
    again = post(client, "/evaluate/activities",
                 {"unit": "H12", "title": "周末  技能培训", "held_on": "2026-11-05",
                  "type": "skills"}, page="/evaluate/activities")
    assert again.status_code == 400 and "已有活动" in text(again)
    unknown = post(client, "/evaluate/activities",
                   {"unit": "NOPE", "title": "x", "held_on": "2026-11-31", "type": "bogus"},
                   page="/evaluate/activities")
    page = text(unknown)
    assert unknown.status_code == 400 and "请输入日期" in page
    assert count(session, Activity) == 1
    assert audit_actions(session, "activity") == ["create"]
    assert client.get("/evaluate/activities?under=ZZ").status_code == 400


def test_import_a_weekly_list_all_or_nothing(client: FlaskClient, session: Session,
                                            tmp_path: Path) -> None:
    city = build_city(session)
    signed_in(client, city.evaluator)
    good = write_csv(tmp_path / "活动.csv", [["单位代码", "活动名称", "活动日期", "活动类型"],
                                             ["H11", "志愿服务进社区", "2026/11/3", "志愿服务"],
                                             ["H21", "篮球赛", "2026年11月4日", "健身"]])
    bad = write_csv(tmp_path / "有错.csv", [["单位代码", "活动名称", "活动日期"],
                                            ["H11", "读书会", "明天"],
                                            ["H99", "观影", "2026-11-04"]])

    def upload(path: Path):  # type: ignore[no-untyped-def]
        data = {"csrf_token": token(client, "/evaluate/activities"),
                "file": (io.BytesIO(path.read_bytes()), path.name)}
        return client.post("/evaluate/activities/import", data=data, headers=ZH,
                           content_type="multipart/form-data")

    refused = upload(bad)
    page = text(refused)
    assert refused.status_code == 400 and "没有导入任何内容" in page
    assert "不是有效日期：&#39;明天&#39;" in page and "H99" in page
    assert count(session, Activity) == 0
    assert upload(good).status_code == 303
    listed = text(client.get(f"/evaluate/activities?week={MONDAY.isoformat()}"))
    assert "活动.csv：新增 2 项活动，更新 0 项，0 项未变。" in listed and "篮球赛" in listed
    assert upload(good).status_code == 303
    assert count(session, Activity) == 2
