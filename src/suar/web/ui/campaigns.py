"""Campaign pages: the list of live campaigns, and one campaign with its evidence and history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from suar.access import Action
from suar.store.campaigns import CampaignRepository
from suar.store.dashboard import campaign_days, post_page
from suar.warn.campaigns import UnknownCampaign, campaign_detail
from suar.web.api.views import counts, destinations
from suar.web.errors import NotFound
from suar.web.guards import ui_allowed
from suar.web.pagination import InvalidCursor, decode_cursor, encode_cursor
from suar.web.ui.charts import stacked_bars
from suar.web.ui.context import UiContext
from suar.web.ui.names import ALERT_KINDS, ALERT_STATUSES, LEVELS
from suar.web.ui.warnpages import shown_posts

router = APIRouter()

#: Campaigns per page of the list, posts per page of a campaign.
PAGE_SIZE = 50
POSTS_PER_PAGE = 20

Ref = Annotated[str, Path(pattern=r"^cmp_[0-9a-f]{1,32}$", max_length=40)]


def _level_labels(ctx: UiContext) -> dict[str, str]:
    return {k: ctx.gettext(v) for k, v in LEVELS.items()}


@router.get("/campaigns", summary="Campaigns")
def campaign_list(
    ctx: Annotated[UiContext, ui_allowed(Action.CAMPAIGN_READ)],
    cursor: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """Live campaigns of two posts or more, most recently seen first."""
    try:
        start = decode_cursor("ui-campaigns", cursor or None)
    except InvalidCursor:
        start = None
    offset = start if isinstance(start, int) and start >= 0 else 0
    with ctx.state.db.read() as session:
        found = CampaignRepository(session).list_live(
            min_posts=2, limit=PAGE_SIZE + 1, offset=offset
        )
    more = len(found) > PAGE_SIZE
    rows = [
        (c, counts(c.summary, "languages"), counts(c.summary, "countries"), destinations(c.summary))
        for c in found[:PAGE_SIZE]
    ]
    older = (
        "/campaigns?" + urlencode({"cursor": encode_cursor("ui-campaigns", offset + PAGE_SIZE)})
        if more
        else None
    )
    return ctx.render(
        "campaigns.html",
        active="campaigns",
        campaigns=rows,
        older=older,
        paged=offset > 0,
        levels=_level_labels(ctx),
    )


def _timeline(ctx: UiContext, days: list[tuple[date, int]]) -> object:
    if not days:
        return ""
    first, last = days[0][0], days[-1][0]
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    title = ctx.gettext("Posts per day")
    return stacked_bars(span, {"posts": dict(days)}, title=title, labels={"posts": title})


@router.get("/campaigns/{ref}", summary="One campaign")
def campaign_view(
    ctx: Annotated[UiContext, ui_allowed(Action.CAMPAIGN_READ)],
    ref: Ref,
    cursor: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """The campaign: its posts with the evidence highlighted, indicators, timeline,
    destinations, merges and alerts. A merged campaign shows the live one holding it."""
    assert ctx.actor is not None
    listing = f"ui-campaign-posts:{ref}"
    try:
        start = decode_cursor(listing, cursor or None)
    except InvalidCursor:
        start = None
    with ctx.state.db.read() as session:
        try:
            detail = campaign_detail(session, ctx.actor, ref, posts=0, indicators=100)
        except UnknownCampaign:
            raise NotFound(f"no campaign {ref}") from None
        live = detail.live
        posts = post_page(
            session,
            campaign_id=live.id,
            before_id=start if isinstance(start, int) else None,
            limit=POSTS_PER_PAGE + 1,
        )
        more = len(posts) > POSTS_PER_PAGE
        shown = shown_posts(session, posts[:POSTS_PER_PAGE])
        days = campaign_days(session, live.id)
    older = (
        f"/campaigns/{ref}?" + urlencode({"cursor": encode_cursor(listing, shown[-1].post.id)})
        if more and shown
        else None
    )
    return ctx.render(
        "campaign.html",
        active="campaigns",
        detail=detail,
        campaign=live,
        languages=counts(live.summary, "languages"),
        countries=counts(live.summary, "countries"),
        destinations=destinations(live.summary),
        posts=shown,
        older=older,
        paged=start is not None,
        timeline=_timeline(ctx, days),
        levels=_level_labels(ctx),
        kinds={k: ctx.gettext(v) for k, v in ALERT_KINDS.items()},
        statuses={k: ctx.gettext(v) for k, v in ALERT_STATUSES.items()},
    )
