"""All UI pages, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from suar.web.ui import audit, auth, dashboard, preferences


def ui_router() -> APIRouter:
    """Every UI page (kept out of the OpenAPI document, which describes the API)."""
    router = APIRouter(include_in_schema=False)
    for module in (auth, dashboard, preferences, audit):
        router.include_router(module.router)
    return router
