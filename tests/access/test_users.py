"""Users: adding with roles and Argon2id passwords, listing, disabling, signing in."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from suar.access import (
    AccessDenied,
    Actor,
    DuplicateUser,
    Role,
    UnknownUser,
    actor_for,
    add_user,
    authenticate_password,
    disable_user,
    list_users,
)
from suar.audit import verify_trail
from suar.errors import InputError
from suar.store import AuditLogRepository, Database
from suar.store.tables import UserRow

OPERATOR = Actor.operator("root")
PASSWORD = "correct horse battery staple"


def _add(db: Database, name: str = "alice", *roles: Role, password: str | None = PASSWORD) -> None:
    with db.write() as session:
        add_user(session, OPERATOR, name, roles=roles or (Role.ANALYST,), password=password)


def _entries(db: Database) -> list[str]:
    with db.read() as session:
        return [row.action for row in AuditLogRepository(session).iterate()]


def test_adding_a_user_stores_its_roles_and_records_it_in_the_trail(db: Database) -> None:
    _add(db, "Alice", Role.ANALYST, Role.LIAISON)
    with db.read() as session:
        (user,) = list_users(session, OPERATOR)
        assert (user.username, user.roles, user.active) == ("alice", ("analyst", "liaison"), True)
        (row,) = AuditLogRepository(session).iterate()
        assert verify_trail(session).ok
    assert row.action == "user.add"
    assert row.actor == "operator:root"
    assert '"target":"user:alice"' in row.entry
    assert '"roles":["analyst","liaison"]' in row.entry


def test_passwords_are_stored_as_argon2id_hashes_only(db: Database) -> None:
    _add(db)
    with db.read() as session:
        stored = session.scalars(select(UserRow.password_hash)).one()
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_duplicate_user_is_refused_and_nothing_is_written(db: Database) -> None:
    _add(db)
    before = _entries(db)
    with pytest.raises(DuplicateUser, match="user 'alice' already exists"):
        _add(db, "ALICE")
    assert _entries(db) == before


@pytest.mark.parametrize("bad", ["a", "1abc", "al ice", "ålice", "x" * 65, ""])
def test_malformed_usernames_are_refused(db: Database, bad: str) -> None:
    with pytest.raises(InputError, match="invalid username"):
        _add(db, bad)
    assert _entries(db) == []


@pytest.mark.parametrize("password", ["short", "elevenchars", ""])
def test_passwords_under_twelve_characters_are_refused(db: Database, password: str) -> None:
    with pytest.raises(InputError, match="at least 12 characters"):
        _add(db, "alice", password=password)
    assert _entries(db) == []


def test_a_password_equal_to_the_username_is_refused(db: Database) -> None:
    with pytest.raises(InputError, match="must not be the username"):
        _add(db, "alice-analyst", password="Alice-Analyst")


def test_signing_in_needs_the_right_password_of_an_active_user(db: Database) -> None:
    _add(db)
    with db.write() as session:
        actor = authenticate_password(session, "alice", PASSWORD)
        assert actor is not None and actor.principal == "user:alice"
        assert actor.roles == {Role.ANALYST}
        assert authenticate_password(session, "alice", PASSWORD + "x") is None
        assert authenticate_password(session, "nobody", PASSWORD) is None
        assert authenticate_password(session, "not a name!", PASSWORD) is None


def test_an_unknown_user_costs_as_much_time_as_a_wrong_password(db: Database) -> None:
    _add(db)
    with db.read() as session:
        authenticate_password(session, "nobody", PASSWORD)  # builds the dummy hash once

        def timed(name: str) -> float:
            start = time.perf_counter()
            authenticate_password(session, name, "wrong password!!")
            return time.perf_counter() - start

        known = min(timed("alice") for _ in range(3))
        unknown = min(timed("nobody") for _ in range(3))
    assert unknown > known * 0.5


def test_a_disabled_user_can_no_longer_sign_in_or_act(db: Database) -> None:
    _add(db)
    with db.write() as session:
        disabled = disable_user(session, OPERATOR, "alice", reason="left the unit")
    assert not disabled.active
    with db.read() as session:
        assert authenticate_password(session, "alice", PASSWORD) is None
        with pytest.raises(UnknownUser, match="no active user 'alice'"):
            actor_for(session, "alice")
    assert _entries(db) == ["user.add", "user.disable"]


def test_disabling_twice_or_an_unknown_user_is_refused(db: Database) -> None:
    _add(db)
    with db.write() as session:
        disable_user(session, OPERATOR, "alice")
    with pytest.raises(InputError, match="already disabled"), db.write() as session:
        disable_user(session, OPERATOR, "alice")
    with pytest.raises(UnknownUser, match="no user 'bob'"), db.write() as session:
        disable_user(session, OPERATOR, "bob")
    assert _entries(db) == ["user.add", "user.disable"]


def test_only_admins_add_users(db: Database) -> None:
    _add(db, "alice", Role.ANALYST)
    with db.read() as session:
        alice = actor_for(session, "alice")
    with pytest.raises(AccessDenied, match="user:alice may not user.add"):
        with db.write() as session:
            add_user(session, alice, "mallory", roles=[Role.ADMIN], password=None)
    with db.read() as session:
        assert [u.username for u in list_users(session, OPERATOR)] == ["alice"]


def test_a_token_only_account_cannot_sign_in(db: Database) -> None:
    _add(db, "ingest-bot", password=None)
    with db.read() as session:
        (user,) = list_users(session, OPERATOR)
        assert not user.has_password
        assert authenticate_password(session, "ingest-bot", "") is None


def test_a_user_added_in_a_failed_unit_of_work_leaves_no_user_and_no_entry(
    db: Database,
) -> None:
    with pytest.raises(RuntimeError), db.write() as session:
        add_user(session, OPERATOR, "alice", roles=[Role.ANALYST], password=None)
        raise RuntimeError("a later step of the same command failed")
    with db.read() as session:
        assert list_users(session, OPERATOR) == []
    assert _entries(db) == []
