"""The node's tables, as SQLAlchemy 2 declarative models.

These rows never leave :mod:`suar.store`: repositories turn them into frozen
records, so that no caller holds a session-bound object or lazy-loads by
accident. Every change here needs an Alembic revision under ``migrations/``;
``tests/store/test_migrations.py`` fails when the models and the migrations
disagree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from suar.store.types import UTCDateTime

#: Constraint names fixed by convention, so that migrations name them the same
#: on SQLite and PostgreSQL and later revisions can drop them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: SQLite only makes ``INTEGER PRIMARY KEY`` an alias of the rowid.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base carrying the shared metadata and type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class UserRow(Base):
    """A person who signs in to the node (or a service account holding tokens)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # Argon2id PHC string; NULL for token-only service accounts.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]

    roles: Mapped[list[UserRoleRow]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="UserRoleRow.role",
    )


class UserRoleRow(Base):
    """One role held by one user; a user may hold several."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[UserRow] = relationship(back_populates="roles")


class ApiTokenRow(Base):
    """An API token: only the SHA-256 of its secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class AuditEntryRow(Base):
    """One entry of the hash-chained audit trail.

    ``entry`` is the RFC 8785 canonical JSON that is hashed; ``at``, ``actor``
    and ``action`` copy fields of it for querying and are checked against it by
    ``suar audit verify``. The table is append-only: database triggers refuse
    UPDATE and DELETE (see the first migration).
    """

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    entry: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))
