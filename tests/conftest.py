"""Shared fixtures: a clean environment, and one database per test on SQLite and PostgreSQL.

Tests that take ``db`` (or ``db_url``, ``node_env``) run twice: on a fresh
SQLite file in ``tmp_path`` and on PostgreSQL in a fresh schema that is
dropped afterwards. PostgreSQL comes from ``SUAR_TEST_POSTGRES_URL``
(default: the trust-auth server on 127.0.0.1). When it cannot be reached,
its variants are skipped with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import settings
from sqlalchemy.engine import URL, make_url

from suar.store import Database, upgrade

# The first example of a property test may load a vocabulary or a model (a second
# or so on a busy machine): a per-example deadline would make such tests flaky.
settings.register_profile("suar", deadline=None)
settings.load_profile("suar")

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _clean_suar_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's SUAR_* settings (the SUAR_TEST_* ones stay)."""
    for name in list(os.environ):
        if name.startswith("SUAR_") and not name.startswith("SUAR_TEST_"):
            monkeypatch.delenv(name)


def _postgres_url() -> URL:
    return make_url(os.environ.get("SUAR_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL).set(
        drivername="postgresql+psycopg"
    )


def _conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@lru_cache(maxsize=1)
def _postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can (asked once per session)."""
    try:
        with psycopg.connect(_conninfo(_postgres_url()), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return first
    return None


def _require_postgres() -> URL:
    url = _postgres_url()
    reason = _postgres_unreachable()
    if reason is not None:
        where = url.render_as_string(hide_password=True)
        message = f"PostgreSQL at {where} is unreachable ({reason})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the PostgreSQL tests", pytrace=False)
        pytest.skip(f"{message}; set SUAR_TEST_POSTGRES_URL to run the PostgreSQL variants")
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: SQLite in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'data' / 'suar.db'}"
        return
    with _postgres_schema() as url:
        yield url


@contextmanager
def _postgres_schema() -> Iterator[str]:
    """A URL to a fresh, empty schema on the test PostgreSQL server, dropped afterwards."""
    base = _require_postgres()
    schema = f"suar_test_{secrets.token_hex(6)}"
    with psycopg.connect(_conninfo(base), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_conninfo(base), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh node database at the newest schema, on PostgreSQL only: for what only it has."""
    with _postgres_schema() as url:
        database = Database.open(url, tmp_path / "data")
        try:
            upgrade(database)
            yield database
        finally:
            database.dispose()


@pytest.fixture
def postgres_admin() -> Iterator[psycopg.Connection[Any]]:
    """A connection of its own to the test PostgreSQL server (autocommit)."""
    with psycopg.connect(_conninfo(_require_postgres()), autocommit=True) as conn:
        yield conn


@pytest.fixture
def empty_db(db_url: str, tmp_path: Path) -> Iterator[Database]:
    """The database at ``db_url`` with no schema yet."""
    database = Database.open(db_url, tmp_path / "data")
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A fresh node database at the newest schema, on each backend."""
    upgrade(empty_db)
    return empty_db


@pytest.fixture
def node_env(db_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for running ``suar`` against the test database with its own key directory."""
    return {
        "SUAR_DATA_DIR": str(tmp_path / "data"),
        "SUAR_KEY_DIR": str(tmp_path / "keys"),
        "SUAR_DATABASE_URL": db_url,
    }
