"""``/api/v1/audit``: the audit trail for auditors, and its verification."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict

from suar.access import Action, Actor
from suar.audit import verify_trail
from suar.web.errors import NotFound
from suar.web.guards import api_allowed
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep
from suar.web.trail import EntryFilter, Order, TrailEntry, get_entry, page

router = APIRouter(tags=["audit"])


class AuditEntryOut(BaseModel):
    """One entry of the hash-chained trail."""

    model_config = ConfigDict(frozen=True)

    seq: int
    at: datetime
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]
    hash: str
    prev: str


class ProblemOut(BaseModel):
    """The first problem verification found."""

    model_config = ConfigDict(frozen=True)

    kind: str
    seq: int | None
    message: str


class VerificationOut(BaseModel):
    """The outcome of walking the whole chain."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    summary: str
    problem: ProblemOut | None


def entry_out(entry: TrailEntry) -> AuditEntryOut:
    """The API view of an entry."""
    return AuditEntryOut(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        details=entry.details,
        hash=entry.hash,
        prev=entry.prev,
    )


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.get("/audit/entries", response_model=Page[AuditEntryOut], summary="Audit entries")
def read_entries(
    actor: Annotated[Actor, api_allowed(Action.AUDIT_EXPORT)],
    state: StateDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    order: Annotated[Order, Query(description="Start from the newest or oldest entry.")] = (
        Order.NEWEST
    ),
    actor_name: Annotated[
        str | None, Query(alias="actor", max_length=200, description="Only this actor.")
    ] = None,
    action: Annotated[
        str | None,
        Query(max_length=64, description="Only this action, or a dotted prefix (`user`)."),
    ] = None,
    target: Annotated[str | None, Query(max_length=200, description="Only this target.")] = None,
    since: Annotated[datetime | None, Query(description="From this time (UTC if no zone).")] = None,
    until: Annotated[datetime | None, Query(description="Before this time.")] = None,
) -> Page[AuditEntryOut]:
    """Entries matching the filters, newest first by default.

    A page may hold fewer than ``limit`` entries while ``next_cursor`` is set:
    one request reads at most 20,000 entries looking for matches.
    """
    start = decode_cursor(f"audit:{order.value}", cursor)
    flt = EntryFilter(
        actor=actor_name, action=action, target=target, since=_utc(since), until=_utc(until)
    )
    with state.db.read() as session:
        found = page(
            session,
            flt,
            limit=limit,
            order=order,
            start=start if isinstance(start, int) else None,
        )
    return Page[AuditEntryOut](
        items=[entry_out(entry) for entry in found.entries],
        limit=limit,
        next_cursor=None
        if found.resume_at is None
        else encode_cursor(f"audit:{order.value}", found.resume_at),
    )


@router.get("/audit/entries/{seq}", response_model=AuditEntryOut, summary="One audit entry")
def read_entry(
    actor: Annotated[Actor, api_allowed(Action.AUDIT_EXPORT)],
    state: StateDep,
    seq: Annotated[int, Path(ge=1, description="The entry's number.")],
) -> AuditEntryOut:
    """Entry number ``seq``; 404 when the trail has none."""
    with state.db.read() as session:
        entry = get_entry(session, seq)
    if entry is None:
        raise NotFound(f"the audit trail has no entry {seq}")
    return entry_out(entry)


@router.get("/audit/verify", response_model=VerificationOut, summary="Verify the trail")
def verify(
    actor: Annotated[Actor, api_allowed(Action.AUDIT_VERIFY)], state: StateDep
) -> VerificationOut:
    """Walk the whole hash chain and report the first problem, if any.

    Checking against a signed checkpoint (which also catches a truncated tail)
    is done with ``suar audit verify --checkpoint FILE``.
    """
    with state.db.read() as session:
        result = verify_trail(session)
    problem = result.problem
    return VerificationOut(
        ok=result.ok,
        entries=result.entries,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        summary=result.summary(),
        problem=None
        if problem is None
        else ProblemOut(kind=problem.kind.value, seq=problem.seq, message=problem.message),
    )
