"""The per-post work of ingest that needs no database: detection and fingerprint.

It runs in the ingesting process, or in worker processes (``--jobs``) so that
detection, the costly part, uses every core while the main process writes.
Work travels as plain picklable values; each worker builds its own detector
once. A precomputed finding is read by the ingesting process itself (cheaply):
shipping it to a worker and back as objects cost more than reading it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from suar.detect import Detector
from suar.ingest.records import FindingData
from suar.warn.similarity import Fingerprint, fingerprints


@dataclass(frozen=True, slots=True)
class Job:
    """One post to work on: its text, what the record says of it, and whether to detect.

    ``detect`` is false when the post already has a finding (precomputed):
    it is then only fingerprinted.
    """

    text: str
    lang: str | None
    country: str | None
    detect: bool


@dataclass(frozen=True, slots=True)
class Done:
    """The detected finding (``None`` when not asked for) and fingerprint, or why there are none."""

    finding: FindingData | None
    fingerprint: Fingerprint | None
    error: str | None = None


def work_on(jobs: Sequence[Job], detector: Detector) -> list[Done]:
    """Detect where asked and fingerprint every text that has a finding.

    A detector failure becomes an error for that post only (and no
    fingerprint). Fingerprints are computed for the whole batch at once
    (:func:`~suar.warn.similarity.fingerprints`).
    """
    found: list[tuple[FindingData | None, str | None]] = []
    for job in jobs:
        if not job.detect:
            found.append((None, None))
            continue
        try:
            detected = FindingData.of(detector.detect(job.text, lang=job.lang, country=job.country))
        except Exception as exc:  # a detector bug must not stop the batch
            found.append((None, f"detector failed: {type(exc).__name__}: {exc}"))
            continue
        found.append((detected, None))
    prints = iter(
        fingerprints([job.text for job, (_, error) in zip(jobs, found, strict=True) if not error])
    )
    return [
        Done(None, None, error) if error else Done(finding, next(prints))
        for finding, error in found
    ]


# One detector per worker process, built by the pool's initializer.
_worker_detector: Detector | None = None


def _start_worker(country: str | None) -> None:
    global _worker_detector
    _worker_detector = Detector(default_country=country)


def _work_in_worker(jobs: Sequence[Job]) -> list[Done]:
    return work_on(jobs, _worker_detector or Detector())


def _ready() -> bool:
    return True


class WorkerPool:
    """``count`` worker processes doing :func:`work_on` on batches, results in order."""

    def __init__(self, count: int, country: str | None) -> None:
        # fork: the workers inherit the loaded modules and need no re-import of
        # ``__main__``; the caller closes its database connections first.
        self._pool = ProcessPoolExecutor(
            max_workers=count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(country,),
        )
        # Start every worker now, before the caller starts threads (progress bars).
        self._pool.submit(_ready).result()

    def submit(self, jobs: Sequence[Job]) -> Future[list[Done]]:
        """Queue a batch; its future gives the results in the batch's order."""
        return self._pool.submit(_work_in_worker, list(jobs))

    def close(self) -> None:
        """Stop the workers, dropping work not started."""
        self._pool.shutdown(wait=True, cancel_futures=True)
