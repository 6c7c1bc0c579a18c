"""Every API error has one body: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from suar.access import Role
from suar.errors import SuarError
from suar.store import StoreError
from suar.web.errors import status_for

from .nodes import Node


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Check the pinned shape, status and code; return the error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    return dict(error)


def test_no_credentials_answer_401_unauthenticated(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
    assert "Bearer" in error["message"]


def test_a_refused_action_answers_403_access_denied(node: Node, client: TestClient) -> None:
    response = client.get("/api/v1/users", headers=node.bearer(Role.ANALYST))
    error = assert_error(response, 403, "access_denied")
    assert error["message"] == "user:analyst may not user.list"


def test_an_unknown_user_answers_404_unknown_user(node: Node, client: TestClient) -> None:
    response = client.get("/api/v1/users/nobody", headers=node.bearer(Role.ADMIN))
    assert_error(response, 404, "unknown_user")


def test_an_unknown_api_route_answers_404_not_found(client: TestClient) -> None:
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_wrong_method_answers_405(node: Node, client: TestClient) -> None:
    response = client.delete("/api/v1/me", headers=node.bearer(Role.ADMIN))
    assert_error(response, 405, "method_not_allowed")


def test_a_duplicate_user_answers_409(node: Node, client: TestClient) -> None:
    body = {"username": "auditor", "roles": ["auditor"]}
    response = client.post("/api/v1/users", json=body, headers=node.bearer(Role.ADMIN))
    assert_error(response, 409, "duplicate_user")


def test_an_invalid_body_answers_422_with_each_problem_but_never_the_input(
    node: Node, client: TestClient
) -> None:
    body = {"username": "x" * 100, "roles": ["boss"], "password": "hunter2-secret"}
    response = client.post("/api/v1/users", json=body, headers=node.bearer(Role.ADMIN))
    error = assert_error(response, 422, "validation_error")
    locations = {tuple(problem["loc"]) for problem in error["details"]["errors"]}
    assert ("body", "new", "username") in locations or ("body", "username") in locations
    assert "hunter2-secret" not in response.text


def test_a_bad_input_answers_400_with_the_reason(node: Node, client: TestClient) -> None:
    body = {"username": "bob", "roles": ["analyst"], "password": "short"}
    response = client.post("/api/v1/users", json=body, headers=node.bearer(Role.ADMIN))
    error = assert_error(response, 400, "input_error")
    assert "at least 12 characters" in error["message"]


def test_a_forged_cursor_answers_400_invalid_cursor(node: Node, client: TestClient) -> None:
    response = client.get(
        "/api/v1/users", params={"cursor": "not-a-cursor"}, headers=node.bearer(Role.ADMIN)
    )
    assert_error(response, 400, "invalid_cursor")


def _broken_app(node: Node, error: Exception) -> FastAPI:
    app = node.app()

    @app.get("/api/v1/broken")
    def broken() -> None:
        raise error

    return app


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (StoreError("database postgresql://suar@db/x failed: PRIVATE"), 503, "store_error"),
        (SuarError("something PRIVATE"), 500, "suar_error"),
        (RuntimeError("a bug with PRIVATE detail"), 500, "internal_error"),
    ],
)
def test_the_nodes_own_failures_keep_the_shape_and_hide_their_detail(
    node: Node, error: Exception, status: int, code: str
) -> None:
    with TestClient(_broken_app(node, error), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/broken")
    assert_error(response, status, code)
    assert "PRIVATE" not in response.text


def test_every_error_class_maps_to_a_status() -> None:
    assert status_for(StoreError("x")) == 503
    assert status_for(SuarError("x")) == 500


def test_the_openapi_document_describes_the_error_shape(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["ErrorResponse"]["required"] == ["error"]
    assert schemas["ErrorDetail"]["required"] == ["code", "message", "details"]
    me = document["paths"]["/api/v1/me"]["get"]
    assert me["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
