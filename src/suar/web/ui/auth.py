"""Signing in and out of the UI: the login form, rate limited and audited."""

from __future__ import annotations

import logging
import math
from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from suar.access import authenticate_password, normalize_username
from suar.audit import record
from suar.errors import InputError
from suar.web.guards import SignedIn, Visitor
from suar.web.i18n import N_
from suar.web.ui.context import UiContext, safe_next

logger = logging.getLogger(__name__)

router = APIRouter()

_WRONG = N_("Wrong username or password.")
_MISSING = N_("Enter your username and password.")
_LOCKED = N_("Too many failed sign-ins. Try again in %(minutes)s minutes.")


def client_ip(ctx: UiContext) -> str:
    """The address the request came from (the proxy's view when headers are trusted)."""
    client = ctx.request.client
    return client.host if client is not None else "unknown"


def _target(username: str) -> str | None:
    try:
        return f"user:{normalize_username(username)}"
    except InputError:
        return None


def _form(
    ctx: UiContext, *, status: int, next_path: str, username: str, error: str | None
) -> Response:
    return ctx.render(
        "login.html", status=status, next_path=safe_next(next_path), username=username, error=error
    )


@router.get("/login", summary="The login form")
def login_form(
    ctx: Visitor, next_path: Annotated[str, Query(alias="next", max_length=2000)] = "/"
) -> Response:
    """The login form; a signed-in user goes straight on."""
    if ctx.actor is not None:
        return ctx.redirect(next_path)
    return _form(ctx, status=200, next_path=next_path, username="", error=None)


@router.post("/login", summary="Sign in")
def login(
    ctx: Visitor,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the password (rate limited per username and address); start a new session."""
    state = ctx.state
    now = state.now()
    ip = client_ip(ctx)
    shown = username.strip()[:64]
    if not username.strip() or not password:
        return _form(
            ctx, status=400, next_path=next_path, username=shown, error=ctx.gettext(_MISSING)
        )
    wait = state.limiter.retry_after(username, ip, now)
    if wait is not None:
        logger.info("refused a sign-in for %r from %s: rate limited", shown, ip)
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        response = _form(
            ctx,
            status=429,
            next_path=next_path,
            username=shown,
            error=ctx.gettext(_LOCKED, minutes=minutes),
        )
        response.headers["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
        return response
    with state.db.write() as session:
        actor = authenticate_password(session, username, password)
        if actor is None:
            locked = state.limiter.failed(username, ip, now)
            record(
                session,
                actor="anonymous",
                action="auth.login.failed",
                target=_target(username),
                details={"ip": ip, "locked": locked},
                now=now,
            )
        else:
            state.limiter.succeeded(username, ip)
            record(
                session,
                actor=actor.principal,
                action="auth.login",
                target=actor.principal,
                details={"ip": ip},
                now=now,
            )
    if actor is None:
        return _form(
            ctx, status=401, next_path=next_path, username=shown, error=ctx.gettext(_WRONG)
        )
    # A new session id at sign-in: a cookie or CSRF token planted before is worthless now.
    ctx.send_session(state.sessions.new(now, user_id=actor.user_id))
    return ctx.redirect(next_path)


@router.post("/logout", summary="Sign out")
def logout(ctx: SignedIn) -> Response:
    """End the session (the browser gets a new, anonymous one) and go to the login form."""
    state = ctx.state
    now = state.now()
    assert ctx.actor is not None
    with state.db.write() as session:
        record(
            session,
            actor=ctx.actor.principal,
            action="auth.logout",
            target=ctx.actor.principal,
            details={"ip": client_ip(ctx)},
            now=now,
        )
    ctx.send_session(state.sessions.new(now))
    return ctx.redirect("/login")
