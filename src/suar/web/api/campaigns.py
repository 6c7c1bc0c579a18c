"""``/api/v1/campaigns``: live campaigns, one campaign with its merges, and its posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from suar.access import Action, Actor
from suar.domain import Level
from suar.store.campaigns import CampaignRecord
from suar.store.dashboard import campaign_days
from suar.store.pages import campaign_post_page
from suar.warn.campaigns import UnknownCampaign, campaign_detail, list_campaigns
from suar.web.api.views import (
    CampaignDetailOut,
    CampaignOut,
    IndicatorOut,
    PostOut,
    alert_out,
    campaign_out,
    json_response,
    post_out,
)
from suar.web.errors import NotFound
from suar.web.guards import ApiRead, api_allowed, api_read
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["campaigns"])

Ref = Annotated[
    str, Path(pattern=r"^cmp_[0-9a-f]{1,32}$", max_length=40, description="The campaign's ref.")
]


@router.get("/campaigns", response_model=Page[CampaignOut], summary="Campaigns")
def read_campaigns(
    actor: Annotated[Actor, api_allowed(Action.CAMPAIGN_READ)],
    state: StateDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    min_posts: Annotated[
        int, Query(ge=1, le=1_000_000, description="At least this many posts.")
    ] = 2,
    level: Annotated[Level, Query(description="At least this level.")] = Level.NONE,
) -> Page[CampaignOut]:
    """Live campaigns, most recently seen first."""
    kind = f"campaigns:{min_posts}:{level.value}"
    start = decode_cursor(kind, cursor)
    offset = start if isinstance(start, int) and start >= 0 else 0
    with state.db.read() as session:
        # list_campaigns pages by count; ask for one more to know whether a next page exists.
        found = list_campaigns(
            session, actor, min_posts=min_posts, min_level=level, limit=offset + limit + 1
        )[offset:]
    more = len(found) > limit
    return Page[CampaignOut](
        items=[campaign_out(c) for c in found[:limit]],
        limit=limit,
        next_cursor=encode_cursor(kind, offset + limit) if more else None,
    )


def _detail(access: ApiRead, ref: str) -> CampaignDetailOut:
    with access.unit() as (actor, session):
        try:
            detail = campaign_detail(session, actor, ref, posts=0, indicators=100)
        except UnknownCampaign as exc:
            raise NotFound(str(exc)) from None
        timeline = campaign_days(session, detail.live.id)
    live = detail.live

    def out(c: CampaignRecord) -> CampaignOut:
        return campaign_out(c, live.ref)

    base = out(detail.campaign).model_dump()
    if detail.campaign.id != live.id:
        # A merged campaign's own row is frozen; show the live one's aggregates.
        base = out(live).model_dump() | {
            "ref": detail.campaign.ref,
            "merged_into": live.ref,
            "merged_at": detail.campaign.merged_at,
        }
    return CampaignDetailOut(
        **base,
        live=live.ref,
        indicators=[
            IndicatorOut(
                kind=i.kind,
                value=i.value,
                posts=i.posts,
                first_seen=i.first_seen,
                last_seen=i.last_seen,
                capped=(i.kind, i.value) in detail.capped,
            )
            for i in detail.indicators
        ],
        merged_from=[out(m) for m in detail.merged_from],
        alerts=[alert_out(a) for a in detail.alerts],
        timeline=[(day.isoformat(), n) for day, n in timeline],
    )


@router.get("/campaigns/{ref}", response_model=CampaignDetailOut, summary="One campaign")
def read_campaign(access: Annotated[ApiRead, api_read(Action.CAMPAIGN_READ)], ref: Ref) -> Response:
    """The campaign, following a merge to the live campaign that holds its posts now.

    ``merged_from`` lists the campaigns merged into it; ``timeline`` its posts per UTC day.
    """
    return json_response(_detail(access, ref))


@router.get("/campaigns/{ref}/posts", response_model=Page[PostOut], summary="A campaign's posts")
def read_campaign_posts(
    access: Annotated[ApiRead, api_read(Action.CAMPAIGN_READ)],
    ref: Ref,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    """The posts of the live campaign holding ``ref``, newest first, each with its finding."""
    kind = f"campaign-posts:{ref}"
    with access.unit() as (_actor, session):
        start = decode_cursor(kind, cursor)
        page = campaign_post_page(
            session, ref, before_id=start if isinstance(start, int) else None, limit=limit + 1
        )
    if page is None:
        raise NotFound(f"no campaign {ref!r}")
    live, found = page
    more = len(found) > limit
    found = found[:limit]
    return json_response(
        Page[PostOut](
            items=[post_out(post, live.ref, finding) for post, finding in found],
            limit=limit,
            next_cursor=encode_cursor(kind, found[-1][0].id) if more and found else None,
        )
    )
