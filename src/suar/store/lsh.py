"""The near-duplicate index in the database: posts under their LSH band keys.

Kept in a table, not only in memory, so that every process of the node
shares one index and it survives restarts: opening it costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from suar.store.bulk import BulkWriter
from suar.store.statements import chunks, placeholder
from suar.store.tables import LshBucketRow, table_of


class LshRepository:
    """Looks up and adds bucket entries inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def entries(self, keys: Iterable[int]) -> list[tuple[int, int, int]]:
        """Every (key, band, post id) entry under any of ``keys``."""
        # The hottest statements of ingest: integers only, so they go to the
        # driver directly, without SQLAlchemy's per-parameter processing.
        mark = placeholder(self._session)
        conn = self._session.connection()
        found: list[tuple[int, int, int]] = []
        for part in chunks(sorted(set(keys))):
            sql = (
                'SELECT "key", band, post_id FROM lsh_buckets WHERE "key" IN ('
                + ",".join([mark] * len(part))
                + ")"
            )
            found.extend((k, b, p) for k, b, p in conn.exec_driver_sql(sql, tuple(part)).all())
        return found

    def add(self, entries: Sequence[tuple[int, int, int]]) -> None:
        """Add (key, band, post id) entries (bulk)."""
        BulkWriter(self._session).insert(
            table_of(LshBucketRow), ("key", "band", "post_id"), entries
        )

    def count(self) -> int:
        """How many entries the index holds."""
        return int(self._session.scalar(select(func.count()).select_from(LshBucketRow)) or 0)
