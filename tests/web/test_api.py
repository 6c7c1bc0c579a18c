"""The JSON API: the caller, its tokens, users, and the audit trail with pages and filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

# The audit tests' helpers (tests/audit): a trail of entries, and an attacker with database access.
from audit.tampering import START, Attacker, fill
from suar.access import Role, create_token
from suar.access.actors import Actor
from suar.store import Database

from .nodes import Node


def _get(client: TestClient, node: Node, who: Role, path: str, /, **params: Any) -> Any:
    response = client.get(path, params=params, headers=node.bearer(who))
    assert response.status_code == 200, response.text
    return response.json()


def test_me_says_who_the_token_acts_as_and_what_it_may_do(node: Node, client: TestClient) -> None:
    me = _get(client, node, Role.ANALYST, "/api/v1/me")
    assert me["username"] == "analyst"
    assert me["principal"] == "user:analyst"
    assert me["roles"] == ["analyst"]
    assert me["permissions"]["alert.triage"] == "any"
    assert me["permissions"]["token.revoke"] == "own"
    assert "user.add" not in me["permissions"]


def test_a_user_lists_and_revokes_only_its_own_tokens(node: Node, client: TestClient) -> None:
    with node.db.write() as session:
        create_token(session, Actor.operator("t"), "analyst", name="second", now=node.clock.now)
        admins, _ = create_token(session, Actor.operator("t"), "admin", now=node.clock.now)
    page = _get(client, node, Role.ANALYST, "/api/v1/tokens", limit=1)
    assert [token["name"] for token in page["items"]] == ["tests"]
    assert page["items"][0]["state"] == "active"
    second = _get(client, node, Role.ANALYST, "/api/v1/tokens", limit=1, cursor=page["next_cursor"])
    assert [token["name"] for token in second["items"]] == ["second"]
    assert second["next_cursor"] is None
    assert "secret" not in str(page) and node.tokens["analyst"] not in str(page)
    # Someone else's token is not even admitted to exist.
    other = client.post(
        f"/api/v1/tokens/{admins.public_id}/revoke", headers=node.bearer(Role.ANALYST)
    )
    assert other.status_code == 404
    # Revoking the token in use works, and it stops working at once.
    mine = page["items"][0]["id"]
    revoked = client.post(
        f"/api/v1/tokens/{mine}/revoke",
        json={"reason": "rotated"},
        headers=node.bearer(Role.ANALYST),
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert client.get("/api/v1/me", headers=node.bearer(Role.ANALYST)).status_code == 401


def test_using_a_token_is_noted_at_most_once_a_minute(node: Node, client: TestClient) -> None:
    for _ in range(3):
        _get(client, node, Role.ANALYST, "/api/v1/me")
    first = _get(client, node, Role.ANALYST, "/api/v1/tokens")["items"][0]["last_used_at"]
    assert first is not None
    node.clock.advance(timedelta(seconds=30))
    assert _get(client, node, Role.ANALYST, "/api/v1/tokens")["items"][0]["last_used_at"] == first
    node.clock.advance(timedelta(seconds=31))
    assert _get(client, node, Role.ANALYST, "/api/v1/tokens")["items"][0]["last_used_at"] != first


def test_an_admin_adds_lists_and_disables_users(node: Node, client: TestClient) -> None:
    admin = node.bearer(Role.ADMIN)
    body = {"username": "Budi", "roles": ["analyst", "liaison"], "display_name": "Budi Santoso"}
    created = client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 201
    assert created.json()["username"] == "budi"
    assert created.json()["has_password"] is False
    liaisons = _get(client, node, Role.ADMIN, "/api/v1/users", role="liaison")
    assert [user["username"] for user in liaisons["items"]] == ["budi", "liaison"]
    disabled = client.post("/api/v1/users/budi/disable", json={"reason": "left"}, headers=admin)
    assert disabled.json()["active"] is False
    active = _get(client, node, Role.AUDITOR, "/api/v1/users", role="liaison", active=True)
    assert [user["username"] for user in active["items"]] == ["liaison"]
    assert _get(client, node, Role.AUDITOR, "/api/v1/users/BUDI")["disabled_at"] is not None
    actions = [
        entry["action"]
        for entry in _get(client, node, Role.AUDITOR, "/api/v1/audit/entries", target="user:budi")[
            "items"
        ]
    ]
    assert actions == ["user.disable", "user.add"]


def test_users_come_in_pages_by_name(node: Node, client: TestClient) -> None:
    names: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = _get(client, node, Role.ADMIN, "/api/v1/users", **params)
        names += [user["username"] for user in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert names == sorted(username.value.replace("_", "-") for username in Role)


def _filled(node: Node, count: int) -> Database:
    # The node's own entries (users, tokens) come first; these follow.
    fill(node.db, count)
    return node.db


def _all_pages(client: TestClient, node: Node, **params: Any) -> list[int]:
    seqs: list[int] = []
    cursor = None
    for _ in range(100):
        query = params | ({"cursor": cursor} if cursor else {})
        page = _get(client, node, Role.AUDITOR, "/api/v1/audit/entries", **query)
        seqs += [entry["seq"] for entry in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seqs
    raise AssertionError("the pages never end")


def test_the_trail_pages_newest_first_and_oldest_first_without_gaps(
    node: Node, client: TestClient
) -> None:
    _filled(node, 620)
    head = _get(client, node, Role.AUDITOR, "/api/v1/audit/entries", limit=1)["items"][0]["seq"]
    newest = _all_pages(client, node, limit=250)
    assert newest == list(range(head, 0, -1))
    oldest = _all_pages(client, node, limit=199, order="oldest")
    assert oldest == list(range(1, head + 1))


def test_the_trail_filters_by_actor_action_target_and_time(node: Node, client: TestClient) -> None:
    _filled(node, 40)
    by_actor = _all_pages(client, node, actor="user:u1", action="case.read")
    entries = [_get(client, node, Role.AUDITOR, f"/api/v1/audit/entries/{seq}") for seq in by_actor]
    assert entries and all(e["actor"] == "user:u1" and e["action"] == "case.read" for e in entries)
    prefix = _all_pages(client, node, action="case")
    assert len(prefix) == 20
    window = _all_pages(
        client,
        node,
        since=(START + timedelta(seconds=10)).isoformat(),
        until=(START + timedelta(seconds=15)).isoformat(),
    )
    details = [
        _get(client, node, Role.AUDITOR, f"/api/v1/audit/entries/{seq}")["details"]["n"]
        for seq in window
    ]
    assert details == [14, 13, 12, 11, 10]
    one = _get(client, node, Role.AUDITOR, "/api/v1/audit/entries", target="case:7")["items"]
    assert [entry["details"] for entry in one] == [{"n": 7, "note": "ยืนยัน ✓"}]


def test_an_unknown_entry_answers_404(node: Node, client: TestClient) -> None:
    response = client.get("/api/v1/audit/entries/99999", headers=node.bearer(Role.AUDITOR))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_verify_reports_an_intact_trail_and_then_the_altered_entry(
    node: Node, client: TestClient
) -> None:
    _filled(node, 10)
    intact = _get(client, node, Role.ADMIN, "/api/v1/audit/verify")
    assert intact["ok"] is True and intact["problem"] is None
    victim = intact["head_seq"] - 3
    attacker = Attacker(node.db)
    body = attacker.entry(victim)
    body["actor"] = "user:nobody"
    attacker.set_entry(victim, body, fix_hash=False)
    broken = _get(client, node, Role.AUDITOR, "/api/v1/audit/verify")
    assert broken["ok"] is False
    assert broken["problem"]["kind"] == "altered"
    assert broken["problem"]["seq"] == victim


def test_a_rare_filter_answers_a_short_page_and_a_cursor_to_go_on(
    node: Node, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(node, 60)
    monkeypatch.setattr("suar.web.trail.SCAN_BUDGET", 25)
    first = _get(client, node, Role.AUDITOR, "/api/v1/audit/entries", target="case:3")
    assert first["items"] == [] and first["next_cursor"] is not None
    found = _all_pages(client, node, target="case:3")
    assert len(found) == 1
