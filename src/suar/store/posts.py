"""Posts and their images: insert once per (source, key), look up, page through."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from suar.store.bulk import BulkWriter
from suar.store.database import is_write_unit
from suar.store.errors import StoreError
from suar.store.statements import chunks
from suar.store.tables import CampaignPostRow, CampaignRow, PostImageRow, PostRow, table_of


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image of a post: its SHA-256 (hex) when known, its URL when given."""

    sha256: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class NewPost:
    """A post to store, with its provenance."""

    source: str
    post_key: str
    external_id: str | None
    content_sha256: str
    text: str
    url: str | None
    author: str | None
    lang: str | None
    country: str | None
    posted_at: datetime | None
    seen_at: datetime
    ingested_at: datetime
    origin: str
    tlp: str
    handling: str
    minhash: bytes | None
    images: tuple[ImageRef, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredKey:
    """What is already stored under a (source, key): the post's id and content hash."""

    post_id: int
    content_sha256: str


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A stored post."""

    id: int
    source: str
    post_key: str
    external_id: str | None
    text: str
    url: str | None
    author: str | None
    lang: str | None
    country: str | None
    posted_at: datetime | None
    seen_at: datetime
    ingested_at: datetime
    origin: str
    tlp: str
    handling: str


@dataclass(frozen=True, slots=True)
class Assignment:
    """A post's (source, id) and the live campaign holding it, for spreadsheets."""

    source: str
    post_id: str
    campaign: str


def _record(row: PostRow) -> PostRecord:
    return PostRecord(
        id=row.id,
        source=row.source,
        post_key=row.post_key,
        external_id=row.external_id,
        text=row.text,
        url=row.url,
        author=row.author,
        lang=row.lang,
        country=row.country,
        posted_at=row.posted_at,
        seen_at=row.seen_at,
        ingested_at=row.ingested_at,
        origin=row.origin,
        tlp=row.tlp,
        handling=row.handling,
    )


_POST_COLUMNS = (
    "id",
    "source",
    "post_key",
    "external_id",
    "content_sha256",
    "text",
    "url",
    "author",
    "lang",
    "country",
    "posted_at",
    "seen_at",
    "ingested_at",
    "origin",
    "tlp",
    "handling",
    "minhash",
)


class PostRepository:
    """Reads and writes posts inside the caller's unit of work (adds and flushes only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def existing(self, source: str, keys: Iterable[str]) -> dict[str, StoredKey]:
        """The posts already stored under ``source`` for any of ``keys``."""
        found: dict[str, StoredKey] = {}
        wanted = sorted(set(keys))
        table = table_of(PostRow)
        for part in chunks(wanted):
            rows = self._session.execute(
                select(table.c.post_key, table.c.id, table.c.content_sha256).where(
                    table.c.source == source, table.c.post_key.in_(part)
                )
            )
            for key, post_id, digest in rows:
                found[key] = StoredKey(post_id, digest)
        return found

    def insert_new(self, posts: Sequence[NewPost]) -> tuple[dict[str, int], dict[str, StoredKey]]:
        """Insert the posts not stored yet; return the new ids by key, and what was there.

        Posts whose (source, key) is stored already are skipped, not
        duplicated: they are in the second mapping, not the first. The caller's unit of work
        must hold the assignment lock (``CampaignRepository.lock_for_assignment``)
        so that no other writer stores the same keys meanwhile. All posts must
        share one source.
        """
        if not is_write_unit(self._session):
            raise StoreError("posts can only be stored inside db.write()")
        if not posts:
            return {}, {}
        sources = {post.source for post in posts}
        if len(sources) != 1:
            raise StoreError("insert_new takes the posts of one source at a time")
        taken = self.existing(sources.pop(), [p.post_key for p in posts])
        fresh = [p for p in posts if p.post_key not in taken]
        bulk = BulkWriter(self._session)
        ids = dict(
            zip(
                [p.post_key for p in fresh],
                bulk.allocate_ids(table_of(PostRow), len(fresh)),
                strict=True,
            )
        )
        bulk.insert(
            table_of(PostRow),
            _POST_COLUMNS,
            [
                (
                    ids[p.post_key],
                    p.source,
                    p.post_key,
                    p.external_id,
                    p.content_sha256,
                    p.text,
                    p.url,
                    p.author,
                    p.lang,
                    p.country,
                    p.posted_at,
                    p.seen_at,
                    p.ingested_at,
                    p.origin,
                    p.tlp,
                    p.handling,
                    p.minhash,
                )
                for p in fresh
            ],
        )
        bulk.insert(
            table_of(PostImageRow),
            ("post_id", "position", "sha256", "url"),
            [
                (ids[p.post_key], i, img.sha256, img.url)
                for p in fresh
                for i, img in enumerate(p.images)
            ],
        )
        return ids, taken

    def get(self, source: str, key: str) -> PostRecord | None:
        """The post stored under (source, key), or ``None``."""
        row = self._session.scalars(
            select(PostRow).where(PostRow.source == source, PostRow.post_key == key)
        ).first()
        return None if row is None else _record(row)

    def get_by_id(self, post_id: int) -> PostRecord | None:
        """The post with this id, or ``None``."""
        row = self._session.get(PostRow, post_id)
        return None if row is None else _record(row)

    def images(self, post_id: int) -> list[ImageRef]:
        """The post's images in the order the record gave them."""
        table = table_of(PostImageRow)
        rows = self._session.execute(
            select(table.c.sha256, table.c.url)
            .where(table.c.post_id == post_id)
            .order_by(table.c.position)
        )
        return [ImageRef(sha256, url) for sha256, url in rows]

    def count(self, source: str | None = None) -> int:
        """How many posts are stored (under ``source`` when given)."""
        stmt = select(func.count()).select_from(PostRow)
        if source is not None:
            stmt = stmt.where(PostRow.source == source)
        return int(self._session.scalar(stmt) or 0)

    def signatures(self, post_ids: Iterable[int]) -> dict[int, tuple[bytes | None, int]]:
        """Each post's near-duplicate signature and live campaign id."""
        posts, links = table_of(PostRow), table_of(CampaignPostRow)
        found: dict[int, tuple[bytes | None, int]] = {}
        for part in chunks(sorted(set(post_ids))):
            rows = self._session.execute(
                select(posts.c.id, posts.c.minhash, links.c.campaign_id)
                .join(links, links.c.post_id == posts.c.id)
                .where(posts.c.id.in_(part))
            )
            for post_id, minhash, campaign_id in rows.all():
                found[int(post_id)] = (minhash, int(campaign_id))
        return found

    def assignments(self, source: str | None = None, batch: int = 5000) -> Iterator[Assignment]:
        """Every post's (source, id) and live campaign ref, in storage order, paged.

        The id is the record's own id, or ``sha256:<hash>`` for posts without one.
        """
        posts, links, campaigns = (
            table_of(PostRow),
            table_of(CampaignPostRow),
            table_of(CampaignRow),
        )
        last = 0
        while True:
            stmt = (
                select(posts.c.id, posts.c.source, posts.c.post_key, campaigns.c.ref)
                .join(links, links.c.post_id == posts.c.id)
                .join(campaigns, campaigns.c.id == links.c.campaign_id)
                .where(posts.c.id > last)
                .order_by(posts.c.id)
                .limit(batch)
            )
            if source is not None:
                stmt = stmt.where(posts.c.source == source)
            rows = self._session.execute(stmt).all()
            if not rows:
                return
            for _, src, key, ref in rows:
                yield Assignment(src, key, ref)
            last = int(rows[-1][0])
