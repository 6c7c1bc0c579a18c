"""The JSON API under /api/v1: one router per resource, bearer tokens only."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter

from suar.web.api import alerts, audit, campaigns, indicators, me, posts, tokens, users, watchlist
from suar.web.errors import ErrorResponse

#: Where the API lives.
PREFIX: Final = "/api/v1"

#: Error responses every API route can give, in the pinned shape.
ERROR_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (400, "The request cannot be processed (`input_error`, `invalid_cursor`, ...)."),
        (401, "No valid API token (`unauthenticated`)."),
        (403, "The policy refuses the action (`access_denied`)."),
        (404, "No such resource, or not one the caller may know of."),
        (422, "The parameters or body are not valid (`validation_error`)."),
    )
}


def api_router() -> APIRouter:
    """The API, every resource's router under /api/v1."""
    router = APIRouter(prefix=PREFIX, responses=ERROR_RESPONSES)
    for module in (me, tokens, users, audit, alerts, campaigns, posts, indicators, watchlist):
        router.include_router(module.router)
    return router
