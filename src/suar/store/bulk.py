"""Bulk statements for the hot path of ingest, sent to the driver in one executemany.

SQLAlchemy builds and processes parameters row by row, which costs more than
SQLite spends storing the row. Ingest writes some thirty rows a post, so its
inserts go through :class:`BulkWriter`: the statement is built once, values
are converted with the columns' own type processors (UTC times, JSON), and the
rows go to ``cursor.executemany`` as tuples. Ids are allocated before insert
(the write lock on SQLite, the table's sequence on PostgreSQL), so no
``RETURNING`` round trip is needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session

from suar.store.database import is_write_unit
from suar.store.errors import StoreError
from suar.store.statements import driver_processor

_Processor = Callable[[Any], Any] | None

#: SQLite page cache of a connection doing bulk writes, in KiB (negative: KiB, not pages).
BULK_CACHE_KIB: Final = 262_144
#: Pages of write-ahead log after which a bulk-writing SQLite connection checkpoints.
BULK_CHECKPOINT_PAGES: Final = 100_000


#: Value types of a time column, whose values repeat.
_TIMES: Final = frozenset({datetime, type(None)})


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _processed(process: Callable[[Any], Any], column: Sequence[Any]) -> tuple[Any, ...]:
    """``process`` applied to every value of a column: once per distinct value of a time column.

    Equal times convert alike; the first of them is the one converted, as if in order.
    """
    if set(map(type, column)) <= _TIMES:
        done = {value: process(value) for value in dict.fromkeys(column)}
        return tuple(map(done.__getitem__, column))
    return tuple(map(process, column))


class BulkWriter:
    """Inserts, upserts and updates many rows of one session's tables at a time."""

    def __init__(self, session: Session) -> None:
        if not is_write_unit(session):
            raise StoreError("bulk writes happen only inside db.write()")
        self._session = session
        self._dialect = session.get_bind().dialect
        self._mark = "?" if self._dialect.paramstyle == "qmark" else "%s"
        self._quote = self._dialect.identifier_preparer.quote
        self._postgres = self._dialect.name == "postgresql"

    def tune_connection(self) -> None:
        """Fit this connection for bulk writes (SQLite only): a bigger cache, rarer checkpoints.

        The default 2 MiB page cache holds little of the near-duplicate index
        once it reaches millions of entries, and every insert then reads pages
        back from the operating system. Each batch dirties pages all over the
        index (at a million posts, some 100 MB of them); checkpointing the
        write-ahead log every ~400 MB instead of every 4 MB writes a page that
        several batches changed back once (at 700,000 posts: 30 % less time in
        commits than every 80 MB). The log may then grow to about 400 MB
        during a large ingest. Durability is unchanged: every commit is still
        synced.
        """
        if not self._postgres:
            conn = self._session.connection()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")

    def _processors(self, table: Table, columns: Sequence[str]) -> list[_Processor]:
        out: list[_Processor] = []
        for name in columns:
            column_type = table.c[name].type
            if isinstance(column_type, JSON):
                out.append(_json)
            else:
                out.append(driver_processor(self._dialect, column_type))
        return out

    def _convert(
        self, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> Sequence[Sequence[Any]]:
        processors = self._processors(table, columns)
        if not any(processors):
            return [row if isinstance(row, tuple) else tuple(row) for row in rows]
        # Column by column: one call per column, not per value, and each
        # distinct time converted once (a batch repeats its clock thousands of times).
        values = list(zip(*rows, strict=True))
        if not values:
            return []
        for i, process in enumerate(processors):
            if process is not None:
                values[i] = _processed(process, values[i])
        return list(zip(*values, strict=True))

    def insert(
        self,
        table: Table,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        conflict: Sequence[str] | None = None,
        update: Sequence[str] = (),
    ) -> None:
        """Insert ``rows`` (tuples in ``columns`` order).

        With ``conflict`` (the primary key's columns), a row whose key exists
        overwrites the ``update`` columns instead: ``ON CONFLICT ... DO
        UPDATE``, spelled the same way by SQLite and PostgreSQL.
        """
        if not rows:
            return
        names = ", ".join(self._quote(c) for c in columns)
        marks = ", ".join([self._mark] * len(columns))
        sql = f"INSERT INTO {self._quote(table.name)} ({names}) VALUES ({marks})"
        if conflict is not None:
            keys = ", ".join(self._quote(c) for c in conflict)
            sets = ", ".join(f"{self._quote(c)} = excluded.{self._quote(c)}" for c in update)
            sql += (
                f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
                if sets
                else (f" ON CONFLICT ({keys}) DO NOTHING")
            )
        self._session.connection().exec_driver_sql(sql, self._convert(table, columns, rows))

    def update(
        self, table: Table, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """``UPDATE table SET columns WHERE key = ?`` for each row (``columns`` values, then key)."""
        if not rows:
            return
        sets = ", ".join(f"{self._quote(c)} = {self._mark}" for c in columns)
        sql = f"UPDATE {self._quote(table.name)} SET {sets} WHERE {self._quote(key)} = {self._mark}"
        self._session.connection().exec_driver_sql(sql, self._convert(table, [*columns, key], rows))

    def allocate_ids(self, table: Table, count: int) -> list[int]:
        """``count`` fresh values for the table's integer primary key ``id``.

        PostgreSQL draws them from the column's sequence; SQLite continues
        after the largest id, which is safe because a write unit holds the
        database's only write lock.
        """
        if count <= 0:
            return []
        conn = self._session.connection()
        name = table.name
        if self._postgres:
            rows = conn.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (name, count),
            )
            return sorted(int(value) for (value,) in rows)
        top = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {self._quote(name)}").scalar()
        start = int(top or 0) + 1
        return list(range(start, start + count))

    def placeholders(self, count: int) -> str:
        """``?, ?, ...`` (or ``%s, ...``) for an ``IN`` list of ``count`` values."""
        return ", ".join([self._mark] * count)
