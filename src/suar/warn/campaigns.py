"""Campaigns as analysts read them: lists, one campaign in detail, post assignments.

Posts are grouped into campaigns as they are ingested (:mod:`suar.warn.assignment`);
this module only reads. docs/campaigns.md explains how campaigns form and why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from suar.access import Action, Actor, Resource, authorize
from suar.domain import Level
from suar.errors import InputError
from suar.store.alerts import AlertRecord, AlertRepository
from suar.store.campaign_indicators import CampaignIndicator, CampaignIndicatorRepository
from suar.store.campaigns import CampaignPost, CampaignRecord, CampaignRepository
from suar.store.posts import Assignment, PostRepository


class UnknownCampaign(InputError):
    """No campaign has this ref."""

    code = "unknown_campaign"


@dataclass(frozen=True, slots=True)
class CampaignDetail:
    """One campaign with what an analyst needs to judge it.

    ``campaign`` is the one asked for; when it was merged, ``live`` is the
    campaign that holds its posts now (otherwise the same). Indicators,
    posts, merged campaigns and alerts are the live campaign's.
    """

    campaign: CampaignRecord
    live: CampaignRecord
    indicators: tuple[CampaignIndicator, ...]
    #: (kind, value) of the live campaign's values that reached the spread cap
    capped: frozenset[tuple[str, str]]
    merged_from: tuple[CampaignRecord, ...]
    posts: tuple[CampaignPost, ...]
    alerts: tuple[AlertRecord, ...]


def list_campaigns(
    session: Session,
    actor: Actor,
    *,
    min_posts: int = 2,
    min_level: Level = Level.NONE,
    limit: int = 50,
) -> list[CampaignRecord]:
    """Live campaigns with at least ``min_posts`` posts and ``min_level``, last seen first."""
    authorize(actor, Action.CAMPAIGN_READ)
    levels = [lvl.value for lvl in Level if lvl.rank >= min_level.rank]
    return CampaignRepository(session).list_live(
        min_posts=min_posts,
        min_level_rank=None if min_level is Level.NONE else levels,
        limit=limit,
    )


def campaign_detail(
    session: Session, actor: Actor, ref: str, *, posts: int = 10, indicators: int = 50
) -> CampaignDetail:
    """The campaign ``ref`` (``cmp_...``), following a merge to the campaign holding it now."""
    authorize(actor, Action.CAMPAIGN_READ, Resource("campaign", ref))
    repo = CampaignRepository(session)
    campaign = repo.by_ref(ref.strip())
    if campaign is None:
        raise UnknownCampaign(f"no campaign {ref!r}")
    live = campaign
    if campaign.merged_into is not None:
        live = repo.get_many([campaign.merged_into])[campaign.merged_into]
    shown = CampaignIndicatorRepository(session).of_campaign(live.id, limit=indicators)
    merged = repo.merged_from(live.id)
    family = [live.id, *(m.id for m in merged)]
    alerts = AlertRepository(session).search(campaign_ids=family, limit=50)
    return CampaignDetail(
        campaign=campaign,
        live=live,
        indicators=tuple(i for i, _ in shown),
        capped=frozenset((i.kind, i.value) for i, capped in shown if capped),
        merged_from=tuple(merged),
        posts=tuple(repo.posts(live.id, limit=posts)) if posts else (),
        alerts=tuple(alerts),
    )


def assignments(
    session: Session, actor: Actor, *, source: str | None = None
) -> Iterator[Assignment]:
    """Every stored post's (source, id) and the ref of the live campaign holding it."""
    authorize(actor, Action.CAMPAIGN_READ)
    return PostRepository(session).assignments(source=source)
