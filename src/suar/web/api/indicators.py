"""``/api/v1/indicators``: where an indicator value was seen (posts, campaigns, watchlist)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict

from suar.access import Action, Actor, is_allowed
from suar.domain import INDICATOR_KINDS
from suar.store.campaign_indicators import CampaignIndicatorRepository
from suar.store.dashboard import campaign_refs
from suar.store.evidence import indicator_count, indicator_posts
from suar.store.watchlist import WatchlistRepository
from suar.web.errors import NotFound
from suar.web.guards import api_allowed
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["indicators"])

Kind = Annotated[str, Path(max_length=16, description="The indicator kind (phone, telegram, ...).")]
Value = Annotated[str, Path(max_length=1000, description="The normalised value.")]


class HolderOut(BaseModel):
    """A live campaign holding the value."""

    model_config = ConfigDict(frozen=True)

    campaign: str
    posts: int
    first_seen: datetime
    last_seen: datetime


class WatchOut(BaseModel):
    """A watchlist entry for the value."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    source: str
    note: str
    added_at: datetime


class SightingsOut(BaseModel):
    """Where a value was seen: campaigns, watchlist entries, and a page of post ids."""

    model_config = ConfigDict(frozen=True)

    kind: str
    value: str
    posts: int
    campaigns: list[HolderOut]
    watchlist: list[WatchOut]
    post_ids: list[int]
    limit: int
    next_cursor: str | None


def check_kind(kind: str) -> None:
    """Raise :class:`NotFound` for a kind the detector never produces."""
    if kind not in INDICATOR_KINDS:
        raise NotFound(f"no indicator kind {kind!r}")


@router.get(
    "/indicators/{kind}/{value:path}", response_model=SightingsOut, summary="Where a value was seen"
)
def read_sightings(
    actor: Annotated[Actor, api_allowed(Action.POST_READ)],
    state: StateDep,
    kind: Kind,
    value: Value,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> SightingsOut:
    """The campaigns holding (kind, value), its watchlist entries, and the posts carrying it.

    Values are looked up as stored (normalised: E.164 phone numbers, lower-case handles).
    """
    check_kind(kind)
    listing = f"sightings:{kind}:{value}"
    start = decode_cursor(listing, cursor)
    with state.db.read() as session:
        posts = indicator_count(session, kind, value)
        ids = indicator_posts(
            session,
            kind,
            value,
            before_id=start if isinstance(start, int) else None,
            limit=limit + 1,
        )
        holders = CampaignIndicatorRepository(session).holders([(kind, value)])
        refs = campaign_refs(session, [h.campaign_id for h in holders])
        # Watchlist entries are shown only to those who may read the watchlist.
        watched = (
            WatchlistRepository(session).matching([value])
            if is_allowed(actor, Action.WATCHLIST_READ)
            else []
        )
    more = len(ids) > limit
    ids = ids[:limit]
    return SightingsOut(
        kind=kind,
        value=value,
        posts=posts,
        campaigns=[
            HolderOut(
                campaign=refs[h.campaign_id],
                posts=h.posts,
                first_seen=h.first_seen,
                last_seen=h.last_seen,
            )
            for h in sorted(holders, key=lambda h: -h.posts)
            if h.campaign_id in refs
        ],
        watchlist=[
            WatchOut(id=w.id, kind=w.kind, source=w.source, note=w.note, added_at=w.added_at)
            for w in watched
        ],
        post_ids=ids,
        limit=limit,
        next_cursor=encode_cursor(listing, ids[-1]) if more and ids else None,
    )
