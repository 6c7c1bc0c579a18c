"""The scan job: posts in, one record per post out, as DESIGN.md's contract says.

A record is a plain dict ready for JSON: ``{"type": "finding", ...}`` for a
post that was read, ``{"type": "error", ...}`` for one that was not. The JSON
Schema that describes them ships in the package (:func:`record_schema`).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain, islice
from typing import Any

from suar.detect import Detector
from suar.domain import Finding, Indicator, Level
from suar.reader import ReadError, ReadItem

SCHEMA_RESOURCE = "scan-record.schema.json"


@lru_cache(maxsize=1)
def record_schema() -> dict[str, Any]:
    """The JSON Schema of ``suar scan --format jsonl`` records."""
    text = resources.files("suar.schema").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def indicator_record(indicator: Indicator, text: str) -> dict[str, Any]:
    """An indicator as JSON: kind, value, span, the evidence and kind-specific attributes."""
    start, end = indicator.span
    record: dict[str, Any] = {
        "kind": indicator.kind,
        "value": indicator.value,
        "span": [start, end],
        "evidence": text[start:end],
    }
    for key, value in indicator.attrs.items():
        record.setdefault(key, value)
    return record


def finding_record(
    finding: Finding, *, text: str, source: str, line: int, post_id: str | None
) -> dict[str, Any]:
    """A finding as the ``finding`` record of the scan contract."""
    return {
        "type": "finding",
        "source": source,
        "line": line,
        "id": post_id,
        "risk": finding.risk,
        "level": finding.level.value,
        "lang": finding.lang,
        "detector_version": finding.detector_version,
        "indicators": [indicator_record(i, text) for i in finding.indicators],
        "flags": [
            {
                "code": f.code,
                "label": f.label,
                "evidence": f.evidence,
                "span": [f.span[0], f.span[1]],
                "weight": f.weight,
            }
            for f in finding.flags
        ],
        "explanation": finding.explanation,
    }


def error_record(error: ReadError) -> dict[str, Any]:
    """A read error as the ``error`` record of the scan contract."""
    return {
        "type": "error",
        "source": error.source,
        "line": error.line,
        "id": error.id,
        "error": error.error,
    }


@dataclass
class ScanStats:
    """Counts for the summary a scan prints at the end."""

    records: int = 0
    errors: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    @property
    def posts_per_second(self) -> float:
        seconds = self.seconds
        return self.records / seconds if seconds > 0 else 0.0


_Job = tuple[str, int, "str | None", str, "str | None", "str | None"]


def _detect_record(detector: Detector, job: _Job) -> tuple[dict[str, Any], str | None]:
    """The record for one post: a finding, or an error when the detector fails."""
    source, line, post_id, text, lang, country = job
    try:
        finding = detector.detect(text, lang=lang, country=country)
    except Exception as exc:  # a detector bug must not stop the batch
        message = f"detector failed: {type(exc).__name__}: {exc}"
        return error_record(ReadError(source, line, post_id, message)), None
    return finding_record(finding, text=text, source=source, line=line, post_id=post_id), text


_WORKER_DETECTOR: Detector | None = None


def _init_worker(default_country: str | None) -> None:
    global _WORKER_DETECTOR
    _WORKER_DETECTOR = Detector(default_country=default_country)


def _detect_batch(jobs: list[_Job]) -> list[tuple[dict[str, Any], str | None]]:
    assert _WORKER_DETECTOR is not None
    return [_detect_record(_WORKER_DETECTOR, job) for job in jobs]


def _batches(
    items: Iterable[ReadItem], country: str | None, size: int
) -> Iterator[list[ReadError | _Job]]:
    batch: list[ReadError | _Job] = []
    for item in items:
        if isinstance(item, ReadError):
            batch.append(item)
        else:
            post = item.post
            batch.append(
                (item.source, item.line, post.id, post.text, post.lang, post.country or country)
            )
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pool_context() -> Any:
    """Fork where the platform has it: workers then inherit the detector's loaded data."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _parallel(
    items: Iterable[ReadItem], detector: Detector, country: str | None, workers: int
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Detect in ``workers`` processes, in input order, with a bounded number of batches in flight."""
    from concurrent.futures import Future, ProcessPoolExecutor

    in_flight: deque[tuple[list[ReadError | _Job], Future[list[tuple[dict[str, Any], str | None]]]]]
    in_flight = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_init_worker,
        initargs=(detector.default_country,),
    ) as pool:

        def drain_one() -> Iterator[tuple[dict[str, Any], str | None]]:
            batch, future = in_flight.popleft()
            results = iter(future.result())
            for entry in batch:
                yield (error_record(entry), None) if isinstance(entry, ReadError) else next(results)

        for batch in _batches(items, country, _BATCH):
            jobs = [entry for entry in batch if not isinstance(entry, ReadError)]
            in_flight.append((batch, pool.submit(_detect_batch, jobs)))
            if len(in_flight) >= workers * 4:
                yield from drain_one()
        while in_flight:
            yield from drain_one()


def _serial(
    items: Iterable[ReadItem], detector: Detector, country: str | None
) -> Iterator[tuple[dict[str, Any], str | None]]:
    for batch in _batches(items, country, 1):
        for job in batch:
            yield (
                (error_record(job), None)
                if isinstance(job, ReadError)
                else _detect_record(detector, job)
            )


def _automatic(
    items: Iterable[ReadItem], detector: Detector, country: str | None, cores: int
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """One process for a small input; every core once it has more than :data:`AUTO_SERIAL` posts.

    The first posts are detected here, which also loads the detector's data,
    so forked workers start warm; the rest go to the pool.
    """
    stream = iter(items)
    yield from _serial(islice(stream, AUTO_SERIAL), detector, country)
    first = next(stream, None)
    if first is None:
        return
    rest = chain((first,), stream)
    if cores > 1:
        yield from _parallel(rest, detector, country, cores)
    else:
        yield from _serial(rest, detector, country)


_BATCH = 64
#: With ``workers=0``, inputs up to this many records are scanned in one process.
AUTO_SERIAL = 2_000


def scan(
    items: Iterable[ReadItem],
    detector: Detector,
    stats: ScanStats,
    *,
    country: str | None = None,
    min_level: Level = Level.NONE,
    workers: int = 1,
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Detect every post of ``items``; yield (record, post text or None for errors).

    Findings below ``min_level`` are counted but not yielded; errors always are.
    An exception inside the detector becomes an error record for that post.
    With ``workers`` > 1 posts are detected in that many processes; with 0,
    in one process for a small input and on every core for a large one
    (:data:`AUTO_SERIAL`). The records come out in input order either way, and
    memory stays bounded.
    """
    records: Iterator[tuple[dict[str, Any], str | None]]
    if workers == 0:
        records = _automatic(items, detector, country, os.cpu_count() or 1)
    elif workers > 1:
        records = _parallel(items, detector, country, workers)
    else:
        records = _serial(items, detector, country)
    for record, text in records:
        if record["type"] == "error":
            stats.errors += 1
            yield record, None
            continue
        stats.records += 1
        stats.levels[record["level"]] += 1
        if Level(record["level"]).rank >= min_level.rank:
            yield record, text
    stats.finished = time.perf_counter()
