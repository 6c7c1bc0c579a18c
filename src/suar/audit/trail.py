"""Recording audit entries: numbered, canonical JSON, each holding the previous one's hash.

An entry is the RFC 8785 canonical JSON of::

    {"action": "user.add", "actor": "operator:root", "at": "2025-01-31T09:30:00.123456Z",
     "details": {...}, "prev": "<sha256 hex of entry seq-1>", "seq": 7,
     "target": "user:alice", "v": 1}

and its hash is the SHA-256 of those exact bytes. The first entry's ``prev`` is
64 zeros. Call :func:`record` inside the unit of work that makes the change,
so that the change and its entry commit or roll back together.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from suar.audit.canonical import JSONValue, canonical_json
from suar.errors import SuarError
from suar.store import AuditLogRepository, AuditRow

#: Format version written in every entry's ``v`` field.
ENTRY_VERSION: Final = 1
#: ``prev`` of the first entry.
GENESIS_HASH: Final = "0" * 64
#: Fields of an entry, all required.
ENTRY_FIELDS: Final = frozenset({"v", "seq", "at", "actor", "action", "target", "details", "prev"})

_ACTION = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
_MAX_ACTOR = 200


class AuditError(SuarError):
    """An audit entry cannot be written or read as asked."""

    code = "audit_error"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the trail, as recorded."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str | None
    prev: str
    hash: str
    details: Mapping[str, Any] = field(default_factory=dict)


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with microseconds, as entries and checkpoints write time."""
    if moment.tzinfo is None:
        raise AuditError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """Read a time written by :func:`format_time`; raises ``ValueError`` otherwise."""
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if format_time(moment) != text:
        raise ValueError(f"not a Suar audit time: {text!r}")
    return moment


def entry_hash(entry: str | bytes) -> str:
    """SHA-256 hex of an entry's canonical bytes."""
    raw = entry.encode("utf-8") if isinstance(entry, str) else entry
    return hashlib.sha256(raw).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str | None = None,
    details: Mapping[str, JSONValue] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append an entry to the trail inside the caller's unit of work and return it.

    ``actor`` is a principal such as ``user:alice``; ``action`` a dotted name
    such as ``user.add``; ``target`` what was acted on; ``details`` a JSON
    object. Entries are read by auditors and exported: name things by id and
    never put secrets or protected identities in them. Appenders are
    serialised, so numbers have no gaps and every entry chains to the last.
    """
    if not _ACTION.fullmatch(action):
        raise AuditError(f"invalid audit action {action!r}: use dotted lower-case names")
    if not actor or len(actor) > _MAX_ACTOR:
        raise AuditError(f"invalid audit actor {actor!r}")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    repo = AuditLogRepository(session)
    repo.lock_for_append()
    head = repo.head()
    seq = 1 if head is None else head.seq + 1
    prev = GENESIS_HASH if head is None else head.hash
    body: dict[str, JSONValue] = {
        "v": ENTRY_VERSION,
        "seq": seq,
        "at": format_time(moment),
        "actor": actor,
        "action": action,
        "target": target,
        "details": dict(details or {}),
        "prev": prev,
    }
    text = canonical_json(body).decode("utf-8")
    digest = entry_hash(text)
    repo.append(AuditRow(seq=seq, at=moment, actor=actor, action=action, entry=text, hash=digest))
    return AuditEntry(
        seq=seq,
        at=moment,
        actor=actor,
        action=action,
        target=target,
        prev=prev,
        hash=digest,
        details=dict(details or {}),
    )


def head(session: Session) -> tuple[int, str]:
    """The number and hash of the newest entry: ``(0, GENESIS_HASH)`` for an empty trail."""
    row = AuditLogRepository(session).head()
    return (0, GENESIS_HASH) if row is None else (row.seq, row.hash)
