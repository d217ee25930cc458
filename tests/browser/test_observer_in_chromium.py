"""An observer on a phone-sized Chromium: sign in, answer part, reload, finish, submit.

Runs the real app on a real server over a real SQLite file and drives Debian's Chromium
with Playwright. Screenshots go to test-artifacts/ (look at them when the pages change).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import Response, User
from tests.observe.helpers import build_world

MIN_TAP_PX = 44


def _small_targets(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"""() => [...document.querySelectorAll(
        'button, label.choice, .button, input.box, textarea.box')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < {MIN_TAP_PX})
        .map(e => e.outerHTML.slice(0, 80))""")


def _responses(session: Session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Response)) or 0


def test_observer_fills_in_and_submits_on_a_phone(
        session: Session, live_server: str, phone_page, shoot,  # type: ignore[no-untyped-def]
        sign_in) -> None:
    world = build_world(session, observers=2, units=2)
    login = session.get(User, world.observers[0]).login
    before = _responses(session)
    page = phone_page
    page.goto(live_server + "/login")
    assert "登录" in page.title()
    shoot(page, "01-login")
    sign_in(page, live_server, login, "/observe/")
    shoot(page, "02-assignments")
    assert "青年之家1号" in page.content()
    page.locator("section.assignment").first.locator("button.primary").click()
    page.wait_for_url("**/observe/drafts/*")
    assert page.locator("#item-yq_know_site").is_hidden()  # nothing routed there yet
    page.click("label:has(input[name=q_record_type][value=checklist])")
    assert page.locator("#item-ck_open").is_visible()
    page.click("label:has(input[name=q_record_type][value=youth_onsite])")
    assert page.locator("#item-ck_open").is_hidden()
    assert page.locator("#item-yq_know_site").is_visible()
    page.click("#item-yq_know_site label:has(input[value=yes])")
    page.fill("textarea[name=q_suggestion]", "活动通知可以再早一点")
    page.wait_for_selector("#autosave-status:has-text('已保存到服务器')")
    page.reload()
    assert page.locator("input[name=q_yq_know_site][value=yes]").is_checked()
    assert page.input_value("textarea[name=q_suggestion]") == "活动通知可以再早一点"
    assert page.locator("#item-ck_open").is_hidden()
    assert _small_targets(page) == []
    shoot(page, "03-form")
    page.click("#item-yq_times label:has(input[value=once])")
    page.click("#item-yq_overall label:has(input[value='9'])")
    page.click("button[value=submit]")
    page.wait_for_selector("text=问卷已收到")
    shoot(page, "04-submitted")
    assert _responses(session) == before + 1
