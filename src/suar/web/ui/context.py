"""The per-request context of a UI page: session, user, language, time zone, CSRF token.

Every UI route gets one :class:`UiContext` (through its access guard) and
answers through :meth:`UiContext.render` or :meth:`UiContext.redirect`, which
also send the session and preference cookies the request needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any, Final, TypeVar
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from suar import __version__
from suar.access import Action, Actor, is_allowed
from suar.store import UserRecord, UserRepository
from suar.web.i18n import language_name, negotiate, translations
from suar.web.localtime import (
    BROWSER_COOKIE,
    CHOSEN_COOKIE,
    local_text,
    pick_zone,
    utc_iso,
    zone,
)
from suar.web.session import COOKIE_NAME, WebSession
from suar.web.state import StateDep, WebState

logger = logging.getLogger(__name__)

R = TypeVar("R", bound=Response)

#: Cookie holding the language the user picked.
LANGUAGE_COOKIE: Final = "suar_lang"
#: How long preference cookies last.
PREFERENCE_MAX_AGE: Final = int(timedelta(days=365).total_seconds())


@dataclass(frozen=True, slots=True)
class _Cookie:
    name: str
    value: str | None  # None deletes the cookie
    max_age: int | None
    httponly: bool = True


@dataclass(slots=True)
class UiContext:
    """Who is asking, in which language and time zone, and the cookies to send back."""

    request: Request
    state: WebState
    session: WebSession
    user: UserRecord | None
    actor: Actor | None
    lang: str
    tz: ZoneInfo
    tz_chosen: str | None
    _cookies: list[_Cookie] = field(default_factory=list)

    # --- what templates use ---------------------------------------------------------

    @property
    def csrf_token(self) -> str:
        """The token every form of this session carries."""
        return self.state.sessions.csrf_token(self.session)

    @property
    def languages(self) -> list[tuple[str, str]]:
        """(code, name in itself) of every language the UI offers."""
        return [(code, language_name(code)) for code in self.state.languages]

    @property
    def version(self) -> str:
        """Suar's version, also used to bust cached static files."""
        return __version__

    @property
    def path(self) -> str:
        """The path and query of this request, for ``next`` links."""
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    @property
    def demo(self) -> bool:
        """True on a node made by ``suar demo``: every page says its data are invented."""
        return bool(getattr(self.request.app.state, "demo", False))

    def gettext(self, message: str, **values: Any) -> str:
        """``message`` in the user's language, with ``%(name)s`` placeholders filled."""
        text = translations(self.lang).gettext(message)
        return text % values if values else text

    def can(self, action: str) -> bool:
        """True when the signed-in user may take ``action`` on any resource of its kind."""
        return self.actor is not None and is_allowed(self.actor, Action(action))

    def time(self, moment: datetime | None) -> Markup:
        """A ``<time>`` element: the moment in the user's zone, with UTC in its attributes."""
        if moment is None:
            return Markup("")
        return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(
            utc_iso(moment), escape(local_text(moment, self.tz, self.lang))
        )

    # --- responses ------------------------------------------------------------------

    def render(self, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
        """The page ``template`` with ``values`` (and ``ctx``), cookies attached."""
        html = self.state.templates.render(self.lang, template, {"ctx": self, **values})
        return self.finish(HTMLResponse(html, status_code=status))

    def redirect(self, url: str) -> RedirectResponse:
        """A 303 redirect to a local ``url``, cookies attached."""
        return self.finish(RedirectResponse(safe_next(url), status_code=303))

    def finish(self, response: R) -> R:
        """Attach the cookies this request must send to ``response``."""
        secure = self.request.url.scheme == "https"
        for cookie in self._cookies:
            if cookie.value is None:
                response.delete_cookie(
                    cookie.name, path="/", secure=secure, httponly=cookie.httponly, samesite="lax"
                )
            else:
                response.set_cookie(
                    cookie.name,
                    cookie.value,
                    max_age=cookie.max_age,
                    path="/",
                    secure=secure,
                    httponly=cookie.httponly,
                    samesite="lax",
                )
        return response

    # --- session and preferences ----------------------------------------------------

    def send_session(self, session: WebSession) -> None:
        """Make ``session`` this browser's session (sent with the response)."""
        self.session = session
        self._set(_Cookie(COOKIE_NAME, self.state.sessions.encode(session), None))

    def set_language(self, lang: str) -> None:
        """Remember ``lang`` (one the node offers) and use it for this response."""
        if lang in self.state.languages:
            self.lang = lang
            self._set(_Cookie(LANGUAGE_COOKIE, lang, PREFERENCE_MAX_AGE))

    def set_zone(self, name: str | None) -> None:
        """Remember the user's zone; None goes back to the browser's."""
        if name is None:
            self.tz_chosen = None
            self._set(_Cookie(CHOSEN_COOKIE, None, None))
            self.tz = pick_zone(None, _cookie(self.request, BROWSER_COOKIE), self._default_zone)
            return
        self.tz_chosen = name
        self.tz = pick_zone(name, None, self._default_zone)
        self._set(_Cookie(CHOSEN_COOKIE, name, PREFERENCE_MAX_AGE))

    @property
    def _default_zone(self) -> str:
        return self.state.settings.default_timezone

    def _set(self, cookie: _Cookie) -> None:
        self._cookies = [c for c in self._cookies if c.name != cookie.name] + [cookie]


def _cookie(request: Request, name: str) -> str | None:
    value = request.cookies.get(name)
    return None if value is None else unquote(value)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this node, else ``/`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(char) < 0x20 or char == "\\" for char in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _load_user(state: WebState, session: WebSession) -> UserRecord | None:
    if session.user_id is None:
        return None
    with state.db.read() as db_session:
        user = UserRepository(db_session).get_by_id(session.user_id)
    return user if user is not None and user.active else None


def ui_context(request: Request, state: StateDep) -> UiContext:
    """The UI context of ``request``: its session (new when absent or expired) and user.

    A session whose user is gone or disabled is replaced by an anonymous one.
    """
    cached = getattr(request.state, "ui", None)
    if isinstance(cached, UiContext):
        return cached
    now = state.now()
    codec = state.sessions
    session = codec.decode(request.cookies.get(COOKIE_NAME), now)
    user = None if session is None else _load_user(state, session)
    send = False
    if session is None or (session.signed_in and user is None):
        session, send = codec.new(now), True
    elif codec.needs_refresh(session, now):
        session, send = codec.touched(session, now), True
    chosen = _cookie(request, CHOSEN_COOKIE)
    picked = request.cookies.get(LANGUAGE_COOKIE)
    lang = (
        picked
        if picked in state.languages
        else negotiate(
            request.headers.get("accept-language"),
            state.languages,
            state.settings.default_language,
        )
    )
    ctx = UiContext(
        request=request,
        state=state,
        session=session,
        user=user,
        actor=None if user is None else Actor.for_user(user),
        lang=lang,
        tz=pick_zone(chosen, _cookie(request, BROWSER_COOKIE), state.settings.default_timezone),
        tz_chosen=chosen if zone(chosen) is not None else None,
    )
    if send:
        ctx.send_session(session)
    request.state.ui = ctx
    return ctx


#: The UI context, as a dependency (without any access check: use a guard).
UiContextDep = Annotated[UiContext, Depends(ui_context)]
