"""The UI pages: what each role sees, times in the user's zone, errors as pages, no outside assets."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from suar.access import Role
from suar.audit import record
from suar.web.headers import CONTENT_SECURITY_POLICY

from .nodes import Node, csrf_token, sign_in

WEB = Path(__file__).resolve().parents[2] / "src" / "suar" / "web"


def test_the_dashboard_shows_each_role_what_its_roles_open(node: Node, client: TestClient) -> None:
    sign_in(client, Role.AUDITOR)
    page = client.get("/").text
    assert 'href="/audit"' in page and "Verify the chain" in page
    assert "Alerts" not in page
    client.cookies.clear()
    sign_in(client, Role.ANALYST)
    page = client.get("/").text
    assert 'href="/audit"' not in page
    assert "Alerts" in page and "Campaigns" in page


def test_the_audit_view_shows_entries_in_the_users_time_zone(
    node: Node, client: TestClient
) -> None:
    with node.db.write() as session:
        record(
            session,
            actor="user:someone",
            action="case.read",
            target="case:42",
            details={"why": "<script>alert(1)</script>"},
            now=datetime(2025, 3, 1, 23, 30, tzinfo=UTC),
        )
    sign_in(client, Role.AUDITOR)
    client.cookies.set("suar_tz_auto", "Asia%2FJakarta")
    page = client.get("/audit", params={"target": "case:42"}).text
    # 23:30 UTC is 06:30 the next day in Jakarta; the UTC time stays in the markup.
    assert re.search(r'<time datetime="2025-03-01T23:30:00Z"[^>]*>Mar 2, 2025, 6:30:00', page)
    assert "Times are shown in Asia/Jakarta." in page
    # Details are shown as text, never as markup.
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_audit_view_filters_by_the_users_days(node: Node, client: TestClient) -> None:
    with node.db.write() as session:
        for hour in (16, 18):  # 23:00 and 01:00 in Jakarta
            record(
                session,
                actor="user:x",
                action="case.read",
                target=f"case:{hour}",
                now=datetime(2025, 3, 1, hour, 0, tzinfo=UTC),
            )
    sign_in(client, Role.AUDITOR)
    client.cookies.set("suar_tz", "Asia%2FJakarta")
    page = client.get("/audit", params={"actor": "user:x", "since": "2025-03-02"}).text
    assert "case:18" in page and "case:16" not in page
    page = client.get("/audit", params={"actor": "user:x", "until": "2025-03-01"}).text
    assert "case:16" in page and "case:18" not in page
    bad = client.get("/audit", params={"since": "01/03/2025"}).text
    assert "Dates are written YYYY-MM-DD" in bad


def test_a_chosen_time_zone_wins_over_the_browsers(node: Node, client: TestClient) -> None:
    sign_in(client, Role.ANALYST)
    client.cookies.set("suar_tz_auto", "Asia%2FJakarta")
    token = csrf_token(client, "/preferences")
    saved = client.post(
        "/preferences", data={"csrf_token": token, "lang": "en", "tz": "Asia/Yangon"}
    )
    assert "Your preferences are saved." in saved.text
    assert "Times are shown in Asia/Yangon." in client.get("/").text
    refused = client.post("/preferences", data={"csrf_token": token, "tz": "Mars/Olympus"})
    assert refused.status_code == 400
    client.post("/preferences", data={"csrf_token": token, "tz": ""})
    assert "Times are shown in Asia/Jakarta." in client.get("/").text


def test_errors_are_pages_in_the_ui(node: Node, client: TestClient) -> None:
    sign_in(client, Role.ANALYST)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.text
    refused = client.get("/audit")
    assert refused.status_code == 403
    assert "Your roles do not allow this page or action." in refused.text


def test_every_response_carries_the_security_headers(node: Node, client: TestClient) -> None:
    for path in ("/login", "/api/v1/me", "/static/suar.css", "/openapi.json", "/healthz", "/nope"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert headers["x-content-type-options"] == "nosniff", path
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/suar.css").headers.get("cache-control", "")


def test_pages_use_only_the_nodes_own_assets_and_no_inline_code(client: TestClient) -> None:
    sources = [path.read_text(encoding="utf-8") for path in (WEB / "templates").glob("*.html")]
    sources.append(client.get("/login").text)
    for text in sources:
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", text)
        assert "<style" not in text and " style=" not in text
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline script"
        assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    for asset in ("suar.css", "suar.js", "suar.svg"):
        assert client.get(f"/static/{asset}").status_code == 200
    css = (WEB / "static" / "suar.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css


def test_the_interactive_api_docs_that_need_a_cdn_are_not_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "Suar node API"
