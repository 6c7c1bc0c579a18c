"""Recording: numbered entries in canonical JSON, each holding the previous one's hash."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from suar.audit import GENESIS_HASH, AuditError, head, record, verify_trail
from suar.store import AuditLogRepository, Database, StoreError

from .tampering import fill

AT = datetime(2025, 1, 31, 9, 30, 0, 123456, tzinfo=UTC)


def _rows(db: Database) -> list[tuple[int, str, str]]:
    with db.read() as session:
        return [(r.seq, r.entry, r.hash) for r in AuditLogRepository(session).iterate()]


def test_an_entry_is_canonical_json_with_every_field(db: Database) -> None:
    with db.write() as session:
        entry = record(
            session,
            actor="user:alice",
            action="user.add",
            target="user:bob",
            details={"roles": ["analyst"]},
            now=AT,
        )
    ((seq, text, digest),) = _rows(db)
    assert seq == entry.seq == 1
    assert text == (
        '{"action":"user.add","actor":"user:alice","at":"2025-01-31T09:30:00.123456Z",'
        '"details":{"roles":["analyst"]},"prev":"' + GENESIS_HASH + '","seq":1,'
        '"target":"user:bob","v":1}'
    )
    assert digest == entry.hash == hashlib.sha256(text.encode()).hexdigest()


def test_entries_are_numbered_and_each_holds_the_hash_of_the_one_before(db: Database) -> None:
    fill(db, 5)
    rows = _rows(db)
    assert [seq for seq, _, _ in rows] == [1, 2, 3, 4, 5]
    for (_, _, before), (_, text, _) in zip(rows, rows[1:], strict=False):
        assert json.loads(text)["prev"] == before
    with db.read() as session:
        assert head(session) == (5, rows[-1][2])


def test_an_entry_rolls_back_with_the_change_it_records(db: Database) -> None:
    fill(db, 2)
    with pytest.raises(RuntimeError), db.write() as session:
        record(session, actor="user:a", action="user.add", now=AT)
        raise RuntimeError("the change failed")
    assert [seq for seq, _, _ in _rows(db)] == [1, 2]
    fill(db, 1, first=3)
    with db.read() as session:
        assert verify_trail(session).ok


def test_the_empty_trail_has_the_genesis_head(db: Database) -> None:
    with db.read() as session:
        assert head(session) == (0, GENESIS_HASH)
        result = verify_trail(session)
    assert result.ok and result.entries == 0


@pytest.mark.parametrize("action", ["", "user", "User.Add", "user add", "user.", ".add"])
def test_malformed_action_names_are_refused(db: Database, action: str) -> None:
    with pytest.raises(AuditError, match="invalid audit action"), db.write() as session:
        record(session, actor="user:a", action=action)
    assert _rows(db) == []


def test_details_that_are_not_json_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="not JSON|cannot canonicalise"), db.write() as session:
        record(session, actor="user:a", action="x.y", details={"when": AT})  # type: ignore[dict-item]
    assert _rows(db) == []


def test_the_trail_refuses_updates_and_deletes_outright(trail: Database) -> None:
    from sqlalchemy import text

    for statement in (
        "UPDATE audit_entries SET actor = 'user:mallory' WHERE seq = 3",
        "DELETE FROM audit_entries WHERE seq = 10",
    ):
        with pytest.raises(Exception, match="append-only"), trail.write() as session:
            session.execute(text(statement))
    assert len(_rows(trail)) == 10


def test_concurrent_writers_get_consecutive_numbers_and_one_chain(db: Database) -> None:
    handles = [Database(db.url) for _ in range(4)]
    try:

        def work(index: int) -> None:
            for n in range(15):
                with handles[index].write() as session:
                    record(session, actor=f"user:w{index}", action="post.read", details={"n": n})

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(work, range(4)))
    finally:
        for handle in handles:
            handle.dispose()
    assert [seq for seq, _, _ in _rows(db)] == list(range(1, 61))
    with db.read() as session:
        assert verify_trail(session).ok


def test_an_entry_cannot_be_recorded_in_a_read_unit_where_it_would_be_lost(
    db: Database,
) -> None:
    with pytest.raises(StoreError, match=r"only be written inside db.write\(\)"):
        with db.read() as session:
            record(session, actor="user:a", action="person.read")
    assert _rows(db) == []
