"""``/api/v1/alerts``: the alert queue, one alert with its lifecycle, and triage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from suar.access import Action, Actor
from suar.store.alerts import AlertRepository
from suar.store.dashboard import alert_page
from suar.warn.alerts import AlertKind, AlertStatus, UnknownAlert, alert_history, move_alert
from suar.web.api.views import (
    AlertDetailOut,
    AlertOut,
    alert_detail_out,
    alert_out,
    json_response,
)
from suar.web.errors import NotFound
from suar.web.guards import ApiRead, api_allowed, api_read
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["alerts"])

AlertId = Annotated[int, Path(ge=1, le=2**62, description="The alert's number.")]


class TriageIn(BaseModel):
    """Where to move the alert, and why (required to escalate or dismiss)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: AlertStatus = Field(description="acknowledged, escalated or dismissed.")
    reason: str = Field(default="", max_length=2000)


@router.get("/alerts", response_model=Page[AlertOut], summary="Alerts")
def list_alerts(
    access: Annotated[ApiRead, api_read(Action.ALERT_READ)],
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    status: Annotated[
        list[AlertStatus] | None, Query(description="Only these statuses (repeat for several).")
    ] = None,
    kind: Annotated[list[AlertKind] | None, Query(description="Only these kinds.")] = None,
) -> Response:
    """Alerts, newest first, filtered by status and kind."""
    filters = (
        f"alerts:{sorted(s.value for s in status or ())}:{sorted(k.value for k in kind or ())}"
    )
    with access.unit() as (_actor, session):
        start = decode_cursor(filters, cursor)
        found = alert_page(
            session,
            statuses=[s.value for s in status or ()],
            kinds=[k.value for k in kind or ()],
            before_id=start if isinstance(start, int) else None,
            limit=limit + 1,
        )
    more = len(found) > limit
    found = found[:limit]
    return json_response(
        Page[AlertOut](
            items=[alert_out(a) for a in found],
            limit=limit,
            next_cursor=encode_cursor(filters, found[-1].id) if more and found else None,
        )
    )


@router.get("/alerts/{alert_id}", response_model=AlertDetailOut, summary="One alert")
def read_alert(
    actor: Annotated[Actor, api_allowed(Action.ALERT_READ)],
    state: StateDep,
    alert_id: AlertId,
) -> AlertDetailOut:
    """The alert with its whole lifecycle (who moved it, when and why)."""
    with state.db.read() as session:
        alert = AlertRepository(session).get(alert_id)
        if alert is None:
            raise NotFound(f"no alert {alert_id}")
        events = alert_history(session, actor, alert_id)
    return alert_detail_out(alert, events)


@router.post("/alerts/{alert_id}/triage", response_model=AlertDetailOut, summary="Triage an alert")
def triage(
    actor: Annotated[Actor, api_allowed(Action.ALERT_TRIAGE)],
    state: StateDep,
    alert_id: AlertId,
    body: Annotated[TriageIn, Body()],
) -> AlertDetailOut:
    """Move the alert along new → acknowledged → escalated | dismissed; audited.

    A move the lifecycle does not allow answers 400 ``invalid_transition``;
    escalating or dismissing without a reason answers 400 ``input_error``.
    """
    with state.db.write() as session:
        try:
            moved = move_alert(
                session, actor, alert_id, body.status, reason=body.reason, now=state.now()
            )
        except UnknownAlert as exc:
            raise NotFound(str(exc)) from None
        events = AlertRepository(session).events(alert_id)
    return alert_detail_out(moved, events)
