"""Users and their roles: the repository the access pillar works through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from suar.store.tables import UserRoleRow, UserRow


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A stored user, without its password hash."""

    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    created_at: datetime
    disabled_at: datetime | None
    has_password: bool

    @property
    def active(self) -> bool:
        """True unless the user was disabled."""
        return self.disabled_at is None


def _record(row: UserRow) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=tuple(sorted(r.role for r in row.roles)),
        created_at=row.created_at,
        disabled_at=row.disabled_at,
        has_password=row.password_hash is not None,
    )


class UserRepository:
    """Reads and writes users inside the caller's unit of work (adds and flushes only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, username: str) -> UserRow | None:
        return self._session.scalars(select(UserRow).where(UserRow.username == username)).first()

    def get(self, username: str) -> UserRecord | None:
        """The user called ``username``, or ``None``."""
        row = self._row(username)
        return None if row is None else _record(row)

    def get_by_id(self, user_id: int) -> UserRecord | None:
        """The user with this id, or ``None``."""
        row = self._session.get(UserRow, user_id)
        return None if row is None else _record(row)

    def credentials(self, username: str) -> tuple[UserRecord, str | None] | None:
        """The user and its password hash, for signing in; ``None`` when unknown."""
        row = self._row(username)
        return None if row is None else (_record(row), row.password_hash)

    def list(self) -> list[UserRecord]:
        """Every user, active or not, by username."""
        rows = self._session.scalars(select(UserRow).order_by(UserRow.username))
        return [_record(row) for row in rows]

    def add(
        self,
        *,
        username: str,
        display_name: str,
        roles: Iterable[str],
        password_hash: str | None,
        created_at: datetime,
    ) -> UserRecord:
        """Insert a user with its roles and flush (a duplicate username raises on flush)."""
        row = UserRow(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            created_at=created_at,
            disabled_at=None,
        )
        row.roles = [UserRoleRow(role=role) for role in sorted(set(roles))]
        self._session.add(row)
        self._session.flush()
        return _record(row)

    def disable(self, user_id: int, at: datetime) -> UserRecord:
        """Mark the user disabled from ``at`` on; a disabled user stays disabled."""
        row = self._session.get_one(UserRow, user_id)
        if row.disabled_at is None:
            row.disabled_at = at
            self._session.flush()
        return _record(row)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace the user's password hash (after a rehash with stronger parameters)."""
        row = self._session.get_one(UserRow, user_id)
        row.password_hash = password_hash
        self._session.flush()
