"""Read-side queries of the busiest web requests, each in as few statements as it can.

Every API request checks its bearer token and most then read one page; on
PostgreSQL each statement is a round trip, on both backends each one costs
SQLAlchemy's per-statement work. :func:`token_grant` answers a token check in
one statement (token, user and roles); :func:`campaign_post_page` answers
a page of a campaign's posts with their newest findings, indicators and flags
in three.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from suar.store.dashboard import POST_COLUMNS, post_record
from suar.store.evidence import FINDING_COLUMNS, finding_evidence, with_evidence
from suar.store.findings import NewFinding
from suar.store.posts import PostRecord
from suar.store.tables import (
    ApiTokenRow,
    CampaignPostRow,
    CampaignRow,
    FindingRow,
    PostRow,
    UserRoleRow,
    UserRow,
)
from suar.store.users import UserRecord


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """A stored API token with the user it speaks for, as one request needs to check it."""

    token_id: int
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    user: UserRecord


@cache
def _grant_statement() -> Select[Any]:
    tokens, users, roles = ApiTokenRow.__table__, UserRow.__table__, UserRoleRow.__table__
    return (
        select(
            tokens.c.id,
            tokens.c.expires_at,
            tokens.c.revoked_at,
            tokens.c.last_used_at,
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.created_at,
            users.c.disabled_at,
            users.c.password_hash.is_not(None),
            roles.c.role,
        )
        .join(users, users.c.id == tokens.c.user_id)
        .outerjoin(roles, roles.c.user_id == users.c.id)
        .where(tokens.c.secret_sha256 == bindparam("secret"))
    )


def token_grant(session: Session, secret_sha256: str) -> TokenGrant | None:
    """The token whose secret hashes to ``secret_sha256``, with its user and roles; or None."""
    rows = session.execute(_grant_statement(), {"secret": secret_sha256}).all()
    if not rows:
        return None
    token_id, expires, revoked, used, user_id, name, display, created, disabled, pw = rows[0][:10]
    return TokenGrant(
        token_id=int(token_id),
        expires_at=expires,
        revoked_at=revoked,
        last_used_at=used,
        user=UserRecord(
            id=int(user_id),
            username=name,
            display_name=display,
            roles=tuple(sorted(str(row[-1]) for row in rows if row[-1] is not None)),
            created_at=created,
            disabled_at=disabled,
            has_password=bool(pw),
        ),
    )


@dataclass(frozen=True, slots=True)
class LiveCampaign:
    """The live campaign a ref leads to (itself, or the one it was merged into)."""

    id: int
    ref: str


@cache
def _live_statement() -> Select[Any]:
    campaigns = CampaignRow.__table__
    live = CampaignRow.__table__.alias("live")
    return (
        select(live.c.id, live.c.ref)
        .select_from(campaigns)
        .join(live, live.c.id == func.coalesce(campaigns.c.merged_into, campaigns.c.id))
        .where(campaigns.c.ref == bindparam("ref"))
    )


def live_campaign(session: Session, ref: str) -> LiveCampaign | None:
    """The live campaign holding the campaign ``ref`` now; None for an unknown ref."""
    row = session.execute(_live_statement(), {"ref": ref}).first()
    return None if row is None else LiveCampaign(int(row[0]), str(row[1]))


def _post_page_statement(*, below: bool) -> Select[Any]:
    # The live campaign of the ref, its page of post ids (at most ``limit``),
    # then their posts and newest findings, in one statement: the cost stays
    # that of one page however large the campaign, and whatever the planner
    # believes about the tables' sizes.
    posts, links, findings = PostRow.__table__, CampaignPostRow.__table__, FindingRow.__table__
    campaigns, live = CampaignRow.__table__, CampaignRow.__table__.alias("live")
    live_id = (
        select(func.coalesce(campaigns.c.merged_into, campaigns.c.id))
        .where(campaigns.c.ref == bindparam("ref"))
        .scalar_subquery()
    )
    newest = (
        select(func.max(findings.c.id))
        .where(findings.c.post_id == links.c.post_id)
        .correlate(links)
        .scalar_subquery()
    )
    ids = select(links.c.post_id, newest.label("finding_id")).where(links.c.campaign_id == live_id)
    if below:
        ids = ids.where(links.c.post_id < bindparam("before"))
    page = ids.order_by(links.c.post_id.desc()).limit(bindparam("limit")).subquery("page")
    live_ref = select(live.c.ref).where(live.c.id == live_id).scalar_subquery()
    return (
        select(
            *(posts.c[name] for name in POST_COLUMNS),
            *(findings.c[name] for name in FINDING_COLUMNS),
            live_id,
            live_ref,
        )
        .select_from(page)
        .join(posts, posts.c.id == page.c.post_id)
        .outerjoin(findings, findings.c.id == page.c.finding_id)
        .order_by(posts.c.id.desc())
    )


@cache
def _post_page_statements() -> tuple[Select[Any], Select[Any]]:
    # The first page, and the pages below a post id; each built once.
    return _post_page_statement(below=False), _post_page_statement(below=True)


PostPage = list[tuple[PostRecord, NewFinding | None]]


def campaign_post_page(
    session: Session, ref: str, *, before_id: int | None, limit: int
) -> tuple[LiveCampaign, PostPage] | None:
    """The live campaign holding ``ref`` and its posts, newest first (by id, below ``before_id``).

    Each post comes with its newest finding (indicators and flags in reading
    order), or None when it has none. None for an unknown ref. A page with
    posts costs three statements (page, indicators, flags); an empty one a
    fourth, to tell an empty page from an unknown ref.
    """
    first, below = _post_page_statements()
    values = {"ref": ref, "limit": limit}
    if before_id is None:
        rows = session.execute(first, values).all()
    else:
        rows = session.execute(below, values | {"before": before_id}).all()
    if not rows:
        live = live_campaign(session, ref)
        return None if live is None else (live, [])
    split = len(POST_COLUMNS)
    evidence = finding_evidence(
        session, [int(row[split]) for row in rows if row[split] is not None]
    )
    out: PostPage = []
    for row in rows:
        post = post_record(row[:split])
        finding = row[split:-2]
        out.append(
            (post, None if finding[0] is None else with_evidence(post.id, finding, evidence))
        )
    return LiveCampaign(int(rows[0][-2]), str(rows[0][-1])), out
