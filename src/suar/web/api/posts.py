"""``/api/v1/posts``: stored posts with their provenance and findings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from suar.access import Action, Actor, authorize
from suar.store.dashboard import campaign_of_posts, post_page, posts_by_id
from suar.store.evidence import latest_findings
from suar.web.api.views import FindingOut, PostOut, finding_out, post_out
from suar.web.errors import NotFound
from suar.web.guards import api_allowed
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["posts"])

PostId = Annotated[int, Path(ge=1, le=2**62, description="The post's number on this node.")]


@router.get("/posts", response_model=Page[PostOut], summary="Posts")
def read_posts(
    actor: Annotated[Actor, api_allowed(Action.POST_READ)],
    state: StateDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    lang: Annotated[str | None, Query(max_length=35, description="Only this language.")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="Only this country (ISO 3166).")
    ] = None,
    source: Annotated[str | None, Query(max_length=200, description="Only this feed.")] = None,
) -> Page[PostOut]:
    """Posts, newest stored first, each with its latest finding and campaign."""
    authorize(actor, Action.POST_READ)
    upper = country.upper() if country else None
    kind = f"posts:{lang}:{upper}:{source}"
    start = decode_cursor(kind, cursor)
    with state.db.read() as session:
        found = post_page(
            session,
            lang=lang,
            country=upper,
            source=source,
            before_id=start if isinstance(start, int) else None,
            limit=limit + 1,
        )
        more = len(found) > limit
        found = found[:limit]
        ids = [p.id for p in found]
        findings = latest_findings(session, ids)
        refs = campaign_of_posts(session, ids)
    return Page[PostOut](
        items=[post_out(p, refs.get(p.id), findings.get(p.id)) for p in found],
        limit=limit,
        next_cursor=encode_cursor(kind, found[-1].id) if more and found else None,
    )


@router.get("/posts/{post_id}", response_model=PostOut, summary="One post")
def read_post(
    actor: Annotated[Actor, api_allowed(Action.POST_READ)], state: StateDep, post_id: PostId
) -> PostOut:
    """The post, its latest finding (evidence cut from the original text) and its campaign."""
    with state.db.read() as session:
        post = posts_by_id(session, [post_id]).get(post_id)
        if post is None:
            raise NotFound(f"no post {post_id}")
        finding = latest_findings(session, [post_id]).get(post_id)
        ref = campaign_of_posts(session, [post_id]).get(post_id)
    return post_out(post, ref, finding)


@router.get("/posts/{post_id}/finding", response_model=FindingOut, summary="A post's finding")
def read_finding(
    actor: Annotated[Actor, api_allowed(Action.POST_READ)], state: StateDep, post_id: PostId
) -> FindingOut:
    """The newest finding of the post: risk, level, indicators and red flags with their spans."""
    with state.db.read() as session:
        post = posts_by_id(session, [post_id]).get(post_id)
        finding = latest_findings(session, [post_id]).get(post_id)
    if post is None or finding is None:
        raise NotFound(f"no finding for post {post_id}")
    return finding_out(post.text, finding)
