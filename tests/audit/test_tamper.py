"""Tampering with the database directly: verify catches each kind and names the entry."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from suar.audit import (
    Checkpoint,
    NodeKey,
    ProblemKind,
    Verification,
    issue_checkpoint,
    load_or_create_node_key,
    verify_trail,
)
from suar.store import Database

from .tampering import Attacker, fill


@pytest.fixture
def key(tmp_path: Path) -> NodeKey:
    return load_or_create_node_key(tmp_path / "keys")[0]


def _verify(
    db: Database, checkpoint: Checkpoint | None = None, key: NodeKey | None = None
) -> Verification:
    trusted = {} if key is None else {key.fingerprint: key.public_key}
    with db.read() as session:
        return verify_trail(session, checkpoint, trusted)


def _checkpoint(db: Database, key: NodeKey) -> Checkpoint:
    with db.write() as session:
        return issue_checkpoint(session, key, actor="user:auditor")


def test_an_untouched_trail_verifies(trail: Database) -> None:
    result = _verify(trail)
    assert result.ok
    assert (result.entries, result.head_seq) == (10, 10)
    assert result.summary().startswith("audit trail intact: 10 entries, head entry 10 sha256:")


def test_an_altered_payload_is_named(attacker: Attacker) -> None:
    body = attacker.entry(4)
    body["details"] = {"n": 4, "note": "nothing to see"}
    attacker.set_entry(4, body, fix_hash=False)
    result = _verify(attacker.db)
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq) == (ProblemKind.ALTERED, 4)
    assert result.summary() == (
        "audit trail NOT intact: entry 4 was altered: "
        "its content no longer matches its recorded hash"
    )


def test_an_altered_payload_with_its_hash_recomputed_is_named(attacker: Attacker) -> None:
    body = attacker.entry(4)
    body["actor"] = "user:someone-else"
    attacker.set_entry(4, body, fix_hash=True)
    attacker.set_column(4, "actor", "user:someone-else")
    problem = _verify(attacker.db).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.ALTERED, 4)
    assert problem.message == (
        "entry 4 was altered or replaced: entry 5 records a different hash for it"
    )


def test_a_payload_edited_in_place_without_reserialising_is_named(attacker: Attacker) -> None:
    with attacker.db.read() as session:
        from suar.store import AuditLogRepository

        row = AuditLogRepository(session).get(6)
    assert row is not None
    attacker.set_raw(6, row.entry.replace('"seq":6', '"seq": 6'))
    problem = _verify(attacker.db).problem
    assert problem is not None and problem.seq == 6
    assert "entry 6 was altered: it is not canonical JSON any more" in problem.message


def test_an_altered_index_column_is_named(attacker: Attacker) -> None:
    attacker.set_column(7, "actor", "user:nobody")
    problem = _verify(attacker.db).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.ALTERED, 7)
    assert "its actor column (user:nobody) differs from the hashed entry" in problem.message


def test_a_deleted_entry_in_the_middle_is_named(attacker: Attacker) -> None:
    attacker.delete(5)
    problem = _verify(attacker.db).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.MISSING, 5)
    assert problem.message == "entry 5 is missing: entry 4 is followed by entry 6"


def test_a_deleted_first_entry_is_named(attacker: Attacker) -> None:
    attacker.delete(1)
    problem = _verify(attacker.db).problem
    assert problem is not None
    assert problem.message == "entry 1 is missing: the trail starts by entry 2"


def test_two_swapped_entries_are_named(attacker: Attacker) -> None:
    attacker.swap(3, 8)
    problem = _verify(attacker.db).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.REORDERED, 3)
    assert problem.message == "entry 3 is out of order: position 3 holds entry 8"


def test_a_deleted_tail_is_caught_against_a_checkpoint(attacker: Attacker, key: NodeKey) -> None:
    checkpoint = _checkpoint(attacker.db, key)  # covers 1..10, then appends entry 11
    attacker.delete_from(9)
    assert _verify(attacker.db).ok, "without a checkpoint a clean cut cannot be seen"
    problem = _verify(attacker.db, checkpoint, key).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.TRUNCATED, 9)
    assert "the trail was truncated: it ends at entry 8 but the checkpoint of entry 10" in (
        problem.message
    )


def test_a_chain_rewritten_consistently_after_a_checkpoint_is_caught(
    attacker: Attacker, key: NodeKey
) -> None:
    checkpoint = _checkpoint(attacker.db, key)
    fill(attacker.db, 3, first=100)
    attacker.rewrite_from(2, {"actor": "user:innocent"})
    attacker.set_column(2, "actor", "user:innocent")
    assert _verify(attacker.db).ok, "the forged chain is internally consistent"
    problem = _verify(attacker.db, checkpoint, key).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.REWRITTEN, 10)
    assert "the chain was rewritten since the checkpoint of entry 10" in problem.message
    assert "entry 10 no longer has the checkpointed hash" in problem.message


def test_entries_appended_after_a_checkpoint_are_fine(trail: Database, key: NodeKey) -> None:
    checkpoint = _checkpoint(trail, key)
    fill(trail, 5, first=20)
    result = _verify(trail, checkpoint, key)
    assert result.ok, result.summary()
    assert result.entries == 16
    assert "matches the checkpoint of entry 10" in result.summary()


def test_a_checkpoint_from_another_key_is_not_trusted(
    trail: Database, key: NodeKey, tmp_path: Path
) -> None:
    other, _ = load_or_create_node_key(tmp_path / "other-keys")
    forged = _checkpoint(trail, other)
    problem = _verify(trail, forged, key).problem
    assert problem is not None and problem.kind is ProblemKind.BAD_CHECKPOINT
    assert "which is not one of this node's keys" in problem.message


def test_no_checkpoint_is_signed_over_a_broken_trail(attacker: Attacker, key: NodeKey) -> None:
    attacker.delete(5)
    with pytest.raises(Exception, match="refusing to sign a checkpoint: entry 5 is missing"):
        _checkpoint(attacker.db, key)


def test_the_first_problem_is_the_one_named(attacker: Attacker) -> None:
    attacker.delete(8)
    body = attacker.entry(3)
    body["target"] = "case:other"
    attacker.set_entry(3, body, fix_hash=False)
    problem = _verify(attacker.db).problem
    assert problem is not None and problem.seq == 3


def test_a_checkpoint_of_an_empty_trail_holds(db: Database, key: NodeKey) -> None:
    checkpoint = _checkpoint(db, key)
    assert checkpoint.seq == 0
    assert _verify(db, checkpoint, key).ok


def test_checkpoint_times_are_utc(trail: Database, key: NodeKey) -> None:
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    with trail.write() as session:
        checkpoint = issue_checkpoint(session, key, actor="user:auditor", now=at)
    assert checkpoint.created == at
