"""Read-only queries for the node's web faces: pages of alerts, posts and campaigns, counts.

The ingest, campaign and alert modules own these tables and their writes;
this module only adds the reads the API and the UI page through (keyset
pagination on ids, so a page costs one index range whatever its depth) and
the counts the dashboard shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Final

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from suar.store.alerts import AlertRecord
from suar.store.posts import PostRecord
from suar.store.tables import AlertRow, CampaignPostRow, CampaignRow, PostRow

_ALERT_COLUMNS: Final = (
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
#: The columns a :class:`PostRecord` is read from, in its fields' order.
POST_COLUMNS: Final = (
    "id",
    "source",
    "post_key",
    "external_id",
    "text",
    "url",
    "author",
    "lang",
    "country",
    "posted_at",
    "seen_at",
    "ingested_at",
    "origin",
    "tlp",
    "handling",
)


@dataclass(frozen=True, slots=True)
class DayCount:
    """Posts first seen on one UTC day with one language and country."""

    day: date
    lang: str
    country: str
    posts: int


@cache
def _alert_select() -> Any:
    # Built once (its columns and aliases cost more than the query on SQLite).
    alerts, campaigns = AlertRow.__table__, CampaignRow.__table__
    live = CampaignRow.__table__.alias("live")
    return (
        select(*(alerts.c[name] for name in _ALERT_COLUMNS), campaigns.c.ref, live.c.ref)
        .outerjoin(campaigns, campaigns.c.id == alerts.c.campaign_id)
        .outerjoin(live, live.c.id == func.coalesce(campaigns.c.merged_into, campaigns.c.id))
    )


def _alert(row: Any) -> AlertRecord:
    values = dict(zip(_ALERT_COLUMNS, row[: len(_ALERT_COLUMNS)], strict=True))
    values["details"] = dict(values["details"] or {})
    return AlertRecord(**values, campaign_ref=row[-2], live_campaign_ref=row[-1])


def alert_page(
    session: Session,
    *,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    campaign_ids: Sequence[int] | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AlertRecord]:
    """Alerts newest first (by id), below ``before_id`` when given, filtered when given."""
    table = AlertRow.__table__
    stmt = _alert_select()
    if statuses:
        stmt = stmt.where(table.c.status.in_(list(statuses)))
    if kinds:
        stmt = stmt.where(table.c.kind.in_(list(kinds)))
    if campaign_ids is not None:
        stmt = stmt.where(table.c.campaign_id.in_(list(campaign_ids)))
    if before_id is not None:
        stmt = stmt.where(table.c.id < before_id)
    stmt = stmt.order_by(table.c.id.desc()).limit(limit)
    return [_alert(row) for row in session.execute(stmt)]


def alert_counts(session: Session) -> dict[str, int]:
    """How many alerts stand in each status."""
    table = AlertRow.__table__
    rows = session.execute(select(table.c.status, func.count()).group_by(table.c.status))
    return {str(status): int(count) for status, count in rows}


def post_record(row: Any) -> PostRecord:
    """A post from a row of the :data:`POST_COLUMNS`, in that order."""
    return PostRecord(**dict(zip(POST_COLUMNS, row, strict=True)))


def _post_select() -> Any:
    table = PostRow.__table__
    return select(*(table.c[name] for name in POST_COLUMNS))


def post_page(
    session: Session,
    *,
    lang: str | None = None,
    country: str | None = None,
    source: str | None = None,
    campaign_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[PostRecord]:
    """Posts newest first (by id), filtered by language, country, source and live campaign."""
    table, links = PostRow.__table__, CampaignPostRow.__table__
    stmt = _post_select()
    if campaign_id is not None:
        stmt = stmt.join(links, links.c.post_id == table.c.id).where(
            links.c.campaign_id == campaign_id
        )
    if lang is not None:
        stmt = stmt.where(table.c.lang == lang)
    if country is not None:
        stmt = stmt.where(table.c.country == country)
    if source is not None:
        stmt = stmt.where(table.c.source == source)
    if before_id is not None:
        stmt = stmt.where(table.c.id < before_id)
    stmt = stmt.order_by(table.c.id.desc()).limit(limit)
    return [post_record(row) for row in session.execute(stmt)]


def posts_by_id(session: Session, post_ids: Sequence[int]) -> dict[int, PostRecord]:
    """The stored posts among ``post_ids``, by id."""
    if not post_ids:
        return {}
    table = PostRow.__table__
    rows = session.execute(_post_select().where(table.c.id.in_(list(post_ids))))
    return {post.id: post for post in map(post_record, rows)}


def campaign_of_posts(session: Session, post_ids: Sequence[int]) -> dict[int, str]:
    """The ref of the live campaign holding each of ``post_ids`` that has one."""
    if not post_ids:
        return {}
    links, campaigns = CampaignPostRow.__table__, CampaignRow.__table__
    rows = session.execute(
        select(links.c.post_id, campaigns.c.ref)
        .join(campaigns, campaigns.c.id == links.c.campaign_id)
        .where(links.c.post_id.in_(list(post_ids)))
    )
    return {int(post_id): str(ref) for post_id, ref in rows}


def posts_per_day(session: Session, since: datetime) -> list[DayCount]:
    """Posts seen since ``since``, counted by UTC day, language and country."""
    table = PostRow.__table__
    day = func.date(table.c.seen_at)
    rows = session.execute(
        select(day, table.c.lang, table.c.country, func.count())
        .where(table.c.seen_at >= since)
        .group_by(day, table.c.lang, table.c.country)
        .order_by(day)
    )
    return [
        DayCount(_as_date(d), lang or "und", country or "ZZ", int(n))
        for d, lang, country, n in rows
    ]


@cache
def _days_statement() -> Any:
    links = CampaignPostRow.__table__
    day = func.date(links.c.seen_at)
    return (
        select(day, func.count())
        .where(links.c.campaign_id == bindparam("campaign"))
        .group_by(day)
        .order_by(day)
    )


def campaign_days(session: Session, campaign_id: int) -> list[tuple[date, int]]:
    """The live campaign's posts counted by the UTC day they were seen, oldest first."""
    rows = session.execute(_days_statement(), {"campaign": campaign_id}).all()
    return [(_as_date(d), int(n)) for d, n in rows]


def _as_date(value: Any) -> date:
    # SQLite's date() answers text, PostgreSQL's a date.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def campaign_refs(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The public ref of each campaign id."""
    if not ids:
        return {}
    table = CampaignRow.__table__
    rows = session.execute(select(table.c.id, table.c.ref).where(table.c.id.in_(list(ids))))
    return {int(i): str(ref) for i, ref in rows}
