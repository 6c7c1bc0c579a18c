"""Signing in and out of the UI: passwords, rate limits, sessions, CSRF."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from suar.access import Role
from suar.settings import Settings
from suar.web.reference import route_access
from suar.web.session import COOKIE_NAME

from .nodes import PASSWORD, Node, csrf_token, sign_in, username_for

ROOT = Path(__file__).resolve().parents[2]


def _login(client: TestClient, username: str, password: str, **extra: str) -> Any:
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)} | extra,
    )


def _trail(node: Node, client: TestClient, action: str) -> list[dict[str, object]]:
    response = client.get(
        "/api/v1/audit/entries", params={"action": action}, headers=node.bearer(Role.AUDITOR)
    )
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_signing_in_opens_the_dashboard_in_the_users_name(client: TestClient) -> None:
    sign_in(client, Role.ANALYST)
    page = client.get("/")
    assert page.status_code == 200
    assert "Welcome, Analyst Tester" in page.text
    assert "Analyst" in page.text


def test_a_sign_in_is_recorded_in_the_audit_trail(node: Node, client: TestClient) -> None:
    sign_in(client, Role.ANALYST)
    entry = _trail(node, client, "auth.login")[0]
    assert entry["actor"] == "user:analyst"
    assert entry["details"] == {"ip": "testclient"}


@pytest.mark.parametrize("case", ["wrong password", "unknown user", "disabled user"])
def test_every_failed_sign_in_gets_the_same_answer(
    node: Node, client: TestClient, case: str
) -> None:
    username, password = {
        "wrong password": (username_for(Role.ANALYST), "not the password at all"),
        "unknown user": ("nobody-here", PASSWORD),
        "disabled user": (username_for(Role.LIAISON), PASSWORD),
    }[case]
    if case == "disabled user":
        client.post(f"/api/v1/users/{username}/disable", headers=node.bearer(Role.ADMIN))
    response = _login(client, username, password)
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert client.get("/").status_code == 303


def test_the_login_form_returns_to_the_page_asked_for(sqlite_client: TestClient) -> None:
    client = sqlite_client
    response = client.get("/audit?actor=user%3Aadmin")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faudit%3Factor%3Duser%253Aadmin"
    form = client.get(response.headers["location"])
    assert 'name="next" value="/audit?actor=user%3Aadmin"' in form.text
    done = _login(client, "auditor", PASSWORD, next="/audit?actor=user%3Aadmin")
    assert done.headers["location"] == "/audit?actor=user%3Aadmin"


def test_the_login_form_never_sends_anyone_off_the_node(sqlite_client: TestClient) -> None:
    response = _login(sqlite_client, "analyst", PASSWORD, next="//evil.example/")
    assert response.headers["location"] == "/"
    for target in ("https://evil.example/", "/\\evil.example", "javascript:x", "/\x00x", ""):
        # Signed in, the form sends the user on at once, through the same check.
        again = sqlite_client.get("/login", params={"next": target})
        assert again.headers["location"] == "/", target


def test_the_documented_login_limits_are_the_defaults() -> None:
    settings = Settings()
    assert settings.login_rate_limit == 5
    assert settings.login_rate_limit_ip == 20
    assert settings.login_rate_window == timedelta(minutes=15)
    documented = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    assert "5 failed sign-ins for one username from one address" in documented
    assert "20 from one address" in documented


def test_five_failures_lock_a_username_from_one_address_for_fifteen_minutes(
    sqlite_node: Node,
) -> None:
    node = sqlite_node
    client = node.client()
    for _ in range(5):
        assert _login(client, "analyst", "wrong password!!").status_code == 401
    locked = _login(client, "analyst", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 minutes." in locked.text
    assert locked.headers["retry-after"] == "900"
    failures = _trail(node, client, "auth.login.failed")
    assert len(failures) == 5
    assert failures[0]["details"] == {"ip": "testclient", "locked": True}
    assert failures[0]["target"] == "user:analyst"
    # Another address, or another user from this one, is not locked out.
    with TestClient(client.app, follow_redirects=False, client=("10.9.8.7", 4000)) as other:
        assert _login(other, "analyst", PASSWORD).status_code == 303
    assert _login(client, "auditor", PASSWORD).status_code == 303
    node.clock.advance(timedelta(minutes=15))
    assert _login(client, "analyst", PASSWORD).status_code == 303


def test_failures_from_one_address_lock_it_whatever_the_usernames(sqlite_node: Node) -> None:
    client = sqlite_node.client()
    assert sqlite_node.settings.login_rate_limit_ip == 6
    for attempt in range(6):
        response = _login(client, f"guess{attempt}", "wrong password!!")
        assert response.status_code == 401
    assert _login(client, "analyst", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_count(sqlite_node: Node) -> None:
    client = sqlite_node.client()
    for _ in range(4):
        _login(client, "analyst", "wrong password!!")
    assert _login(client, "analyst", PASSWORD).status_code == 303
    # Without the reset, this would be the fifth failure and lock the next attempt.
    assert _login(client, "analyst", "wrong password!!").status_code == 401
    assert _login(client, "analyst", PASSWORD).status_code == 303


def test_empty_fields_are_refused_without_counting_as_a_failure(sqlite_client: TestClient) -> None:
    client = sqlite_client
    for _ in range(10):
        response = _login(client, "analyst", "")
        assert response.status_code == 400
        assert "Enter your username and password." in response.text
    assert _login(client, "analyst", PASSWORD).status_code == 303


def test_signing_in_starts_a_new_session_and_csrf_token(sqlite_client: TestClient) -> None:
    client = sqlite_client
    before_token = csrf_token(client)
    before_cookie = client.cookies[COOKIE_NAME]
    sign_in(client, Role.ANALYST)
    assert client.cookies[COOKIE_NAME] != before_cookie
    assert csrf_token(client, "/preferences") != before_token
    stale = client.post("/preferences", data={"csrf_token": before_token, "lang": "id"})
    assert stale.status_code == 403


def test_the_session_cookie_is_httponly_and_samesite_lax(sqlite_node: Node) -> None:
    node = sqlite_node
    with TestClient(node.app(), follow_redirects=False) as client:
        header = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header
    with TestClient(node.app(), base_url="https://node.example", follow_redirects=False) as client:
        secure = client.get("/login")
    assert "; secure" in secure.headers["set-cookie"].lower()
    assert secure.headers["strict-transport-security"] == "max-age=31536000"


def test_signing_out_ends_the_session(node: Node, client: TestClient) -> None:
    sign_in(client, Role.ANALYST)
    old_cookie = client.cookies[COOKIE_NAME]
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.cookies[COOKIE_NAME] != old_cookie
    assert client.get("/").status_code == 303
    assert _trail(node, client, "auth.logout")[0]["actor"] == "user:analyst"


def test_a_disabled_user_is_signed_out_at_once(node: Node, client: TestClient) -> None:
    sign_in(client, Role.ANALYST)
    assert client.get("/").status_code == 200
    client.post("/api/v1/users/analyst/disable", headers=node.bearer(Role.ADMIN))
    assert client.get("/").status_code == 303


def test_an_idle_session_ends_after_thirty_minutes(sqlite_node: Node) -> None:
    node = sqlite_node
    client = node.client()
    sign_in(client, Role.ANALYST)
    node.clock.advance(timedelta(minutes=29))
    assert client.get("/").status_code == 200  # and the cookie is refreshed
    node.clock.advance(timedelta(minutes=29))
    assert client.get("/").status_code == 200
    node.clock.advance(timedelta(minutes=31))
    assert client.get("/").status_code == 303


def test_a_session_ends_after_eight_hours_however_active(sqlite_node: Node) -> None:
    node = sqlite_node
    client = node.client()
    sign_in(client, Role.ANALYST)
    for _ in range(16):
        node.clock.advance(timedelta(minutes=29))
        assert client.get("/").status_code == 200
    node.clock.advance(timedelta(minutes=29))
    assert client.get("/").status_code == 303


def test_a_tampered_session_cookie_counts_for_nothing(sqlite_client: TestClient) -> None:
    client = sqlite_client
    sign_in(client, Role.ANALYST)
    payload, mac = client.cookies[COOKIE_NAME].split(".")
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, payload[:-2] + "xx." + mac)
    assert client.get("/").status_code == 303


def test_every_state_changing_form_refuses_a_request_without_its_csrf_token(
    node: Node, client: TestClient
) -> None:
    sign_in(client, Role.ADMIN)
    good = csrf_token(client, "/")
    with TestClient(client.app, follow_redirects=False) as stranger:
        foreign = csrf_token(stranger)
    unsafe = [
        access
        for access in route_access(node.app())
        if not access.path.startswith("/api/") and access.method not in {"GET", "HEAD"}
    ]
    assert {access.path for access in unsafe} >= {"/login", "/logout", "/language", "/preferences"}
    for access in unsafe:
        for data in ({}, {"csrf_token": ""}, {"csrf_token": foreign}, {"csrf_token": good + "x"}):
            response = client.request(access.method, access.path, data=data)
            assert response.status_code == 403, f"{access.path} {data}"
            assert "The form has expired or did not come from this site" in response.text
    # The session survived all of that.
    assert client.get("/").status_code == 200
