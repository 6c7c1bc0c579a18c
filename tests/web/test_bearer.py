"""API tokens on every request: refused the moment they stop being good, their use recorded."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from suar.access import Actor, Role, create_token, disable_user, list_tokens, revoke_token

from .nodes import Node, username_for

OPERATOR = Actor.operator("tests")


def _me(client: TestClient, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_revoked_token_is_refused_at_the_next_request(node: Node, client: TestClient) -> None:
    token = node.tokens[Role.ANALYST.value]
    assert _me(client, token) == 200
    with node.db.write() as session:
        revoke_token(session, OPERATOR, secret=token, now=node.clock.now)
    assert _me(client, token) == 401


def test_an_expired_token_is_refused(node: Node, client: TestClient) -> None:
    with node.db.write() as session:
        _, token = create_token(
            session,
            OPERATOR,
            username_for(Role.ANALYST),
            expires_in=timedelta(hours=1),
            now=node.clock.now,
        )
    assert _me(client, token) == 200
    node.clock.advance(timedelta(minutes=59))
    assert _me(client, token) == 200
    node.clock.advance(timedelta(minutes=1))
    assert _me(client, token) == 401


def test_the_tokens_of_a_disabled_user_stop_working(node: Node, client: TestClient) -> None:
    token = node.tokens[Role.ANALYST.value]
    assert _me(client, token) == 200
    with node.db.write() as session:
        disable_user(session, OPERATOR, username_for(Role.ANALYST), now=node.clock.now)
    assert _me(client, token) == 401


def test_a_token_records_its_last_use_at_most_once_a_minute(node: Node, client: TestClient) -> None:
    token = node.tokens[Role.AUDITOR.value]

    def last_used() -> object:
        with node.db.read() as session:
            (record,) = list_tokens(session, OPERATOR, username_for(Role.AUDITOR))
        return record.last_used_at

    assert last_used() is None
    first = node.clock.now
    assert _me(client, token) == 200
    assert last_used() == first
    node.clock.advance(timedelta(seconds=59))
    assert _me(client, token) == 200
    assert last_used() == first
    node.clock.advance(timedelta(seconds=1))
    assert _me(client, token) == 200
    assert last_used() == node.clock.now


def test_a_malformed_or_unknown_token_is_refused(client: TestClient) -> None:
    for token in ("suar_short", "x" * 48, "suar_" + "A" * 43):
        assert _me(client, token) == 401
