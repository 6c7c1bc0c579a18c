"""API tokens on every request: refused the moment they stop being good, their use recorded.

Each test runs on a route whose guard checks the token in a unit of its own
(``/api/v1/me``) and on one that checks it inside the route's read unit (the
alert list).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from suar.access import Actor, Role, create_token, disable_user, list_tokens, revoke_token

from .nodes import Node, username_for

OPERATOR = Actor.operator("tests")


ROUTES = pytest.mark.parametrize("route", ["/api/v1/me", "/api/v1/alerts"])


def _call(client: TestClient, route: str, token: str) -> int:
    return client.get(route, headers={"Authorization": f"Bearer {token}"}).status_code


@ROUTES
def test_a_revoked_token_is_refused_at_the_next_request(
    node: Node, client: TestClient, route: str
) -> None:
    token = node.tokens[Role.ANALYST.value]
    assert _call(client, route, token) == 200
    with node.db.write() as session:
        revoke_token(session, OPERATOR, secret=token, now=node.clock.now)
    assert _call(client, route, token) == 401


@ROUTES
def test_an_expired_token_is_refused(node: Node, client: TestClient, route: str) -> None:
    with node.db.write() as session:
        _, token = create_token(
            session,
            OPERATOR,
            username_for(Role.ANALYST),
            expires_in=timedelta(hours=1),
            now=node.clock.now,
        )
    assert _call(client, route, token) == 200
    node.clock.advance(timedelta(minutes=59))
    assert _call(client, route, token) == 200
    node.clock.advance(timedelta(minutes=1))
    assert _call(client, route, token) == 401


@ROUTES
def test_the_tokens_of_a_disabled_user_stop_working(
    node: Node, client: TestClient, route: str
) -> None:
    token = node.tokens[Role.ANALYST.value]
    assert _call(client, route, token) == 200
    with node.db.write() as session:
        disable_user(session, OPERATOR, username_for(Role.ANALYST), now=node.clock.now)
    assert _call(client, route, token) == 401


@ROUTES
def test_a_token_records_its_last_use_at_most_once_a_minute(
    node: Node, client: TestClient, route: str
) -> None:
    token = node.tokens[Role.ANALYST.value]

    def last_used() -> object:
        with node.db.read() as session:
            (record,) = list_tokens(session, OPERATOR, username_for(Role.ANALYST))
        return record.last_used_at

    assert last_used() is None
    first = node.clock.now
    assert _call(client, route, token) == 200
    assert last_used() == first
    node.clock.advance(timedelta(seconds=59))
    assert _call(client, route, token) == 200
    assert last_used() == first
    node.clock.advance(timedelta(seconds=1))
    assert _call(client, route, token) == 200
    assert last_used() == node.clock.now


@ROUTES
def test_a_malformed_or_unknown_token_is_refused(client: TestClient, route: str) -> None:
    for token in ("suar_short", "x" * 48, "suar_" + "A" * 43):
        assert _call(client, route, token) == 401


def test_a_refused_token_learns_nothing_about_the_request(client: TestClient) -> None:
    # The token is checked before the cursor is read: a bad cursor with a bad token is a 401.
    answer = client.get(
        "/api/v1/alerts?cursor=not-a-cursor", headers={"Authorization": "Bearer suar_short"}
    )
    assert answer.status_code == 401
