"""Findings with their indicators and red flags, one per post and detector version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from suar.store.bulk import BulkWriter
from suar.store.statements import chunks
from suar.store.tables import (
    CampaignPostRow,
    FindingFlagRow,
    FindingIndicatorRow,
    FindingRow,
    table_of,
)


@dataclass(frozen=True, slots=True)
class StoredIndicator:
    """An indicator as stored: kind, normalised value, span in the post, attributes."""

    kind: str
    value: str
    start: int
    end: int
    attrs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredFlag:
    """A red flag as stored: its code, span in the post and weight."""

    code: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True, slots=True)
class NewFinding:
    """A finding to store for one post."""

    post_id: int
    detector_version: str
    risk: float
    level: str
    lang: str
    explanation: str
    created_at: datetime
    indicators: tuple[StoredIndicator, ...] = ()
    flags: tuple[StoredFlag, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorSighting:
    """A post that carried an indicator value, and the live campaign holding it."""

    post_id: int
    kind: str
    value: str
    campaign_id: int | None


class FindingRepository:
    """Writes and reads findings inside the caller's unit of work (adds and flushes only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def insert_many(self, findings: Sequence[NewFinding]) -> None:
        """Insert findings with their indicators and flags (bulk statements)."""
        if not findings:
            return
        bulk = BulkWriter(self._session)
        ids = bulk.allocate_ids(table_of(FindingRow), len(findings))
        bulk.insert(
            table_of(FindingRow),
            (
                "id",
                "post_id",
                "detector_version",
                "risk",
                "level",
                "lang",
                "explanation",
                "created_at",
            ),
            [
                (
                    fid,
                    f.post_id,
                    f.detector_version,
                    f.risk,
                    f.level,
                    f.lang,
                    f.explanation,
                    f.created_at,
                )
                for fid, f in zip(ids, findings, strict=True)
            ],
        )
        # Attributes go to the JSON column as dicts, copied only when they are not one.
        bulk.insert(
            table_of(FindingIndicatorRow),
            ("finding_id", "position", "kind", "value", "span_start", "span_end", "attrs"),
            [
                (
                    fid,
                    i,
                    ind.kind,
                    ind.value,
                    ind.start,
                    ind.end,
                    ind.attrs if type(ind.attrs) is dict else dict(ind.attrs),
                )
                for fid, f in zip(ids, findings, strict=True)
                for i, ind in enumerate(f.indicators)
            ],
        )
        bulk.insert(
            table_of(FindingFlagRow),
            ("finding_id", "position", "code", "span_start", "span_end", "weight"),
            [
                (fid, i, flag.code, flag.start, flag.end, flag.weight)
                for fid, f in zip(ids, findings, strict=True)
                for i, flag in enumerate(f.flags)
            ],
        )

    def latest_for_post(self, post_id: int) -> NewFinding | None:
        """The newest finding stored for the post, with its indicators and flags."""
        row = self._session.scalars(
            select(FindingRow).where(FindingRow.post_id == post_id).order_by(FindingRow.id.desc())
        ).first()
        if row is None:
            return None
        ind_t, flag_t = table_of(FindingIndicatorRow), table_of(FindingFlagRow)
        indicators = tuple(
            StoredIndicator(kind, value, start, end, attrs or {})
            for kind, value, start, end, attrs in self._session.execute(
                select(
                    ind_t.c.kind, ind_t.c.value, ind_t.c.span_start, ind_t.c.span_end, ind_t.c.attrs
                )
                .where(ind_t.c.finding_id == row.id)
                .order_by(ind_t.c.position)
            )
        )
        flags = tuple(
            StoredFlag(code, start, end, weight)
            for code, start, end, weight in self._session.execute(
                select(flag_t.c.code, flag_t.c.span_start, flag_t.c.span_end, flag_t.c.weight)
                .where(flag_t.c.finding_id == row.id)
                .order_by(flag_t.c.position)
            )
        )
        return NewFinding(
            post_id=row.post_id,
            detector_version=row.detector_version,
            risk=row.risk,
            level=row.level,
            lang=row.lang,
            explanation=row.explanation,
            created_at=row.created_at,
            indicators=indicators,
            flags=flags,
        )

    def sightings(self, pairs: Iterable[tuple[str, str]]) -> list[IndicatorSighting]:
        """Every stored post carrying any of the (kind, value) pairs, with its live campaign."""
        ind_t, find_t, links = (
            table_of(FindingIndicatorRow),
            table_of(FindingRow),
            table_of(CampaignPostRow),
        )
        out: list[IndicatorSighting] = []
        by_kind: dict[str, list[str]] = {}
        for kind, value in set(pairs):
            by_kind.setdefault(kind, []).append(value)
        for kind, values in sorted(by_kind.items()):
            for part in chunks(sorted(values)):
                rows = self._session.execute(
                    select(find_t.c.post_id, ind_t.c.kind, ind_t.c.value, links.c.campaign_id)
                    .join(find_t, find_t.c.id == ind_t.c.finding_id)
                    .outerjoin(links, links.c.post_id == find_t.c.post_id)
                    .where(ind_t.c.kind == kind, ind_t.c.value.in_(part))
                    .distinct()
                )
                out.extend(
                    IndicatorSighting(int(post), k, v, None if c is None else int(c))
                    for post, k, v, c in rows
                )
        return out
