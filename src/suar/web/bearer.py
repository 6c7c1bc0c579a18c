"""Bearer-token authentication for /api/v1.

Every API request comes through here, so the common case costs one indexed
statement in a read-only unit of work: the token (by the SHA-256 of its
secret, never a slow password hash), its user and the user's roles. A token
that is unknown, revoked, expired or whose user is disabled is refused there
and then, without touching the writer. Only a good token whose
``last_used_at`` is due for a refresh (at most once a minute) goes through
:func:`suar.access.authenticate_token` in a write unit, which checks it again
under the write lock and records the use.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from suar.access import TOKEN_PREFIX, Actor, authenticate_token
from suar.access.tokens import secret_hash, token_usable
from suar.store import Database
from suar.store.pages import TokenGrant, token_grant

#: Same interval as the access pillar refreshes ``last_used_at`` with.
_TOUCH_INTERVAL: Final = timedelta(minutes=1)
_TOKEN_LENGTH: Final = len(TOKEN_PREFIX) + 43


def _usable(grant: TokenGrant, now: datetime) -> bool:
    return token_usable(
        revoked_at=grant.revoked_at,
        expires_at=grant.expires_at,
        user_active=grant.user.active,
        now=now,
    )


def actor_for_token(db: Database, token: str, now: datetime) -> Actor | None:
    """The actor a bearer token stands for; None when unknown, revoked, expired or disabled."""
    token = token.strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) != _TOKEN_LENGTH:
        return None
    with db.read() as session:
        grant = token_grant(session, secret_hash(token))
    if grant is None or not _usable(grant, now):
        return None
    used = grant.last_used_at
    if used is not None and now - used < _TOUCH_INTERVAL:
        return Actor.for_user(grant.user)
    with db.write() as session:
        return authenticate_token(session, token, now)
