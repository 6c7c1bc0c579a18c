"""The scan job: posts in, one record per post out, as DESIGN.md's contract says.

A record is a plain dict ready for JSON: ``{"type": "finding", ...}`` for a
post that was read, ``{"type": "error", ...}`` for one that was not. The JSON
Schema that describes them ships in the package (:func:`record_schema`).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
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


def scan(
    items: Iterable[ReadItem],
    detector: Detector,
    stats: ScanStats,
    *,
    country: str | None = None,
    min_level: Level = Level.NONE,
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Detect every post of ``items``; yield (record, post text or None for errors).

    Findings below ``min_level`` are counted but not yielded; errors always are.
    An exception inside the detector becomes an error record for that post.
    """
    for item in items:
        if isinstance(item, ReadError):
            stats.errors += 1
            yield error_record(item), None
            continue
        post = item.post
        try:
            finding = detector.detect(post.text, lang=post.lang, country=post.country or country)
        except Exception as exc:  # a detector bug must not stop the batch
            stats.errors += 1
            message = f"detector failed: {type(exc).__name__}: {exc}"
            yield error_record(ReadError(item.source, item.line, post.id, message)), None
            continue
        stats.records += 1
        stats.levels[finding.level.value] += 1
        if finding.level.rank >= min_level.rank:
            record = finding_record(
                finding, text=post.text, source=item.source, line=item.line, post_id=post.id
            )
            yield record, post.text
    stats.finished = time.perf_counter()
