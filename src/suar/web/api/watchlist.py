"""``/api/v1/watchlist``: the values that raise an alert when a post carries them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from suar.access import Action, Actor
from suar.domain import INDICATOR_KINDS
from suar.errors import InputError
from suar.store.watchlist import WatchlistEntry
from suar.warn.tlp import Tlp
from suar.warn.watchlist import add_entry, list_entries
from suar.web.guards import api_allowed
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["watchlist"])


class WatchlistOut(BaseModel):
    """A watched value, who added it and why."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    value: str
    source: str
    added_by: str
    added_at: datetime
    note: str
    tlp: str


class WatchlistIn(BaseModel):
    """A value to watch (normalised as the detector stores it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(max_length=16)
    value: str = Field(min_length=1, max_length=1000)
    note: str = Field(default="", max_length=2000)
    tlp: Tlp = Tlp.AMBER
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")


class AddedOut(BaseModel):
    """The entry, whether it is new, and the alerts its look-back raised."""

    model_config = ConfigDict(frozen=True)

    entry: WatchlistOut
    created: bool
    alerts: list[int]


def _out(entry: WatchlistEntry) -> WatchlistOut:
    return WatchlistOut(
        id=entry.id,
        kind=entry.kind,
        value=entry.value,
        source=entry.source,
        added_by=entry.added_by,
        added_at=entry.added_at,
        note=entry.note,
        tlp=entry.tlp,
    )


@router.get("/watchlist", response_model=Page[WatchlistOut], summary="Watchlist")
def read_watchlist(
    actor: Annotated[Actor, api_allowed(Action.WATCHLIST_READ)],
    state: StateDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    kind: Annotated[str | None, Query(max_length=16, description="Only this kind.")] = None,
) -> Page[WatchlistOut]:
    """Watchlist entries, newest first."""
    listing = f"watchlist:{kind}"
    start = decode_cursor(listing, cursor)
    offset = start if isinstance(start, int) and start >= 0 else 0
    with state.db.read() as session:
        found = list_entries(session, actor, kind=kind, limit=offset + limit + 1)[offset:]
    more = len(found) > limit
    return Page[WatchlistOut](
        items=[_out(e) for e in found[:limit]],
        limit=limit,
        next_cursor=encode_cursor(listing, offset + limit) if more else None,
    )


@router.post("/watchlist", response_model=AddedOut, status_code=201, summary="Watch a value")
def add_to_watchlist(
    actor: Annotated[Actor, api_allowed(Action.WATCHLIST_EDIT)],
    state: StateDep,
    body: Annotated[WatchlistIn, Body()],
) -> JSONResponse:
    """Watch a value; posts already stored that carry it raise alerts now. 200 if already watched."""
    if body.kind not in INDICATOR_KINDS:
        raise InputError(f"unknown indicator kind {body.kind!r}")
    with state.db.write() as session:
        result = add_entry(
            session,
            actor,
            body.kind,
            body.value,
            note=body.note,
            tlp=body.tlp,
            source="api",
            country=body.country,
            now=state.now(),
        )
    out = AddedOut(entry=_out(result.entry), created=result.created, alerts=list(result.alerts))
    return JSONResponse(out.model_dump(mode="json"), status_code=201 if result.created else 200)
