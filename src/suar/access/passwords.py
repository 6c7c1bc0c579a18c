"""Password hashing with Argon2id (argon2-cffi, RFC 9106 low-memory parameters).

Checking a password for an unknown or disabled user still runs one Argon2
verification against a dummy hash, so the time taken does not tell an
attacker which usernames exist.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from suar.errors import InputError

MIN_LENGTH: Final = 12
MAX_LENGTH: Final = 1024


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults are RFC 9106's low-memory profile: Argon2id,
    # t=3, m=64 MiB, p=4 (about 100 ms a check on the reference machine).
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(32))


def check_password_rules(password: str, username: str) -> None:
    """Raise :class:`InputError` when ``password`` is too short, too long or the username."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(f"the password must have at most {MAX_LENGTH} characters")
    if password.strip().lower() == username.lower():
        raise InputError("the password must not be the username")


def hash_password(password: str) -> str:
    """An Argon2id PHC string for ``password`` with a fresh random salt."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash, spends the same time and says False."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
