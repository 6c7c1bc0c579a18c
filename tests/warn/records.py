"""Posts with precomputed findings, so that campaign and alert tests need not run the detector."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from suar.access import Actor
from suar.detect import Detector
from suar.ingest import Ingest, IngestOptions, IngestStats
from suar.store import Database
from suar.warn.tlp import Tlp

OPERATOR = Actor.operator("tester")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

AD = (
    "URGENT hiring customer service staff in Sihanoukville, salary USD 1,500 per month, "
    "free flight, visa and accommodation, no experience needed. Contact Telegram @{handle} "
    "or WhatsApp {phone}"
)
OTHER_AD = (
    "Lowongan kerja admin online di Kamboja, gaji 20 juta rupiah sebulan, tiket pesawat dan "
    "mess gratis, tidak perlu pengalaman. Hubungi {phone} sekarang juga, kuota terbatas!"
)
THIRD_AD = (
    "รับสมัครพนักงานแอดมินออนไลน์ ทำงานที่เมียวดี เงินเดือน 50,000 บาท มีที่พักฟรี อาหารฟรี "
    "ไม่ต้องมีประสบการณ์ ติดต่อไลน์ {handle} หรือโทร {phone}"
)


@lru_cache(maxsize=1)
def version() -> str:
    """The current detector version (what a precomputed finding must carry)."""
    return Detector().version


def indicator(
    text: str, kind: str, value: str, evidence: str | None = None, **attrs: Any
) -> dict[str, Any]:
    """An indicator record whose span is where ``evidence`` (default: ``value``) is in ``text``."""
    shown = value if evidence is None else evidence
    start = text.index(shown)
    return {
        "kind": kind,
        "value": value,
        "span": [start, start + len(shown)],
        "evidence": shown,
        **attrs,
    }


def post(
    post_id: str | None,
    text: str,
    indicators: Iterable[dict[str, Any]] = (),
    *,
    risk: float = 0.9,
    level: str = "high",
    lang: str = "en",
    posted_at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A JSONL record with a precomputed finding of the current detector version."""
    record: dict[str, Any] = {"text": text, **extra}
    if post_id is not None:
        record["id"] = post_id
    if posted_at is not None:
        record["posted_at"] = posted_at.isoformat()
    record["finding"] = {
        "type": "finding",
        "risk": risk,
        "level": level,
        "lang": lang,
        "detector_version": version(),
        "indicators": list(indicators),
        "flags": [],
        "explanation": "precomputed for a test",
    }
    return record


def lure(post_id: str, handle: str, phone: str, *, template: str = AD, **kw: Any) -> dict[str, Any]:
    """A lure from ``template`` with a Telegram handle and a phone number as indicators."""
    text = template.format(handle=handle, phone=phone)
    found = [indicator(text, "phone", phone)]
    if "{handle}" in template:
        kind = "line" if "ไลน์" in template else "telegram"
        found.append(indicator(text, kind, handle))
    return post(post_id, text, found, **kw)


def write(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    """Write records as JSON Lines and return the path."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def ingest(
    db: Database,
    path: Path,
    *,
    source: str = "test",
    batch_size: int = 100,
    tlp: Tlp = Tlp.AMBER,
    handling: str = "",
    now: datetime = NOW,
    actor: Actor = OPERATOR,
    problems: list[Any] | None = None,
) -> IngestStats:
    """Ingest a JSONL file as the operator, with the clock pinned to ``now``."""
    job = Ingest(
        db,
        actor,
        IngestOptions(source=source, batch_size=batch_size, tlp=tlp, handling=handling),
        on_problem=None if problems is None else problems.append,
        clock=lambda: now,
    )
    return job.run([str(path)])
