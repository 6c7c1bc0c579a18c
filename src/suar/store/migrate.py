"""Schema migrations, run in code: ``suar db upgrade`` needs no alembic.ini.

The migration scripts ship inside the package (``suar/store/migrations``), so
an installed node can upgrade itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from suar.store.database import Database
from suar.store.errors import SchemaOutOfDate, StoreError

logger = logging.getLogger(__name__)

SCRIPT_LOCATION: Final = "suar.store:migrations"


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a database's schema stands against this version of Suar."""

    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        """True when the database is at the newest revision Suar knows."""
        return self.current == self.head


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    """The newest schema revision shipped with this version of Suar."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise StoreError("no schema migrations are shipped with this installation")
    return head


def schema_state(db: Database) -> SchemaState:
    """Read the database's current revision (``None`` when it was never upgraded)."""
    with db.read() as session:
        current = MigrationContext.configure(session.connection()).get_current_revision()
    return SchemaState(current=current, head=head_revision())


def upgrade(db: Database, revision: str = "head") -> SchemaState:
    """Migrate the database to ``revision`` in one transaction and return the new state.

    On SQLite the migration holds the write lock from its first statement, so
    a node that is running waits instead of seeing half a schema.
    """
    config = _config()
    with db.writer_connection() as conn:
        with conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    state = schema_state(db)
    logger.info("database %s at schema revision %s", db.description, state.current)
    return state


def downgrade(db: Database, revision: str) -> SchemaState:
    """Migrate the database back to ``revision`` (``base``: no tables) in one transaction.

    Dropping a revision drops its tables and their data: for rolling back a
    failed deployment and for tests, never for routine use.
    """
    config = _config()
    with db.writer_connection() as conn:
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    return schema_state(db)


def require_current_schema(db: Database) -> None:
    """Raise :class:`SchemaOutOfDate` unless the database is at the newest revision."""
    state = schema_state(db)
    if state.up_to_date:
        return
    if state.current is None:
        raise SchemaOutOfDate(
            f"the database {db.description} is not initialised: run `suar db upgrade`"
        )
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    if state.current not in known:
        raise SchemaOutOfDate(
            f"the database {db.description} is at revision {state.current}, "
            "newer than this version of Suar knows: upgrade Suar"
        )
    raise SchemaOutOfDate(
        f"the database {db.description} is at revision {state.current}, "
        f"this version of Suar needs {state.head}: run `suar db upgrade`"
    )
