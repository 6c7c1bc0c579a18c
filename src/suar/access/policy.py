"""The access policy: one function, :func:`authorize`, that every command and route asks.

The permission table :data:`PERMISSIONS` maps each action to the roles that
may take it and the *scope* of the grant:

- ``any``: on every resource of the kind;
- ``own``: only on resources the actor owns (``Resource.owner_id``), such as
  its own API tokens.

Case assignment and partner agencies enter as further scopes (``assigned``:
the resource's case is among the actor's assigned cases; ``partner``: an
agreement covers the resource's partner) without changing any caller: they
already pass the resource they act on. An action missing from the table is
denied to everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from suar.access.actors import Actor
from suar.access.roles import Role
from suar.errors import SuarError


class Action(StrEnum):
    """Everything the policy decides on, named ``<resource>.<verb>``."""

    DB_UPGRADE = "db.upgrade"
    USER_ADD = "user.add"
    USER_LIST = "user.list"
    USER_DISABLE = "user.disable"
    TOKEN_CREATE = "token.create"
    TOKEN_LIST = "token.list"
    TOKEN_REVOKE = "token.revoke"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    AUDIT_EXPORT = "audit.export"
    POST_INGEST = "post.ingest"
    POST_READ = "post.read"
    CAMPAIGN_READ = "campaign.read"
    ALERT_READ = "alert.read"
    ALERT_TRIAGE = "alert.triage"
    WATCHLIST_READ = "watchlist.read"
    WATCHLIST_EDIT = "watchlist.edit"


class Scope(StrEnum):
    """How far a grant reaches."""

    ANY = "any"
    OWN = "own"


ACTION_DESCRIPTIONS: Final[Mapping[Action, str]] = MappingProxyType(
    {
        Action.DB_UPGRADE: "migrate the database schema",
        Action.USER_ADD: "add a user with roles",
        Action.USER_LIST: "list users and their roles",
        Action.USER_DISABLE: "disable a user (its tokens stop working)",
        Action.TOKEN_CREATE: "create an API token for a user",
        Action.TOKEN_LIST: "list API tokens (never their secrets)",
        Action.TOKEN_REVOKE: "revoke an API token",
        Action.AUDIT_VERIFY: "verify the audit trail",
        Action.AUDIT_CHECKPOINT: "sign a checkpoint of the audit trail",
        Action.AUDIT_EXPORT: "export the audit trail",
        Action.POST_INGEST: "store posts and their findings",
        Action.POST_READ: "read stored posts and findings",
        Action.CAMPAIGN_READ: "read campaigns",
        Action.ALERT_READ: "read alerts",
        Action.ALERT_TRIAGE: "acknowledge, escalate or dismiss alerts",
        Action.WATCHLIST_READ: "read the watchlist",
        Action.WATCHLIST_EDIT: "add to the watchlist",
    }
)

_A, _OWN = Scope.ANY, Scope.OWN
_EVERY_ROLE_OWN: Final = {role: _OWN for role in Role}

#: The permission table (docs/node.md shows it; a test keeps the two equal).
PERMISSIONS: Final[Mapping[Action, Mapping[Role, Scope]]] = MappingProxyType(
    {
        Action.DB_UPGRADE: {Role.ADMIN: _A},
        Action.USER_ADD: {Role.ADMIN: _A},
        Action.USER_LIST: {Role.ADMIN: _A, Role.AUDITOR: _A},
        Action.USER_DISABLE: {Role.ADMIN: _A},
        Action.TOKEN_CREATE: {**_EVERY_ROLE_OWN, Role.ADMIN: _A},
        Action.TOKEN_LIST: {**_EVERY_ROLE_OWN, Role.ADMIN: _A, Role.AUDITOR: _A},
        Action.TOKEN_REVOKE: {**_EVERY_ROLE_OWN, Role.ADMIN: _A},
        Action.AUDIT_VERIFY: {Role.AUDITOR: _A, Role.ADMIN: _A},
        Action.AUDIT_CHECKPOINT: {Role.AUDITOR: _A, Role.ADMIN: _A},
        Action.AUDIT_EXPORT: {Role.AUDITOR: _A},
        Action.POST_INGEST: {Role.ANALYST: _A},
        Action.POST_READ: {Role.ANALYST: _A, Role.INVESTIGATOR: _A, Role.LIAISON: _A},
        Action.CAMPAIGN_READ: {Role.ANALYST: _A, Role.INVESTIGATOR: _A, Role.LIAISON: _A},
        Action.ALERT_READ: {Role.ANALYST: _A, Role.INVESTIGATOR: _A},
        Action.ALERT_TRIAGE: {Role.ANALYST: _A},
        Action.WATCHLIST_READ: {Role.ANALYST: _A, Role.LIAISON: _A},
        Action.WATCHLIST_EDIT: {Role.ANALYST: _A, Role.LIAISON: _A},
    }
)


@dataclass(frozen=True, slots=True)
class Resource:
    """What an action is taken on, as far as the policy needs to know.

    ``owner_id`` is the user that owns it (tokens). ``case_id`` and
    ``partner`` are reserved for case assignment and the exchange.
    """

    kind: str
    id: str | None = None
    owner_id: int | None = None
    case_id: str | None = None
    partner: str | None = None


class AccessDenied(SuarError):
    """The policy refused an action. Carries who asked for what, for the audit trail."""

    code = "access_denied"

    def __init__(self, actor: Actor, action: Action, resource: Resource | None) -> None:
        target = f" on {resource.kind} {resource.id}" if resource and resource.id else ""
        super().__init__(
            f"{actor.principal} may not {action.value}{target}",
            actor=actor.principal,
            action=action.value,
        )
        self.actor = actor
        self.action = action
        self.resource = resource


def is_allowed(actor: Actor, action: Action, resource: Resource | None = None) -> bool:
    """True when the permission table lets ``actor`` take ``action`` on ``resource``."""
    grants = PERMISSIONS.get(action, {})
    for role in actor.roles:
        scope = grants.get(role)
        if scope is Scope.ANY:
            return True
        if (
            scope is Scope.OWN
            and resource is not None
            and actor.user_id is not None
            and resource.owner_id == actor.user_id
        ):
            return True
    return False


def authorize(actor: Actor, action: Action, resource: Resource | None = None) -> None:
    """Return when ``actor`` may take ``action`` on ``resource``; raise :class:`AccessDenied` otherwise.

    Without a resource, only ``any`` grants count: an ``own`` grant needs to
    see what is owned.
    """
    if not is_allowed(actor, action, resource):
        raise AccessDenied(actor, action, resource)


def permission_table_markdown() -> str:
    """The permission table as Markdown, the way docs/node.md shows it."""
    roles = list(Role)
    lines = [
        "| action | " + " | ".join(role.value for role in roles) + " | what it allows |",
        "|---|" + "---|" * len(roles) + "---|",
    ]
    for action in Action:
        grants = PERMISSIONS.get(action, {})
        cells = [_cell(grants.get(role)) for role in roles]
        lines.append(
            f"| `{action.value}` | " + " | ".join(cells) + f" | {ACTION_DESCRIPTIONS[action]} |"
        )
    return "\n".join(lines) + "\n"


def _cell(scope: Scope | None) -> str:
    if scope is None:
        return "–"
    return "yes" if scope is Scope.ANY else "own"
