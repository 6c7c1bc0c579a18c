"""The alert queue and triage: acknowledge, escalate or dismiss, with a reason, CSRF-protected."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import Response

from suar.access import Action
from suar.errors import InputError
from suar.store.alerts import AlertRecord, AlertRepository
from suar.store.dashboard import alert_counts, alert_page
from suar.warn.alerts import TRANSITIONS, AlertStatus, UnknownAlert, move_alert
from suar.web.errors import NotFound
from suar.web.guards import ui_allowed
from suar.web.pagination import InvalidCursor, decode_cursor, encode_cursor
from suar.web.ui.context import UiContext, safe_next
from suar.web.ui.names import ALERT_KINDS, ALERT_STATUSES, TRIAGE_VERBS

router = APIRouter()

#: Alerts per page of the queue.
PAGE_SIZE = 50
#: What the queue shows when no status is picked: the open alerts.
OPEN_STATUSES = ("new", "acknowledged")

AlertId = Annotated[int, Path(ge=1, le=2**62)]


def next_moves(alert: AlertRecord) -> list[str]:
    """The statuses the alert can move to now, in lifecycle order."""
    order = ["acknowledged", "escalated", "dismissed"]
    allowed = {s.value for s in TRANSITIONS[AlertStatus(alert.status)]}
    return [s for s in order if s in allowed]


def _labels(ctx: UiContext) -> dict[str, dict[str, str]]:
    return {
        "kinds": {k: ctx.gettext(v) for k, v in ALERT_KINDS.items()},
        "statuses": {k: ctx.gettext(v) for k, v in ALERT_STATUSES.items()},
        "verbs": {k: ctx.gettext(v) for k, v in TRIAGE_VERBS.items()},
    }


@router.get("/alerts", summary="The alert queue")
def alert_queue(
    ctx: Annotated[UiContext, ui_allowed(Action.ALERT_READ)],
    status: Annotated[str, Query(max_length=20)] = "open",
    kind: Annotated[str, Query(max_length=40)] = "",
    cursor: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """Alerts newest first: the open ones by default, or one status, or all; one kind or all."""
    statuses = (
        list(OPEN_STATUSES)
        if status == "open"
        else ([] if status == "all" or status not in ALERT_STATUSES else [status])
    )
    kinds = [kind] if kind in ALERT_KINDS else []
    listing = f"ui-alerts:{status}:{kind}"
    errors: list[str] = []
    try:
        start = decode_cursor(listing, cursor or None)
    except InvalidCursor:
        errors.append(ctx.gettext("That page link is no longer valid; showing the newest entries."))
        start = None
    with ctx.state.db.read() as session:
        found = alert_page(
            session,
            statuses=statuses,
            kinds=kinds,
            before_id=start if isinstance(start, int) else None,
            limit=PAGE_SIZE + 1,
        )
        counts = alert_counts(session)
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    kept = {k: v for k, v in {"status": status, "kind": kind}.items() if v}
    older = (
        "/alerts?" + urlencode(kept | {"cursor": encode_cursor(listing, found[-1].id)})
        if more and found
        else None
    )
    return ctx.render(
        "alerts.html",
        active="alerts",
        alerts=[(a, next_moves(a)) for a in found],
        counts=counts,
        current=status,
        kind=kind,
        older=older,
        errors=errors,
        can_triage=ctx.can("alert.triage"),
        kinds=_labels(ctx)["kinds"],
        statuses=_labels(ctx)["statuses"],
        verbs=_labels(ctx)["verbs"],
    )


def _render_alert(
    ctx: UiContext, alert_id: int, *, error: str | None = None, status: int = 200
) -> Response:
    with ctx.state.db.read() as session:
        repo = AlertRepository(session)
        alert = repo.get(alert_id)
        if alert is None:
            raise NotFound(f"no alert {alert_id}")
        events = repo.events(alert_id)
    return ctx.render(
        "alert.html",
        status=status,
        active="alerts",
        alert=alert,
        events=events,
        moves=next_moves(alert),
        error=error,
        can_triage=ctx.can("alert.triage"),
        kinds=_labels(ctx)["kinds"],
        statuses=_labels(ctx)["statuses"],
        verbs=_labels(ctx)["verbs"],
    )


@router.get("/alerts/{alert_id}", summary="One alert")
def alert_view(
    ctx: Annotated[UiContext, ui_allowed(Action.ALERT_READ)], alert_id: AlertId
) -> Response:
    """The alert, its campaign and its lifecycle, with the triage forms."""
    return _render_alert(ctx, alert_id)


@router.post("/alerts/{alert_id}/triage", summary="Triage an alert")
def alert_triage(
    ctx: Annotated[UiContext, ui_allowed(Action.ALERT_TRIAGE)],
    alert_id: AlertId,
    status: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """Move the alert (audited) and go back where the form was; a refused move says why."""
    assert ctx.actor is not None
    try:
        target = AlertStatus(status)
    except ValueError:
        return _render_alert(
            ctx, alert_id, error=ctx.gettext("Choose what to do with the alert."), status=400
        )
    try:
        with ctx.state.db.write() as session:
            move_alert(session, ctx.actor, alert_id, target, reason=reason, now=ctx.state.now())
    except UnknownAlert:
        raise NotFound(f"no alert {alert_id}") from None
    except InputError as exc:
        if target in (AlertStatus.ESCALATED, AlertStatus.DISMISSED) and not reason.strip():
            message = ctx.gettext("Give a reason to escalate or dismiss an alert.")
        else:
            message = str(exc)
        return _render_alert(ctx, alert_id, error=message, status=400)
    return ctx.redirect(safe_next(next_url or f"/alerts/{alert_id}"))
