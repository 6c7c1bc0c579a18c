"""API tokens: the repository keeps only each secret's SHA-256."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from suar.store.tables import ApiTokenRow, UserRow


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A stored API token (never its secret)."""

    id: int
    public_id: str
    user_id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def _query() -> Select[ApiTokenRow, str]:
    return select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)


def _from_result(found: Row[ApiTokenRow, str]) -> TokenRecord:
    row, username = found
    return _record(row, username)


def _record(row: ApiTokenRow, username: str) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        public_id=row.public_id,
        user_id=row.user_id,
        username=username,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class TokenRepository:
    """Reads and writes API tokens inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        public_id: str,
        user_id: int,
        name: str,
        secret_sha256: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> TokenRecord:
        """Insert a token and flush."""
        row = ApiTokenRow(
            public_id=public_id,
            user_id=user_id,
            name=name,
            secret_sha256=secret_sha256,
            created_at=created_at,
            expires_at=expires_at,
        )
        self._session.add(row)
        self._session.flush()
        return self.get(public_id) or _record(row, "")

    def get(self, public_id: str) -> TokenRecord | None:
        """The token with this public id, or ``None``."""
        found = self._session.execute(_query().where(ApiTokenRow.public_id == public_id)).first()
        return None if found is None else _from_result(found)

    def by_secret_hash(self, secret_sha256: str) -> TokenRecord | None:
        """The token whose secret hashes to ``secret_sha256``, or ``None``."""
        found = self._session.execute(
            _query().where(ApiTokenRow.secret_sha256 == secret_sha256)
        ).first()
        return None if found is None else _from_result(found)

    def list(self, user_id: int | None = None) -> list[TokenRecord]:
        """Tokens of one user, or of every user, oldest first."""
        query = _query().order_by(ApiTokenRow.created_at, ApiTokenRow.id)
        if user_id is not None:
            query = query.where(ApiTokenRow.user_id == user_id)
        return [_from_result(found) for found in self._session.execute(query)]

    def revoke(self, token_id: int, at: datetime) -> None:
        """Mark the token revoked from ``at`` on (a revoked token stays revoked)."""
        row = self._session.get_one(ApiTokenRow, token_id)
        if row.revoked_at is None:
            row.revoked_at = at
            self._session.flush()

    def touch(self, token_id: int, at: datetime) -> None:
        """Record that the token was just used."""
        row = self._session.get_one(ApiTokenRow, token_id)
        row.last_used_at = at
        self._session.flush()
