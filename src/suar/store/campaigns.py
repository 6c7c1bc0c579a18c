"""Campaigns: their rows, which posts they hold, merges, and the queries analysts run."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Final

from sqlalchemy import and_, bindparam, func, or_, select, text, update
from sqlalchemy.orm import Session

from suar.store.bulk import BulkWriter
from suar.store.statements import chunks, driver_processor, placeholder, upsert
from suar.store.tables import CampaignIndicatorRow, CampaignPostRow, CampaignRow, PostRow, table_of

#: Key of the PostgreSQL advisory lock that serialises campaign assignment (31-bit).
_ASSIGN_LOCK_KEY: Final = zlib.crc32(b"suar.campaigns") & 0x7FFFFFFF
#: Time windows counted by one statement (four parameters each).
_WINDOWS: Final = 500


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    """A stored campaign: its stable ref, where it was merged, and its aggregates."""

    id: int
    ref: str
    merged_into: int | None
    merged_at: datetime | None
    created_at: datetime
    first_seen: datetime
    last_seen: datetime
    post_count: int
    risk: float
    level: str
    salary_min_usd: float | None
    salary_max_usd: float | None
    tlp: str
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CampaignPost:
    """A post of a campaign, as a list shows it."""

    post_id: int
    source: str
    post_key: str
    seen_at: datetime
    text: str


_COLUMNS: Final = (
    "id",
    "ref",
    "merged_into",
    "merged_at",
    "created_at",
    "first_seen",
    "last_seen",
    "post_count",
    "risk",
    "level",
    "salary_min_usd",
    "salary_max_usd",
    "tlp",
    "summary",
)


def _record(row: Any) -> CampaignRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["summary"] = dict(values["summary"] or {})
    return CampaignRecord(**values)


@cache
def _select() -> Any:
    # Built once: a Select is immutable, and every caller chains a new one from it.
    table = table_of(CampaignRow)
    return select(*(table.c[name] for name in _COLUMNS))


@cache
def _by_ref() -> Any:
    return _select().where(table_of(CampaignRow).c.ref == bindparam("ref"))


@cache
def _merged_from() -> Any:
    table = table_of(CampaignRow)
    return _select().where(table.c.merged_into == bindparam("campaign")).order_by(table.c.merged_at)


class CampaignRepository:
    """Reads and writes campaigns inside the caller's unit of work (adds and flushes only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def lock_for_assignment(self) -> None:
        """Hold the campaign-assignment lock until the unit of work ends.

        Two writers assigning posts at once could each miss the other's new
        posts and split one campaign in two. SQLite write units already hold
        the single write lock; PostgreSQL ones take a transaction-scoped
        advisory lock, always before the audit trail's, so they cannot deadlock.
        """
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ASSIGN_LOCK_KEY}
            )

    def create_many(self, records: Sequence[CampaignRecord]) -> list[int]:
        """Insert new campaigns (their ``id`` is ignored); return their ids in the same order."""
        if not records:
            return []
        bulk = BulkWriter(self._session)
        ids = bulk.allocate_ids(table_of(CampaignRow), len(records))
        bulk.insert(
            table_of(CampaignRow),
            _COLUMNS,
            [
                (cid, *(getattr(r, name) for name in _COLUMNS[1:]))
                for cid, r in zip(ids, records, strict=True)
            ],
        )
        return ids

    def save(self, records: Sequence[CampaignRecord]) -> None:
        """Overwrite the aggregates and merge state of existing campaigns."""
        if not records:
            return
        names = [name for name in _COLUMNS if name not in ("id", "ref", "created_at")]
        BulkWriter(self._session).update(
            table_of(CampaignRow),
            "id",
            names,
            [(*(getattr(r, name) for name in names), r.id) for r in records],
        )

    def get_many(self, ids: Iterable[int]) -> dict[int, CampaignRecord]:
        """The campaigns with these ids (merged or not)."""
        table = table_of(CampaignRow)
        found: dict[int, CampaignRecord] = {}
        for part in chunks(sorted(set(ids))):
            for row in self._session.execute(_select().where(table.c.id.in_(part))).all():
                record = _record(row)
                found[record.id] = record
        return found

    def by_ref(self, ref: str) -> CampaignRecord | None:
        """The campaign with this public ref (merged or not), or ``None``."""
        row = self._session.execute(_by_ref(), {"ref": ref}).first()
        return None if row is None else _record(row)

    def assign_posts(self, rows: Sequence[tuple[int, int, datetime]]) -> None:
        """Record (post id, campaign id, seen at) for new posts."""
        BulkWriter(self._session).insert(
            table_of(CampaignPostRow), ("post_id", "campaign_id", "seen_at"), rows
        )

    def merge_many(self, into: Mapping[int, int]) -> None:
        """Move the posts and strong indicators of each merged campaign to its survivor.

        ``into`` maps merged campaign → live survivor. Campaigns merged earlier
        into a merged one are pointed at the survivor too, so ``merged_into``
        always names a live campaign. The merged rows themselves are updated
        by :meth:`save` (their ``merged_into`` and ``merged_at``) and stay,
        frozen, for the record.
        """
        if not into:
            return
        campaigns, links = table_of(CampaignRow), table_of(CampaignPostRow)
        pairs = [{"m": m, "s": s} for m, s in sorted(into.items())]
        conn = self._session.connection()
        conn.execute(
            update(links)
            .where(links.c.campaign_id == bindparam("m"))
            .values(campaign_id=bindparam("s")),
            pairs,
        )
        conn.execute(
            update(campaigns)
            .where(campaigns.c.merged_into == bindparam("m"))
            .values(merged_into=bindparam("s")),
            pairs,
        )
        self._fold_indicators(into)

    def _fold_indicators(self, into: Mapping[int, int]) -> None:
        table = table_of(CampaignIndicatorRow)
        columns = (
            table.c.value,
            table.c.kind,
            table.c.campaign_id,
            table.c.posts,
            table.c.first_seen,
            table.c.last_seen,
        )
        moving: list[Any] = []
        for part in chunks(sorted(into)):
            moving.extend(
                self._session.execute(select(*columns).where(table.c.campaign_id.in_(part))).all()
            )
        if not moving:
            return
        totals: dict[tuple[str, str, int], list[Any]] = {}
        values = sorted({row[0] for row in moving})
        survivors = sorted(set(into.values()))
        for vpart in chunks(values):
            for spart in chunks(survivors):
                for value, kind, cid, posts, first, last in self._session.execute(
                    select(*columns).where(table.c.campaign_id.in_(spart), table.c.value.in_(vpart))
                ):
                    totals[(value, kind, int(cid))] = [posts, first, last]
        for value, kind, cid, posts, first, last in moving:
            key = (value, kind, into[int(cid)])
            held = totals.get(key)
            if held is None:
                totals[key] = [posts, first, last]
            else:
                held[0] += posts
                held[1] = min(held[1], first)
                held[2] = max(held[2], last)
        for part in chunks(sorted(into)):
            self._session.execute(table.delete().where(table.c.campaign_id.in_(part)))
        upsert(
            self._session,
            table,
            [
                {
                    "value": v,
                    "kind": k,
                    "campaign_id": c,
                    "posts": n,
                    "first_seen": f,
                    "last_seen": last,
                }
                for (v, k, c), (n, f, last) in totals.items()
            ],
            keys=("value", "kind", "campaign_id"),
            update=("posts", "first_seen", "last_seen"),
        )

    def count_posts_in_windows(
        self, windows: Sequence[tuple[int, datetime, datetime]]
    ) -> list[int]:
        """For each (campaign id, start, end), its posts seen in ``(start, end]``, in order.

        A batch touches thousands of campaigns; one statement counts a few
        hundred windows, each by a range of the (campaign, seen_at) index.
        """
        conn = self._session.connection()
        process = driver_processor(conn.dialect, table_of(CampaignPostRow).c.seen_at.type)

        def to_db(value: datetime) -> Any:
            return value if process is None else process(value)

        mark = placeholder(self._session)
        counts = [0] * len(windows)
        for first in range(0, len(windows), _WINDOWS):
            part = windows[first : first + _WINDOWS]
            # VALUES columns are column1, column2, ... on SQLite and PostgreSQL alike.
            sql = (
                "SELECT w.column1, count(*) FROM (VALUES "
                + ", ".join([f"({mark}, {mark}, {mark}, {mark})"] * len(part))
                + ") AS w JOIN campaign_posts cp ON cp.campaign_id = w.column2 "
                "AND cp.seen_at > w.column3 AND cp.seen_at <= w.column4 GROUP BY w.column1"
            )
            params = tuple(
                value
                for i, (campaign_id, start, end) in enumerate(part, start=first)
                for value in (i, campaign_id, to_db(start), to_db(end))
            )
            for i, count in conn.exec_driver_sql(sql, params):
                counts[i] = int(count)
        return counts

    def list_live(
        self,
        *,
        min_posts: int = 1,
        min_level_rank: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[CampaignRecord]:
        """Live campaigns with at least ``min_posts`` posts, most recently seen first.

        ``min_level_rank``: the levels to keep (``None``: every level).
        """
        table = table_of(CampaignRow)
        stmt = _select().where(table.c.merged_into.is_(None), table.c.post_count >= min_posts)
        if min_level_rank is not None:
            stmt = stmt.where(table.c.level.in_(list(min_level_rank)))
        stmt = (
            stmt.order_by(table.c.last_seen.desc(), table.c.id.desc()).limit(limit).offset(offset)
        )
        return [_record(row) for row in self._session.execute(stmt)]

    def count_live(self, *, min_posts: int = 1) -> int:
        """How many live campaigns have at least ``min_posts`` posts."""
        table = table_of(CampaignRow)
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(table)
                .where(table.c.merged_into.is_(None), table.c.post_count >= min_posts)
            )
            or 0
        )

    def merged_from(self, campaign_id: int) -> list[CampaignRecord]:
        """The campaigns merged into this one, oldest merge first."""
        return [
            _record(row) for row in self._session.execute(_merged_from(), {"campaign": campaign_id})
        ]

    def posts(self, campaign_id: int, *, limit: int = 20) -> list[CampaignPost]:
        """The campaign's most recently seen posts."""
        links, posts = table_of(CampaignPostRow), table_of(PostRow)
        rows = self._session.execute(
            select(posts.c.id, posts.c.source, posts.c.post_key, links.c.seen_at, posts.c.text)
            .join(posts, posts.c.id == links.c.post_id)
            .where(links.c.campaign_id == campaign_id)
            .order_by(links.c.seen_at.desc(), posts.c.id.desc())
            .limit(limit)
        )
        return [CampaignPost(int(i), s, k, at, t) for i, s, k, at, t in rows]

    def family(self, campaign_ids: Iterable[int]) -> dict[int, int]:
        """For each given live campaign and every campaign merged into it: id → live id."""
        table = table_of(CampaignRow)
        found: dict[int, int] = {}
        for part in chunks(sorted(set(campaign_ids))):
            rows = self._session.execute(
                select(table.c.id, table.c.merged_into).where(
                    or_(table.c.id.in_(part), and_(table.c.merged_into.in_(part)))
                )
            )
            for cid, into in rows:
                found[int(cid)] = int(into) if into is not None else int(cid)
        return found

    def counts(self) -> tuple[int, int]:
        """(live campaigns, merged campaigns)."""
        table = table_of(CampaignRow)
        live = self._session.scalar(
            select(func.count()).select_from(table).where(table.c.merged_into.is_(None))
        )
        merged = self._session.scalar(
            select(func.count()).select_from(table).where(table.c.merged_into.is_not(None))
        )
        return int(live or 0), int(merged or 0)
