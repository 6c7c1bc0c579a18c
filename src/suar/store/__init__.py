"""Storage: tables, units of work and migrations — the only place with SQL.

Open a node's database with :func:`open_database`, bring its schema up to date
with :func:`upgrade`, and do every read or write inside ``db.read()`` or
``db.write()``; the repositories here add and flush, the unit of work commits.
"""

from suar.store.audit_log import AuditLogRepository, AuditRow
from suar.store.database import Backend, Database, open_database
from suar.store.errors import Conflict, SchemaOutOfDate, StoreError
from suar.store.migrate import (
    SchemaState,
    downgrade,
    head_revision,
    require_current_schema,
    schema_state,
    upgrade,
)
from suar.store.tokens import TokenRecord, TokenRepository
from suar.store.users import UserRecord, UserRepository

__all__ = [
    "AuditLogRepository",
    "AuditRow",
    "Backend",
    "Conflict",
    "Database",
    "SchemaOutOfDate",
    "SchemaState",
    "StoreError",
    "TokenRecord",
    "TokenRepository",
    "UserRecord",
    "UserRepository",
    "downgrade",
    "head_revision",
    "open_database",
    "require_current_schema",
    "schema_state",
    "upgrade",
]
