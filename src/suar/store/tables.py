"""The node's tables, as SQLAlchemy 2 declarative models.

These rows never leave :mod:`suar.store`: repositories turn them into frozen
records, so that no caller holds a session-bound object or lazy-loads by
accident. Every change here needs an Alembic revision under ``migrations/``;
``tests/store/test_migrations.py`` fails when the models and the migrations
disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
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


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, typed as the :class:`Table` that ``__table__`` is."""
    return Base.metadata.tables[model.__tablename__]


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


# --- posts, findings, campaigns, alerts, watchlist (revision 0002) ------------------------


class PostRow(Base):
    """A stored post with its provenance, keyed by (source, post_key).

    ``post_key`` is the record's own id, or ``sha256:<content hash>`` when it
    has none. ``seen_at`` is when the post appeared (``posted_at`` when the
    record gives a believable one, else when it was ingested): campaigns and
    spikes count time by it. ``minhash`` is the near-duplicate signature
    (256 bytes), NULL for posts too short to compare.
    """

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("source", "post_key"),)

    id: Mapped[int] = mapped_column(_SEQ, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    post_key: Mapped[str] = mapped_column(String(300))
    external_id: Mapped[str | None] = mapped_column(String(300))
    content_sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(300))
    lang: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str | None] = mapped_column(String(2))
    posted_at: Mapped[datetime | None]
    seen_at: Mapped[datetime]
    ingested_at: Mapped[datetime]
    origin: Mapped[str] = mapped_column(String(500))
    tlp: Mapped[str] = mapped_column(String(12))
    handling: Mapped[str] = mapped_column(String(64))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)


class PostImageRow(Base):
    """An image attached to a post: its SHA-256 when known, its URL when given."""

    __tablename__ = "post_images"

    post_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    url: Mapped[str | None] = mapped_column(Text)


class FindingRow(Base):
    """What one detector version said about one post."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("post_id", "detector_version"),)

    id: Mapped[int] = mapped_column(_SEQ, primary_key=True)
    post_id: Mapped[int] = mapped_column(_SEQ, ForeignKey("posts.id", ondelete="CASCADE"))
    detector_version: Mapped[str] = mapped_column(String(64))
    risk: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(8))
    lang: Mapped[str] = mapped_column(String(35))
    explanation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class FindingIndicatorRow(Base):
    """One indicator of a finding; (kind, value) is the pivot for campaigns and the watchlist."""

    __tablename__ = "finding_indicators"
    __table_args__ = (Index("ix_finding_indicators_kind_value", "kind", "value"),)

    finding_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(1000))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON)


class FindingFlagRow(Base):
    """One red flag of a finding; its evidence is the post's text over the span."""

    __tablename__ = "finding_flags"

    finding_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(100))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float)


class CampaignRow(Base):
    """A campaign: posts grouped by near-duplicate text or shared strong indicators.

    ``id`` orders campaigns by age (the older one survives a merge); ``ref``
    is the stable public id (``cmp_`` and 16 hex digits). A merged campaign
    keeps its row, frozen as it was, and ``merged_into`` names the live
    campaign that holds its posts now (always a live one: chains are
    shortened on every merge).
    """

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(_SEQ, primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True)
    merged_into: Mapped[int | None] = mapped_column(_SEQ, ForeignKey("campaigns.id"), index=True)
    merged_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime] = mapped_column(index=True)
    post_count: Mapped[int] = mapped_column(Integer)
    risk: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(8))
    salary_min_usd: Mapped[float | None] = mapped_column(Float)
    salary_max_usd: Mapped[float | None] = mapped_column(Float)
    tlp: Mapped[str] = mapped_column(String(12))
    #: languages, countries and destinations with their post counts
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class CampaignPostRow(Base):
    """Which live campaign a post belongs to (repointed when campaigns merge)."""

    __tablename__ = "campaign_posts"
    __table_args__ = (Index("ix_campaign_posts_campaign_id_seen_at", "campaign_id", "seen_at"),)

    post_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    campaign_id: Mapped[int] = mapped_column(_SEQ, ForeignKey("campaigns.id"))
    seen_at: Mapped[datetime]


class CampaignIndicatorRow(Base):
    """A strong indicator value seen in a live campaign, with how often and when."""

    __tablename__ = "campaign_indicators"
    __table_args__ = (Index("ix_campaign_indicators_campaign_id", "campaign_id"),)

    value: Mapped[str] = mapped_column(String(1000), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("campaigns.id"), primary_key=True, autoincrement=False
    )
    posts: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class IndicatorSpreadRow(Base):
    """How many unrelated posts (not near-duplicates of each other) carried a strong value.

    Past the cap a value is too common to say two posts share an author, and
    stops linking (``capped_at``).
    """

    __tablename__ = "indicator_spread"

    value: Mapped[str] = mapped_column(String(1000), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    unrelated_posts: Mapped[int] = mapped_column(Integer)
    capped_at: Mapped[datetime | None]


class LshBucketRow(Base):
    """The near-duplicate index: posts under each of their 12 LSH band keys.

    Keyed by the 63-bit band key first, so a look-up by key reads one index
    range; at most a few posts are kept per (key, band) (see ``suar.warn``).
    On SQLite the table is WITHOUT ROWID: the key is the table.
    """

    __tablename__ = "lsh_buckets"
    __table_args__ = {"sqlite_with_rowid": False}

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    post_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class WatchlistRow(Base):
    """A value to watch for: a hit raises an alert."""

    __tablename__ = "watchlist"
    __table_args__ = (UniqueConstraint("kind", "value", "source"),)

    id: Mapped[int] = mapped_column(_SEQ, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(1000), index=True)
    source: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text)
    tlp: Mapped[str] = mapped_column(String(12))


class AlertRow(Base):
    """An early-warning alert and where it stands in its lifecycle.

    ``dedupe_key`` makes raising the same alert twice a no-op (one
    high-risk alert per campaign, one spike per campaign and window, one hit
    per watchlist entry and campaign).
    """

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(_SEQ, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    campaign_id: Mapped[int | None] = mapped_column(_SEQ, ForeignKey("campaigns.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(_SEQ, ForeignKey("posts.id", ondelete="SET NULL"))
    watchlist_id: Mapped[int | None] = mapped_column(
        _SEQ, ForeignKey("watchlist.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_at: Mapped[datetime]
    status_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    tlp: Mapped[str] = mapped_column(String(12))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class AlertEventRow(Base):
    """One step of an alert's lifecycle: who moved it to which status, when and why."""

    __tablename__ = "alert_events"

    alert_id: Mapped[int] = mapped_column(
        _SEQ, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
