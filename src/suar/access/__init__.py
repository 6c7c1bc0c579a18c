"""Users, roles, API tokens and the one access policy every command and route asks.

Ask :func:`authorize` (actor, action, resource) before acting; the table it
reads is :data:`PERMISSIONS` (shown in docs/node.md). Functions here that
change something record it in the audit trail in the caller's unit of work.
"""

from suar.access.actors import OPERATOR_ROLES, Actor
from suar.access.passwords import hash_password, verify_password
from suar.access.policy import (
    PERMISSIONS,
    AccessDenied,
    Action,
    Resource,
    Scope,
    authorize,
    is_allowed,
    permission_table_markdown,
)
from suar.access.roles import Role, parse_role, parse_roles
from suar.access.tokens import (
    TOKEN_PREFIX,
    UnknownToken,
    authenticate_token,
    create_token,
    list_tokens,
    revoke_token,
)
from suar.access.users import (
    DuplicateUser,
    UnknownUser,
    actor_for,
    add_user,
    authenticate_password,
    check_new_user,
    disable_user,
    list_users,
    normalize_username,
)

__all__ = [
    "OPERATOR_ROLES",
    "PERMISSIONS",
    "TOKEN_PREFIX",
    "AccessDenied",
    "Action",
    "Actor",
    "DuplicateUser",
    "Resource",
    "Role",
    "Scope",
    "UnknownToken",
    "UnknownUser",
    "actor_for",
    "add_user",
    "authenticate_password",
    "authenticate_token",
    "authorize",
    "check_new_user",
    "create_token",
    "disable_user",
    "hash_password",
    "is_allowed",
    "list_tokens",
    "list_users",
    "normalize_username",
    "parse_role",
    "parse_roles",
    "permission_table_markdown",
    "revoke_token",
    "verify_password",
]
