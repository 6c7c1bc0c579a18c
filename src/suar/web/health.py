"""``/healthz``: whether the node answers, for load balancers and start-up scripts."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from suar.web.guards import OPEN

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The node answers."""

    model_config = ConfigDict(frozen=True)

    status: str


@router.get("/healthz", response_model=Health, dependencies=[Depends(OPEN)], summary="Health")
def health() -> Health:
    """Always ``{"status": "ok"}`` while the server runs (it tells nothing else to anyone)."""
    return Health(status="ok")
