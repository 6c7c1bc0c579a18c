"""Verifying the hash chain, and signing checkpoints of a verified head.

:func:`verify_trail` walks the trail in order and stops at the first problem,
naming the entry: altered (content, hash or indexed columns changed), missing
(a gap in the numbers), reordered (an entry stored at another number), and,
against a checkpoint, a truncated tail or a chain rewritten since it was
signed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from suar.audit.canonical import CanonicalError, parse_canonical_object
from suar.audit.checkpoint import Checkpoint, sign_checkpoint
from suar.audit.signing import NodeKey
from suar.audit.trail import (
    ENTRY_FIELDS,
    ENTRY_VERSION,
    GENESIS_HASH,
    AuditError,
    entry_hash,
    format_time,
    record,
)
from suar.store import AuditLogRepository, AuditRow


class ProblemKind(StrEnum):
    """What verification found wrong."""

    ALTERED = "altered"
    MISSING = "missing"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    REWRITTEN = "rewritten"
    BAD_CHECKPOINT = "bad_checkpoint"


@dataclass(frozen=True, slots=True)
class Problem:
    """The first problem found, with the number of the entry it concerns."""

    kind: ProblemKind
    seq: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of verifying the trail."""

    entries: int
    head_seq: int
    head_hash: str
    problem: Problem | None
    checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return self.problem is None

    def summary(self) -> str:
        """One line for the user: intact with its head, or the first problem."""
        if self.problem is not None:
            return f"audit trail NOT intact: {self.problem.message}"
        text = (
            f"audit trail intact: {self.entries} entries, "
            f"head entry {self.head_seq} sha256:{self.head_hash[:16]}"
        )
        if self.checkpoint is not None:
            return f"{text}; matches the {self.checkpoint.describe()}"
        return f"{text} (without a checkpoint a truncated tail cannot be detected)"


def verify_trail(
    session: Session,
    checkpoint: Checkpoint | None = None,
    trusted_keys: Mapping[str, bytes] | None = None,
) -> Verification:
    """Verify the whole trail, and against ``checkpoint`` when given.

    A checkpoint counts only when its signature is valid and its key is among
    ``trusted_keys`` (the node's current and retired keys, by fingerprint).
    """
    return verify_rows(AuditLogRepository(session).iterate(), checkpoint, trusted_keys)


def verify_rows(
    rows: Iterable[AuditRow],
    checkpoint: Checkpoint | None = None,
    trusted_keys: Mapping[str, bytes] | None = None,
) -> Verification:
    """Verify stored rows given in order of their numbers, as :func:`verify_trail` does."""
    if checkpoint is not None:
        problem = _checkpoint_problem(checkpoint, trusted_keys or {})
        if problem is not None:
            return Verification(0, 0, GENESIS_HASH, problem, checkpoint)
    return _walk(rows, checkpoint)


def _checkpoint_problem(checkpoint: Checkpoint, trusted: Mapping[str, bytes]) -> Problem | None:
    if not checkpoint.signature_valid():
        return Problem(ProblemKind.BAD_CHECKPOINT, None, "the checkpoint's signature is not valid")
    if checkpoint.key_fingerprint not in trusted:
        return Problem(
            ProblemKind.BAD_CHECKPOINT,
            None,
            f"the checkpoint is signed by {checkpoint.key_fingerprint}, "
            "which is not one of this node's keys",
        )
    return None


def _walk(rows: Iterable[AuditRow], checkpoint: Checkpoint | None) -> Verification:
    expected = 1
    prev = GENESIS_HASH
    count = 0
    for row in rows:
        count += 1
        problem = _row_problem(row, expected, prev)
        if problem is None and checkpoint is not None and row.seq == checkpoint.seq:
            if entry_hash(row.entry) != checkpoint.hash:
                problem = Problem(
                    ProblemKind.REWRITTEN,
                    row.seq,
                    f"the chain was rewritten since the {checkpoint.describe()}: "
                    f"entry {row.seq} no longer has the checkpointed hash",
                )
        if problem is not None:
            return Verification(count, expected - 1, prev, problem, checkpoint)
        prev = row.hash
        expected = row.seq + 1
    head_seq = expected - 1
    if checkpoint is not None and head_seq < checkpoint.seq:
        return Verification(
            count,
            head_seq,
            prev,
            Problem(
                ProblemKind.TRUNCATED,
                head_seq + 1,
                f"the trail was truncated: it ends at entry {head_seq} but the "
                f"{checkpoint.describe()} covers entries up to {checkpoint.seq}; "
                f"entry {head_seq + 1} onwards is missing",
            ),
            checkpoint,
        )
    return Verification(count, head_seq, prev, None, checkpoint)


def _row_problem(row: AuditRow, expected: int, prev: str) -> Problem | None:
    if row.seq != expected:
        before = "the trail starts" if expected == 1 else f"entry {expected - 1} is followed"
        return Problem(
            ProblemKind.MISSING,
            expected,
            f"entry {expected} is missing: {before} by entry {row.seq}",
        )
    try:
        body = parse_canonical_object(row.entry)
    except CanonicalError as exc:
        return _altered(row.seq, f"it is not canonical JSON any more ({exc})")
    if entry_hash(row.entry) != row.hash:
        return _altered(row.seq, "its content no longer matches its recorded hash")
    shape = _shape_problem(body)
    if shape is not None:
        return _altered(row.seq, shape)
    if body["seq"] != row.seq:
        return Problem(
            ProblemKind.REORDERED,
            row.seq,
            f"entry {row.seq} is out of order: position {row.seq} holds entry {body['seq']}",
        )
    if body["prev"] != prev:
        if row.seq == 1:
            return _altered(1, "it does not start the chain")
        return Problem(
            ProblemKind.ALTERED,
            row.seq - 1,
            f"entry {row.seq - 1} was altered or replaced: "
            f"entry {row.seq} records a different hash for it",
        )
    columns = {"at": format_time(row.at), "actor": row.actor, "action": row.action}
    for name, value in columns.items():
        if body[name] != value:
            return _altered(row.seq, f"its {name} column ({value}) differs from the hashed entry")
    return None


def _shape_problem(body: Mapping[str, Any]) -> str | None:
    if set(body) != ENTRY_FIELDS:
        return "its fields are not those of an audit entry"
    if body["v"] != ENTRY_VERSION:
        return f"unknown entry version {body['v']!r}"
    if not isinstance(body["seq"], int) or isinstance(body["seq"], bool):
        return "its number is not an integer"
    for name in ("at", "actor", "action", "prev"):
        if not isinstance(body[name], str):
            return f"its {name} is not a string"
    if not isinstance(body["details"], dict):
        return "its details are not an object"
    return None


def _altered(seq: int, why: str) -> Problem:
    return Problem(ProblemKind.ALTERED, seq, f"entry {seq} was altered: {why}")


def issue_checkpoint(
    session: Session,
    key: NodeKey,
    *,
    actor: str,
    now: datetime | None = None,
) -> Checkpoint:
    """Verify the trail, sign a checkpoint of its head, and record that in the trail.

    Refuses (:class:`AuditError`) to sign over a trail that does not verify:
    a checkpoint must never vouch for a broken chain. The ``audit.checkpoint``
    entry is appended after the head it covers, in the caller's unit of work.
    """
    verification = _walk(AuditLogRepository(session).iterate(), None)
    if verification.problem is not None:
        raise AuditError(f"refusing to sign a checkpoint: {verification.problem.message}")
    checkpoint = sign_checkpoint(key, verification.head_seq, verification.head_hash, now)
    record(
        session,
        actor=actor,
        action="audit.checkpoint",
        target=f"audit:{checkpoint.seq}",
        details={"seq": checkpoint.seq, "hash": checkpoint.hash, "key": key.fingerprint},
        now=now,
    )
    return checkpoint
