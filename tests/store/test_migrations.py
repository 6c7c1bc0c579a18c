"""Alembic migrations shipped in the package, run in code."""

from __future__ import annotations

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
