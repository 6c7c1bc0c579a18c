"""The dashboard: the first page after sign-in, with what the user's roles can see."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from suar.access import Action, list_users
from suar.audit import head
from suar.web.guards import SignedIn
from suar.web.ui.labels import ROLE_LABELS

router = APIRouter()


@router.get("/", summary="Dashboard")
def dashboard(ctx: SignedIn) -> Response:
    """The dashboard shell: the user's roles, and a card for each area its roles open."""
    assert ctx.actor is not None and ctx.user is not None
    trail_head: tuple[int, str] | None = None
    users: int | None = None
    with ctx.state.db.read() as session:
        if ctx.can(Action.AUDIT_EXPORT) or ctx.can(Action.AUDIT_VERIFY):
            trail_head = head(session)
        if ctx.can(Action.USER_LIST):
            users = len([user for user in list_users(session, ctx.actor) if user.active])
    roles = [ctx.gettext(ROLE_LABELS.get(role, role)) for role in ctx.user.roles]
    return ctx.render(
        "dashboard.html",
        active="dashboard",
        roles=roles,
        trail_head=trail_head,
        users=users,
        early_warning=ctx.can(Action.ALERT_READ) or ctx.can(Action.CAMPAIGN_READ),
    )
