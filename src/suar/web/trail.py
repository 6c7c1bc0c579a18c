"""Browsing the audit trail page by page, newest or oldest first, with filters.

Entries are numbered without gaps, so a page is read as a window of numbers
through the trail's ordered index, never by scanning from the start. Filters
(actor, action, target, time) are applied to the windows read; a request
reads at most :data:`SCAN_BUDGET` entries, so a rare filter over a long trail
answers quickly with a shorter page and a cursor to go on from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy.orm import Session

from suar.store import AuditLogRepository, AuditRow

#: Most entries one request reads while looking for matches.
SCAN_BUDGET: Final = 20_000
#: Entries read per query.
_WINDOW: Final = 500


class Order(StrEnum):
    """Which end of the trail a listing starts from."""

    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """What to keep: every field set must match (``action`` also matches a dotted prefix)."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def matches(self, entry: TrailEntry) -> bool:
        """True when ``entry`` passes every condition set."""
        if self.actor and entry.actor != self.actor:
            return False
        if self.action and not (
            entry.action == self.action or entry.action.startswith(self.action.rstrip(".") + ".")
        ):
            return False
        if self.target and entry.target != self.target:
            return False
        if self.since and entry.at < self.since:
            return False
        return not (self.until and entry.at >= self.until)


@dataclass(frozen=True, slots=True)
class TrailEntry:
    """One audit entry as shown to auditors."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str | None
    hash: str
    prev: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TrailPage:
    """Entries found, and the entry number to go on from (None at the end)."""

    entries: list[TrailEntry]
    resume_at: int | None


def to_entry(row: AuditRow) -> TrailEntry:
    """An entry from its stored row; an unreadable body shows as empty details."""
    try:
        body = json.loads(row.entry)
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    target = body.get("target")
    details = body.get("details")
    prev = body.get("prev")
    return TrailEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=target if isinstance(target, str) else None,
        hash=row.hash,
        prev=prev if isinstance(prev, str) else "",
        details=details if isinstance(details, dict) else {},
    )


def get_entry(session: Session, seq: int) -> TrailEntry | None:
    """Entry number ``seq``, or None."""
    row = AuditLogRepository(session).get(seq)
    return None if row is None else to_entry(row)


def _ascending(repo: AuditLogRepository, start: int, head: int) -> Iterator[list[AuditRow]]:
    low = start - 1
    while low < head:
        rows = _window(repo, low, low + _WINDOW)
        yield rows
        low += _WINDOW


def _descending(repo: AuditLogRepository, start: int) -> Iterator[list[AuditRow]]:
    high = start
    while high >= 1:
        low = max(0, high - _WINDOW)
        yield list(reversed(_window(repo, low, high)))
        high = low


def _window(repo: AuditLogRepository, low: int, high: int) -> list[AuditRow]:
    # Entries numbered low+1 .. high, in one indexed query.
    rows: list[AuditRow] = []
    for row in repo.iterate(after=low, batch=_WINDOW):
        if row.seq > high:
            break
        rows.append(row)
        if len(rows) >= high - low:
            break
    return rows


def page(
    session: Session,
    flt: EntryFilter,
    *,
    limit: int,
    order: Order = Order.NEWEST,
    start: int | None = None,
) -> TrailPage:
    """Up to ``limit`` matching entries from entry ``start`` on, in ``order``.

    ``start`` is the first number to look at (the newest or the oldest entry
    when None). ``resume_at`` is where the next page starts.
    """
    repo = AuditLogRepository(session)
    head_row = repo.head()
    head = 0 if head_row is None else head_row.seq
    if order is Order.NEWEST:
        first = head if start is None else min(start, head)
        windows = _descending(repo, first)
    else:
        first = 1 if start is None else max(start, 1)
        windows = _ascending(repo, first, head)
    found: list[TrailEntry] = []
    scanned = 0
    for rows in windows:
        for row in rows:
            scanned += 1
            if order is Order.NEWEST and row.seq > first:
                continue
            if order is Order.OLDEST and row.seq < first:
                continue
            entry = to_entry(row)
            if flt.matches(entry):
                found.append(entry)
            nxt = row.seq - 1 if order is Order.NEWEST else row.seq + 1
            if len(found) >= limit or scanned >= SCAN_BUDGET:
                more = 1 <= nxt <= head
                return TrailPage(found, nxt if more else None)
    return TrailPage(found, None)
