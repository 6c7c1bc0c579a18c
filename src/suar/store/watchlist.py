"""The watchlist: values that raise an alert when a post carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from suar.store.statements import chunks, insert_ignoring_duplicates
from suar.store.tables import WatchlistRow, table_of


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """A watched value, who added it and why."""

    id: int
    kind: str
    value: str
    source: str
    added_by: str
    added_at: datetime
    note: str
    tlp: str


def _entry(row: WatchlistRow) -> WatchlistEntry:
    return WatchlistEntry(
        id=row.id,
        kind=row.kind,
        value=row.value,
        source=row.source,
        added_by=row.added_by,
        added_at=row.added_at,
        note=row.note,
        tlp=row.tlp,
    )


class WatchlistRepository:
    """Reads and writes watchlist entries inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        kind: str,
        value: str,
        source: str,
        added_by: str,
        added_at: datetime,
        note: str,
        tlp: str,
    ) -> tuple[WatchlistEntry, bool]:
        """Add an entry unless (kind, value, source) is there; return it and whether it is new."""
        table = table_of(WatchlistRow)
        stmt = insert_ignoring_duplicates(self._session, table).returning(table.c.id)
        new_id = self._session.execute(
            stmt,
            {
                "kind": kind,
                "value": value,
                "source": source,
                "added_by": added_by,
                "added_at": added_at,
                "note": note,
                "tlp": tlp,
            },
        ).scalar_one_or_none()
        row = self._session.scalars(
            select(WatchlistRow).where(
                WatchlistRow.kind == kind,
                WatchlistRow.value == value,
                WatchlistRow.source == source,
            )
        ).one()
        return _entry(row), new_id is not None

    def matching(self, values: Iterable[str]) -> list[WatchlistEntry]:
        """Every entry whose value is one of ``values`` (any kind)."""
        out: list[WatchlistEntry] = []
        for part in chunks(sorted(set(values))):
            rows = self._session.scalars(select(WatchlistRow).where(WatchlistRow.value.in_(part)))
            out.extend(_entry(row) for row in rows)
        return out

    def entries(self, *, kind: str | None = None, limit: int = 1000) -> list[WatchlistEntry]:
        """Entries, newest first."""
        stmt = select(WatchlistRow).order_by(WatchlistRow.id.desc()).limit(limit)
        if kind is not None:
            stmt = stmt.where(WatchlistRow.kind == kind)
        return [_entry(row) for row in self._session.scalars(stmt)]

    def get(self, entry_id: int) -> WatchlistEntry | None:
        """The entry with this id, or ``None``."""
        row = self._session.get(WatchlistRow, entry_id)
        return None if row is None else _entry(row)
