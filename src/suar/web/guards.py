"""Access guards: every route declares exactly one, and every guard asks ``authorize()``.

- :class:`ApiGuard` (routes under /api/v1): a bearer token, then the policy;
  :class:`ApiReader`, for the busiest read routes, checks both inside the
  route's own read unit;
- :class:`UiGuard` (UI pages): a signed-in session, the CSRF token on
  state-changing requests, then the policy;
- :class:`UiPublic` (the login form, the language switcher): no sign-in, but
  the CSRF token on state-changing requests;
- :data:`OPEN` (health check): nothing at all.

A guard with ``action=None`` lets in any signed-in user (``/api/v1/me``, the
dashboard shell). ``own=True`` checks the action against the caller's own
user, for grants that reach only what the actor owns (its tokens). The
authorisation-matrix test reads these guards from ``app.routes`` and fails for
a route that has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from suar.access import Action, Actor, Resource, authorize
from suar.web.bearer import actor_for_token, token_read
from suar.web.errors import CsrfFailed, Unauthenticated
from suar.web.state import StateDep, WebState
from suar.web.ui.context import UiContext, UiContextDep

#: Methods that change nothing and so need no CSRF token.
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
#: Name of the form field carrying the CSRF token.
CSRF_FIELD: Final = "csrf_token"

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token from `suar token create USERNAME`: `Authorization: Bearer suar_...`.",
)


def own_resource(actor: Actor) -> Resource:
    """The actor's own user: what an ``own`` grant is checked against."""
    return Resource("user", actor.principal.removeprefix("user:"), owner_id=actor.user_id)


def _authorize(actor: Actor, action: Action | None, own: bool) -> None:
    if action is not None:
        authorize(actor, action, own_resource(actor) if own else None)


@dataclass(frozen=True, eq=False)
class ApiGuard:
    """Requires a valid bearer token and, when ``action`` is set, the policy's consent.

    :class:`ApiActor` checks both before the route runs; :class:`ApiReader`
    hands the route an :class:`ApiRead` that checks them at the start of the
    route's own read unit.
    """

    action: Action | None = None
    own: bool = False

    def _token(self, credentials: HTTPAuthorizationCredentials | None) -> str:
        if credentials is None:
            raise Unauthenticated(
                "this API needs an API token: send 'Authorization: Bearer suar_...'"
            )
        return credentials.credentials

    def admit(self, actor: Actor | None) -> Actor:
        """``actor`` when the policy lets it take the guarded action; raise otherwise."""
        if actor is None:
            raise Unauthenticated("the API token is unknown, revoked or expired")
        _authorize(actor, self.action, self.own)
        return actor


@dataclass(frozen=True, eq=False)
class ApiActor(ApiGuard):
    """The guard that checks the token in a unit of its own and gives the route the actor."""

    def __call__(
        self,
        state: StateDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        token = self._token(credentials)
        return self.admit(actor_for_token(state.db, token, state.now()))


@dataclass(frozen=True, slots=True)
class ApiRead:
    """A read route's access: the token, checked when the route opens its read unit."""

    guard: ApiGuard
    state: WebState
    token: str

    @contextmanager
    def unit(self) -> Iterator[tuple[Actor, Session]]:
        """The route's read unit of work, opened by checking the token and the policy in it.

        One unit of work (one connection, one transaction) for the check and
        the read, where :class:`ApiActor` needs two.
        """
        with token_read(self.state.db, self.token, self.state.now()) as (actor, session):
            yield self.guard.admit(actor), session


@dataclass(frozen=True, eq=False)
class ApiReader(ApiGuard):
    """The guard of the busiest read routes: the token is checked inside the route's read unit.

    It needs no database work of its own, so it runs on the event loop
    without a trip through the thread pool.
    """

    async def __call__(
        self,
        state: StateDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> ApiRead:
        return ApiRead(self, state, self._token(credentials))


async def check_csrf(request: Request, ctx: UiContext) -> None:
    """Raise :class:`CsrfFailed` when a state-changing request lacks the session's token."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    if not ctx.state.sessions.csrf_valid(ctx.session, form.get(CSRF_FIELD)):
        raise CsrfFailed(
            "the form has expired or did not come from this site: reload the page and try again"
        )


@dataclass(frozen=True, eq=False)
class UiGuard:
    """Requires a signed-in session, the CSRF token when changing state, and the policy."""

    action: Action | None = None
    own: bool = False

    async def __call__(self, request: Request, ctx: UiContextDep) -> UiContext:
        actor = ctx.actor
        if actor is None:
            raise Unauthenticated("sign in first")
        await check_csrf(request, ctx)
        _authorize(actor, self.action, self.own)
        return ctx


@dataclass(frozen=True, eq=False)
class UiPublic:
    """Open to everyone, signed in or not; state-changing requests still need the CSRF token."""

    async def __call__(self, request: Request, ctx: UiContextDep) -> UiContext:
        await check_csrf(request, ctx)
        return ctx


@dataclass(frozen=True, eq=False)
class OpenAccess:
    """Open to everyone and outside the UI: health checks."""

    async def __call__(self) -> None:
        return None


#: The guard of routes open to anyone outside the UI.
OPEN: Final = OpenAccess()
#: The signed-in API caller, whoever it is.
CurrentActor = Annotated[Actor, Depends(ApiActor())]
#: A UI page for any signed-in user.
SignedIn = Annotated[UiContext, Depends(UiGuard())]
#: A UI page open to everyone.
Visitor = Annotated[UiContext, Depends(UiPublic())]


def api_allowed(action: Action, *, own: bool = False) -> Any:
    """The dependency of an API route that needs ``action``: ``Annotated[Actor, api_allowed(...)]``."""
    return Depends(ApiActor(action, own))


def api_read(action: Action) -> Any:
    """The dependency of a read route that checks the token in its own unit: ``Annotated[ApiRead, api_read(...)]``.

    The route must open ``access.unit()`` before it reads anything.
    """
    return Depends(ApiReader(action))


def ui_allowed(action: Action, *, own: bool = False) -> Any:
    """The dependency of a UI page that needs ``action``: ``Annotated[UiContext, ui_allowed(...)]``."""
    return Depends(UiGuard(action, own))


#: Every kind of guard, for the authorisation-matrix test.
GUARD_TYPES: Final = (ApiGuard, UiGuard, UiPublic, OpenAccess)
