"""``/api/v1/users``: the node's users and their roles (admins; auditors read)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from suar.access import (
    Action,
    Actor,
    Role,
    UnknownUser,
    add_user,
    disable_user,
    list_users,
    normalize_username,
)
from suar.store import UserRecord
from suar.web.guards import api_allowed
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["users"])

Username = Annotated[str, Path(max_length=64, description="The user's login name.")]


class UserOut(BaseModel):
    """A user as listed (never its password hash)."""

    model_config = ConfigDict(frozen=True)

    username: str
    display_name: str
    roles: list[str]
    active: bool
    has_password: bool
    created_at: datetime
    disabled_at: datetime | None


class NewUser(BaseModel):
    """A user to add. Without a password it is a token-only service account."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    username: str = Field(max_length=64)
    roles: list[Role] = Field(min_length=1)
    display_name: str = Field(default="", max_length=200)
    password: SecretStr | None = Field(default=None, description="At least 12 characters.")


class DisableRequest(BaseModel):
    """Why the user is disabled, for the audit trail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str = Field(default="", max_length=500)


def user_out(user: UserRecord) -> UserOut:
    """The API view of a stored user."""
    return UserOut(
        username=user.username,
        display_name=user.display_name,
        roles=list(user.roles),
        active=user.active,
        has_password=user.has_password,
        created_at=user.created_at,
        disabled_at=user.disabled_at,
    )


@router.get("/users", response_model=Page[UserOut], summary="Users, by name")
def read_users(
    actor: Annotated[Actor, api_allowed(Action.USER_LIST)],
    state: StateDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    role: Annotated[Role | None, Query(description="Only users holding this role.")] = None,
    active: Annotated[bool | None, Query(description="Only active (or disabled) users.")] = None,
) -> Page[UserOut]:
    """Users in order of their names, filtered by role and status."""
    after = decode_cursor("users", cursor)
    with state.db.read() as session:
        users = list_users(session, actor)
    chosen = [
        user
        for user in users
        if (after is None or user.username > str(after))
        and (role is None or role.value in user.roles)
        and (active is None or user.active == active)
    ]
    chunk = chosen[:limit]
    more = len(chosen) > limit
    return Page[UserOut](
        items=[user_out(user) for user in chunk],
        limit=limit,
        next_cursor=encode_cursor("users", chunk[-1].username) if more else None,
    )


@router.get("/users/{username}", response_model=UserOut, summary="One user")
def read_user(
    actor: Annotated[Actor, api_allowed(Action.USER_LIST)], state: StateDep, username: Username
) -> UserOut:
    """The user called ``username``; 404 ``unknown_user`` when there is none."""
    name = normalize_username(username)
    with state.db.read() as session:
        found = [user for user in list_users(session, actor) if user.username == name]
    if not found:
        raise UnknownUser(f"no user {name!r}")
    return user_out(found[0])


@router.post("/users", response_model=UserOut, status_code=201, summary="Add a user")
def create_user(
    actor: Annotated[Actor, api_allowed(Action.USER_ADD)],
    state: StateDep,
    new: Annotated[NewUser, Body()],
) -> UserOut:
    """Add a user with roles (and a password, or none for a token-only account). Audited."""
    with state.db.write() as session:
        user = add_user(
            session,
            actor,
            new.username,
            roles=new.roles,
            display_name=new.display_name,
            password=None if new.password is None else new.password.get_secret_value(),
        )
    return user_out(user)


@router.post("/users/{username}/disable", response_model=UserOut, summary="Disable a user")
def disable(
    actor: Annotated[Actor, api_allowed(Action.USER_DISABLE)],
    state: StateDep,
    username: Username,
    body: Annotated[DisableRequest | None, Body()] = None,
) -> UserOut:
    """Disable a user: it can no longer sign in and its tokens stop working. Audited."""
    with state.db.write() as session:
        user = disable_user(
            session, actor, username, reason=body.reason if body is not None else ""
        )
    return user_out(user)
