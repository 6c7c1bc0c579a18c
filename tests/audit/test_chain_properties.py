"""Properties of the chain: any change to any stored entry is caught, at that entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from hypothesis import given
from hypothesis import strategies as st

from suar.audit import GENESIS_HASH, JSONValue, ProblemKind, canonical_json, entry_hash, verify_rows
from suar.store import AuditRow

START = datetime(2025, 1, 1, tzinfo=UTC)
LENGTH = 12


@lru_cache(maxsize=1)
def chain() -> tuple[AuditRow, ...]:
    """Twelve rows as ``audit.record`` stores them, built without a database."""
    rows: list[AuditRow] = []
    prev = GENESIS_HASH
    for seq in range(1, LENGTH + 1):
        at = START + timedelta(minutes=seq)
        body: dict[str, JSONValue] = {
            "v": 1,
            "seq": seq,
            "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": f"user:u{seq % 4}",
            "action": "person.read",
            "target": f"person:{seq}",
            "details": {"purpose": "ตรวจสอบ", "n": seq},
            "prev": prev,
        }
        text = canonical_json(body).decode()
        prev = entry_hash(text)
        rows.append(AuditRow(seq, at, str(body["actor"]), "person.read", text, prev))
    return tuple(rows)


def test_the_untouched_chain_verifies() -> None:
    assert verify_rows(chain()).ok


@given(
    index=st.integers(0, LENGTH - 1),
    position=st.integers(0, 10_000),
    replacement=st.characters(codec="utf-8"),
)
def test_changing_any_character_of_any_entry_is_caught_at_that_entry(
    index: int, position: int, replacement: str
) -> None:
    rows = list(chain())
    text = rows[index].entry
    at = position % len(text)
    if text[at] == replacement:
        return
    rows[index] = replace(rows[index], entry=text[:at] + replacement + text[at + 1 :])
    result = verify_rows(rows)
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq) == (ProblemKind.ALTERED, index + 1)


@given(st.permutations(range(LENGTH)))
def test_any_reordering_is_caught(order: list[int]) -> None:
    original = chain()
    # Rows come back sorted by their number; reordering means entries moved to other numbers.
    moved = [replace(original[source], seq=target + 1) for target, source in enumerate(order)]
    result = verify_rows(moved)
    if list(order) == sorted(order):
        assert result.ok
    else:
        first = next(t for t, s in enumerate(order) if s != t)
        assert result.problem is not None
        assert (result.problem.kind, result.problem.seq) == (ProblemKind.REORDERED, first + 1)


@given(st.sets(st.integers(0, LENGTH - 2), min_size=1))
def test_any_deletion_before_the_head_is_caught_at_the_first_gap(gone: set[int]) -> None:
    kept = [row for i, row in enumerate(chain()) if i not in gone]
    result = verify_rows(kept)
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq) == (ProblemKind.MISSING, min(gone) + 1)
