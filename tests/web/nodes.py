"""Test nodes for the web tests: one user (and one API token) per role, a settable clock,
and helpers to sign in through the login form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fastapi import FastAPI
from fastapi.testclient import TestClient

from suar.access import Actor, Role, add_user, create_token, hash_password
from suar.settings import Settings
from suar.store import Database
from suar.web import create_app

#: Password of every test user.
PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """A settable clock for the app (sessions, rate limits)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Node:
    """A test node: its database, settings, clock, and a user and token per role."""

    db: Database
    settings: Settings
    clock: Clock
    tokens: dict[str, str] = field(default_factory=dict)

    def app(self) -> FastAPI:
        return create_app(self.settings, database=self.db, clock=self.clock)

    def client(self) -> TestClient:
        return TestClient(self.app(), follow_redirects=False)

    def bearer(self, role: Role | str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[str(role)]}"}


def username_for(role: Role) -> str:
    """The test user holding only ``role``."""
    return role.value.replace("_", "-")


@lru_cache(maxsize=4)
def cached_hash(password: str) -> str:
    """A real Argon2id hash, computed once per password: test users share one salt."""
    return hash_password(password)


def make_node(db: Database, settings: Settings) -> Node:
    """A node with one user per role (password :data:`PASSWORD`) and an API token each."""
    operator = Actor.operator("test")
    result = Node(db=db, settings=settings, clock=Clock())
    with db.write() as session:
        for role in Role:
            name = username_for(role)
            add_user(
                session,
                operator,
                name,
                roles=[role],
                display_name=f"{role.value.title()} Tester",
                password=PASSWORD,
                now=result.clock.now,
            )
            _, secret = create_token(session, operator, name, name="tests", now=result.clock.now)
            result.tokens[role.value] = secret
    return result


def csrf_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's form (after one redirect)."""
    response = client.get(path)
    if response.status_code == 303:
        response = client.get(response.headers["location"])
    found = _CSRF.search(response.text)
    assert found is not None, f"no CSRF field on {path} ({response.status_code})"
    return found.group(1)


def sign_in(client: TestClient, role: Role, password: str = PASSWORD) -> None:
    """Sign ``client`` in as the test user of ``role`` through the login form."""
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"username": username_for(role), "password": password, "csrf_token": token},
    )
    assert response.status_code == 303, response.text
