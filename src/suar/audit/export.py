"""Exporting the trail as JSON Lines, verifiable without the node.

Each line is an entry's stored canonical JSON, byte for byte, so the SHA-256
of a line (without its newline) is that entry's hash and the next line's
``prev`` must equal it: an auditor can check an export with any JSON tool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session

from suar.store import AuditLogRepository


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """How many entries were written, and the last one's number (0 when none)."""

    entries: int
    last_seq: int


def export_jsonl(session: Session, sink: BinaryIO, *, after: int = 0) -> ExportSummary:
    """Write every entry numbered above ``after`` to ``sink``, one per line, in order."""
    count = 0
    last = after
    for row in AuditLogRepository(session).iterate(after=after):
        sink.write(row.entry.encode("utf-8") + b"\n")
        count += 1
        last = row.seq
    return ExportSummary(entries=count, last_seq=last if count else 0)
