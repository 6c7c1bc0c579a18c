"""Search: campaigns by ref, indicator values, and post text."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from suar.access import Action
from suar.store.dashboard import campaign_of_posts, posts_by_id
from suar.store.evidence import campaign_ref_exists, search_indicators, search_posts
from suar.web.guards import ui_allowed
from suar.web.ui.context import UiContext
from suar.web.ui.indicators import indicator_url
from suar.web.ui.warnpages import shown_posts

router = APIRouter()

#: Shortest term searched (shorter ones would match almost everything).
MIN_TERM = 2


@router.get("/search", summary="Search")
def search_view(
    ctx: Annotated[UiContext, ui_allowed(Action.POST_READ)],
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """A campaign ref goes to its page; anything else finds indicator values and posts."""
    term = " ".join(q.split())
    if term.startswith("cmp_") and ctx.can("campaign.read"):
        with ctx.state.db.read() as session:
            if campaign_ref_exists(session, term):
                return ctx.redirect(f"/campaigns/{term}")
    indicators, posts = [], []
    if len(term) >= MIN_TERM:
        with ctx.state.db.read() as session:
            indicators = [
                (hit, indicator_url(hit.kind, hit.value))
                for hit in search_indicators(session, term)
            ]
            ids = search_posts(session, term, limit=50)
            found = posts_by_id(session, ids)
            posts = shown_posts(
                session, [found[i] for i in ids if i in found], campaign_of_posts(session, ids)
            )
    return ctx.render(
        "search.html",
        active="search",
        q=term,
        searched=len(term) >= MIN_TERM,
        too_short=0 < len(term) < MIN_TERM,
        indicators=indicators,
        posts=posts,
    )
