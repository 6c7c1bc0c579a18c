"""``/api/v1/me``: who the token stands for and what it may do."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from suar.access import Action, is_allowed
from suar.store import UserRepository
from suar.web.guards import CurrentActor, own_resource
from suar.web.state import StateDep

router = APIRouter(tags=["me"])


class Me(BaseModel):
    """The caller: its user, roles, and each action it may take (on anything, or its own)."""

    model_config = ConfigDict(frozen=True)

    username: str
    display_name: str
    principal: str
    roles: list[str]
    permissions: dict[str, Literal["any", "own"]]


@router.get("/me", response_model=Me, summary="The caller and its permissions")
def read_me(actor: CurrentActor, state: StateDep) -> Me:
    """The user the bearer token acts as, its roles and what the policy lets it do."""
    assert actor.user_id is not None  # tokens always belong to a user
    with state.db.read() as session:
        user = UserRepository(session).get_by_id(actor.user_id)
    assert user is not None  # the guard has just found it active
    permissions: dict[str, Literal["any", "own"]] = {}
    for action in Action:
        if is_allowed(actor, action):
            permissions[action.value] = "any"
        elif is_allowed(actor, action, own_resource(actor)):
            permissions[action.value] = "own"
    return Me(
        username=user.username,
        display_name=user.display_name,
        principal=actor.principal,
        roles=sorted(role.value for role in actor.roles),
        permissions=permissions,
    )
