"""The node's database handle and its units of work.

The unit of work owns the transaction: repositories add and flush, and
:meth:`Database.write` commits once when the block ends without an error, or
rolls everything back. Nothing is written outside such a block.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from suar.settings import Settings
from suar.store.engine import WRITE_OPTION, create_node_engine, describe, resolve_url
from suar.store.errors import Conflict, StoreError
from suar.store.tables import Base

logger = logging.getLogger(__name__)

Backend = Literal["sqlite", "postgresql"]


class Database:
    """One node database: an engine and the units of work opened on it.

    On SQLite every process has one writer at a time (a lock in the process,
    ``BEGIN IMMEDIATE`` across processes); readers never block it (WAL). On
    PostgreSQL writers run concurrently and serialise where they must with
    explicit locks (the audit trail takes an advisory lock).
    """

    def __init__(self, url: URL) -> None:
        # An RLock, so that a unit of work opened inside another by mistake fails
        # after the busy timeout with a clear error instead of hanging forever.
        self.url = url
        self.engine: Engine = create_node_engine(url)
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(f"unsupported backend {backend!r}")
        self.backend: Backend = "sqlite" if backend == "sqlite" else "postgresql"
        self._write_lock: AbstractContextManager[object] = (
            threading.RLock() if self.backend == "sqlite" else nullcontext()
        )

    @classmethod
    def open(cls, url: str | URL | None, data_dir: Path) -> Database:
        """Open the database at ``url``, or the embedded SQLite file in ``data_dir``."""
        return cls(resolve_url(url, data_dir))

    def __repr__(self) -> str:
        return f"Database({describe(self.url)!r})"

    @property
    def description(self) -> str:
        """Where the database is, fit to show a user (no password)."""
        return describe(self.url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that may write: commits once at the end, or rolls back.

        Driver errors are raised as :class:`StoreError`, a duplicate key as
        :class:`Conflict`; either way nothing of the unit is kept.
        """
        with self.writer_connection() as conn:
            with Session(bind=conn, expire_on_commit=False, autoflush=True) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise

    @contextmanager
    def writer_connection(self) -> Iterator[Connection]:
        """A connection that holds the node's write lock (SQLite) with errors translated.

        For work that manages its own transaction, such as migrations.
        """
        with self._write_lock, self.translated_errors(), self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            yield conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work on one consistent snapshot; never commits."""
        with self.translated_errors(), self.engine.connect() as conn:
            if self.backend == "postgresql":
                # A true snapshot (SQLite's WAL readers have one already), and
                # the server refuses writes, as a read unit never commits them.
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with Session(bind=conn, expire_on_commit=False) as session:
                try:
                    yield session
                finally:
                    session.rollback()

    def refresh_statistics(self) -> None:
        """Bring PostgreSQL's planner statistics up to date (``ANALYZE``); nothing on SQLite.

        After a bulk load the planner still believes the tables are as small
        as autovacuum last saw them, and until autovacuum catches up (a minute
        or more) it may read a whole table where an index would answer: a
        campaign page then costs the size of the node, not of the page.
        PostgreSQL's manual advises ``ANALYZE`` after loading much data.
        SQLite's planner needs no statistics for Suar's queries.
        """
        if self.backend != "postgresql":
            return
        # The node's own tables only, found through the connection's search path.
        names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        with self.translated_errors(), self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(f"ANALYZE {names}")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """Raise driver errors inside the block as :class:`StoreError` / :class:`Conflict`."""
        try:
            yield
        except IntegrityError as exc:
            raise Conflict(f"conflicting write: {_first_line(exc.orig)}") from exc
        except OperationalError as exc:
            raise StoreError(
                f"database {self.description} failed: {_first_line(exc.orig)}"
            ) from exc
        except DBAPIError as exc:
            raise StoreError(f"database error: {_first_line(exc.orig)}") from exc


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip() if error is not None else ""
    return text.splitlines()[0] if text else "unknown error"


def open_database(settings: Settings) -> Database:
    """Open the database the settings name (``SUAR_DATABASE_URL`` or SQLite in the data dir)."""
    return Database.open(settings.database_url, settings.data_dir)


def is_write_unit(session: Session) -> bool:
    """True when ``session`` belongs to a :meth:`Database.write` unit of work."""
    return bool(session.connection().get_execution_options().get(WRITE_OPTION, False))
