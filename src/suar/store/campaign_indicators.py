"""Strong indicator values per live campaign, and how widely each value has spread.

``campaign_indicators`` says which live campaigns hold a value (the look-up
that links a new post to a campaign through a shared phone number, account,
domain or wallet); ``indicator_spread`` counts the unrelated posts a value
was seen in, so that values too common to identify anyone stop linking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, select
from sqlalchemy.orm import Session

from suar.store.bulk import BulkWriter
from suar.store.statements import chunks
from suar.store.tables import CampaignIndicatorRow, IndicatorSpreadRow, table_of


@dataclass(frozen=True, slots=True)
class CampaignIndicator:
    """A strong value held by a campaign: in how many of its posts, first and last seen."""

    kind: str
    value: str
    campaign_id: int
    posts: int
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class Spread:
    """How many unrelated posts carried a value, and when it was capped (stopped linking)."""

    kind: str
    value: str
    unrelated_posts: int
    capped_at: datetime | None


@cache
def _statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    # Built once: the look-ups of ingest and of every campaign page.
    held, spread = table_of(CampaignIndicatorRow), table_of(IndicatorSpreadRow)
    values: BindParameter[str] = bindparam("values", expanding=True)
    columns = (
        held.c.kind,
        held.c.value,
        held.c.campaign_id,
        held.c.posts,
        held.c.first_seen,
        held.c.last_seen,
    )
    holders = select(*columns).where(held.c.value.in_(values))
    of_campaign = (
        select(*columns, spread.c.capped_at.is_not(None))
        .outerjoin(spread, (spread.c.value == held.c.value) & (spread.c.kind == held.c.kind))
        .where(held.c.campaign_id == bindparam("campaign"))
        .order_by(held.c.posts.desc(), held.c.kind, held.c.value)
        .limit(bindparam("limit"))
    )
    spreads = select(
        spread.c.kind, spread.c.value, spread.c.unrelated_posts, spread.c.capped_at
    ).where(spread.c.value.in_(values))
    return holders, of_campaign, spreads


def _by_value(pairs: Iterable[tuple[str, str]]) -> tuple[set[tuple[str, str]], list[str]]:
    wanted = set(pairs)
    return wanted, sorted({value for _, value in wanted})


class CampaignIndicatorRepository:
    """Reads and writes campaign indicators and spreads inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def holders(self, pairs: Iterable[tuple[str, str]]) -> list[CampaignIndicator]:
        """Every live campaign's row for any of the (kind, value) pairs."""
        wanted, values = _by_value(pairs)
        out: list[CampaignIndicator] = []
        for part in chunks(values):
            rows = self._session.execute(_statements()[0], {"values": list(part)})
            out.extend(
                CampaignIndicator(k, v, int(c), int(n), f, last)
                for k, v, c, n, f, last in rows
                if (k, v) in wanted
            )
        return out

    def of_campaign(
        self, campaign_id: int, *, limit: int = 100
    ) -> list[tuple[CampaignIndicator, bool]]:
        """The campaign's strong values, the most frequent first, each with whether it is capped.

        A capped value reached the spread cap and no longer links posts.
        """
        rows = self._session.execute(_statements()[1], {"campaign": campaign_id, "limit": limit})
        return [
            (CampaignIndicator(k, v, int(c), int(n), f, last), bool(capped))
            for k, v, c, n, f, last, capped in rows
        ]

    def save(self, rows: Sequence[CampaignIndicator]) -> None:
        """Insert or overwrite campaign indicator rows with the values given."""
        BulkWriter(self._session).insert(
            table_of(CampaignIndicatorRow),
            ("value", "kind", "campaign_id", "posts", "first_seen", "last_seen"),
            [(r.value, r.kind, r.campaign_id, r.posts, r.first_seen, r.last_seen) for r in rows],
            conflict=("value", "kind", "campaign_id"),
            update=("posts", "first_seen", "last_seen"),
        )

    def spreads(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Spread]:
        """The spread of each (kind, value) pair seen before."""
        wanted, values = _by_value(pairs)
        out: dict[tuple[str, str], Spread] = {}
        for part in chunks(values):
            rows = self._session.execute(_statements()[2], {"values": list(part)})
            for k, v, n, capped in rows:
                if (k, v) in wanted:
                    out[(k, v)] = Spread(k, v, int(n), capped)
        return out

    def save_spreads(self, rows: Sequence[Spread]) -> None:
        """Insert or overwrite spreads with the values given."""
        BulkWriter(self._session).insert(
            table_of(IndicatorSpreadRow),
            ("value", "kind", "unrelated_posts", "capped_at"),
            [(r.value, r.kind, r.unrelated_posts, r.capped_at) for r in rows],
            conflict=("value", "kind"),
            update=("unrelated_posts", "capped_at"),
        )

    def capped(self, *, limit: int = 100) -> list[Spread]:
        """Values that reached the cap and no longer link, the most widespread first."""
        table = table_of(IndicatorSpreadRow)
        rows = self._session.execute(
            select(table.c.kind, table.c.value, table.c.unrelated_posts, table.c.capped_at)
            .where(table.c.capped_at.is_not(None))
            .order_by(table.c.unrelated_posts.desc())
            .limit(limit)
        )
        return [Spread(k, v, int(n), c) for k, v, n, c in rows]
