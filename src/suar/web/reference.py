"""The route table: every route of the app, its guard, and who may call it.

:func:`route_access` reads each route's guard from ``app.routes``; the
authorisation-matrix test calls every route as every role with it, and
docs/web.md shows :func:`route_table_markdown` (a test keeps them equal).
Regenerate the table with ``python -m suar.web.reference``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, routing
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from suar.access import Action, Actor, Role, is_allowed
from suar.web.guards import GUARD_TYPES, ApiGuard, OpenAccess, UiGuard, UiPublic, own_resource

#: Guards are found as callables in each route's dependency tree.
Guard = ApiGuard | UiGuard | UiPublic | OpenAccess


@dataclass(frozen=True, slots=True)
class RouteAccess:
    """One method of one route, and the guard that decides who may call it."""

    method: str
    path: str
    guard: Guard

    @property
    def signed_in(self) -> bool:
        """True when the route needs credentials (a token or a session)."""
        return isinstance(self.guard, ApiGuard | UiGuard)

    @property
    def action(self) -> Action | None:
        """The action the route asks the policy about, if any."""
        return self.guard.action if isinstance(self.guard, ApiGuard | UiGuard) else None

    def allows(self, role: Role | None) -> bool:
        """True when a caller holding only ``role`` (None: no credentials) gets through."""
        if not self.signed_in:
            return True
        if role is None:
            return False
        assert isinstance(self.guard, ApiGuard | UiGuard)
        action = self.guard.action
        if action is None:
            return True
        actor = Actor(principal="user:probe", roles=frozenset({role}), user_id=1)
        resource = own_resource(actor) if self.guard.own else None
        return is_allowed(actor, action, resource)


@dataclass(frozen=True, slots=True)
class AppRoute:
    """A route as the app serves it: full path, methods, and dependency tree (None if not FastAPI's)."""

    path: str
    methods: frozenset[str]
    dependant: Any | None
    route: BaseRoute


def app_routes(app: FastAPI) -> list[AppRoute]:
    """Every route of ``app``, with routers' prefixes applied.

    FastAPI 0.16x keeps included routers as such in ``app.routes``; its
    ``iter_route_contexts`` gives their routes as served. Older releases list
    them flat.
    """
    contexts = getattr(routing, "iter_route_contexts", None)
    found = []
    if contexts is None:
        for route in app.routes:
            found.append(
                AppRoute(
                    path=str(getattr(route, "path", "")),
                    methods=frozenset(getattr(route, "methods", None) or ()),
                    dependant=getattr(route, "dependant", None),
                    route=route,
                )
            )
        return found
    for context in contexts(app.routes):
        original = context.original_route
        found.append(
            AppRoute(
                path=str(context.path or ""),
                methods=frozenset(context.methods or ()),
                dependant=context.dependant if isinstance(original, APIRoute) else None,
                route=original,
            )
        )
    return found


def _guards(dependant: Any) -> Iterator[Guard]:
    if isinstance(dependant.call, GUARD_TYPES):
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _guards(sub)


def route_guards(route: AppRoute) -> list[Guard]:
    """Every guard in the route's dependency tree (exactly one is expected)."""
    return [] if route.dependant is None else list(_guards(route.dependant))


def route_access(app: FastAPI) -> list[RouteAccess]:
    """Each method of each route with exactly one guard, sorted by path and method.

    Routes with no guard or several are left out: the matrix test fails on them.
    """
    found = []
    for route in app_routes(app):
        guards = route_guards(route)
        if len(guards) != 1:
            continue
        for method in sorted(route.methods):
            found.append(RouteAccess(method, route.path, guards[0]))
    return sorted(found, key=lambda item: (item.path, item.method))


def _cell(access: RouteAccess, role: Role | None) -> str:
    if not access.allows(role):
        return "–"
    if isinstance(access.guard, ApiGuard | UiGuard) and access.guard.own and role is not None:
        actor = Actor(principal="user:probe", roles=frozenset({role}), user_id=1)
        assert access.guard.action is not None
        return "yes" if is_allowed(actor, access.guard.action) else "own"
    return "yes"


def route_table_markdown(app: FastAPI) -> str:
    """Who may call each route, as docs/web.md shows it."""
    roles = list(Role)
    lines = [
        "| route | anonymous | " + " | ".join(role.value for role in roles) + " | asks |",
        "|---|---|" + "---|" * len(roles) + "---|",
    ]
    for access in route_access(app):
        cells = [_cell(access, None), *(_cell(access, role) for role in roles)]
        if access.action is not None:
            asks = f"`{access.action.value}`" + (
                " (own)" if getattr(access.guard, "own", False) else ""
            )
        elif access.signed_in:
            asks = "signed in"
        else:
            asks = "nothing"
        lines.append(f"| `{access.method} {access.path}` | " + " | ".join(cells) + f" | {asks} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the route table (for docs/web.md)."""
    from suar.web.app import route_skeleton

    sys.stdout.write(route_table_markdown(route_skeleton()))


if __name__ == "__main__":
    main()
