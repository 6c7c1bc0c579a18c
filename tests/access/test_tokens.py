"""API tokens: random, shown once, stored as SHA-256, revocable, scoped to their owner."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from suar.access import (
    TOKEN_PREFIX,
    AccessDenied,
    Actor,
    Role,
    UnknownToken,
    UnknownUser,
    actor_for,
    add_user,
    authenticate_token,
    create_token,
    disable_user,
    list_tokens,
    revoke_token,
)
from suar.errors import InputError
from suar.store import AuditLogRepository, Database
from suar.store.tables import ApiTokenRow

OPERATOR = Actor.operator("root")


@pytest.fixture
def users(db: Database) -> Database:
    with db.write() as session:
        add_user(session, OPERATOR, "alice", roles=[Role.ANALYST], password=None)
        add_user(session, OPERATOR, "bob", roles=[Role.INVESTIGATOR], password=None)
    return db


def _actor(db: Database, name: str) -> Actor:
    with db.read() as session:
        return actor_for(session, name)


def _create(db: Database, actor: Actor, owner: str, **kwargs: object) -> tuple[str, str]:
    with db.write() as session:
        token, secret = create_token(session, actor, owner, **kwargs)  # type: ignore[arg-type]
    return token.public_id, secret


def _actions(db: Database) -> list[str]:
    with db.read() as session:
        return [row.action for row in AuditLogRepository(session).iterate()]


def test_a_token_stands_for_its_user(users: Database) -> None:
    _, secret = _create(users, OPERATOR, "alice", name="laptop")
    assert secret.startswith(TOKEN_PREFIX) and len(secret) == len(TOKEN_PREFIX) + 43
    with users.write() as session:
        actor = authenticate_token(session, secret)
    assert actor is not None
    assert (actor.principal, actor.roles) == ("user:alice", frozenset({Role.ANALYST}))


def test_only_the_sha256_of_a_token_is_stored(users: Database) -> None:
    public_id, secret = _create(users, OPERATOR, "alice")
    with users.read() as session:
        row = session.scalars(select(ApiTokenRow)).one()
        columns = [str(getattr(row, c.key)) for c in ApiTokenRow.__table__.columns]
        trail = [r.entry for r in AuditLogRepository(session).iterate()]
        assert row.public_id == public_id
        assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(columns + trail)
    assert secret not in stored
    assert secret[len(TOKEN_PREFIX) :] not in stored


def test_two_tokens_are_never_alike(users: Database) -> None:
    secrets = {_create(users, OPERATOR, "alice")[1] for _ in range(5)}
    assert len(secrets) == 5


@pytest.mark.parametrize("wrong", ["", "suar_", "suar_" + "A" * 43, "Bearer x", "suar_\u0e01" * 9])
def test_a_wrong_token_stands_for_nobody(users: Database, wrong: str) -> None:
    _create(users, OPERATOR, "alice")
    with users.write() as session:
        assert authenticate_token(session, wrong) is None


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(users: Database) -> None:
    public_id, secret = _create(users, OPERATOR, "alice")
    with users.write() as session:
        revoked = revoke_token(session, OPERATOR, public_id=public_id, reason="laptop lost")
    assert revoked.revoked_at is not None
    with users.write() as session:
        assert authenticate_token(session, secret) is None
    assert _actions(users)[-2:] == ["token.create", "token.revoke"]


def test_a_leaked_token_can_be_revoked_by_its_secret(users: Database) -> None:
    public_id, secret = _create(users, OPERATOR, "alice")
    with users.write() as session:
        assert revoke_token(session, OPERATOR, secret=secret).public_id == public_id


def test_revoking_a_wrong_token_is_refused_and_writes_nothing(users: Database) -> None:
    _create(users, OPERATOR, "alice")
    before = _actions(users)
    with pytest.raises(UnknownToken, match="no such token 'ffffffffffff'"):
        with users.write() as session:
            revoke_token(session, OPERATOR, public_id="ffffffffffff")
    with pytest.raises(UnknownToken, match="no such token$"):
        with users.write() as session:
            revoke_token(session, OPERATOR, secret="suar_not-the-token")
    assert _actions(users) == before


def test_revoking_twice_is_refused(users: Database) -> None:
    public_id, _ = _create(users, OPERATOR, "alice")
    with users.write() as session:
        revoke_token(session, OPERATOR, public_id=public_id)
    with pytest.raises(InputError, match="already revoked"), users.write() as session:
        revoke_token(session, OPERATOR, public_id=public_id)


def test_an_expired_token_stops_working(users: Database) -> None:
    created = datetime(2025, 1, 1, tzinfo=UTC)
    with users.write() as session:
        _, secret = create_token(
            session, OPERATOR, "alice", expires_in=timedelta(days=30), now=created
        )
    with users.write() as session:
        assert authenticate_token(session, secret, now=created + timedelta(days=29)) is not None
        assert authenticate_token(session, secret, now=created + timedelta(days=30)) is None


def test_a_disabled_users_tokens_stop_working(users: Database) -> None:
    _, secret = _create(users, OPERATOR, "alice")
    with users.write() as session:
        disable_user(session, OPERATOR, "alice")
    with users.write() as session:
        assert authenticate_token(session, secret) is None
    with pytest.raises(InputError, match="user 'alice' is disabled"):
        _create(users, OPERATOR, "alice")


def test_users_create_list_and_revoke_their_own_tokens_only(users: Database) -> None:
    alice = _actor(users, "alice")
    mine, _ = _create(users, alice, "alice")
    theirs, _ = _create(users, OPERATOR, "bob")
    with pytest.raises(AccessDenied, match="user:alice may not token.create on user bob"):
        _create(users, alice, "bob")
    with users.read() as session:
        assert [t.public_id for t in list_tokens(session, alice, "alice")] == [mine]
        with pytest.raises(AccessDenied):
            list_tokens(session, alice, "bob")
        assert [t.public_id for t in list_tokens(session, alice)] == [mine]
        assert len(list_tokens(session, OPERATOR)) == 2
    with pytest.raises(AccessDenied), users.write() as session:
        revoke_token(session, alice, public_id=theirs)
    with users.write() as session:
        revoke_token(session, alice, public_id=mine)


def test_non_admins_cannot_probe_for_usernames_or_token_ids(users: Database) -> None:
    alice = _actor(users, "alice")
    with pytest.raises(AccessDenied), users.write() as session:
        create_token(session, alice, "nobody")
    with pytest.raises(AccessDenied), users.write() as session:
        revoke_token(session, alice, public_id="ffffffffffff")
    with pytest.raises(UnknownUser, match="no user 'nobody'"), users.write() as session:
        create_token(session, OPERATOR, "nobody")


def test_use_is_recorded_at_most_once_a_minute(users: Database) -> None:
    _, secret = _create(users, OPERATOR, "alice")
    start = datetime(2030, 1, 1, tzinfo=UTC)
    for offset in (0, 30, 61):
        with users.write() as session:
            authenticate_token(session, secret, now=start + timedelta(seconds=offset))
    with users.read() as session:
        (token,) = list_tokens(session, OPERATOR)
    assert token.last_used_at == start + timedelta(seconds=61)
