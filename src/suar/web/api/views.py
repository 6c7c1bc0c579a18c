"""Response models shared by the early-warning API routes, and how records become them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from suar.store.alerts import AlertEvent, AlertRecord
from suar.store.campaigns import CampaignRecord
from suar.store.findings import NewFinding
from suar.store.posts import PostRecord


class AlertOut(BaseModel):
    """An alert and where it stands."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    status: str
    status_at: datetime
    status_by: str
    reason: str
    created_at: datetime
    campaign: str | None
    live_campaign: str | None
    post_id: int | None
    watchlist_id: int | None
    tlp: str
    details: dict[str, Any]


class AlertEventOut(BaseModel):
    """One step of an alert's lifecycle."""

    model_config = ConfigDict(frozen=True)

    seq: int
    status: str
    at: datetime
    actor: str
    reason: str


class AlertDetailOut(AlertOut):
    """An alert with its whole lifecycle."""

    events: list[AlertEventOut]


class DestinationOut(BaseModel):
    """A scam hub of the gazetteer that a campaign's posts name, and in how many posts."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    country: str
    posts: int


class CampaignOut(BaseModel):
    """A campaign's aggregates; ``merged_into`` is the live campaign's ref when merged."""

    model_config = ConfigDict(frozen=True)

    ref: str
    merged_into: str | None
    merged_at: datetime | None
    first_seen: datetime
    last_seen: datetime
    posts: int
    risk: float
    level: str
    salary_min_usd: float | None
    salary_max_usd: float | None
    tlp: str
    languages: dict[str, int]
    countries: dict[str, int]
    destinations: list[DestinationOut]


class IndicatorOut(BaseModel):
    """A strong value of a campaign."""

    model_config = ConfigDict(frozen=True)

    kind: str
    value: str
    posts: int
    first_seen: datetime
    last_seen: datetime
    capped: bool


class CampaignDetailOut(CampaignOut):
    """A campaign with its indicators, merged campaigns, alerts and posts per day."""

    live: str
    indicators: list[IndicatorOut]
    merged_from: list[CampaignOut]
    alerts: list[AlertOut]
    timeline: list[tuple[str, int]]


class SpanOut(BaseModel):
    """A span of the post's original text: half-open code-point offsets."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


class FindingIndicatorOut(BaseModel):
    """An indicator of a finding, with where it is in the post."""

    model_config = ConfigDict(frozen=True)

    kind: str
    value: str
    span: SpanOut
    evidence: str
    attrs: dict[str, Any]


class FlagOut(BaseModel):
    """A red flag of a finding, with where it is in the post."""

    model_config = ConfigDict(frozen=True)

    code: str
    span: SpanOut
    evidence: str
    weight: float


class FindingOut(BaseModel):
    """What the detector said about a post."""

    model_config = ConfigDict(frozen=True)

    detector_version: str
    risk: float
    level: str
    lang: str
    explanation: str
    created_at: datetime
    indicators: list[FindingIndicatorOut]
    flags: list[FlagOut]


class PostOut(BaseModel):
    """A stored post with its provenance and the live campaign holding it."""

    model_config = ConfigDict(frozen=True)

    id: int
    source: str
    key: str
    external_id: str | None
    text: str
    url: str | None
    author: str | None
    lang: str | None
    country: str | None
    posted_at: datetime | None
    seen_at: datetime
    ingested_at: datetime
    tlp: str
    handling: str
    campaign: str | None
    finding: FindingOut | None


def alert_out(alert: AlertRecord) -> AlertOut:
    """The API view of an alert."""
    return AlertOut(
        id=alert.id,
        kind=alert.kind,
        status=alert.status,
        status_at=alert.status_at,
        status_by=alert.status_by,
        reason=alert.reason,
        created_at=alert.created_at,
        campaign=alert.campaign_ref,
        live_campaign=alert.live_campaign_ref,
        post_id=alert.post_id,
        watchlist_id=alert.watchlist_id,
        tlp=alert.tlp,
        details=alert.details,
    )


def alert_detail_out(alert: AlertRecord, events: list[AlertEvent]) -> AlertDetailOut:
    """The API view of an alert with its lifecycle."""
    return AlertDetailOut(
        **alert_out(alert).model_dump(),
        events=[
            AlertEventOut(seq=e.seq, status=e.status, at=e.at, actor=e.actor, reason=e.reason)
            for e in events
        ],
    )


def counts(summary: dict[str, Any], key: str) -> dict[str, int]:
    """A count map of a campaign summary (``languages``, ``countries``, ``destinations``)."""
    raw = summary.get(key)
    if not isinstance(raw, dict):
        return {}
    return {str(k): int(v) for k, v in raw.items() if isinstance(v, int | float)}


def destinations(summary: dict[str, Any]) -> list[DestinationOut]:
    """The destinations of a campaign summary, the most named first."""
    raw = summary.get("destinations")
    if not isinstance(raw, dict):
        return []
    out = [
        DestinationOut(
            id=str(key),
            name=str(entry.get("name", key)),
            country=str(entry.get("country", "")),
            posts=int(entry.get("posts", 0)),
        )
        for key, entry in raw.items()
        if isinstance(entry, dict)
    ]
    return sorted(out, key=lambda d: (-d.posts, d.name))


def campaign_out(campaign: CampaignRecord, live_ref: str | None = None) -> CampaignOut:
    """The API view of a campaign (``live_ref``: the ref it was merged into)."""
    return CampaignOut(
        ref=campaign.ref,
        merged_into=live_ref if campaign.merged_into is not None else None,
        merged_at=campaign.merged_at,
        first_seen=campaign.first_seen,
        last_seen=campaign.last_seen,
        posts=campaign.post_count,
        risk=campaign.risk,
        level=campaign.level,
        salary_min_usd=campaign.salary_min_usd,
        salary_max_usd=campaign.salary_max_usd,
        tlp=campaign.tlp,
        languages=counts(campaign.summary, "languages"),
        countries=counts(campaign.summary, "countries"),
        destinations=destinations(campaign.summary),
    )


def _evidence(text: str, start: int, end: int) -> str:
    return text[max(start, 0) : max(end, 0)]


def _finding_fields(text: str, finding: NewFinding) -> dict[str, Any]:
    # Plain values, validated in one pass by the model that holds them: a post
    # page carries hundreds of spans, and building each as a model costs more
    # than the database work of the page.
    return {
        "detector_version": finding.detector_version,
        "risk": finding.risk,
        "level": finding.level,
        "lang": finding.lang,
        "explanation": finding.explanation,
        "created_at": finding.created_at,
        "indicators": [
            {
                "kind": i.kind,
                "value": i.value,
                "span": {"start": i.start, "end": i.end},
                "evidence": _evidence(text, i.start, i.end),
                "attrs": dict(i.attrs),
            }
            for i in finding.indicators
        ],
        "flags": [
            {
                "code": f.code,
                "span": {"start": f.start, "end": f.end},
                "evidence": _evidence(text, f.start, f.end),
                "weight": f.weight,
            }
            for f in finding.flags
        ],
    }


def finding_out(text: str, finding: NewFinding) -> FindingOut:
    """The API view of a finding of the post ``text``, evidence cut from the original text."""
    return FindingOut.model_validate(_finding_fields(text, finding))


def post_out(post: PostRecord, campaign: str | None, finding: NewFinding | None) -> PostOut:
    """The API view of a post."""
    return PostOut.model_validate(
        {
            "id": post.id,
            "source": post.source,
            "key": post.post_key,
            "external_id": post.external_id,
            "text": post.text,
            "url": post.url,
            "author": post.author,
            "lang": post.lang,
            "country": post.country,
            "posted_at": post.posted_at,
            "seen_at": post.seen_at,
            "ingested_at": post.ingested_at,
            "tlp": post.tlp,
            "handling": post.handling,
            "campaign": campaign,
            "finding": None if finding is None else _finding_fields(post.text, finding),
        }
    )


def json_response(model: BaseModel) -> Response:
    """``model`` as the JSON answer, serialised once, in the route's own thread.

    Returned as a model, FastAPI would check it again against the route's
    ``response_model`` in another trip through the thread pool; routes that
    return this still declare ``response_model`` for the OpenAPI document.
    """
    return Response(model.model_dump_json(), media_type="application/json")
