"""An observer on a phone-sized Chromium: sign in, answer part, reload, finish, submit.

Runs the real app on a real server over a real SQLite file and drives Debian's Chromium
with Playwright. Screenshots go to test-artifacts/ (look at them when the pages change).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evalapp.models import Response, User
from tests.conftest import IN_CI
from tests.observe.helpers import PASSWORD, build_world
from tests.observe.live import serve

pytestmark = pytest.mark.browser
if not IN_CI:  # in CI a missing browser is a failure, as a missing PostgreSQL is
    pytest.importorskip("playwright.sync_api")
from playwright import sync_api as playwright_api  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MIN_TAP_PX = 44


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,  # type: ignore[override]
                 sqlite_template: Path) -> Iterator[str]:
    """Only SQLite here: the PostgreSQL paths are covered by tests/observe."""
    import shutil

    path = tmp_path / "browser.db"
    shutil.copyfile(sqlite_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def page() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = "Chromium is not installed (make system-deps)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                      is_mobile=True, has_touch=True, device_scale_factor=2)
        yield context.new_page()
        context.close()
        browser.close()


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: horizontal scroll {width}"


def _small_targets(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"""() => [...document.querySelectorAll(
        'button, label.choice, .button, input.box, textarea.box')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < {MIN_TAP_PX})
        .map(e => e.outerHTML.slice(0, 80))""")


def _responses(session: Session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Response)) or 0


def test_observer_fills_in_and_submits_on_a_phone(app: Flask, session: Session,
                                                  page) -> None:  # type: ignore[no-untyped-def]
    world = build_world(session, observers=2, units=2)
    login = session.get(User, world.observers[0]).login
    before = _responses(session)
    with serve(app) as base:
        page.goto(base + "/login")
        assert "登录" in page.title()
        _shoot(page, "01-login")
        page.fill("#login", login)
        page.fill("#password", PASSWORD)
        page.click("button.primary")
        page.wait_for_url("**/observe/")
        _shoot(page, "02-assignments")
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
        _shoot(page, "03-form")
        page.click("#item-yq_times label:has(input[value=once])")
        page.click("#item-yq_overall label:has(input[value='9'])")
        page.click("button[value=submit]")
        page.wait_for_selector("text=问卷已收到")
        _shoot(page, "04-submitted")
    assert _responses(session) == before + 1
