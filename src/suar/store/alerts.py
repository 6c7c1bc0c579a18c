"""Alerts and their lifecycle events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Final

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from suar.store.statements import chunks, insert_ignoring_duplicates
from suar.store.tables import AlertEventRow, AlertRow, CampaignRow, table_of

_COLUMNS: Final = (
    "id",
    "kind",
    "dedupe_key",
    "campaign_id",
    "post_id",
    "watchlist_id",
    "created_at",
    "status",
    "status_at",
    "status_by",
    "reason",
    "tlp",
    "details",
)


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """A stored alert. ``campaign_ref`` is the live campaign holding its campaign now."""

    id: int
    kind: str
    dedupe_key: str
    campaign_id: int | None
    post_id: int | None
    watchlist_id: int | None
    created_at: datetime
    status: str
    status_at: datetime
    status_by: str
    reason: str
    tlp: str
    details: dict[str, Any] = field(default_factory=dict)
    campaign_ref: str | None = None
    live_campaign_ref: str | None = None


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to raise; nothing happens when one with the same ``dedupe_key`` exists."""

    kind: str
    dedupe_key: str
    campaign_id: int | None
    post_id: int | None
    watchlist_id: int | None
    created_at: datetime
    actor: str
    tlp: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One lifecycle step of an alert."""

    seq: int
    status: str
    at: datetime
    actor: str
    reason: str


@cache
def _select() -> Any:
    # Built once: a Select is immutable, and every caller chains a new one from it.
    alerts, campaigns = table_of(AlertRow), table_of(CampaignRow)
    live = table_of(CampaignRow).alias("live")
    return (
        select(*(alerts.c[name] for name in _COLUMNS), campaigns.c.ref, live.c.ref)
        .outerjoin(campaigns, campaigns.c.id == alerts.c.campaign_id)
        .outerjoin(live, live.c.id == func.coalesce(campaigns.c.merged_into, campaigns.c.id))
    )


def _record(row: Any) -> AlertRecord:
    values = dict(zip(_COLUMNS, row[: len(_COLUMNS)], strict=True))
    values["details"] = dict(values["details"] or {})
    return AlertRecord(**values, campaign_ref=row[-2], live_campaign_ref=row[-1])


@cache
def _search(statuses: bool, kinds: bool, campaigns: bool) -> Any:
    # One statement per combination of filters, each built once.
    table = table_of(AlertRow)
    stmt = _select()
    if statuses:
        stmt = stmt.where(table.c.status.in_(bindparam("statuses", expanding=True)))
    if kinds:
        stmt = stmt.where(table.c.kind.in_(bindparam("kinds", expanding=True)))
    if campaigns:
        stmt = stmt.where(table.c.campaign_id.in_(bindparam("campaigns", expanding=True)))
    return stmt.order_by(table.c.id.desc()).limit(bindparam("limit"))


class AlertRepository:
    """Raises, reads and moves alerts inside the caller's unit of work (adds and flushes only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def raise_new(self, alerts: Sequence[NewAlert]) -> list[int]:
        """Insert the alerts not raised before (by ``dedupe_key``); return the new ids.

        Each new alert gets its first lifecycle event (``new``, by ``actor``).
        """
        table = table_of(AlertRow)
        ids: list[int] = []
        for alert in alerts:
            stmt = insert_ignoring_duplicates(self._session, table).returning(table.c.id)
            new_id = self._session.execute(
                stmt,
                {
                    "kind": alert.kind,
                    "dedupe_key": alert.dedupe_key,
                    "campaign_id": alert.campaign_id,
                    "post_id": alert.post_id,
                    "watchlist_id": alert.watchlist_id,
                    "created_at": alert.created_at,
                    "status": "new",
                    "status_at": alert.created_at,
                    "status_by": alert.actor,
                    "reason": "",
                    "tlp": alert.tlp,
                    "details": alert.details,
                },
            ).scalar_one_or_none()
            if new_id is None:
                continue
            ids.append(int(new_id))
            self._session.execute(
                table_of(AlertEventRow).insert(),
                {
                    "alert_id": new_id,
                    "seq": 1,
                    "status": "new",
                    "at": alert.created_at,
                    "actor": alert.actor,
                    "reason": "",
                },
            )
        return ids

    def get(self, alert_id: int) -> AlertRecord | None:
        """The alert with this id, or ``None``."""
        row = self._session.execute(_select().where(table_of(AlertRow).c.id == alert_id)).first()
        return None if row is None else _record(row)

    def search(
        self,
        *,
        statuses: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        campaign_ids: Sequence[int] | None = None,
        limit: int = 100,
    ) -> list[AlertRecord]:
        """Alerts, newest first, filtered by status, kind and campaign when given."""
        values: dict[str, Any] = {"limit": limit}
        if statuses:
            values["statuses"] = list(statuses)
        if kinds:
            values["kinds"] = list(kinds)
        if campaign_ids is not None:
            values["campaigns"] = list(campaign_ids)
        stmt = _search(bool(statuses), bool(kinds), campaign_ids is not None)
        return [_record(row) for row in self._session.execute(stmt, values)]

    def of_campaigns(self, kind: str, campaign_ids: Iterable[int]) -> list[AlertRecord]:
        """Alerts of ``kind`` raised on any of these campaigns (ids as stored)."""
        table = table_of(AlertRow)
        out: list[AlertRecord] = []
        for part in chunks(sorted(set(campaign_ids))):
            stmt = _select().where(table.c.kind == kind, table.c.campaign_id.in_(part))
            out.extend(_record(row) for row in self._session.execute(stmt))
        return out

    def move(self, alert_id: int, *, status: str, at: datetime, actor: str, reason: str) -> None:
        """Set the alert's status and append the lifecycle event."""
        table, events = table_of(AlertRow), table_of(AlertEventRow)
        self._session.execute(
            update(table)
            .where(table.c.id == alert_id)
            .values(status=status, status_at=at, status_by=actor, reason=reason)
        )
        last = self._session.scalar(
            select(func.max(events.c.seq)).where(events.c.alert_id == alert_id)
        )
        self._session.execute(
            events.insert(),
            {
                "alert_id": alert_id,
                "seq": int(last or 0) + 1,
                "status": status,
                "at": at,
                "actor": actor,
                "reason": reason,
            },
        )

    def events(self, alert_id: int) -> list[AlertEvent]:
        """The alert's lifecycle, oldest first."""
        events = table_of(AlertEventRow)
        rows = self._session.execute(
            select(events.c.seq, events.c.status, events.c.at, events.c.actor, events.c.reason)
            .where(events.c.alert_id == alert_id)
            .order_by(events.c.seq)
        )
        return [AlertEvent(int(s), st, at, a, r) for s, st, at, a, r in rows]
