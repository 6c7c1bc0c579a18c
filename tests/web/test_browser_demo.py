"""A demo node in a real browser: sign in, triage an alert, read a Thai campaign, go Indonesian.

Runs ``suar demo`` as a separate process on a free port of 127.0.0.1 and
drives Debian's Chromium through playwright (skipped without it, failed under
CI). Screenshots: ``artifacts/screenshots/1x-demo-*.png``.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .processes import answers_health, start_on_free_port, stop
from .test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    Server,
    _require_browser,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

_PASSWORD_LINE = re.compile(r"^    (\S+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """``suar demo`` serving on a free port, and the password it printed."""
    _require_browser()
    base = tmp_path_factory.mktemp("demo")
    env = {name: value for name, value in os.environ.items() if not name.startswith("SUAR_")}
    log = base / "demo.log"
    process, port = start_on_free_port(
        lambda port: (
            [sys.executable, "-m", "suar", "demo", "--port", str(port)] + ["--data-dir", str(base)]
        ),
        env=env | {"PYTHONUNBUFFERED": "1"},
        log=log,
        is_up=answers_health,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while not (found := _PASSWORD_LINE.search(log.read_text())) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert found is not None, log.read_text()
        yield Server(url, log), found.group(1)
    finally:
        stop(process)


@pytest.fixture
def page(demo_server: tuple[Server, str]) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    server, _ = demo_server
    errors: list[str] = []
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=server.url,
            timezone_id="Asia/Bangkok",
            locale="en-US",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        opened = context.new_page()
        opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        opened.on("pageerror", lambda e: errors.append(str(e)))
        opened.on("request", lambda r: requested.append(r.url))
        try:
            yield opened
            assert errors == [], f"the browser reported errors: {errors}"
            assert [u for u in requested if not u.startswith(server.url)] == []
        finally:
            context.close()
            browser.close()


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _sign_in(page: Page, password: str) -> None:
    page.goto("/login")
    page.fill("#username", "demo")
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_load_state()


def test_a_demo_user_triages_an_alert(page: Page, demo_server: tuple[Server, str]) -> None:
    _sign_in(page, demo_server[1])
    assert page.locator("#demo-banner").is_visible()
    assert page.locator("#card-alerts .figure").inner_text().isdigit()
    _shot(page, "10-demo-dashboard.png")
    page.click("text=Open the alert queue")
    page.wait_for_load_state()
    row = page.locator("#alert-queue tbody tr.status-new").first
    alert_id = row.get_attribute("id")
    assert alert_id is not None
    _shot(page, "11-demo-alert-queue.png")
    row.locator("button[data-move=acknowledged]").click()
    page.wait_for_load_state()
    moved = page.locator(f"#{alert_id}")
    assert "status-acknowledged" in (moved.get_attribute("class") or "")
    moved.locator("input[name=reason]").first.fill("Same LINE account as a reported case")
    moved.locator("button[data-move=escalated]").click()
    page.wait_for_load_state()
    page.goto(f"/alerts/{alert_id.removeprefix('alert-')}")
    assert page.locator("#alert-status").inner_text() == "Escalated"
    assert page.locator("#alert-history li").count() == 3
    _shot(page, "12-demo-alert-escalated.png")


def test_a_demo_user_reads_a_thai_campaign_and_switches_to_indonesian(
    page: Page, demo_server: tuple[Server, str]
) -> None:
    _sign_in(page, demo_server[1])
    page.goto("/search?q=myawadee")
    page.locator(".post a[href^='/campaigns/']").first.click()
    page.wait_for_load_state()
    assert page.locator(".post-text[lang=th]").count() >= 5
    assert page.locator("mark.ind").first.is_visible()
    assert page.locator("svg.chart").count() == 1
    _shot(page, "13-demo-campaign-thai.png")
    page.goto("/search?q=sihanouk_hr_team")
    page.locator(".post a[href^='/campaigns/']").first.click()
    page.wait_for_load_state()
    assert page.locator(".post-text[lang=km]").count() >= 5
    _shot(page, "14-demo-campaign-khmer.png")
    with page.expect_navigation():
        page.select_option("#language-switch", "id")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h2", has_text="Indikator").count() == 1
    page.goto("/")
    assert page.locator("#card-alerts h2").inner_text() == "Peringatan baru"
    assert "Node demo" in page.locator("#demo-banner").inner_text()
    _shot(page, "15-demo-dashboard-id.png")
