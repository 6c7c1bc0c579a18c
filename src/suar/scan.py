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


def encode_record(record: dict[str, Any]) -> str:
    """A record as one line of JSON, as ``--format jsonl`` writes it (without the newline)."""
    return json.dumps(record, ensure_ascii=False)


class Scanned:
    """What a scan gives for one input record: its scan record, and the post's text.

    The record is there as a dict (:attr:`record`) and as one line of JSON
    (:attr:`line`); a scan in one process has the dict, worker processes send
    the line (the parent unpickles it in about a fifteenth of the time the
    dict took, and writes it as it came), and each form is built from the
    other when first asked for. ``text`` is None for an error record, and so
    is ``level``.
    """

    __slots__ = ("_record", "_line", "text", "level")

    def __init__(
        self,
        *,
        record: dict[str, Any] | None = None,
        line: str | None = None,
        text: str | None,
        level: str | None,
    ) -> None:
        if record is None and line is None:
            raise ValueError("a scanned record needs its dict or its JSON line")
        self._record = record
        self._line = line
        self.text = text
        self.level = level

    @classmethod
    def of(cls, record: dict[str, Any], text: str | None) -> Scanned:
        level = record.get("level") if record["type"] == "finding" else None
        return cls(record=record, text=text if level is not None else None, level=level)

    @property
    def record(self) -> dict[str, Any]:
        if self._record is None:
            assert self._line is not None
            self._record = json.loads(self._line)
        return self._record

    @property
    def line(self) -> str:
        if self._line is None:
            assert self._record is not None
            self._line = encode_record(self._record)
        return self._line


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


def _detect_record(detector: Detector, job: _Job) -> Scanned:
    """The record for one post: a finding, or an error when the detector fails."""
    source, line, post_id, text, lang, country = job
    try:
        finding = detector.detect(text, lang=lang, country=country)
    except Exception as exc:  # a detector bug must not stop the batch
        message = f"detector failed: {type(exc).__name__}: {exc}"
        return Scanned.of(error_record(ReadError(source, line, post_id, message)), None)
    return Scanned.of(
        finding_record(finding, text=text, source=source, line=line, post_id=post_id), text
    )


_WORKER_DETECTOR: Detector | None = None


def _init_worker(default_country: str | None) -> None:
    global _WORKER_DETECTOR
    _WORKER_DETECTOR = Detector(default_country=default_country)


def _detect_batch(jobs: list[_Job]) -> list[tuple[str, str | None]]:
    """Each job's record as (JSON line, level or None for an error): the text stays with the caller."""
    assert _WORKER_DETECTOR is not None
    return [
        (scanned.line, scanned.level)
        for scanned in (_detect_record(_WORKER_DETECTOR, job) for job in jobs)
    ]


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
) -> Iterator[Scanned]:
    """Detect in ``workers`` processes, in input order, with a bounded number of batches in flight."""
    from concurrent.futures import Future, ProcessPoolExecutor

    in_flight: deque[tuple[list[ReadError | _Job], Future[list[tuple[str, str | None]]]]]
    in_flight = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_init_worker,
        initargs=(detector.default_country,),
    ) as pool:

        def drain_one() -> Iterator[Scanned]:
            batch, future = in_flight.popleft()
            results = iter(future.result())
            for entry in batch:
                if isinstance(entry, ReadError):
                    yield Scanned.of(error_record(entry), None)
                    continue
                line, level = next(results)
                yield Scanned(line=line, text=None if level is None else entry[3], level=level)

        for batch in _batches(items, country, _BATCH):
            jobs = [entry for entry in batch if not isinstance(entry, ReadError)]
            in_flight.append((batch, pool.submit(_detect_batch, jobs)))
            if len(in_flight) >= workers * 4:
                yield from drain_one()
        while in_flight:
            yield from drain_one()


def _serial(
    items: Iterable[ReadItem], detector: Detector, country: str | None
) -> Iterator[Scanned]:
    for batch in _batches(items, country, 1):
        for job in batch:
            yield (
                Scanned.of(error_record(job), None)
                if isinstance(job, ReadError)
                else _detect_record(detector, job)
            )


def _automatic(
    items: Iterable[ReadItem], detector: Detector, country: str | None, cores: int
) -> Iterator[Scanned]:
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
AUTO_SERIAL = 200


def scan(
    items: Iterable[ReadItem],
    detector: Detector,
    stats: ScanStats,
    *,
    country: str | None = None,
    min_level: Level = Level.NONE,
    workers: int = 1,
) -> Iterator[Scanned]:
    """Detect every post of ``items``; yield each one's :class:`Scanned` record.

    Findings below ``min_level`` are counted but not yielded; errors always are.
    An exception inside the detector becomes an error record for that post.
    With ``workers`` > 1 posts are detected in that many processes; with 0,
    in one process for a small input and on every core for a large one
    (:data:`AUTO_SERIAL`). The records come out in input order either way, and
    memory stays bounded.
    """
    records: Iterator[Scanned]
    if workers == 0:
        records = _automatic(items, detector, country, os.cpu_count() or 1)
    elif workers > 1:
        records = _parallel(items, detector, country, workers)
    else:
        records = _serial(items, detector, country)
    for scanned in records:
        level = scanned.level
        if level is None:
            stats.errors += 1
            yield scanned
            continue
        stats.records += 1
        stats.levels[level] += 1
        if Level(level).rank >= min_level.rank:
            yield scanned
    stats.finished = time.perf_counter()
