"""Who is acting: a signed-in user, or the local operator at the node's console."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from suar.access.roles import Role
from suar.store import UserRecord

#: Roles of the local operator: whoever can run ``suar`` on the node's files
#: already holds the database, so it runs the node (admin) and the early-warning
#: work (analyst). Revealing identities and exporting the trail need a named
#: user with those roles (``SUAR_ACTOR``).
OPERATOR_ROLES: Final = frozenset({Role.ADMIN, Role.ANALYST})

_ROLE_NAMES: Final = frozenset(role.value for role in Role)


@dataclass(frozen=True, slots=True)
class Actor:
    """The subject of an authorisation decision and the ``actor`` of audit entries.

    ``principal`` is what the audit trail records: ``user:<username>`` or
    ``operator:<login>``. Case assignments and the partner agency an actor
    speaks for will join here when the registry and the exchange arrive.
    """

    principal: str
    roles: frozenset[Role]
    user_id: int | None = None

    @classmethod
    def operator(cls, login: str) -> Actor:
        """The local operator, known by the operating-system login it runs under."""
        return cls(principal=f"operator:{login or 'unknown'}", roles=OPERATOR_ROLES)

    @classmethod
    def for_user(cls, user: UserRecord) -> Actor:
        """The actor for a stored, active user, with the roles it holds."""
        # A role this version does not know grants nothing (fail closed).
        roles = frozenset(Role(role) for role in user.roles if role in _ROLE_NAMES)
        return cls(principal=f"user:{user.username}", roles=roles, user_id=user.id)
