"""What every browser test needs: the app served over SQLite, Chromium, pages, screenshots.

A browser test asks for ``live_server`` (the app's base URL on a real server), opens pages
with ``desktop_page`` or ``phone_page`` (or ``new_page`` for several people at once), signs
in with ``sign_in`` and takes screenshots with ``shoot``; every test here is marked
``browser``. Screenshots go to test-artifacts/ (look at them when the pages change).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from flask import Flask

from tests.conftest import IN_CI
from tests.observe.helpers import PASSWORD
from tests.observe.live import serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}
PHONE: dict[str, Any] = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN",
                         "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

Page = Any  # playwright.sync_api.Page, which may not be importable where tests are skipped
NewPage = Callable[..., Page]


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(message: str) -> NoReturn:
    """Skip on a developer's machine; in CI a missing browser is a failure, as a missing
    PostgreSQL is."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,  # type: ignore[override]
                 sqlite_template: Path) -> Iterator[str]:
    """Only SQLite here: the PostgreSQL paths are covered by the other tests."""
    path = tmp_path / "browser.db"
    shutil.copyfile(sqlite_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a real server in a background thread: its base URL."""
    with serve(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (one launch for the whole session)."""
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e .[test])")
    if not CHROMIUM.exists():
        _unavailable("Chromium is not installed (make system-deps)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[NewPage]:
    """Opens a page in a browser context of its own (``new_page(**PHONE)``); each context
    is one person with their own cookies, closed after the test."""
    contexts: list[Any] = []

    def open_page(**context_options: Any) -> Page:
        contexts.append(browser.new_context(**(context_options or DESKTOP)))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def desktop_page(new_page: NewPage) -> Page:
    return new_page(**DESKTOP)


@pytest.fixture
def phone_page(new_page: NewPage) -> Page:
    return new_page(**PHONE)


def _shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: horizontal scroll {width}"
    # A full-page capture leaves Chromium's scroll position out of step with the page:
    # the next click's mouse-up would land elsewhere. Start again from the top.
    page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture
def shoot() -> Callable[[Page, str], None]:
    """``shoot(page, name)``: a full-page screenshot to test-artifacts/name.png, and a
    check that the page does not scroll sideways."""
    return _shoot


def _sign_in(page: Page, base: str, login: str, landing: str) -> None:
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"**{landing}")


@pytest.fixture
def sign_in() -> Callable[[Page, str, str, str], None]:
    """``sign_in(page, base, login, landing)``: sign in with the test password
    (tests.observe.helpers.PASSWORD) and wait for the landing page."""
    return _sign_in
