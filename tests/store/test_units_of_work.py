"""Units of work: one commit at the end, all or nothing, and writers that wait their turn."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest

from suar.store import Conflict, Database, StoreError, UserRepository
from suar.store.bulk import BULK_CACHE_KIB, BULK_CHECKPOINT_PAGES, BulkWriter

NOW = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def _add(db: Database, username: str) -> None:
    with db.write() as session:
        UserRepository(session).add(
            username=username,
            display_name="",
            roles=["analyst"],
            password_hash=None,
            created_at=NOW,
        )


def _usernames(db: Database) -> list[str]:
    with db.read() as session:
        return [user.username for user in UserRepository(session).list()]


def test_a_unit_of_work_commits_what_it_flushed(db: Database) -> None:
    _add(db, "alice")
    assert _usernames(db) == ["alice"]


def test_an_error_inside_a_unit_of_work_keeps_nothing_of_it(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        with db.write() as session:
            repo = UserRepository(session)
            for name in ("alice", "bob"):
                repo.add(
                    username=name,
                    display_name="",
                    roles=["analyst"],
                    password_hash=None,
                    created_at=NOW,
                )
            raise RuntimeError("boom")
    assert _usernames(db) == []


def test_a_duplicate_key_is_a_conflict_and_keeps_nothing(db: Database) -> None:
    _add(db, "alice")
    with pytest.raises(Conflict):
        with db.write() as session:
            repo = UserRepository(session)
            repo.add(
                username="bob",
                display_name="",
                roles=["analyst"],
                password_hash=None,
                created_at=NOW,
            )
            repo.add(
                username="alice",
                display_name="",
                roles=["analyst"],
                password_hash=None,
                created_at=NOW,
            )
    assert _usernames(db) == ["alice"]


def test_a_read_unit_never_commits(db: Database) -> None:
    # PostgreSQL read units are read-only transactions: the server refuses the write.
    refused = pytest.raises(StoreError, match="read-only transaction")
    with refused if db.backend == "postgresql" else contextlib.nullcontext():
        with db.read() as session:
            UserRepository(session).add(
                username="ghost",
                display_name="",
                roles=["analyst"],
                password_hash=None,
                created_at=NOW,
            )
    assert _usernames(db) == []


def test_times_come_back_in_utc_with_their_microseconds(db: Database) -> None:
    bangkok = timezone(timedelta(hours=7))
    with db.write() as session:
        UserRepository(session).add(
            username="alice",
            display_name="",
            roles=["analyst"],
            password_hash=None,
            created_at=NOW.astimezone(bangkok),
        )
    with db.read() as session:
        user = UserRepository(session).get("alice")
    assert user is not None
    assert user.created_at == NOW
    assert user.created_at.utcoffset() == timedelta(0)


def test_naive_times_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        with db.write() as session:
            UserRepository(session).add(
                username="alice",
                display_name="",
                roles=["analyst"],
                password_hash=None,
                created_at=datetime(2025, 1, 1),
            )
    assert _usernames(db) == []


def test_writers_from_several_connections_all_land(db: Database) -> None:
    # Separate Database objects behave like separate processes: on SQLite they
    # share no lock but BEGIN IMMEDIATE, so this shows writers wait, not fail.
    handles = [Database(db.url) for _ in range(4)]
    try:

        def work(index: int) -> None:
            for n in range(10):
                _add(handles[index], f"user{index}-{n}")

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(work, range(4)))
    finally:
        for handle in handles:
            handle.dispose()
    assert len(_usernames(db)) == 40


def test_a_bulk_writing_connection_caches_more_and_checkpoints_rarely(db: Database) -> None:
    with db.write() as session:
        BulkWriter(session).tune_connection()  # PostgreSQL: nothing to tune, and no error
        if db.backend != "sqlite":
            return
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -BULK_CACHE_KIB
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BULK_CHECKPOINT_PAGES
