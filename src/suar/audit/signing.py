"""The node's Ed25519 signing key, kept in a key directory outside the database.

The key is created on first start as ``node-ed25519.pem`` (PKCS#8, mode 0600)
in a directory of mode 0700; a key file or directory that others can read is
refused, as SSH does. Retired public keys stay in ``retired/`` so that
checkpoints and messages signed before a rotation still verify.

Every signature is made over ``purpose || 0x00 || message`` where purpose is a
namespace such as ``suar/audit-checkpoint/v1``: a signature made for one
purpose cannot be replayed as one for another. A JOSE signing input
(base64url ASCII, no NUL byte) can never collide with such a message.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from suar.errors import ConfigError

logger = logging.getLogger(__name__)

KEY_FILENAME: Final = "node-ed25519.pem"
RETIRED_DIRNAME: Final = "retired"


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE writes binary values."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url; raises ``ValueError`` on anything else."""
    if not text or any(c not in _B64URL_ALPHABET for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL_ALPHABET: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)


def fingerprint(public_key: bytes) -> str:
    """``sha256:<hex>`` of a raw 32-byte Ed25519 public key."""
    return "sha256:" + hashlib.sha256(public_key).hexdigest()


def _signed_message(purpose: str, message: bytes) -> bytes:
    if not purpose or "\x00" in purpose or not purpose.isascii():
        raise ValueError(f"invalid signing purpose {purpose!r}")
    return purpose.encode("ascii") + b"\x00" + message


def verify_signature(public_key: bytes, purpose: str, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is the key's Ed25519 signature of ``message`` under ``purpose``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
        key.verify(signature, _signed_message(purpose, message))
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class NodeKey:
    """The node's signing key. Sign with :meth:`sign`; share :attr:`public_key`."""

    _private: Ed25519PrivateKey
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of the raw public key: what partners and auditors confirm."""
        return fingerprint(self.public_key)

    def sign(self, purpose: str, message: bytes) -> bytes:
        """Sign ``message`` for ``purpose`` (a namespace like ``suar/audit-checkpoint/v1``)."""
        return self._private.sign(_signed_message(purpose, message))


def _check_private(path: Path, what: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"{what} {path} is open to other users (mode {mode:04o}): run chmod "
            f"{'700' if path.is_dir() else '600'} {path}"
        )


def _ensure_dir(key_dir: Path) -> None:
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private(key_dir, "key directory")


def load_node_key(key_dir: Path) -> NodeKey:
    """Load the node's signing key; raises :class:`ConfigError` when absent or exposed."""
    path = key_dir / KEY_FILENAME
    if not path.exists():
        raise ConfigError(f"no node key in {key_dir}: start the node (`suar db upgrade`) first")
    _check_private(key_dir, "key directory")
    _check_private(path, "key file")
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise ConfigError(f"cannot read the node key {path}: {exc}") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ConfigError(f"the node key {path} is not an Ed25519 key")
    return NodeKey(private, private.public_key().public_bytes_raw())


def load_or_create_node_key(key_dir: Path) -> tuple[NodeKey, bool]:
    """The node's signing key, created on first use; the flag says whether it is new.

    Creation is atomic: the key is written to a temporary file and linked into
    place, so two processes starting together end up with the same complete key.
    """
    _ensure_dir(key_dir)
    path = key_dir / KEY_FILENAME
    if path.exists():
        return load_node_key(key_dir), False
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = key_dir / f".{KEY_FILENAME}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return load_node_key(key_dir), False
    finally:
        tmp.unlink(missing_ok=True)
    key = NodeKey(private, private.public_key().public_bytes_raw())
    logger.info("created the node signing key %s (%s)", path, key.fingerprint)
    return key, True


def trusted_public_keys(key_dir: Path) -> dict[str, bytes]:
    """The node's current and retired public keys, by fingerprint.

    Retired keys are ``retired/*.pub`` files holding a PEM public key, left
    there by a rotation (docs/node.md).
    """
    keys: dict[str, bytes] = {}
    if (key_dir / KEY_FILENAME).exists():
        current = load_node_key(key_dir).public_key
        keys[fingerprint(current)] = current
    retired = key_dir / RETIRED_DIRNAME
    if retired.is_dir():
        for path in sorted(retired.glob("*.pub")):
            try:
                public = serialization.load_pem_public_key(path.read_bytes())
            except (ValueError, OSError) as exc:
                raise ConfigError(f"cannot read the retired key {path}: {exc}") from exc
            if not isinstance(public, Ed25519PublicKey):
                raise ConfigError(f"the retired key {path} is not an Ed25519 key")
            raw = public.public_bytes_raw()
            keys[fingerprint(raw)] = raw
    return keys
