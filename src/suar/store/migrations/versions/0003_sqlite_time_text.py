"""SQLite: times written by bulk inserts take the text form every other write uses.

SQLite keeps times as text and compares them as text. Ingest's bulk inserts
used to hand times to the sqlite3 module, which writes ``2025-01-01 10:00:00``
when the microseconds are zero, while every other statement writes
``2025-01-01 10:00:00.000000``. The shorter form sorts before the longer one
for the same moment, so a post seen exactly at a bound (say midnight, for
"posts since midnight") fell outside it. This revision gives the short
values their six zero digits; nothing else changes. PostgreSQL stores
``timestamptz`` and is not touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: The time columns of the tables that ingest writes in bulk.
_BULK_TIMES = {
    "posts": ("posted_at", "seen_at", "ingested_at"),
    "findings": ("created_at",),
    "campaigns": ("created_at", "first_seen", "last_seen", "merged_at"),
    "campaign_posts": ("seen_at",),
    "campaign_indicators": ("first_seen", "last_seen"),
    "indicator_spread": ("capped_at",),
}
#: ``YYYY-MM-DD HH:MM:SS``: the form without microseconds.
_SHORT = 19


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in _BULK_TIMES.items():
        for column in columns:
            op.execute(
                f'UPDATE "{table}" SET "{column}" = "{column}" || \'.000000\' '
                f'WHERE length("{column}") = {_SHORT}'
            )


def downgrade() -> None:
    # Both forms read back as the same time: nothing to undo.
    pass
