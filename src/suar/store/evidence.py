"""Read-only queries for evidence: the latest finding of many posts at once, indicators, search.

The campaign page shows twenty posts with their evidence highlighted: this
module reads their findings, indicators and flags in three statements instead
of three per post (:func:`finding_evidence` is the indicators and flags part).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from sqlalchemy import BindParameter, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from suar.store.findings import NewFinding, StoredFlag, StoredIndicator
from suar.store.statements import chunks
from suar.store.tables import (
    CampaignPostRow,
    CampaignRow,
    FindingFlagRow,
    FindingIndicatorRow,
    FindingRow,
    PostRow,
)


@dataclass(frozen=True, slots=True)
class IndicatorHit:
    """An indicator value found by a search, and how many posts carried it."""

    kind: str
    value: str
    posts: int


#: A finding row's columns, in the order :func:`with_evidence` reads them.
FINDING_COLUMNS: Final = (
    "id",
    "detector_version",
    "risk",
    "level",
    "lang",
    "explanation",
    "created_at",
)

Evidence = tuple[dict[int, list[StoredIndicator]], dict[int, list[StoredFlag]]]


def with_evidence(post_id: int, row: Sequence[Any], evidence: Evidence) -> NewFinding:
    """The finding of a row of :data:`FINDING_COLUMNS`, with its indicators and flags."""
    fid, version, risk, level, lang, explanation, created = row
    indicators, flags = evidence
    return NewFinding(
        post_id=post_id,
        detector_version=version,
        risk=risk,
        level=level,
        lang=lang,
        explanation=explanation,
        created_at=created,
        indicators=tuple(indicators.get(int(fid), ())),
        flags=tuple(flags.get(int(fid), ())),
    )


def latest_findings(session: Session, post_ids: Sequence[int]) -> dict[int, NewFinding]:
    """The newest finding of each post in ``post_ids`` that has one, with indicators and flags."""
    if not post_ids:
        return {}
    find_t = FindingRow.__table__
    newest = (
        select(func.max(find_t.c.id))
        .where(find_t.c.post_id.in_(list(post_ids)))
        .group_by(find_t.c.post_id)
    )
    rows = session.execute(
        select(find_t.c.post_id, *(find_t.c[name] for name in FINDING_COLUMNS)).where(
            find_t.c.id.in_(newest)
        )
    ).all()
    evidence = finding_evidence(session, [int(row[1]) for row in rows])
    return {int(row[0]): with_evidence(int(row[0]), row[1:], evidence) for row in rows}


@cache
def _evidence_statements() -> tuple[Select[Any], Select[Any]]:
    # Built once: SQLAlchemy then reuses their cache keys and compiled forms.
    ind_t, flag_t = FindingIndicatorRow.__table__, FindingFlagRow.__table__
    ids: BindParameter[int] = bindparam("ids", expanding=True)
    indicators = (
        select(
            ind_t.c.finding_id,
            ind_t.c.kind,
            ind_t.c.value,
            ind_t.c.span_start,
            ind_t.c.span_end,
            ind_t.c.attrs,
        )
        .where(ind_t.c.finding_id.in_(ids))
        .order_by(ind_t.c.finding_id, ind_t.c.position)
    )
    flags = (
        select(
            flag_t.c.finding_id,
            flag_t.c.code,
            flag_t.c.span_start,
            flag_t.c.span_end,
            flag_t.c.weight,
        )
        .where(flag_t.c.finding_id.in_(ids))
        .order_by(flag_t.c.finding_id, flag_t.c.position)
    )
    return indicators, flags


def finding_evidence(session: Session, finding_ids: Sequence[int]) -> Evidence:
    """The indicators and the flags of each finding in ``finding_ids``, in reading order.

    Two statements per chunk of ids; a finding without any is absent from the maps.
    """
    indicators: dict[int, list[StoredIndicator]] = {}
    flags: dict[int, list[StoredFlag]] = {}
    of_indicators, of_flags = _evidence_statements()
    for part in chunks(finding_ids):
        ids = {"ids": list(part)}
        for fid, kind, value, start, end, attrs in session.execute(of_indicators, ids).all():
            indicators.setdefault(fid, []).append(
                StoredIndicator(kind, value, start, end, attrs or {})
            )
        for fid, code, start, end, weight in session.execute(of_flags, ids).all():
            flags.setdefault(fid, []).append(StoredFlag(code, start, end, weight))
    return indicators, flags


def indicator_posts(
    session: Session, kind: str, value: str, *, before_id: int | None = None, limit: int = 50
) -> list[int]:
    """Ids of posts whose findings carry (kind, value), newest post first."""
    ind_t, find_t = FindingIndicatorRow.__table__, FindingRow.__table__
    stmt = (
        select(find_t.c.post_id)
        .join(ind_t, ind_t.c.finding_id == find_t.c.id)
        .where(ind_t.c.kind == kind, ind_t.c.value == value)
    )
    if before_id is not None:
        stmt = stmt.where(find_t.c.post_id < before_id)
    stmt = stmt.group_by(find_t.c.post_id).order_by(find_t.c.post_id.desc()).limit(limit)
    return [int(post_id) for (post_id,) in session.execute(stmt)]


def indicator_count(session: Session, kind: str, value: str) -> int:
    """How many posts carry (kind, value)."""
    ind_t, find_t = FindingIndicatorRow.__table__, FindingRow.__table__
    return int(
        session.scalar(
            select(func.count(func.distinct(find_t.c.post_id)))
            .join(ind_t, ind_t.c.finding_id == find_t.c.id)
            .where(ind_t.c.kind == kind, ind_t.c.value == value)
        )
        or 0
    )


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_indicators(session: Session, term: str, *, limit: int = 20) -> list[IndicatorHit]:
    """Indicator values containing ``term`` (case-insensitive), the most widespread first."""
    ind_t, find_t = FindingIndicatorRow.__table__, FindingRow.__table__
    posts = func.count(func.distinct(find_t.c.post_id))
    rows = session.execute(
        select(ind_t.c.kind, ind_t.c.value, posts)
        .join(find_t, find_t.c.id == ind_t.c.finding_id)
        .where(ind_t.c.value.ilike(_like(term), escape="\\"))
        .group_by(ind_t.c.kind, ind_t.c.value)
        .order_by(posts.desc(), ind_t.c.kind, ind_t.c.value)
        .limit(limit)
    )
    return [IndicatorHit(str(k), str(v), int(n)) for k, v, n in rows]


def search_posts(session: Session, term: str, *, limit: int = 50) -> list[int]:
    """Ids of posts whose text or author contains ``term`` (case-insensitive), newest first.

    A scan of the posts table: fine for a node's tens of thousands of posts,
    to be replaced by a full-text index when nodes grow past that.
    """
    table = PostRow.__table__
    pattern = _like(term)
    rows = session.execute(
        select(table.c.id)
        .where(
            or_(
                table.c.text.ilike(pattern, escape="\\"),
                table.c.author.ilike(pattern, escape="\\"),
                table.c.post_key == term,
            )
        )
        .order_by(table.c.id.desc())
        .limit(limit)
    )
    return [int(post_id) for (post_id,) in rows]


def campaign_ids_of(session: Session, post_ids: Sequence[int]) -> dict[int, int]:
    """The live campaign id holding each post that has one."""
    links = CampaignPostRow.__table__
    out: dict[int, int] = {}
    for part in chunks(sorted(set(post_ids))):
        for post_id, campaign_id in session.execute(
            select(links.c.post_id, links.c.campaign_id).where(links.c.post_id.in_(part))
        ):
            out[int(post_id)] = int(campaign_id)
    return out


def campaign_ref_exists(session: Session, ref: str) -> bool:
    """True when a campaign (live or merged) has this ref."""
    table: Any = CampaignRow.__table__
    return session.scalar(select(table.c.id).where(table.c.ref == ref)) is not None
