"""Bearer-token authentication for /api/v1.

A token is checked in a read-only unit of work; only when its ``last_used_at``
is due for a refresh (at most once a minute) is it checked again in a write
unit, so that API reads do not queue behind SQLite's single writer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from suar.access import TOKEN_PREFIX, Actor, authenticate_token
from suar.access.tokens import secret_hash
from suar.store import Database, TokenRepository

#: Same interval as the access pillar refreshes ``last_used_at`` with.
_TOUCH_INTERVAL: Final = timedelta(minutes=1)
_TOKEN_LENGTH: Final = len(TOKEN_PREFIX) + 43


def actor_for_token(db: Database, token: str, now: datetime) -> Actor | None:
    """The actor a bearer token stands for; None when unknown, revoked, expired or disabled."""
    token = token.strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) != _TOKEN_LENGTH:
        return None
    with db.read() as session:
        found = TokenRepository(session).by_secret_hash(secret_hash(token))
        if found is None:
            return None
        fresh = found.last_used_at is not None and now - found.last_used_at < _TOUCH_INTERVAL
        if fresh:
            return authenticate_token(session, token, now)
    with db.write() as session:
        return authenticate_token(session, token, now)
