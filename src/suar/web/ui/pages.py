"""Error pages of the UI, and the redirect of signed-out visitors to the login form."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from suar.errors import SuarError
from suar.web.state import state_of
from suar.web.ui.context import UiContext, safe_next, ui_context
from suar.web.ui.labels import ERROR_MESSAGES, ERROR_TITLES

logger = logging.getLogger(__name__)


def login_url(next_path: str | None) -> str:
    """The login form, returning to ``next_path`` (a local path) once signed in."""
    if not next_path or safe_next(next_path) == "/":
        return "/login"
    return "/login?" + urlencode({"next": safe_next(next_path)})


def _context(request: Request) -> UiContext | None:
    cached = getattr(request.state, "ui", None)
    if isinstance(cached, UiContext):
        return cached
    try:
        return ui_context(request, state_of(request))
    except SuarError as exc:  # the database may be what failed
        logger.warning("error page without a session: %s", exc)
        return None


def render_error_page(request: Request, status: int, code: str, message: str) -> Response:
    """The page for an error; 401 becomes a redirect to the login form."""
    if status == 401:
        query = request.url.query
        target = request.url.path + (f"?{query}" if query else "")
        return RedirectResponse(
            login_url(target if request.method == "GET" else None), status_code=303
        )
    ctx = _context(request)
    if ctx is None:
        return Response(message, status_code=status, media_type="text/plain; charset=utf-8")
    title = ERROR_TITLES.get(status, ERROR_TITLES[500 if status >= 500 else 400])
    known = ERROR_MESSAGES.get(code)
    return ctx.render(
        "error.html",
        status=status,
        error_status=status,
        code=code,
        title=ctx.gettext(title),
        message=ctx.gettext(known) if known else message,
    )
