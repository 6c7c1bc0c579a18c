"""``/api/v1/tokens``: the caller's own API tokens (never their secrets)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, ConfigDict

from suar.access import Action, Actor, list_tokens, revoke_token
from suar.store import TokenRecord
from suar.web.errors import NotFound
from suar.web.guards import api_allowed
from suar.web.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor, encode_cursor
from suar.web.state import StateDep

router = APIRouter(tags=["tokens"])


class TokenOut(BaseModel):
    """An API token as listed: its public id and dates, never the secret."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    state: Literal["active", "revoked", "expired"]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class RevokeRequest(BaseModel):
    """Why the token is revoked, for the audit trail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str = ""


def token_out(token: TokenRecord, now: datetime) -> TokenOut:
    """The API view of a stored token."""
    if token.revoked_at is not None:
        state: Literal["active", "revoked", "expired"] = "revoked"
    elif token.expires_at is not None and token.expires_at <= now:
        state = "expired"
    else:
        state = "active"
    return TokenOut(
        id=token.public_id,
        name=token.name,
        state=state,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


def _username(actor: Actor) -> str:
    return actor.principal.removeprefix("user:")


@router.get("/tokens", response_model=Page[TokenOut], summary="The caller's API tokens")
def read_tokens(
    actor: Annotated[Actor, api_allowed(Action.TOKEN_LIST, own=True)],
    state: StateDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[TokenOut]:
    """The caller's tokens, oldest first."""
    offset = decode_cursor("tokens", cursor) or 0
    if not isinstance(offset, int) or offset < 0:
        offset = 0
    with state.db.read() as session:
        tokens = list_tokens(session, actor, _username(actor))
    now = state.now()
    chunk = tokens[offset : offset + limit]
    more = offset + limit < len(tokens)
    return Page[TokenOut](
        items=[token_out(token, now) for token in chunk],
        limit=limit,
        next_cursor=encode_cursor("tokens", offset + limit) if more else None,
    )


@router.post(
    "/tokens/{token_id}/revoke",
    response_model=TokenOut,
    summary="Revoke one of the caller's tokens",
)
def revoke_own_token(
    actor: Annotated[Actor, api_allowed(Action.TOKEN_REVOKE, own=True)],
    state: StateDep,
    token_id: Annotated[str, Path(max_length=32, description="The token's public id.")],
    body: Annotated[RevokeRequest | None, Body()] = None,
) -> TokenOut:
    """Revoke a token of the caller (the one in use, too). Another user's token answers 404."""
    with state.db.write() as session:
        mine = {t.public_id: t for t in list_tokens(session, actor, _username(actor))}
        if token_id.strip().lower() not in mine:
            raise NotFound(f"you have no token {token_id!r}")
        token = revoke_token(
            session, actor, public_id=token_id, reason=body.reason if body is not None else ""
        )
    return token_out(token, state.now())
