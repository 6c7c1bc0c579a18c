"""Bearer-token authentication for /api/v1.

Every API request comes through here, so the common case costs one indexed
statement in a read-only unit of work: the token (by the SHA-256 of its
secret, never a slow password hash), its user and the user's roles. A token
that is unknown, revoked, expired or whose user is disabled is refused there
and then, without touching the writer. Only a good token whose
``last_used_at`` is due for a refresh (at most once a minute) goes through
:func:`suar.access.authenticate_token` in a write unit, which checks it again
under the write lock and records the use.

The busiest read routes check the token inside their own read unit
(:func:`token_read`), so that a request opens one unit of work, not two.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from suar.access import TOKEN_PREFIX, Actor, authenticate_token
from suar.access.tokens import secret_hash, token_usable
from suar.store import Database
from suar.store.pages import token_grant

#: Same interval as the access pillar refreshes ``last_used_at`` with.
_TOUCH_INTERVAL: Final = timedelta(minutes=1)
_TOKEN_LENGTH: Final = len(TOKEN_PREFIX) + 43


def well_formed(token: str) -> bool:
    """True when ``token`` looks like a Suar API token (checked before any database work)."""
    return token.startswith(TOKEN_PREFIX) and len(token) == _TOKEN_LENGTH


def _granted(session: Session, token: str, now: datetime) -> tuple[Actor | None, bool]:
    """The token's actor (None when refused) and whether its use is due to be recorded."""
    grant = token_grant(session, secret_hash(token))
    if grant is None or not token_usable(
        revoked_at=grant.revoked_at,
        expires_at=grant.expires_at,
        user_active=grant.user.active,
        now=now,
    ):
        return None, False
    used = grant.last_used_at
    return Actor.for_user(grant.user), used is None or now - used >= _TOUCH_INTERVAL


def actor_for_token(db: Database, token: str, now: datetime) -> Actor | None:
    """The actor a bearer token stands for; None when unknown, revoked, expired or disabled."""
    with token_read(db, token, now) as (actor, _session):
        return actor


@contextmanager
def token_read(db: Database, token: str, now: datetime) -> Iterator[tuple[Actor | None, Session]]:
    """A read unit of work that starts by checking ``token``: yields its actor (or None) and the unit.

    The caller refuses a None actor before reading anything. When the token's
    use is due to be recorded, :func:`suar.access.authenticate_token` checks
    it again and records it in a write unit, after the read unit ended
    without an error.
    """
    token = token.strip()
    with db.read() as session:
        actor, due = _granted(session, token, now) if well_formed(token) else (None, False)
        yield actor, session
    if actor is not None and due:
        with db.write() as session:
            authenticate_token(session, token, now)
