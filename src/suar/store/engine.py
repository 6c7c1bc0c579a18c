"""Database URLs and engines: SQLite (embedded default) and PostgreSQL (psycopg 3).

SQLite is opened in WAL mode with a busy timeout, foreign keys on and full
synchronous commits, and SQLAlchemy, not the ``sqlite3`` module, emits BEGIN:
a unit of work that may write starts with ``BEGIN IMMEDIATE`` so it takes the
single write lock up front and waits for it (up to the busy timeout) instead
of failing half-way when two writers meet.

PostgreSQL connections are pooled; one that sat idle in the pool for more
than :data:`PING_AFTER_IDLE_S` is pinged before use and replaced when the
server closed it meanwhile.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry

from suar.errors import ConfigError

logger = logging.getLogger(__name__)

#: Name of the embedded database file inside the data directory.
SQLITE_FILENAME: Final = "suar.db"
#: How long a SQLite writer waits for the write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS: Final = 10_000
#: Connection option that marks a connection as a writer (``BEGIN IMMEDIATE``).
WRITE_OPTION: Final = "suar_write"

#: A pooled PostgreSQL connection unused for longer than this is pinged before it is used.
PING_AFTER_IDLE_S: Final = 5.0
_IDLE_SINCE: Final = "suar_idle_since"

_POSTGRES_ALIASES: Final = {"postgres", "postgresql", "postgresql+psycopg"}


def default_sqlite_url(data_dir: Path) -> URL:
    """The URL of the embedded database file inside ``data_dir``."""
    return URL.create("sqlite+pysqlite", database=str(data_dir / SQLITE_FILENAME))


def resolve_url(url: str | URL | None, data_dir: Path) -> URL:
    """Parse a database URL, defaulting to SQLite in ``data_dir``.

    ``postgres://`` and ``postgresql://`` URLs are bound to the psycopg 3
    driver. Any other backend, or another driver, is refused with a
    :class:`ConfigError`, because only SQLite and PostgreSQL are tested.
    """
    if url is None or (isinstance(url, str) and not url.strip()):
        return default_sqlite_url(data_dir)
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError as exc:
        raise ConfigError(f"cannot parse database URL: {exc}") from exc
    if parsed.drivername in _POSTGRES_ALIASES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in {"sqlite", "sqlite+pysqlite"}:
        if not parsed.database or parsed.database == ":memory:":
            raise ConfigError(
                "an in-memory SQLite database cannot hold a node: give a file path "
                "(sqlite:////path/to/suar.db) or leave SUAR_DATABASE_URL unset"
            )
        return parsed.set(drivername="sqlite+pysqlite")
    raise ConfigError(
        f"unsupported database {parsed.drivername!r}: "
        "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
    )


def describe(url: URL) -> str:
    """The URL as it may be shown to a user or logged: without its password."""
    return url.render_as_string(hide_password=True)


def create_node_engine(url: URL) -> Engine:
    """Create the engine for ``url`` with Suar's connection settings.

    For SQLite the parent directory is created (mode 0700) when missing.
    """
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return _postgres_engine(url)


def _postgres_engine(url: URL) -> Engine:
    # A connection that sat in the pool may have been closed by the server (a
    # restart, an idle timeout); one in steady use has not. So instead of a
    # round trip before every unit of work (pool_pre_ping), a connection is
    # pinged only when it comes back after PING_AFTER_IDLE_S; a dead one is
    # dropped and the pool hands out another (SQLAlchemy's documented
    # "pessimistic, custom" disconnect handling).
    engine = create_engine(url, connect_args={"connect_timeout": 10, "application_name": "suar"})

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection was closed: {exc}") from exc

    return engine


def _sqlite_engine(url: URL) -> Engine:
    assert url.database is not None  # resolve_url refuses a missing path
    Path(url.database).expanduser().parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module (see module doc).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            # FULL: a committed unit of work survives a power cut, not just a crash.
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
