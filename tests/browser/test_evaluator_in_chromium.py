"""The evaluation team in desktop Chromium: a spot-check round from creation to progress.

An evaluator creates a round, draws a stratified sample of units with a seed, assigns
observers automatically, opens the round and watches its progress; meanwhile an observer,
in a second browser context (a phone), submits a questionnaire through the observer pages,
and the evaluator's progress page moves. Runs the real app on a real server over SQLite.
Screenshots go to test-artifacts/ (look at them when the pages change).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.models import Assignment, Round, User
from tests.evaluate.helpers import build_city
from tests.observe.helpers import password_hash

PHONE_VIEWPORT = {"width": 360, "height": 740}
ROUND_PAGE = re.compile(r".*/evaluate/rounds/\d+$")


def _figure(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """The number shown under ``label`` in the progress page's figures."""
    return page.locator(f".figures div:has(dt:text-is('{label}')) dd").inner_text().strip()


def test_evaluator_runs_a_spot_check_and_sees_progress_move(
        session: Session, live_server: str, desktop_page, phone_page,  # type: ignore[no-untyped-def]
        shoot, sign_in) -> None:
    build_city(session, observers=4)
    for user in session.scalars(select(User).where(User.role == "observer")):
        user.password_hash = password_hash()
    session.commit()
    team, base = desktop_page, live_server
    sign_in(team, base, "pingjia", "/evaluate/rounds")
    _plan_and_open(team, shoot)
    round_id = int(re.search(r"/rounds/(\d+)", team.url).group(1))  # type: ignore[union-attr]
    login = _someone_assigned(session, round_id)
    team.goto(f"{base}/evaluate/rounds/{round_id}/progress")
    assert _figure(team, "已提交") == "0 / 8" and _figure(team, "答卷") == "0"
    _submit_as_observer(phone_page, base, login, sign_in)
    team.reload()
    assert _figure(team, "已提交") == "1 / 8" and _figure(team, "答卷") == "1"
    shoot(team, "evaluate-05-progress")
    team.set_viewport_size(PHONE_VIEWPORT)
    team.reload()
    shoot(team, "evaluate-06-progress-360px")


def _plan_and_open(page, shoot) -> None:  # type: ignore[no-untyped-def]
    page.click("nav.nav a:text('评议批次')")
    page.click("a:text('新建批次')")
    page.fill("#name", "2026年12月重点抽查")
    assert page.locator("#sample_size").is_hidden()  # shown only for a sample
    page.click("label.choice:has(input[name=method][value=size])")
    page.fill("#sample_size", "4")
    page.fill("#seed", "2026")
    shoot(page, "evaluate-01-new-round")
    page.click("#round-form button[type=submit]")
    page.wait_for_url(ROUND_PAGE)
    assert "已创建，共 4 个单位" in page.inner_text(".flash")
    assert "随机种子 2026" in page.content()
    page.click("nav.tabs a:text('任务分配')")
    page.fill("#seed", "7")
    page.click("button:text('分配观察员')")
    page.wait_for_selector(".flash")
    assert "分配 8 项任务" in page.inner_text(".flash")
    shoot(page, "evaluate-02-assignments")
    page.click("nav.tabs a:text('概览')")
    page.click("a.button:text('开始评议')")
    shoot(page, "evaluate-03-confirm-open")
    page.click("form button.primary:text('开始评议')")
    page.wait_for_url(ROUND_PAGE)
    assert "评议已开始" in page.inner_text(".flash")
    shoot(page, "evaluate-04-round-open")


def _someone_assigned(session: Session, round_id: int) -> str:
    session.rollback()
    round_ = session.get(Round, round_id)
    assert round_ is not None and round_.status == "open"
    assignment = session.scalars(select(Assignment).where(Assignment.round_id == round_id)
                                 .order_by(Assignment.id)).first()
    return assignment.observer.login  # type: ignore[union-attr]


def _submit_as_observer(page, base: str, login: str,  # type: ignore[no-untyped-def]
                        sign_in) -> None:
    sign_in(page, base, login, "/observe/")
    page.locator("section.assignment").first.locator("button.primary").click()
    page.wait_for_url("**/observe/drafts/*")
    page.click("label:has(input[name=q_record_type][value=youth_onsite])")
    page.click("#item-yq_know_site label:has(input[value=yes])")
    page.click("#item-yq_times label:has(input[value=once])")
    page.click("#item-yq_overall label:has(input[value='9'])")
    page.click("button[value=submit]")
    page.wait_for_selector("text=问卷已收到")
