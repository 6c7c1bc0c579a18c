"""Posts and findings, campaigns and their near-duplicate index, the watchlist and alerts.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Integer primary keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("post_key", sa.String(300), nullable=False),
        sa.Column("external_id", sa.String(300), nullable=True),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("author", sa.String(300), nullable=True),
        sa.Column("lang", sa.String(35), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("posted_at", _TIME, nullable=True),
        sa.Column("seen_at", _TIME, nullable=False),
        sa.Column("ingested_at", _TIME, nullable=False),
        sa.Column("origin", sa.String(500), nullable=False),
        sa.Column("tlp", sa.String(12), nullable=False),
        sa.Column("handling", sa.String(64), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_posts"),
        sa.UniqueConstraint("source", "post_key", name="uq_posts_source"),
    )
    op.create_table(
        "post_images",
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_post_images_post_id_posts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "position", name="pk_post_images"),
    )
    op.create_index("ix_post_images_sha256", "post_images", ["sha256"])
    op.create_table(
        "findings",
        sa.Column("id", _ID, nullable=False),
        sa.Column("post_id", _ID, nullable=False),
        sa.Column("detector_version", sa.String(64), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("lang", sa.String(35), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_findings_post_id_posts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.UniqueConstraint("post_id", "detector_version", name="uq_findings_post_id"),
    )
    op.create_table(
        "finding_indicators",
        sa.Column("finding_id", _ID, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(1000), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("attrs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name="fk_finding_indicators_finding_id_findings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("finding_id", "position", name="pk_finding_indicators"),
    )
    op.create_index("ix_finding_indicators_kind_value", "finding_indicators", ["kind", "value"])
    op.create_table(
        "finding_flags",
        sa.Column("finding_id", _ID, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name="fk_finding_flags_finding_id_findings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("finding_id", "position", name="pk_finding_flags"),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", _ID, nullable=False),
        sa.Column("ref", sa.String(24), nullable=False),
        sa.Column("merged_into", _ID, nullable=True),
        sa.Column("merged_at", _TIME, nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("first_seen", _TIME, nullable=False),
        sa.Column("last_seen", _TIME, nullable=False),
        sa.Column("post_count", sa.Integer(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("salary_min_usd", sa.Float(), nullable=True),
        sa.Column("salary_max_usd", sa.Float(), nullable=True),
        sa.Column("tlp", sa.String(12), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["campaigns.id"], name="fk_campaigns_merged_into_campaigns"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
        sa.UniqueConstraint("ref", name="uq_campaigns_ref"),
    )
    op.create_index("ix_campaigns_merged_into", "campaigns", ["merged_into"])
    op.create_index("ix_campaigns_last_seen", "campaigns", ["last_seen"])
    op.create_table(
        "campaign_posts",
        sa.Column("post_id", _ID, autoincrement=False, nullable=False),
        sa.Column("campaign_id", _ID, nullable=False),
        sa.Column("seen_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_campaign_posts_post_id_posts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name="fk_campaign_posts_campaign_id_campaigns"
        ),
        sa.PrimaryKeyConstraint("post_id", name="pk_campaign_posts"),
    )
    op.create_index(
        "ix_campaign_posts_campaign_id_seen_at", "campaign_posts", ["campaign_id", "seen_at"]
    )
    op.create_table(
        "campaign_indicators",
        sa.Column("value", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("campaign_id", _ID, autoincrement=False, nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("first_seen", _TIME, nullable=False),
        sa.Column("last_seen", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name="fk_campaign_indicators_campaign_id_campaigns"
        ),
        sa.PrimaryKeyConstraint("value", "kind", "campaign_id", name="pk_campaign_indicators"),
    )
    op.create_index("ix_campaign_indicators_campaign_id", "campaign_indicators", ["campaign_id"])
    op.create_table(
        "indicator_spread",
        sa.Column("value", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("unrelated_posts", sa.Integer(), nullable=False),
        sa.Column("capped_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("value", "kind", name="pk_indicator_spread"),
    )
    op.create_table(
        "lsh_buckets",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("band", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("post_id", _ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_lsh_buckets_post_id_posts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "band", "post_id", name="pk_lsh_buckets"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "watchlist",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(1000), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", _TIME, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("tlp", sa.String(12), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watchlist"),
        sa.UniqueConstraint("kind", "value", "source", name="uq_watchlist_kind"),
    )
    op.create_index("ix_watchlist_value", "watchlist", ["value"])
    op.create_table(
        "alerts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("campaign_id", _ID, nullable=True),
        sa.Column("post_id", _ID, nullable=True),
        sa.Column("watchlist_id", _ID, nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_at", _TIME, nullable=False),
        sa.Column("status_by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("tlp", sa.String(12), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name="fk_alerts_campaign_id_campaigns"
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_alerts_post_id_posts", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["watchlist_id"],
            ["watchlist.id"],
            name="fk_alerts_watchlist_id_watchlist",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("dedupe_key", name="uq_alerts_dedupe_key"),
    )
    op.create_index("ix_alerts_campaign_id", "alerts", ["campaign_id"])
    op.create_index("ix_alerts_status", "alerts", ["status"])
    op.create_table(
        "alert_events",
        sa.Column("alert_id", _ID, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name="fk_alert_events_alert_id_alerts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("alert_id", "seq", name="pk_alert_events"),
    )


def downgrade() -> None:
    for table in (
        "alert_events",
        "alerts",
        "watchlist",
        "lsh_buckets",
        "indicator_spread",
        "campaign_indicators",
        "campaign_posts",
        "campaigns",
        "finding_flags",
        "finding_indicators",
        "findings",
        "post_images",
        "posts",
    ):
        op.drop_table(table)
