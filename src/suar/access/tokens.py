"""API tokens: random secrets shown once, stored only as their SHA-256.

A token is ``suar_`` followed by 43 characters of ``secrets.token_urlsafe(32)``
(256 bits). Because the secret is random and long, a fast hash suffices:
nobody can guess it from its SHA-256, and checking a token costs one index
lookup instead of an Argon2 run.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from suar.access.actors import Actor
from suar.access.policy import AccessDenied, Action, Resource, authorize, is_allowed
from suar.access.users import UnknownUser, normalize_username
from suar.audit import record
from suar.errors import InputError
from suar.store import TokenRecord, TokenRepository, UserRepository

TOKEN_PREFIX: Final = "suar_"
_TOKEN_LENGTH: Final = len(TOKEN_PREFIX) + 43
_MAX_NAME: Final = 100
#: ``last_used_at`` is refreshed at most this often, so that reads stay reads.
_TOUCH_INTERVAL: Final = timedelta(minutes=1)


class UnknownToken(InputError):
    """No token matches the id or secret given."""

    code = "unknown_token"


def secret_hash(token: str) -> str:
    """SHA-256 hex of a token's full text: what the database keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    actor: Actor,
    username: str,
    *,
    name: str = "",
    expires_in: timedelta | None = None,
    now: datetime | None = None,
) -> tuple[TokenRecord, str]:
    """Create a token for ``username``; returns its record and the secret, shown only now.

    Admins create tokens for anyone, other users for themselves. Audited as
    ``token.create`` (never with the secret).
    """
    user = UserRepository(session).get(normalize_username(username))
    if user is None:
        if not is_allowed(actor, Action.TOKEN_CREATE):
            raise AccessDenied(actor, Action.TOKEN_CREATE, None)
        raise UnknownUser(f"no user {username.strip().lower()!r}")
    authorize(actor, Action.TOKEN_CREATE, Resource("user", user.username, owner_id=user.id))
    if not user.active:
        raise InputError(f"user {user.username!r} is disabled")
    label = name.strip()
    if len(label) > _MAX_NAME:
        raise InputError(f"the token name must have at most {_MAX_NAME} characters")
    if expires_in is not None and expires_in <= timedelta(0):
        raise InputError("a token must expire in the future")
    moment = now or datetime.now(UTC)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = TokenRepository(session).add(
        public_id=secrets.token_hex(6),
        user_id=user.id,
        name=label,
        secret_sha256=secret_hash(secret),
        created_at=moment,
        expires_at=None if expires_in is None else moment + expires_in,
    )
    record(
        session,
        actor=actor.principal,
        action="token.create",
        target=f"token:{token.public_id}",
        details={
            "user": user.username,
            "name": label,
            "expires_at": None if token.expires_at is None else token.expires_at.isoformat(),
        },
        now=moment,
    )
    return token, secret


def _find(session: Session, public_id: str | None, secret: str | None) -> TokenRecord | None:
    repo = TokenRepository(session)
    if secret is not None:
        return repo.by_secret_hash(secret_hash(secret.strip()))
    if public_id is not None:
        return repo.get(public_id.strip().lower())
    raise InputError("give a token id or the token itself")


def revoke_token(
    session: Session,
    actor: Actor,
    *,
    public_id: str | None = None,
    secret: str | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> TokenRecord:
    """Revoke a token given by its public id or by its secret (say, one found leaked).

    Admins revoke any token, other users their own. Audited as ``token.revoke``.
    """
    token = _find(session, public_id, secret)
    if token is None:
        if not is_allowed(actor, Action.TOKEN_REVOKE):
            raise AccessDenied(actor, Action.TOKEN_REVOKE, None)
        shown = f" {public_id.strip()!r}" if secret is None and public_id else ""
        raise UnknownToken(f"no such token{shown}")
    authorize(
        actor, Action.TOKEN_REVOKE, Resource("token", token.public_id, owner_id=token.user_id)
    )
    if token.revoked_at is not None:
        raise InputError(f"token {token.public_id} is already revoked")
    moment = now or datetime.now(UTC)
    TokenRepository(session).revoke(token.id, moment)
    record(
        session,
        actor=actor.principal,
        action="token.revoke",
        target=f"token:{token.public_id}",
        details={"user": token.username, "reason": reason.strip()},
        now=moment,
    )
    revoked = TokenRepository(session).get(token.public_id)
    assert revoked is not None
    return revoked


def list_tokens(session: Session, actor: Actor, username: str | None = None) -> list[TokenRecord]:
    """Tokens of ``username``, or of everyone; never secrets.

    Without a username, an actor that may only list its own tokens gets those.
    """
    if username is None:
        if actor.user_id is not None and not is_allowed(actor, Action.TOKEN_LIST):
            owner = Resource("user", actor.principal, owner_id=actor.user_id)
            authorize(actor, Action.TOKEN_LIST, owner)
            return TokenRepository(session).list(actor.user_id)
        authorize(actor, Action.TOKEN_LIST)
        return TokenRepository(session).list()
    user = UserRepository(session).get(normalize_username(username))
    if user is None:
        if not is_allowed(actor, Action.TOKEN_LIST):
            raise AccessDenied(actor, Action.TOKEN_LIST, None)
        raise UnknownUser(f"no user {username.strip().lower()!r}")
    authorize(actor, Action.TOKEN_LIST, Resource("user", user.username, owner_id=user.id))
    return TokenRepository(session).list(user.id)


def token_usable(
    *, revoked_at: datetime | None, expires_at: datetime | None, user_active: bool, now: datetime
) -> bool:
    """Whether a stored token may act at ``now``: not revoked, not expired, its user active.

    The one rule every bearer check applies (also the web layer's read-only fast path).
    """
    if revoked_at is not None:
        return False
    if expires_at is not None and expires_at <= now:
        return False
    return user_active


def authenticate_token(session: Session, token: str, now: datetime | None = None) -> Actor | None:
    """The actor a bearer token stands for, or None when unknown, revoked, expired or disabled."""
    token = token.strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) != _TOKEN_LENGTH:
        return None
    found = TokenRepository(session).by_secret_hash(secret_hash(token))
    moment = now or datetime.now(UTC)
    if found is None:
        return None
    user = UserRepository(session).get_by_id(found.user_id)
    if user is None or not token_usable(
        revoked_at=found.revoked_at,
        expires_at=found.expires_at,
        user_active=user.active,
        now=moment,
    ):
        return None
    if found.last_used_at is None or moment - found.last_used_at >= _TOUCH_INTERVAL:
        TokenRepository(session).touch(found.id, moment)
    return Actor.for_user(user)
