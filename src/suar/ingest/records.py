"""Reading what a record says beyond its text: times, images, a precomputed finding."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from suar.domain import INDICATOR_KINDS, Finding, Level
from suar.store.findings import StoredFlag, StoredIndicator
from suar.store.posts import ImageRef

_SHA256: Final = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")
_KINDS: Final = frozenset(INDICATOR_KINDS)
_MAX_IMAGES: Final = 100
_MAX_VALUE: Final = 1000


@dataclass(frozen=True, slots=True)
class FindingData:
    """A finding as ingest carries it, detected now or read precomputed: ready to store."""

    risk: float
    level: Level
    lang: str
    detector_version: str
    explanation: str
    indicators: tuple[StoredIndicator, ...]
    flags: tuple[StoredFlag, ...]

    @classmethod
    def of(cls, finding: Finding) -> FindingData:
        """The storable form of a detector finding."""
        return cls(
            risk=finding.risk,
            level=finding.level,
            lang=finding.lang,
            detector_version=finding.detector_version,
            explanation=finding.explanation,
            indicators=tuple(
                StoredIndicator(i.kind, i.value[:_MAX_VALUE], i.span[0], i.span[1], dict(i.attrs))
                for i in finding.indicators
            ),
            flags=tuple(StoredFlag(f.code, f.span[0], f.span[1], f.weight) for f in finding.flags),
        )


def content_key(text: str) -> tuple[str, str]:
    """(key, digest) of a post without an id: ``sha256:<hex>`` of its UTF-8 text, and the hex."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"sha256:{digest}", digest


def parse_time(value: str | None) -> datetime | None:
    """A record's ``posted_at`` as aware UTC: ISO 8601 (naive means UTC) or Unix seconds/ms."""
    if not value:
        return None
    text = value.strip()
    try:
        if text.isdigit() and 9 <= len(text) <= 13:
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return datetime.fromtimestamp(seconds, tz=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def images_of(raw: Any) -> tuple[ImageRef, ...]:
    """A record's ``images``: SHA-256 hashes (hex, optionally ``sha256:``), URLs, or objects.

    An object may carry ``sha256`` and ``url``. URLs are kept as given and
    never fetched: the node does not reach out to recruiters' hosts.
    """
    if not isinstance(raw, list):
        return ()
    out: list[ImageRef] = []
    for item in raw[:_MAX_IMAGES]:
        digest: str | None = None
        url: str | None = None
        if isinstance(item, str):
            match = _SHA256.fullmatch(item.strip())
            if match:
                digest = match.group(1).lower()
            elif item.strip():
                url = item.strip()
        elif isinstance(item, dict):
            raw_hash, raw_url = item.get("sha256"), item.get("url")
            if isinstance(raw_hash, str) and (match := _SHA256.fullmatch(raw_hash.strip())):
                digest = match.group(1).lower()
            if isinstance(raw_url, str) and raw_url.strip():
                url = raw_url.strip()
        if digest or url:
            out.append(ImageRef(digest, url))
    return tuple(out)


def finding_from_record(raw: Any, text: str, version: str) -> FindingData | None:
    """A precomputed finding (the scan record contract) when it is of ``version`` and sound.

    Anything else — another detector version, a missing field, an unknown
    indicator kind, a span that does not index the text — gives ``None``, and
    the post is detected anew.
    """
    if not isinstance(raw, Mapping) or raw.get("detector_version") != version:
        return None
    try:
        risk = float(raw["risk"])
        level = Level(raw["level"])
        lang = raw["lang"]
        indicators = _indicators(raw.get("indicators") or (), len(text))
        flags = _flags(raw.get("flags") or (), len(text))
    except (KeyError, TypeError, ValueError):
        return None
    if not 0.0 <= risk <= 1.0 or not isinstance(lang, str):
        return None
    return FindingData(
        risk=risk,
        level=level,
        lang=lang,
        detector_version=version,
        explanation=str(raw.get("explanation") or ""),
        indicators=indicators,
        flags=flags,
    )


# The loops below run for every indicator and flag of every precomputed post:
# one function each, checks inline.


def _indicators(items: Iterable[Any], length: int) -> tuple[StoredIndicator, ...]:
    out = []
    for item in items:
        kind, value = item["kind"], item["value"]
        if kind not in _KINDS or not isinstance(value, str) or not value:
            raise ValueError("not an indicator")
        start, end = item["span"]
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
            raise ValueError("span out of the text")
        attrs = dict(item)  # all but the four fields above, in the record's order
        del attrs["kind"], attrs["value"], attrs["span"]
        attrs.pop("evidence", None)
        out.append(StoredIndicator(kind, value[:_MAX_VALUE], start, end, attrs))
    return tuple(out)


def _flags(items: Iterable[Any], length: int) -> tuple[StoredFlag, ...]:
    out = []
    for item in items:
        start, end = item["span"]
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
            raise ValueError("span out of the text")
        out.append(StoredFlag(str(item["code"]), start, end, float(item["weight"])))
    return tuple(out)
