"""The audit trail's table: append, read in order, and serialise appenders.

The chain logic (hashing, canonical JSON, verification) lives in
:mod:`suar.audit`; this module only moves rows.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from suar.store.database import is_write_unit
from suar.store.errors import StoreError
from suar.store.tables import AuditEntryRow

#: Key of the PostgreSQL advisory lock that serialises appenders (stable 31-bit value).
_ADVISORY_LOCK_KEY: Final = zlib.crc32(b"suar.audit_entries") & 0x7FFFFFFF


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One stored audit entry, as the database holds it."""

    seq: int
    at: datetime
    actor: str
    action: str
    entry: str
    hash: str


def _record(row: AuditEntryRow) -> AuditRow:
    return AuditRow(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entry=row.entry,
        hash=row.hash,
    )


class AuditLogRepository:
    """Append-only access to ``audit_entries`` inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def lock_for_append(self) -> None:
        """Hold the trail's append lock until the unit of work ends.

        PostgreSQL writers run concurrently, so two of them could read the same
        head; the transaction-scoped advisory lock lines them up. SQLite write
        units already hold the database's single write lock.
        """
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
            )

    def head(self) -> AuditRow | None:
        """The entry with the highest number, or ``None`` for an empty trail."""
        row = self._session.scalars(
            select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)
        ).first()
        return None if row is None else _record(row)

    def get(self, seq: int) -> AuditRow | None:
        """The entry numbered ``seq``, or ``None``."""
        row = self._session.get(AuditEntryRow, seq)
        return None if row is None else _record(row)

    def count(self) -> int:
        """How many entries the table holds."""
        return int(self._session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)

    def append(self, row: AuditRow) -> None:
        """Insert one entry and flush; a taken number raises on flush.

        Refused outside a write unit of work: a read unit never commits, so the
        entry would vanish without a word.
        """
        if not is_write_unit(self._session):
            raise StoreError("audit entries can only be written inside db.write()")
        self._session.add(
            AuditEntryRow(
                seq=row.seq,
                at=row.at,
                actor=row.actor,
                action=row.action,
                entry=row.entry,
                hash=row.hash,
            )
        )
        self._session.flush()

    def iterate(self, after: int = 0, batch: int = 1000) -> Iterator[AuditRow]:
        """Every entry numbered above ``after``, in order, fetched ``batch`` at a time.

        Paging by number keeps memory flat however long the trail is.
        """
        last = after
        while True:
            rows = self._session.scalars(
                select(AuditEntryRow)
                .where(AuditEntryRow.seq > last)
                .order_by(AuditEntryRow.seq)
                .limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield _record(row)
                # Rows are not needed again; keep the identity map small.
                self._session.expunge(row)
            last = rows[-1].seq
