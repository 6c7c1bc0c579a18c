"""The authorisation matrix: every route of the app, called as every role and as nobody.

Routes are read from the app itself, so a route added later is walked too;
what each role may do comes from the one policy table. A route without
exactly one access guard, or a path parameter with no sample value here,
fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from suar.access import Role
from suar.store import UserRepository
from suar.web.errors import API_PREFIX
from suar.web.guards import ApiGuard, OpenAccess, UiGuard, UiPublic
from suar.web.reference import (
    RouteAccess,
    app_routes,
    route_access,
    route_guards,
    route_table_markdown,
)
from suar.web.session import COOKIE_NAME

from .nodes import Node, sign_in, username_for

ROOT = Path(__file__).resolve().parents[2]

#: A value for each path parameter, naming nothing that exists (the policy is
#: asked before the resource is looked up). A new parameter needs a value here.
PATH_VALUES = {
    "username": "matrix-nobody",
    "token_id": "0123456789ab",
    "seq": "999999",
    "alert_id": "999999",
    "post_id": "999999",
    "ref": "cmp_0000000000000000",
    "kind": "phone",
    "value:path": "+10000000000",
}
#: Routes FastAPI itself adds, open to anyone.
FRAMEWORK_ROUTES = {"/openapi.json"}
#: Successful requests that redirect to the login form on purpose.
REDIRECTS_TO_LOGIN = {("POST", "/logout")}


def _url(path: str) -> str:
    url = path
    for name, value in PATH_VALUES.items():
        url = url.replace("{" + name + "}", value)
    assert "{" not in url, f"{path}: add a sample value for its path parameter to PATH_VALUES"
    return url


@dataclass
class Caller:
    """Who calls: a role (None: no credentials) with its token and session."""

    role: Role | None
    headers: dict[str, str]
    cookie: str | None
    csrf: str | None


def _callers(node: Node, app: FastAPI) -> Iterator[Caller]:
    state = app.state.suar
    anonymous = state.sessions.new(node.clock.now)
    yield Caller(None, {}, state.sessions.encode(anonymous), state.sessions.csrf_token(anonymous))
    with node.db.read() as session:
        users = {role: UserRepository(session).get(username_for(role)) for role in Role}
    for role, user in users.items():
        assert user is not None
        signed_in = state.sessions.new(node.clock.now, user_id=user.id)
        yield Caller(
            role,
            node.bearer(role),
            state.sessions.encode(signed_in),
            state.sessions.csrf_token(signed_in),
        )


def _call(client: TestClient, access: RouteAccess, caller: Caller) -> Any:
    url = _url(access.path)
    client.cookies.clear()
    if access.path.startswith(API_PREFIX):
        body: dict[str, str] | None = {} if access.method in {"POST", "PUT", "PATCH"} else None
        return client.request(access.method, url, headers=caller.headers, json=body)
    assert caller.cookie is not None
    client.cookies.set(COOKIE_NAME, caller.cookie)
    if access.method == "GET":
        return client.get(url)
    return client.request(access.method, url, data={"csrf_token": caller.csrf or ""})


def _is_login_redirect(response: Any) -> bool:
    return bool(response.status_code == 303 and response.headers["location"].startswith("/login"))


def test_every_route_has_exactly_one_access_guard(node: Node) -> None:
    app = node.app()
    for route in app_routes(app):
        if isinstance(route.route, Mount):
            assert route.path == "/static", f"unexpected mount {route.path}"
            continue
        if route.dependant is None:
            assert route.path in FRAMEWORK_ROUTES, f"{route.path} is not a FastAPI route"
            continue
        guards = route_guards(route)
        assert len(guards) == 1, f"{sorted(route.methods)} {route.path} has guards {guards}"
        if route.path.startswith(API_PREFIX):
            assert isinstance(guards[0], ApiGuard), f"{route.path}: API routes take bearer tokens"
        else:
            assert isinstance(guards[0], UiGuard | UiPublic | OpenAccess), route.path


def test_every_route_answers_each_role_as_the_policy_says(node: Node) -> None:
    app = node.app()
    accesses = route_access(app)
    assert len(accesses) >= 20
    with TestClient(app, follow_redirects=False) as client:
        callers = list(_callers(node, app))
        for access in accesses:
            for caller in callers:
                response = _call(client, access, caller)
                who = caller.role.value if caller.role else "anonymous"
                where = f"{access.method} {access.path} as {who}: {response.status_code}"
                assert response.status_code < 500, f"{where} {response.text[:300]}"
                api = access.path.startswith(API_PREFIX)
                if not access.allows(caller.role) and caller.role is None:
                    if api:
                        assert response.status_code == 401, where
                        assert response.json()["error"]["code"] == "unauthenticated", where
                    else:
                        assert _is_login_redirect(response), where
                elif not access.allows(caller.role):
                    assert response.status_code == 403, where
                    if api:
                        assert response.json()["error"]["code"] == "access_denied", where
                else:
                    assert response.status_code not in (401, 403), f"{where} {response.text[:300]}"
                    if (access.method, access.path) not in REDIRECTS_TO_LOGIN:
                        assert not _is_login_redirect(response), where


def test_a_refused_request_is_recorded_in_the_audit_trail(node: Node) -> None:
    with node.client() as client:
        response = client.get("/api/v1/users", headers=node.bearer(Role.ANALYST))
        assert response.status_code == 403
        entries = client.get(
            "/api/v1/audit/entries",
            params={"action": "access.denied", "limit": 1},
            headers=node.bearer(Role.AUDITOR),
        ).json()["items"]
    assert entries[0]["actor"] == "user:analyst"
    assert entries[0]["details"] == {"action": "user.list", "via": "web"}


def test_the_documented_route_table_is_the_one_enforced(node: Node) -> None:
    documented = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    assert route_table_markdown(node.app()) in documented, (
        "docs/web.md shows another route table: paste `python -m suar.web.reference` into it"
    )


def test_the_api_refuses_malformed_or_unknown_credentials(node: Node) -> None:
    unknown = "suar_" + "A" * 43
    with node.client() as client:
        for header in (
            "Bearer not-a-token",
            "Basic YWxpY2U6cGFzcw==",
            "Bearer ",
            f"Bearer {unknown}",
        ):
            response = client.get("/api/v1/me", headers={"Authorization": header})
            assert response.status_code == 401, header
            assert response.headers["www-authenticate"].startswith("Bearer"), header


def test_the_api_ignores_a_signed_in_session_cookie(node: Node, client: TestClient) -> None:
    sign_in(client, Role.ADMIN)
    response = client.get("/api/v1/me")
    assert response.status_code == 401, "the API must take bearer tokens only"
