"""The UI in a real browser: headless Chromium against a real ``suar serve`` process.

Debian's ``/usr/bin/chromium`` (with the Noto fonts) is driven by Python
playwright; no browser is downloaded. Without Chromium these tests are
skipped, except under CI (``CI`` set), where they fail. Screenshots are kept
in ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .processes import answers_health, start_on_free_port, stop

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORDS = {"alice": "alice-has-a-long-password", "aung": "aung-reads-the-audit-trail"}


def _require_browser() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-core fonts-noto-cjk)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing (pip install playwright)"
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing}; CI must run the browser tests", pytrace=False)
    pytest.skip(missing)


def _suar(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "suar", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"suar {' '.join(args)}: {result.stderr}"


@dataclass
class Server:
    """A running ``suar serve`` and where it listens."""

    url: str
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A fresh node with an analyst and an auditor, served on a free port of 127.0.0.1."""
    _require_browser()
    base = tmp_path_factory.mktemp("node")
    env = {name: value for name, value in os.environ.items() if not name.startswith("SUAR_")}
    env |= {"SUAR_DATA_DIR": str(base / "data"), "SUAR_KEY_DIR": str(base / "keys")}
    _suar(env, "db", "upgrade")
    _suar(
        env,
        *("user", "add", "alice", "--role", "analyst", "--name", "Alice Wijaya"),
        "--password-stdin",
        stdin=PASSWORDS["alice"] + "\n",
    )
    _suar(
        env,
        *("user", "add", "aung", "--role", "auditor", "--name", "အောင်ကျော်"),
        "--password-stdin",
        stdin=PASSWORDS["aung"] + "\n",
    )
    log = base / "serve.log"
    process, port = start_on_free_port(
        lambda port: (
            [sys.executable, "-m", "suar", "serve", "--host", "127.0.0.1"] + ["--port", str(port)]
        ),
        env=env,
        log=log,
        is_up=answers_health,
    )
    try:
        yield Server(f"http://127.0.0.1:{port}", log)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the page reported (CSP violations among them); none may be left at the end."""
    return []


@pytest.fixture
def page(browser: Browser, server: Server, console_errors: list[str]) -> Iterator[Page]:
    """A fresh browser profile in Jakarta that reports its console errors."""
    context = browser.new_context(
        base_url=server.url,
        timezone_id="Asia/Jakarta",
        locale="en-US",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors = console_errors
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
        assert errors == [], f"the browser reported errors: {errors}"
    finally:
        context.close()


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _sign_in(page: Page, username: str, password: str) -> None:
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_load_state()


def test_an_analyst_signs_in_and_sees_the_dashboard(page: Page, console_errors: list[str]) -> None:
    page.goto("/")
    assert re.search(r"/login$", page.url)
    assert page.locator("h1").inner_text() == "Sign in to Suar"
    _shot(page, "01-login.png")
    _sign_in(page, "alice", "not her password at all")
    assert page.locator("#login-error").inner_text() == "Wrong username or password."
    # A failed sign-in answers 401, which the browser notes in its console.
    assert [e for e in console_errors if "401" not in e] == []
    console_errors.clear()
    _shot(page, "02-login-failed.png")
    _sign_in(page, "alice", PASSWORDS["alice"])
    assert page.locator("h1").inner_text() == "Welcome, Alice Wijaya"
    assert page.locator(".badge").all_inner_texts() == ["Analyst"]
    assert page.locator("nav.nav a").all_inner_texts() == [
        "Dashboard",
        "Alerts",
        "Campaigns",
        "Search",
        "Preferences",
    ]
    _shot(page, "03-dashboard-en.png")


def test_the_ui_switches_to_indonesian_and_keeps_it(page: Page) -> None:
    page.goto("/login")
    _sign_in(page, "alice", PASSWORDS["alice"])
    with page.expect_navigation():
        page.select_option("#language-switch", "id")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Selamat datang, Alice Wijaya"
    assert page.locator("nav.nav a").all_inner_texts() == [
        "Dasbor",
        "Peringatan",
        "Kampanye",
        "Cari",
        "Preferensi",
    ]
    assert page.locator("#logout").inner_text() == "Keluar"
    _shot(page, "04-dashboard-id.png")
    page.click("text=Preferensi")
    assert page.locator("h1").inner_text() == "Preferensi"
    _shot(page, "05-preferences-id.png")
    page.click("#logout")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Masuk ke Suar"


def test_an_auditor_reads_the_trail_in_her_time_zone_and_verifies_it(page: Page) -> None:
    page.goto("/audit")
    assert "/login?next=%2Faudit" in page.url
    _sign_in(page, "aung", PASSWORDS["aung"])
    assert page.url.endswith("/audit")
    assert page.locator("h1").inner_text() == "Audit trail"
    rows = page.locator("#audit-entries tbody tr")
    assert rows.count() >= 5
    actions = page.locator("#audit-entries tbody tr td:nth-child(4)").all_inner_texts()
    assert actions[0] == "auth.login" and "user.add" in actions and "db.upgrade" in actions
    assert "Times are shown in Asia/Jakarta." in page.locator("footer").inner_text()
    assert "+0700" in rows.first.locator("time").inner_text()
    # The Burmese display name renders (Noto Sans Myanmar), not as boxes.
    assert page.locator(".who").inner_text() == "အောင်ကျော်"
    _shot(page, "06-audit-trail.png")
    page.fill("#f-action", "user")
    page.click("text=Filter")
    page.wait_for_load_state()
    filtered = page.locator("#audit-entries tbody tr td:nth-child(4)").all_inner_texts()
    assert filtered == ["user.add", "user.add"]
    page.click("text=Verify the chain")
    page.wait_for_load_state()
    assert page.locator("#verify-result").inner_text().startswith("The chain is intact:")
    _shot(page, "07-audit-verify.png")


def test_the_pages_load_nothing_from_outside_the_node(page: Page, server: Server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/login")
    _sign_in(page, "alice", PASSWORDS["alice"])
    page.goto("/preferences")
    outside = [url for url in requested if not url.startswith(server.url)]
    assert outside == []
    assert any(url.endswith(".css?v=" + _version()) for url in requested)


def _version() -> str:
    from suar import __version__

    return __version__
