"""Alembic migrations shipped in the package, run in code."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from suar.store import (
    Database,
    SchemaOutOfDate,
    downgrade,
    head_revision,
    require_current_schema,
    schema_state,
    upgrade,
)
from suar.store.tables import Base

NODE_TABLES = {"users", "user_roles", "api_tokens", "audit_entries"}


def test_upgrade_creates_every_table_and_reaches_the_head(empty_db: Database) -> None:
    assert schema_state(empty_db).current is None
    state = upgrade(empty_db)
    assert state.current == head_revision()
    assert state.up_to_date
    tables = set(inspect(empty_db.engine).get_table_names())
    assert NODE_TABLES <= tables


def test_upgrading_twice_changes_nothing(db: Database) -> None:
    before = set(inspect(db.engine).get_table_names())
    assert upgrade(db).up_to_date
    assert set(inspect(db.engine).get_table_names()) == before


def test_the_models_and_the_migrations_agree(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_database_never_upgraded_is_refused_with_the_command_to_run(
    empty_db: Database,
) -> None:
    with pytest.raises(SchemaOutOfDate, match=r"not initialised: run `suar db upgrade`"):
        require_current_schema(empty_db)


def test_an_upgraded_database_is_accepted(db: Database) -> None:
    require_current_schema(db)


def test_migrations_downgrade_to_nothing_and_back(db: Database) -> None:
    assert downgrade(db, "base").current is None
    assert not NODE_TABLES & set(inspect(db.engine).get_table_names())
    assert upgrade(db).up_to_date


def test_upgrading_gives_short_sqlite_times_their_microseconds(tmp_path: Path) -> None:
    # Before revision 0003, bulk inserts wrote "2025-05-31 00:00:00" on SQLite
    # where every other statement writes "2025-05-31 00:00:00.000000".
    db = Database.open(f"sqlite+pysqlite:///{tmp_path / 'suar.db'}", tmp_path)
    insert = (
        "INSERT INTO posts (id, source, post_key, content_sha256, text, posted_at, seen_at, "
        "ingested_at, origin, tlp, handling) VALUES (1, 's', 'k', 'x', 't', NULL, "
        "'2025-05-31 00:00:00', '2025-05-31 10:00:00.250000', 'o', 'amber', '')"
    )
    upgrade(db, "0002")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(insert)
    upgrade(db)
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT posted_at, seen_at, ingested_at FROM posts").one()
    db.dispose()
    assert tuple(row) == (None, "2025-05-31 00:00:00.000000", "2025-05-31 10:00:00.250000")
