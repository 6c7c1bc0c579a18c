"""The ingest job: batches of posts read, worked on, and stored in one unit of work each."""

from __future__ import annotations

import gc
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, Final

from suar import audit
from suar.access import Action, Actor, authorize
from suar.detect import Detector
from suar.domain import Post
from suar.errors import InputError
from suar.ingest.records import (
    FindingData,
    content_key,
    finding_from_record,
    images_of,
    parse_time,
)
from suar.ingest.work import Done, Job, WorkerPool, work_on
from suar.reader import ReadError, ReadItem, ReadOptions, ReadPost, read_posts
from suar.store import Database
from suar.store.bulk import BulkWriter
from suar.store.campaigns import CampaignRepository
from suar.store.findings import FindingRepository, NewFinding
from suar.store.posts import ImageRef, NewPost, PostRepository
from suar.warn.alerts import raise_campaign_alerts, raise_watchlist_alerts
from suar.warn.assignment import Signatures, assign_posts
from suar.warn.campaign_state import PostToAssign, countries_of, destinations_of, salaries_of
from suar.warn.linking import link_keys
from suar.warn.rules import rules
from suar.warn.similarity import Fingerprint
from suar.warn.tlp import Tlp
from suar.warn.warninglist import warninglist
from suar.warn.watchlist import match_posts

logger = logging.getLogger(__name__)

DEFAULT_SOURCE: Final = "local"
DEFAULT_BATCH: Final = 5000
MAX_JOBS: Final = 64
_MAX_KEY: Final = 300
_SOURCE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}")
_HANDLING: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/-]{0,63}")
_FUTURE_SLACK: Final = timedelta(days=1)
_MAX_AUDITED_MERGES: Final = 50
#: A run that stores at least this many posts refreshes the planner's statistics at its end.
ANALYZE_AFTER: Final = 1_000


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """What to stamp on the posts, and how to read, batch and work on them.

    ``jobs`` worker processes detect and fingerprint while the ingesting
    process writes (0: it does everything itself).
    """

    source: str = DEFAULT_SOURCE
    tlp: Tlp = Tlp.AMBER
    handling: str = ""
    country: str | None = None
    batch_size: int = DEFAULT_BATCH
    jobs: int = 0
    read: ReadOptions = ReadOptions()


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that was not stored: unreadable (``error``) or a reused key (``conflict``)."""

    kind: str
    origin: str
    line: int
    id: str | None
    message: str


@dataclass
class IngestStats:
    """Counts for the summary, and time spent by stage (for benchmarks)."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    conflicts: int = 0
    errors: int = 0
    precomputed: int = 0
    detected: int = 0
    campaigns_created: int = 0
    merges: int = 0
    alerts: int = 0
    batches: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        """Wall time so far (or of the whole run once finished)."""
        return (self.finished or time.perf_counter()) - self.started

    def add_time(self, stage: str, seconds: float) -> None:
        """Add ``seconds`` to a stage's total."""
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds


@dataclass(frozen=True, slots=True)
class _Prepared:
    origin: str
    line: int
    post: Post
    key: str
    digest: str
    images: tuple[ImageRef, ...]
    posted_at: datetime | None


#: A batch queued for the workers: its posts, their precomputed findings, the work.
_Pending = tuple[list[_Prepared], list[FindingData | None], Future[list[Done]]]


def check_options(options: IngestOptions) -> None:
    """Raise :class:`~suar.errors.InputError` for a malformed source, handling code or size."""
    if not _SOURCE.fullmatch(options.source):
        raise InputError(
            f"invalid source {options.source!r}: 1-200 letters, digits and ._:@/- "
            "starting with a letter or digit"
        )
    if options.handling and not _HANDLING.fullmatch(options.handling):
        raise InputError(
            f"invalid handling code {options.handling!r}: up to 64 of A-Z a-z 0-9 ._:+/-"
        )
    if not 1 <= options.batch_size <= 10_000:
        raise InputError("the batch size must be between 1 and 10000")
    if not 0 <= options.jobs <= MAX_JOBS:
        raise InputError(f"the number of jobs must be between 0 and {MAX_JOBS}")


class Ingest:
    """One ingest run into one database, as one actor; :meth:`run` does the work.

    ``on_problem`` hears of every record not stored and why; ``on_batch`` of
    every committed batch (with the running stats). With ``options.jobs``
    worker processes, call :meth:`close` (or use :meth:`run`, which does).
    """

    def __init__(
        self,
        db: Database,
        actor: Actor,
        options: IngestOptions,
        *,
        detector: Detector | None = None,
        on_problem: Callable[[Problem], None] | None = None,
        on_batch: Callable[[IngestStats], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        check_options(options)
        authorize(actor, Action.POST_INGEST)
        self.db = db
        self.actor = actor
        self.options = options
        self.detector = detector or Detector(default_country=options.country)
        self.version = self.detector.version
        self.on_problem = on_problem or (lambda problem: None)
        self.on_batch = on_batch or (lambda stats: None)
        self.clock = clock
        self.stats = IngestStats()
        self._rules = rules().campaigns
        self._warninglist = warninglist()
        self._signatures = Signatures()
        self._pool: WorkerPool | None = None
        if options.jobs:
            # Forked workers must not inherit open database connections.
            db.dispose()
            self._pool = WorkerPool(options.jobs, options.country)

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def run(
        self,
        paths: list[str],
        *,
        on_progress: Callable[[str, int, int], None] | None = None,
    ) -> IngestStats:
        """Ingest every file of ``paths`` (``-`` is stdin), batch after batch."""
        return self.run_items(read_posts(paths, self.options.read, on_progress=on_progress))

    def run_items(self, items: Iterable[ReadItem]) -> IngestStats:
        """Ingest already-read items (the reader's posts and errors), batch after batch.

        With worker processes, a few batches are worked on ahead while the
        oldest is stored; batches are always stored in input order.
        """
        ahead = 2 * max(1, self.options.jobs)
        pending: deque[_Pending] = deque()
        collecting = gc.isenabled()
        # A batch allocates hundreds of thousands of small objects that live until
        # it is stored, next to none of them in reference cycles. The automatic
        # collector walked them over and over: a fifth of the run's time with the
        # default thresholds, still a tenth with larger ones. It is off while
        # ingesting; once a batch is dropped, a collection of the young
        # generations frees whatever cycles it left, walking little else.
        gc.disable()
        try:
            for batch in self._batches(items):
                self._take(batch, pending, ahead)
                batch.clear()
                t0 = time.perf_counter()
                gc.collect(1)
                self.stats.add_time("gc", time.perf_counter() - t0)
            while pending:
                self._store_next(pending)
            if self.stats.stored >= ANALYZE_AFTER:
                t0 = time.perf_counter()
                self.db.refresh_statistics()
                self.stats.add_time("analyze", time.perf_counter() - t0)
        finally:
            if collecting:
                gc.enable()
            self.close()
        self.stats.finished = time.perf_counter()
        return self.stats

    def _take(self, batch: Sequence[ReadItem], pending: deque[_Pending], ahead: int) -> None:
        """Select, work on and store one batch (or queue it for the workers)."""
        fresh = self._select(batch)
        if not fresh:
            return
        t0 = time.perf_counter()
        version = self.version
        found = [
            finding_from_record(p.post.extra.get("finding"), p.post.text, version) for p in fresh
        ]
        work = [self._job(p, f is None) for p, f in zip(fresh, found, strict=True)]
        if self._pool is None:
            done = work_on(work, self.detector)
            self.stats.add_time("work", time.perf_counter() - t0)
            self._store(fresh, found, done)
            return
        self.stats.add_time("work", time.perf_counter() - t0)
        pending.append((fresh, found, self._pool.submit(work)))
        while len(pending) > ahead:
            self._store_next(pending)

    def _store_next(self, pending: deque[_Pending]) -> None:
        fresh, found, future = pending.popleft()
        t0 = time.perf_counter()
        done = future.result()
        self.stats.add_time("wait", time.perf_counter() - t0)
        self._store(fresh, found, done)

    def _batches(self, items: Iterable[ReadItem]) -> Iterator[list[ReadItem]]:
        iterator = iter(items)
        while True:
            t0 = time.perf_counter()
            batch = list(islice(iterator, self.options.batch_size))
            self.stats.add_time("read", time.perf_counter() - t0)
            if not batch:
                return
            yield batch

    def _job(self, p: _Prepared, detect: bool) -> Job:
        country = p.post.country or self.options.country
        return Job(p.post.text, p.post.lang, country, detect)

    # --- choosing what to work on --------------------------------------------------

    def _problem(self, kind: str, origin: str, line: int, post_id: str | None, msg: str) -> None:
        if kind == "conflict":
            self.stats.conflicts += 1
        else:
            self.stats.errors += 1
        self.on_problem(Problem(kind, origin, line, post_id, msg))

    def _conflict(self, p: _Prepared, where: str) -> None:
        self._problem(
            "conflict",
            p.origin,
            p.line,
            p.post.id,
            f"{self.options.source}/{p.key} is already stored ({where}) with a different text; "
            "not stored (give each feed its own --source)",
        )

    def _select(self, items: Sequence[ReadItem]) -> list[_Prepared]:
        """The batch's posts not stored yet, first occurrence of each key; reports the rest."""
        t0 = time.perf_counter()
        prepared: dict[str, _Prepared] = {}
        for item in items:
            if isinstance(item, ReadError):
                self._problem("error", item.source, item.line, item.id, item.error)
                continue
            self.stats.read += 1
            p = self._prepare(item)
            if p is None:
                continue
            first = prepared.get(p.key)
            if first is None:
                prepared[p.key] = p
            elif first.digest == p.digest:
                self.stats.duplicates += 1
            else:
                self._conflict(p, f"{first.origin}:{first.line}")
        fresh: list[_Prepared] = []
        if prepared:
            with self.db.read() as session:
                stored = PostRepository(session).existing(self.options.source, prepared)
            for p in prepared.values():
                known = stored.get(p.key)
                if known is None:
                    fresh.append(p)
                elif known.content_sha256 == p.digest:
                    self.stats.duplicates += 1
                else:
                    self._conflict(p, "earlier")
        self.stats.add_time("select", time.perf_counter() - t0)
        return fresh

    def _prepare(self, item: ReadPost) -> _Prepared | None:
        post = item.post
        key, digest = content_key(post.text)
        if post.id is not None:
            if len(post.id) > _MAX_KEY:
                shown = post.id[:40] + "…"
                msg = f"id longer than {_MAX_KEY} characters"
                self._problem("error", item.source, item.line, shown, msg)
                return None
            key = post.id
        return _Prepared(
            origin=item.source,
            line=item.line,
            post=post,
            key=key,
            digest=digest,
            images=images_of(post.extra.get("images")),
            posted_at=parse_time(post.posted_at),
        )

    # --- storing ---------------------------------------------------------------------

    def _store(
        self,
        fresh: Sequence[_Prepared],
        found: Sequence[FindingData | None],
        done: Sequence[Done],
    ) -> None:
        batch: list[tuple[_Prepared, FindingData, Fingerprint | None]] = []
        for p, precomputed, d in zip(fresh, found, done, strict=True):
            finding = precomputed if precomputed is not None else d.finding
            if finding is None:
                self._problem("error", p.origin, p.line, p.post.id, d.error or "no finding")
                continue
            if precomputed is not None:
                self.stats.precomputed += 1
            else:
                self.stats.detected += 1
            batch.append((p, finding, d.fingerprint))
        if batch:
            self._write(batch)

    def _write(self, batch: Sequence[tuple[_Prepared, FindingData, Fingerprint | None]]) -> None:
        t0 = time.perf_counter()
        now = self.clock()
        options = self.options
        with self.db.write() as session:
            authorize(self.actor, Action.POST_INGEST)
            # Lock before the first insert: a concurrent batch then sees this one whole.
            CampaignRepository(session).lock_for_assignment()
            BulkWriter(session).tune_connection()
            ids, taken = PostRepository(session).insert_new(
                [self._new_post(p, f, fp, now) for p, f, fp in batch]
            )
            kept = []
            for p, f, fp in batch:
                if p.key in ids:
                    kept.append((p, f, fp))
                elif taken[p.key].content_sha256 == p.digest:
                    self.stats.duplicates += 1
                else:
                    self._conflict(p, "earlier")
            if not kept:
                return
            FindingRepository(session).insert_many(
                [_new_finding(ids[p.key], f, now) for p, f, _ in kept]
            )
            t1 = time.perf_counter()
            result = assign_posts(
                session,
                [self._to_assign(ids[p.key], p, f, fp, now) for p, f, fp in kept],
                now=now,
                known=self._signatures,
            )
            t2 = time.perf_counter()
            alerts = raise_campaign_alerts(session, self.actor.principal, result.touched, now=now)
            hits = match_posts(
                session,
                [
                    (ids[p.key], f.indicators, result.campaign_of[ids[p.key]], options.tlp.value)
                    for p, f, _ in kept
                ],
            )
            alerts += raise_watchlist_alerts(session, self.actor.principal, hits, now=now)
            merges = [list(m) for m in result.merges]
            audit.record(
                session,
                actor=self.actor.principal,
                action="post.ingest",
                target=f"source:{options.source}",
                details={
                    "source": options.source,
                    "origins": sorted({p.origin for p, _, _ in kept}),
                    "posts": len(kept),
                    "first": kept[0][0].key,
                    "last": kept[-1][0].key,
                    "tlp": options.tlp.value,
                    "handling": options.handling,
                    "detector_version": self.version,
                    "campaigns_created": len(result.created),
                    "merges": merges[:_MAX_AUDITED_MERGES],
                    "merges_total": len(merges),
                    "alerts": alerts,
                },
                now=now,
            )
            t3 = time.perf_counter()
        self._signatures.keep()
        stats = self.stats
        stats.add_time("store", t1 - t0)
        stats.add_time("assign", t2 - t1)
        stats.add_time("alerts_audit", t3 - t2)
        stats.add_time("commit", time.perf_counter() - t3)
        stats.stored += len(kept)
        stats.campaigns_created += len(result.created)
        stats.merges += len(result.merges)
        stats.alerts += len(alerts)
        stats.batches += 1
        self.on_batch(stats)

    def _seen_at(self, p: _Prepared, now: datetime) -> datetime:
        """When the post appeared: its own time unless that lies in the future."""
        return p.posted_at if p.posted_at and p.posted_at <= now + _FUTURE_SLACK else now

    def _new_post(
        self, p: _Prepared, finding: FindingData, fp: Fingerprint | None, now: datetime
    ) -> NewPost:
        post = p.post
        return NewPost(
            source=self.options.source,
            post_key=p.key,
            external_id=post.id,
            content_sha256=p.digest,
            text=post.text,
            url=post.url,
            author=post.author[:300] if post.author else None,
            lang=post.lang or finding.lang or None,
            country=post.country,
            posted_at=p.posted_at,
            seen_at=self._seen_at(p, now),
            ingested_at=now,
            origin=f"{p.origin}:{p.line}"[:500],
            tlp=self.options.tlp.value,
            handling=self.options.handling,
            minhash=None if fp is None else fp.to_bytes(),
            images=p.images,
        )

    def _to_assign(
        self,
        post_id: int,
        p: _Prepared,
        finding: FindingData,
        fp: Fingerprint | None,
        now: datetime,
    ) -> PostToAssign:
        indicators = finding.indicators
        return PostToAssign(
            post_id=post_id,
            signature=None if fp is None else fp.signature,
            bands=() if fp is None else fp.bands,
            links=link_keys(indicators, self._warninglist, self._rules.max_value_length),
            risk=finding.risk,
            level=finding.level,
            lang=p.post.lang or finding.lang or None,
            countries=countries_of(p.post.country, indicators),
            destinations=destinations_of(indicators),
            salaries=salaries_of(indicators, self._rules.salary_contexts),
            seen_at=self._seen_at(p, now),
            tlp=self.options.tlp.value,
        )


def _new_finding(post_id: int, finding: FindingData, now: datetime) -> NewFinding:
    return NewFinding(
        post_id=post_id,
        detector_version=finding.detector_version,
        risk=finding.risk,
        level=finding.level.value,
        lang=finding.lang,
        explanation=finding.explanation,
        created_at=now,
        indicators=finding.indicators,
        flags=finding.flags,
    )


def ingest(
    db: Database,
    actor: Actor,
    paths: list[str],
    options: IngestOptions = IngestOptions(),
    **kwargs: Any,
) -> IngestStats:
    """Ingest ``paths`` into ``db`` as ``actor``; see :class:`Ingest` for the keyword arguments."""
    on_progress = kwargs.pop("on_progress", None)
    return Ingest(db, actor, options, **kwargs).run(paths, on_progress=on_progress)
