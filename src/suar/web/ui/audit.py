"""The audit view for auditors: the trail, filtered and paged, and its verification."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from suar.access import Action
from suar.audit import verify_trail
from suar.web.guards import ui_allowed
from suar.web.i18n import N_
from suar.web.pagination import InvalidCursor, decode_cursor, encode_cursor
from suar.web.trail import EntryFilter, Order, TrailEntry, page
from suar.web.ui.context import UiContext

router = APIRouter()

#: Entries per page of the audit view.
PAGE_SIZE = 50

_BAD_DATE = N_("Dates are written YYYY-MM-DD; the filter “%(value)s” was ignored.")
_BAD_CURSOR = N_("That page link is no longer valid; showing the newest entries.")

Text = Annotated[str, Query(max_length=200)]


def _day_start(value: str, ctx: UiContext, errors: list[str], *, after: bool) -> datetime | None:
    # A day means the user's day, in the user's zone; "until" includes the whole day.
    if not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        errors.append(ctx.gettext(_BAD_DATE, value=value.strip()[:20]))
        return None
    if after:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=ctx.tz).astimezone(UTC)


def _details(entry: TrailEntry) -> str:
    if not entry.details:
        return ""
    return json.dumps(entry.details, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@router.get("/audit", summary="The audit trail")
def audit_view(
    ctx: Annotated[UiContext, ui_allowed(Action.AUDIT_EXPORT)],
    actor: Text = "",
    action: Text = "",
    target: Text = "",
    since: Annotated[str, Query(max_length=20)] = "",
    until: Annotated[str, Query(max_length=20)] = "",
    cursor: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """Entries newest first, filtered by actor, action (or its prefix), target and days."""
    errors: list[str] = []
    flt = EntryFilter(
        actor=actor.strip() or None,
        action=action.strip() or None,
        target=target.strip() or None,
        since=_day_start(since, ctx, errors, after=False),
        until=_day_start(until, ctx, errors, after=True),
    )
    try:
        start = decode_cursor("ui-audit", cursor or None)
    except InvalidCursor:
        errors.append(ctx.gettext(_BAD_CURSOR))
        start = None
    with ctx.state.db.read() as session:
        found = page(
            session,
            flt,
            limit=PAGE_SIZE,
            order=Order.NEWEST,
            start=start if isinstance(start, int) else None,
        )
    filters = {"actor": actor, "action": action, "target": target, "since": since, "until": until}
    kept = {name: value for name, value in filters.items() if value}
    older = None
    if found.resume_at is not None:
        older = "/audit?" + urlencode(kept | {"cursor": encode_cursor("ui-audit", found.resume_at)})
    return ctx.render(
        "audit.html",
        active="audit",
        entries=[(entry, _details(entry)) for entry in found.entries],
        filters=filters,
        filtered=bool(kept),
        paged=bool(cursor),
        newest="/audit?" + urlencode(kept) if kept else "/audit",
        older=older,
        errors=errors,
    )


@router.get("/audit/verify", summary="Verify the audit trail")
def audit_verify(ctx: Annotated[UiContext, ui_allowed(Action.AUDIT_VERIFY)]) -> Response:
    """Walk the whole chain now and show whether it is intact."""
    with ctx.state.db.read() as session:
        result = verify_trail(session)
    return ctx.render("audit_verify.html", active="audit", result=result)
