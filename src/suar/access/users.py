"""Users: adding, listing, disabling, signing in with a password, and acting as one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final

from sqlalchemy.orm import Session

from suar.access.actors import Actor
from suar.access.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from suar.access.policy import Action, authorize
from suar.access.roles import Role
from suar.audit import record
from suar.errors import InputError
from suar.store import UserRecord, UserRepository

_USERNAME: Final = re.compile(r"[a-z][a-z0-9._-]{1,63}")
_MAX_DISPLAY_NAME: Final = 200


class UnknownUser(InputError):
    """No user has this name (or it is disabled, where that matters)."""

    code = "unknown_user"


class DuplicateUser(InputError):
    """A user with this name already exists."""

    code = "duplicate_user"


def normalize_username(value: str) -> str:
    """The canonical form of a username: lower-case ASCII letters, digits, ``.``, ``_``, ``-``.

    2 to 64 characters starting with a letter; anything else raises
    :class:`InputError`. Display names may use any script.
    """
    name = value.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise InputError(
            f"invalid username {value!r}: use 2-64 lower-case ASCII letters, digits, "
            "'.', '_' or '-', starting with a letter"
        )
    return name


def check_new_user(session: Session, actor: Actor, username: str) -> str:
    """The normalised name, once ``actor`` may add users and the name is free.

    Lets a command refuse before it asks for a password it would throw away.
    """
    authorize(actor, Action.USER_ADD)
    name = normalize_username(username)
    if UserRepository(session).get(name) is not None:
        raise DuplicateUser(f"user {name!r} already exists")
    return name


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    *,
    roles: Iterable[Role],
    display_name: str = "",
    password: str | None = None,
    now: datetime | None = None,
) -> UserRecord:
    """Add a user with ``roles`` (and a password, or none for a token-only account).

    Audited as ``user.add`` in the same unit of work. Raises
    :class:`DuplicateUser` when the name is taken; nothing is written then.
    """
    name = check_new_user(session, actor, username)
    role_set = sorted({Role(role) for role in roles})
    if not role_set:
        raise InputError("give at least one role")
    display = display_name.strip()
    if len(display) > _MAX_DISPLAY_NAME:
        raise InputError(f"the display name must have at most {_MAX_DISPLAY_NAME} characters")
    if password is not None:
        check_password_rules(password, name)
    moment = now or datetime.now(UTC)
    user = UserRepository(session).add(
        username=name,
        display_name=display,
        roles=[role.value for role in role_set],
        password_hash=None if password is None else hash_password(password),
        created_at=moment,
    )
    record(
        session,
        actor=actor.principal,
        action="user.add",
        target=f"user:{name}",
        details={"roles": [role.value for role in role_set], "password": password is not None},
        now=moment,
    )
    return user


def list_users(session: Session, actor: Actor) -> list[UserRecord]:
    """Every user with roles and status, by name (password hashes are never returned)."""
    authorize(actor, Action.USER_LIST)
    return UserRepository(session).list()


def disable_user(
    session: Session,
    actor: Actor,
    username: str,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> UserRecord:
    """Disable a user: it can no longer sign in and its tokens stop working. Audited."""
    authorize(actor, Action.USER_DISABLE)
    name = normalize_username(username)
    repo = UserRepository(session)
    user = repo.get(name)
    if user is None:
        raise UnknownUser(f"no user {name!r}")
    if not user.active:
        raise InputError(f"user {name!r} is already disabled")
    moment = now or datetime.now(UTC)
    disabled = repo.disable(user.id, moment)
    record(
        session,
        actor=actor.principal,
        action="user.disable",
        target=f"user:{name}",
        details={"reason": reason.strip()},
        now=moment,
    )
    return disabled


def authenticate_password(session: Session, username: str, password: str) -> Actor | None:
    """The actor for ``username`` when ``password`` is right and the user active, else None.

    Takes about the same time whether or not the user exists. Upgrades the
    stored hash when it was made with weaker parameters (the caller's unit of
    work commits that). Rate limiting belongs to the caller (the web login).
    """
    try:
        name = normalize_username(username)
    except InputError:
        verify_password(None, password)
        return None
    repo = UserRepository(session)
    found = repo.credentials(name)
    user, stored = found if found is not None else (None, None)
    if user is None or stored is None or not user.active:
        verify_password(None, password)
        return None
    if not verify_password(stored, password):
        return None
    if needs_rehash(stored):
        repo.set_password_hash(user.id, hash_password(password))
    return Actor.for_user(user)


def actor_for(session: Session, username: str) -> Actor:
    """The actor for an active user; :class:`UnknownUser` when none is called that."""
    name = normalize_username(username)
    user = UserRepository(session).get(name)
    if user is None or not user.active:
        raise UnknownUser(f"no active user {name!r}")
    return Actor.for_user(user)
