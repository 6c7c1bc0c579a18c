"""The roles a user can hold. What each may do is in :mod:`suar.access.policy`."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from suar.errors import InputError


class Role(StrEnum):
    """A user's role at the node; a user may hold several."""

    ANALYST = "analyst"
    INVESTIGATOR = "investigator"
    PROTECTION_OFFICER = "protection_officer"
    LIAISON = "liaison"
    AUDITOR = "auditor"
    ADMIN = "admin"


ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ANALYST: "loads posts, triages alerts and campaigns, keeps the watchlist",
    Role.INVESTIGATOR: "works cases, suspects and evidence, links across cases",
    Role.PROTECTION_OFFICER: "protects victims and witnesses; reveals identities in assigned cases",
    Role.LIAISON: "runs the exchange inbox and outbox with partner agencies",
    Role.AUDITOR: "reads, verifies, checkpoints and exports the audit trail",
    Role.ADMIN: "runs the node: schema, users and tokens; reads no protected data",
}


def parse_role(value: str) -> Role:
    """The role named ``value`` (case and ``-``/``_`` insensitive); :class:`InputError` if none."""
    key = value.strip().lower().replace("-", "_")
    try:
        return Role(key)
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise InputError(f"unknown role {value!r} (choose from {choices})") from None


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    """Every role named in ``values``; at least one is required."""
    roles = frozenset(parse_role(value) for value in values)
    if not roles:
        raise InputError("give at least one role (--role)")
    return roles
