"""The round report in desktop Chromium, on the demo city (`evalapp demo`'s data).

An evaluator opens the closed October round's report from the round page, sorts the league
table by a column, filters it by county, sees every chart load, opens a unit's report card
from the table and downloads the card's PDF. Screenshots of the overview and a card go to
test-artifacts/ (look at them when the pages change).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from evalapp.demo.seed import seed_demo
from evalapp.models import Round, User
from tests.observe.helpers import password_hash

Page = Any


def _demo(app: Flask, session: Session) -> Round:
    """The demo city; the team's evaluator signs in with the tests' password."""
    seed_demo(session, app.config["RATER_SECRET"])
    evaluator = session.scalars(select(User).where(User.login == "evaluator")).one()
    evaluator.password_hash = password_hash()
    session.commit()
    return session.scalars(select(Round).where(Round.status == "closed",
                                               Round.mode == "daily")).one()


def _league(page: Page) -> list[str]:
    return page.locator("table.league tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.unit)")


IMAGE_POLLS = 600  # × 100 ms for each image: the first request of a chart draws it


def _every_chart_loaded(page: Page) -> bool:
    """Bring each image into view (they load lazily) and wait until it has loaded.

    Polled from here: wait_for_function compiles its string in the page, which the
    Content-Security-Policy (no 'unsafe-eval') forbids.
    """
    images = page.locator("img")
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        for _ in range(IMAGE_POLLS):
            if image.evaluate("i => i.complete && i.naturalWidth > 0"):
                break
            page.wait_for_timeout(100)
        else:
            return False
    return images.count() > 0


def test_evaluator_reads_the_round_report(
        app: Flask, session: Session, live_server: str, desktop_page: Page,
        sign_in: Callable[..., None], shoot: Callable[[Page, str], None]) -> None:
    round_ = _demo(app, session)
    page, base = desktop_page, live_server
    sign_in(page, base, "evaluator", "/evaluate/rounds")
    page.goto(f"{base}/evaluate/rounds/{round_.id}")
    page.click("a.button:text('查看评议报告')")
    page.wait_for_url(f"**/evaluate/rounds/{round_.id}/report")
    assert "初步结果" in page.inner_text(".notice")
    units = _league(page)
    assert len(units) == len(round_.units)
    assert page.locator("table.league td.suppressed").count() > 0  # 样本不足, no number
    assert _every_chart_loaded(page)
    shoot(page, "report-01-overview")

    page.click("table.league th a.sort:text('n') >> nth=0")  # awareness n, largest first
    page.wait_for_url(re.compile(r".*sort=awareness_n.*"))
    counts = page.locator("table.league tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.querySelector('td.n').textContent))")
    assert counts == sorted(counts, reverse=True)
    county = page.locator("#f-county option").nth(1)
    county_name = county.inner_text().strip()
    page.select_option("#f-county", county.get_attribute("value"))
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*county=.*"))
    shown = page.locator("table.league tbody tr td:nth-child(5)").all_inner_texts()
    assert shown and {name.strip() for name in shown} == {county_name}

    page.locator("table.league td.unit a").first.click()
    page.wait_for_url(re.compile(r".*/report/units/[^/]+$"))
    assert page.locator("table.dimensions tbody tr").count() == 4
    assert page.locator("table.items tbody tr").count() > 0
    assert _every_chart_loaded(page)
    shoot(page, "report-02-unit-card")
    with page.expect_download() as download:
        page.click("form.download button")
    assert re.fullmatch(r".*card-.+\.pdf", download.value.suggested_filename)
