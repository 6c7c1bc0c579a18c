"""Database URLs and connection settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from suar.errors import ConfigError
from suar.store import Database, StoreError
from suar.store.engine import SQLITE_BUSY_TIMEOUT_MS, resolve_url


def test_no_url_means_the_sqlite_file_in_the_data_directory(tmp_path: Path) -> None:
    url = resolve_url(None, tmp_path / "data")
    assert url.drivername == "sqlite+pysqlite"
    assert url.database == str(tmp_path / "data" / "suar.db")


@pytest.mark.parametrize(
    "given",
    ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"],
)
def test_postgresql_urls_use_psycopg_3(given: str, tmp_path: Path) -> None:
    url = resolve_url(given, tmp_path)
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.database) == ("h", "db")


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("postgresql+psycopg2://u@h/db", "unsupported database"),
        ("sqlite://", "in-memory SQLite"),
        ("sqlite:///:memory:", "in-memory SQLite"),
        ("not a url", "cannot parse database URL"),
    ],
)
def test_unsupported_or_unusable_urls_are_refused_with_the_reason(
    given: str, says: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match=says):
        resolve_url(given, tmp_path)


def test_the_password_never_shows_in_the_description(tmp_path: Path) -> None:
    db = Database.open("postgresql://suar:s3cret@127.0.0.1:1/x", tmp_path)
    try:
        assert "s3cret" not in db.description
        assert "s3cret" not in repr(db)
    finally:
        db.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    db = Database.open(None, tmp_path / "data")
    try:
        with db.read() as session:
            pragma = {
                name: session.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
    finally:
        db.dispose()
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
        "synchronous": 2,  # FULL
    }


def test_the_sqlite_data_directory_is_created_private(tmp_path: Path) -> None:
    Database.open(None, tmp_path / "new" / "data").dispose()
    assert (tmp_path / "new" / "data").is_dir()
    assert (tmp_path / "new" / "data").stat().st_mode & 0o077 == 0


def test_an_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    db = Database.open("postgresql://nobody@127.0.0.1:1/none", tmp_path)
    try:
        with pytest.raises(StoreError, match=r"database postgresql\+psycopg://nobody@127.0.0.1:1"):
            with db.read():
                pass
    finally:
        db.dispose()


def _backend_pid(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(text("SELECT pg_backend_pid()")))


def test_a_pooled_postgresql_connection_closed_by_the_server_is_replaced_unnoticed(
    pg_db: Database, postgres_admin: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server restart or an idle timeout closes connections waiting in the
    # pool: the next unit of work gets a live one instead of an error.
    db = pg_db
    pid = _backend_pid(db)
    assert postgres_admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    monkeypatch.setattr("suar.store.engine.PING_AFTER_IDLE_S", 0.0)
    assert _backend_pid(db) != pid


def test_a_postgresql_connection_in_steady_use_is_not_pinged(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = pg_db
    pings: list[object] = []
    _backend_pid(db)
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
    for _ in range(3):
        _backend_pid(db)
    assert pings == []
    monkeypatch.setattr("suar.store.engine.PING_AFTER_IDLE_S", 0.0)
    _backend_pid(db)
    assert len(pings) == 1
