"""Alembic environment: runs on the connection that :mod:`suar.store.migrate` passes in.

There is no alembic.ini and no logging configuration here: Suar builds the
Alembic config in code and the CLI owns logging.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from suar.store.tables import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run migrations through `suar db upgrade` (suar.store.migrate)")
    _run(connection)


_main()
