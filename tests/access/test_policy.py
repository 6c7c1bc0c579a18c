"""The one access policy: who may do what, and the documented table that says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from suar.access import (
    OPERATOR_ROLES,
    PERMISSIONS,
    AccessDenied,
    Action,
    Actor,
    Resource,
    Role,
    authorize,
    is_allowed,
    parse_role,
    parse_roles,
    permission_table_markdown,
)
from suar.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def _user(*roles: Role, user_id: int = 7) -> Actor:
    return Actor(principal=f"user:u{user_id}", roles=frozenset(roles), user_id=user_id)


def test_every_action_is_in_the_table() -> None:
    assert set(PERMISSIONS) == set(Action)


def test_an_admin_manages_users_but_does_not_export_the_audit_trail() -> None:
    admin = _user(Role.ADMIN)
    for action in (Action.USER_ADD, Action.USER_DISABLE, Action.DB_UPGRADE, Action.AUDIT_VERIFY):
        authorize(admin, action)
    with pytest.raises(AccessDenied, match="user:u7 may not audit.export"):
        authorize(admin, Action.AUDIT_EXPORT)


def test_an_auditor_reads_the_trail_and_the_user_list_but_changes_nothing() -> None:
    auditor = _user(Role.AUDITOR)
    for action in (
        Action.AUDIT_VERIFY,
        Action.AUDIT_CHECKPOINT,
        Action.AUDIT_EXPORT,
        Action.USER_LIST,
    ):
        authorize(auditor, action)
    for action in (Action.USER_ADD, Action.USER_DISABLE, Action.DB_UPGRADE, Action.POST_INGEST):
        assert not is_allowed(auditor, action)


def test_an_analyst_triages_alerts_and_nobody_else_does() -> None:
    allowed = {role for role in Role if is_allowed(_user(role), Action.ALERT_TRIAGE)}
    assert allowed == {Role.ANALYST}


def test_users_manage_their_own_tokens_only() -> None:
    analyst = _user(Role.ANALYST, user_id=7)
    own = Resource("token", "abc", owner_id=7)
    other = Resource("token", "def", owner_id=8)
    authorize(analyst, Action.TOKEN_REVOKE, own)
    with pytest.raises(AccessDenied, match="may not token.revoke on token def"):
        authorize(analyst, Action.TOKEN_REVOKE, other)
    # An "own" grant needs to see the owner: without a resource it does not count.
    assert not is_allowed(analyst, Action.TOKEN_REVOKE)
    authorize(_user(Role.ADMIN), Action.TOKEN_REVOKE, other)


def test_an_actor_without_a_user_id_owns_nothing() -> None:
    nobody = Actor(principal="operator:x", roles=frozenset({Role.ANALYST}))
    assert not is_allowed(nobody, Action.TOKEN_CREATE, Resource("user", "x", owner_id=None))


def test_an_actor_without_roles_may_do_nothing() -> None:
    actor = _user()
    assert not any(is_allowed(actor, action) for action in Action)


def test_the_local_operator_runs_the_node_but_reveals_and_exports_nothing() -> None:
    operator = Actor.operator("root")
    assert operator.principal == "operator:root"
    assert operator.roles == OPERATOR_ROLES == {Role.ADMIN, Role.ANALYST}
    authorize(operator, Action.USER_ADD)
    authorize(operator, Action.POST_INGEST)
    assert not is_allowed(operator, Action.AUDIT_EXPORT)


def test_a_denial_says_who_asked_for_what() -> None:
    with pytest.raises(AccessDenied) as caught:
        authorize(_user(Role.LIAISON), Action.USER_ADD)
    assert caught.value.actor.principal == "user:u7"
    assert caught.value.action is Action.USER_ADD
    assert str(caught.value) == "user:u7 may not user.add"


@pytest.mark.parametrize("given", ["analyst", "Analyst", " protection-officer ", "ADMIN"])
def test_role_names_are_read_leniently(given: str) -> None:
    assert parse_role(given) in set(Role)


def test_an_unknown_role_is_refused_listing_the_roles() -> None:
    with pytest.raises(InputError, match=r"unknown role 'boss' \(choose from analyst, "):
        parse_role("boss")


def test_at_least_one_role_is_required() -> None:
    with pytest.raises(InputError, match="at least one role"):
        parse_roles([])


def test_the_documented_permission_table_is_the_one_enforced() -> None:
    documented = (ROOT / "docs" / "node.md").read_text(encoding="utf-8")
    assert permission_table_markdown() in documented, (
        "docs/node.md shows another permission table: paste "
        "suar.access.permission_table_markdown() into it"
    )
