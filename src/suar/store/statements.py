"""Statements written once for SQLite and PostgreSQL: tolerant inserts, upserts, IN lists.

Both dialects spell ``INSERT ... ON CONFLICT`` the same way in SQLAlchemy, but
through their own ``insert`` constructs; this module picks the right one so
that repositories are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

#: Values bound in one ``IN (...)`` list: well under SQLite's and psycopg's limits.
IN_CHUNK: Final = 2000

T = TypeVar("T")


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most ``size``, for ``IN (...)`` lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _insert(session: Session, table: Table) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_duplicates(session: Session, table: Table) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` into ``table``: a row already there is skipped."""
    return _insert(session, table).on_conflict_do_nothing()


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Iterable[str],
    update: Iterable[str],
) -> None:
    """Insert ``rows``; where the primary key ``keys`` exists, overwrite the ``update`` columns.

    The caller computes the final values (it holds the lock that makes them
    current), so the update simply takes the new row's values.
    """
    if not rows:
        return
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: getattr(stmt.excluded, name) for name in update},
    )
    session.execute(stmt, list(rows))


def placeholder(session: Session) -> str:
    """The driver's positional parameter marker: ``?`` (sqlite3) or ``%s`` (psycopg).

    For the few hot statements that bypass SQLAlchemy's per-row parameter
    processing; they bind plain integers only.
    """
    return "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"


def driver_processor(dialect: Dialect, type_: TypeEngine[Any]) -> Callable[[Any], Any] | None:
    """What SQLAlchemy's own statements do to a value of ``type_`` before the driver gets it.

    For the statements sent to the driver directly: on SQLite, times become
    text in the one form that every comparison with a bound time expects.
    ``None`` when the value goes as it is.
    """
    process: Callable[[Any], Any] | None = type_.dialect_impl(dialect).bind_processor(dialect)
    return process
