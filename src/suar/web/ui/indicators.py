"""The indicator page: where one value (a phone number, a handle, a domain...) was seen."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from suar.access import Action
from suar.store.campaign_indicators import CampaignIndicatorRepository
from suar.store.dashboard import campaign_of_posts, campaign_refs, posts_by_id
from suar.store.evidence import indicator_count, indicator_posts
from suar.store.watchlist import WatchlistRepository
from suar.web.api.indicators import check_kind
from suar.web.guards import ui_allowed
from suar.web.pagination import InvalidCursor, decode_cursor, encode_cursor
from suar.web.ui.context import UiContext
from suar.web.ui.warnpages import shown_posts

router = APIRouter()

#: Posts per page of an indicator.
PAGE_SIZE = 20


def indicator_url(kind: str, value: str) -> str:
    """The indicator page's path for (kind, value), the value percent-encoded."""
    return f"/indicators/{quote(kind, safe='')}/{quote(value, safe='')}"


@router.get("/indicators/{kind}/{value:path}", summary="One indicator")
def indicator_view(
    ctx: Annotated[UiContext, ui_allowed(Action.POST_READ)],
    kind: Annotated[str, Path(max_length=16)],
    value: Annotated[str, Path(max_length=1000)],
    cursor: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """The campaigns holding the value, its watchlist entries, and the posts carrying it."""
    check_kind(kind)
    listing = f"ui-sightings:{kind}:{value}"
    try:
        start = decode_cursor(listing, cursor or None)
    except InvalidCursor:
        start = None
    with ctx.state.db.read() as session:
        total = indicator_count(session, kind, value)
        ids = indicator_posts(
            session,
            kind,
            value,
            before_id=start if isinstance(start, int) else None,
            limit=PAGE_SIZE + 1,
        )
        more = len(ids) > PAGE_SIZE
        ids = ids[:PAGE_SIZE]
        found = posts_by_id(session, ids)
        posts = shown_posts(
            session, [found[i] for i in ids if i in found], campaign_of_posts(session, ids)
        )
        holders = CampaignIndicatorRepository(session).holders([(kind, value)])
        refs = campaign_refs(session, [h.campaign_id for h in holders])
        watched = (
            WatchlistRepository(session).matching([value]) if ctx.can("watchlist.read") else []
        )
    older = (
        indicator_url(kind, value) + "?" + urlencode({"cursor": encode_cursor(listing, ids[-1])})
        if more and ids
        else None
    )
    return ctx.render(
        "indicator.html",
        active="search",
        kind=kind,
        value=value,
        total=total,
        posts=posts,
        holders=[(refs[h.campaign_id], h) for h in holders if h.campaign_id in refs],
        watched=watched,
        older=older,
    )
