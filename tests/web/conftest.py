"""Fixtures for the web tests: a node with one user (and one API token) per role, and its app.

Each node runs on SQLite and on PostgreSQL (the ``db`` fixture). The app is
driven in-process through Starlette's test client; ``test_browser.py`` drives
a real ``suar serve`` process instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from suar.settings import Settings
from suar.store import Database, upgrade

from .nodes import Node, cached_hash, make_node


@pytest.fixture
def web_settings(tmp_path: Path, db_url: str) -> Settings:
    """Settings of a node in ``tmp_path`` on the test database."""
    return Settings(data_dir=tmp_path / "data", key_dir=tmp_path / "keys", database_url=db_url)


@pytest.fixture
def node(db: Database, web_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Node:
    """A node with one user per role and an API token each.

    Argon2 takes a fair fraction of a second here: the users' (real) password
    hash is computed once per test session instead of once per user.
    """
    monkeypatch.setattr("suar.access.users.hash_password", cached_hash)
    return make_node(db, web_settings)


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    """A test client of the node's app (redirects are not followed)."""
    with node.client() as test_client:
        yield test_client


@pytest.fixture
def sqlite_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Node]:
    """A node on SQLite only, for behaviour that does not touch the backend (rate limits).

    Its per-address login limit is 6 instead of 20, to keep the test short.
    """
    monkeypatch.setattr("suar.access.users.hash_password", cached_hash)
    settings = Settings(
        data_dir=tmp_path / "data", key_dir=tmp_path / "keys", login_rate_limit_ip=6
    )
    database = Database.open(None, settings.data_dir)
    upgrade(database)
    try:
        yield make_node(database, settings)
    finally:
        database.dispose()


@pytest.fixture
def sqlite_client(sqlite_node: Node) -> Iterator[TestClient]:
    """A test client of the SQLite-only node."""
    with sqlite_node.client() as test_client:
        yield test_client
