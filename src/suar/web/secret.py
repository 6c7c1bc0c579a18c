"""The web node's secret: the key that signs session cookies and CSRF tokens.

It lives in a file of its own (by default ``web-secret.key`` in the key
directory, mode 0600 in a 0700 directory), never in the database or the
environment. It is created with 32 random bytes on first start; a file that
holds a placeholder, a short or a low-entropy value is refused, so that a
copied example configuration cannot make cookies forgeable. Deleting the file
and restarting rotates it: every session ends.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from suar.errors import ConfigError

logger = logging.getLogger(__name__)

#: Fewest bytes a secret may have.
MIN_SECRET_BYTES: Final = 32
#: Fewest distinct byte values: rules out "aaaa...", "0000..." and the like.
_MIN_DISTINCT: Final = 8
#: Words that mark a value as an example left in place.
_PLACEHOLDERS: Final = (
    "change",
    "secret",
    "placeholder",
    "example",
    "password",
    "replace",
    "default",
    "xxxx",
    "todo",
)


@dataclass(frozen=True, slots=True)
class WebSecret:
    """The secret, from which a key is derived for each purpose."""

    _value: bytes

    def key(self, purpose: str) -> bytes:
        """A 32-byte key for ``purpose`` (such as ``suar/web-session/v1``), independent of others."""
        return hmac.new(self._value, purpose.encode("ascii"), hashlib.sha256).digest()


def check_secret(value: bytes) -> None:
    """Raise :class:`ConfigError` when ``value`` is too short, a placeholder or low in entropy."""
    text = value.strip()
    if len(text) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"the web secret has {len(text)} bytes; it needs at least {MIN_SECRET_BYTES} "
            "random bytes (delete the file to have the node create one)"
        )
    lowered = text.lower()
    for word in _PLACEHOLDERS:
        if word.encode("ascii") in lowered:
            raise ConfigError(
                f"the web secret looks like a placeholder (it contains {word!r}): "
                "delete the file to have the node create a random one"
            )
    if len(set(text)) < _MIN_DISTINCT:
        raise ConfigError("the web secret is not random enough: delete the file to recreate it")


def _check_private(path: Path, what: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"{what} {path} is open to other users (mode {mode:04o}): run chmod "
            f"{'700' if path.is_dir() else '600'} {path}"
        )


def load_secret(path: Path) -> WebSecret:
    """Read and check the secret at ``path``; :class:`ConfigError` when absent, exposed or weak."""
    if not path.exists():
        raise ConfigError(f"no web secret at {path}")
    _check_private(path.parent, "key directory")
    _check_private(path, "web secret")
    try:
        value = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the web secret {path}: {exc.strerror or exc}") from exc
    check_secret(value)
    return WebSecret(value.strip())


def load_or_create_secret(path: Path) -> WebSecret:
    """The secret at ``path``, created (32 random bytes, hex, mode 0600) when missing.

    Creation is atomic (written aside, then linked into place), so two
    processes starting together share one secret.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        return load_secret(path)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_hex(32).encode("ascii") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
            logger.info("created the web secret %s", path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return load_secret(path)
