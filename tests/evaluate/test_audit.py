"""The audit log page for admins: filtered by action, object and actor, paged."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from evalapp import audit
from evalapp.models import AuditEvent
from tests.observe.helpers import make_person

from .helpers import build_city, count, make_round, signed_in, text


def test_admins_filter_and_page_the_log(client: FlaskClient, session: Session) -> None:
    city = build_city(session)
    admin = make_person(session, "admin", login="guanli")
    round_ = make_round(session, city, "open")
    for n in range(60):
        audit.record(session, "export", "suggestion", None, admin.id, format="xlsx", count=n)
    session.commit()
    total = count(session, AuditEvent)
    signed_in(client, admin.id)
    page = text(client.get("/admin/audit"))
    assert f"共 {total} 条记录" in page and "第 1 页，共 2 页" in page
    assert "&#34;count&#34;: 59" in page  # newest first
    second = text(client.get("/admin/audit?page=2"))
    assert "<code>create</code>" in second
    rounds_only = text(client.get(f"/admin/audit?object=round&object_id={round_.id}"))
    assert "共 2 条记录" in rounds_only and "<code>open</code>" in rounds_only
    by_admin = text(client.get(f"/admin/audit?actor={admin.id}&action=export"))
    assert "共 60 条记录" in by_admin
    assert "命令行" in rounds_only  # made without a signed-in actor
