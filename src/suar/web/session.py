"""Web sessions in signed cookies, and the CSRF tokens bound to them.

A session is a small JSON object, ``{"v": 1, "sid": ..., "uid": ..., "iat": ...,
"seen": ...}``, sent as ``base64url(json) "." base64url(HMAC-SHA256)`` in an
HttpOnly, SameSite=Lax cookie (Secure over HTTPS). Nothing is stored on the
server: the user's roles and status are read from the database on every
request, so disabling a user ends its sessions at once. Anonymous visitors get
a session too (``uid`` null), so that the login form carries a CSRF token.

The CSRF token of a session is ``HMAC(key, sid)``: forms carry it in a hidden
field and every state-changing request must echo it (a synchroniser token
bound to the session, not stored anywhere). Signing in starts a new ``sid``,
so a token or cookie planted before sign-in is worthless after it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from suar.web.secret import WebSecret

#: Name of the session cookie.
COOKIE_NAME: Final = "suar_session"
#: Purpose namespaces of the keys derived from the web secret.
SESSION_PURPOSE: Final = "suar/web-session/v1"
CSRF_PURPOSE: Final = "suar/web-csrf/v1"
#: How stale ``seen`` may be before the cookie is re-issued (keeps idle tracking cheap).
REFRESH_AFTER: Final = timedelta(minutes=1)
_VERSION: Final = 1
_MAX_COOKIE: Final = 1024


@dataclass(frozen=True, slots=True)
class WebSession:
    """One browser session: anonymous (``user_id`` None) or signed in."""

    sid: str
    user_id: int | None
    issued_at: int
    seen_at: int

    @property
    def signed_in(self) -> bool:
        """True when the session belongs to a user."""
        return self.user_id is not None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCodec:
    """Signs, checks and times out session cookies; derives their CSRF tokens."""

    def __init__(self, secret: WebSecret, *, lifetime: timedelta, idle_timeout: timedelta) -> None:
        self._session_key = secret.key(SESSION_PURPOSE)
        self._csrf_key = secret.key(CSRF_PURPOSE)
        self.lifetime = lifetime
        self.idle_timeout = idle_timeout

    def new(self, now: datetime, user_id: int | None = None) -> WebSession:
        """A fresh session with a new random id (anonymous unless ``user_id`` is given)."""
        moment = int(now.timestamp())
        return WebSession(
            sid=secrets.token_urlsafe(18), user_id=user_id, issued_at=moment, seen_at=moment
        )

    def encode(self, session: WebSession) -> str:
        """The cookie value for ``session``."""
        body = json.dumps(
            {
                "v": _VERSION,
                "sid": session.sid,
                "uid": session.user_id,
                "iat": session.issued_at,
                "seen": session.seen_at,
            },
            separators=(",", ":"),
            sort_keys=True,
        ).encode("utf-8")
        payload = _b64(body)
        return f"{payload}.{_b64(self._mac(payload))}"

    def decode(self, value: str | None, now: datetime) -> WebSession | None:
        """The session in a cookie value, or None when absent, forged, malformed or expired."""
        if not value or len(value) > _MAX_COOKIE or value.count(".") != 1:
            return None
        payload, mac = value.split(".")
        try:
            given = _unb64(mac)
            data = json.loads(_unb64(payload))
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(given, self._mac(payload)):
            return None
        session = _parse(data)
        if session is None:
            return None
        moment = int(now.timestamp())
        if moment - session.issued_at >= self.lifetime.total_seconds():
            return None
        if moment - session.seen_at >= self.idle_timeout.total_seconds():
            return None
        if session.issued_at > moment + 60 or session.seen_at > moment + 60:
            return None
        return session

    def needs_refresh(self, session: WebSession, now: datetime) -> bool:
        """True when ``seen`` is stale enough that the cookie should be re-issued."""
        return int(now.timestamp()) - session.seen_at >= REFRESH_AFTER.total_seconds()

    def touched(self, session: WebSession, now: datetime) -> WebSession:
        """``session`` seen at ``now``."""
        return replace(session, seen_at=int(now.timestamp()))

    def csrf_token(self, session: WebSession) -> str:
        """The CSRF token forms of this session must carry."""
        digest = hmac.new(self._csrf_key, session.sid.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest)

    def csrf_valid(self, session: WebSession, token: object) -> bool:
        """True when ``token`` is this session's CSRF token (compared in constant time)."""
        if not isinstance(token, str) or not token.isascii():
            return False
        return hmac.compare_digest(token.encode("ascii"), self.csrf_token(session).encode("ascii"))

    def _mac(self, payload: str) -> bytes:
        return hmac.new(self._session_key, payload.encode("ascii"), hashlib.sha256).digest()


def _parse(data: object) -> WebSession | None:
    if not isinstance(data, dict) or data.get("v") != _VERSION:
        return None
    sid, uid, iat, seen = data.get("sid"), data.get("uid"), data.get("iat"), data.get("seen")
    if not isinstance(sid, str) or not sid.isascii() or not 16 <= len(sid) <= 64:
        return None
    if uid is not None and (not isinstance(uid, int) or isinstance(uid, bool)):
        return None
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (iat, seen)):
        return None
    assert isinstance(iat, int) and isinstance(seen, int)
    return WebSession(sid=sid, user_id=uid, issued_at=iat, seen_at=seen)
