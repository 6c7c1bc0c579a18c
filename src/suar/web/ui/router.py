"""All UI pages, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from suar.web.ui import (
    alerts,
    audit,
    auth,
    campaigns,
    dashboard,
    indicators,
    preferences,
    search,
)


def ui_router() -> APIRouter:
    """Every UI page (kept out of the OpenAPI document, which describes the API)."""
    router = APIRouter(include_in_schema=False)
    for module in (auth, dashboard, preferences, audit, alerts, campaigns, indicators, search):
        router.include_router(module.router)
    return router
