"""Signed checkpoints of the trail's head, handed to an auditor or a partner.

A checkpoint file is one line of canonical JSON::

    {"created": "...Z", "hash": "<sha256 of entry seq>", "key": "sha256:<fingerprint>",
     "public_key": "<base64url Ed25519 key>", "purpose": "suar/audit-checkpoint/v1",
     "seq": 42, "signature": "<base64url>", "type": "suar-audit-checkpoint", "v": 1}

The signature covers the canonical JSON of every other field, signed under
the purpose namespace. Whoever holds the file can later show that the trail
up to entry ``seq`` is the one the node had when it signed, so a truncated
tail or a chain rewritten since then is caught.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from suar.audit.canonical import JSONValue, canonical_json
from suar.audit.signing import (
    NodeKey,
    b64url,
    b64url_decode,
    fingerprint,
    verify_signature,
)
from suar.audit.trail import GENESIS_HASH, format_time, parse_time
from suar.errors import InputError

#: Signing namespace of audit checkpoints.
PURPOSE: Final = "suar/audit-checkpoint/v1"
CHECKPOINT_TYPE: Final = "suar-audit-checkpoint"
CHECKPOINT_VERSION: Final = 1

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: "entry ``seq`` of this node's trail has hash ``hash``"."""

    seq: int
    hash: str
    created: datetime
    public_key: bytes
    signature: bytes

    @property
    def key_fingerprint(self) -> str:
        """Fingerprint of the key that signed the checkpoint."""
        return fingerprint(self.public_key)

    def signed_body(self) -> dict[str, JSONValue]:
        """Every field except the signature: what the signature covers."""
        return {
            "type": CHECKPOINT_TYPE,
            "v": CHECKPOINT_VERSION,
            "purpose": PURPOSE,
            "seq": self.seq,
            "hash": self.hash,
            "created": format_time(self.created),
            "key": self.key_fingerprint,
            "public_key": b64url(self.public_key),
        }

    def to_bytes(self) -> bytes:
        """The checkpoint file's content: canonical JSON and a newline."""
        document = {**self.signed_body(), "signature": b64url(self.signature)}
        return canonical_json(document) + b"\n"

    def signature_valid(self) -> bool:
        """True when the signature is the embedded key's, over this content and purpose."""
        return verify_signature(
            self.public_key, PURPOSE, canonical_json(self.signed_body()), self.signature
        )

    def describe(self) -> str:
        """A short human description: which entry, when, by which key."""
        return (
            f"checkpoint of entry {self.seq} signed {format_time(self.created)} "
            f"by {self.key_fingerprint[:23]}"
        )


def sign_checkpoint(
    key: NodeKey, seq: int, head_hash: str, now: datetime | None = None
) -> Checkpoint:
    """Sign a checkpoint saying that entry ``seq`` has hash ``head_hash``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    unsigned = Checkpoint(
        seq=seq, hash=head_hash, created=moment, public_key=key.public_key, signature=b""
    )
    signature = key.sign(PURPOSE, canonical_json(unsigned.signed_body()))
    return Checkpoint(
        seq=seq, hash=head_hash, created=moment, public_key=key.public_key, signature=signature
    )


def parse_checkpoint(data: bytes, source: str = "checkpoint") -> Checkpoint:
    """Read a checkpoint file's content; raises :class:`InputError` naming what is wrong.

    Any JSON layout is accepted (an auditor may have pretty-printed it): the
    signature is over the canonical form, which is rebuilt here.
    """
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{source}: not a JSON checkpoint ({exc})") from exc
    if not isinstance(document, dict) or document.get("type") != CHECKPOINT_TYPE:
        raise InputError(f"{source}: not a Suar audit checkpoint")
    try:
        return _from_document(document)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: malformed checkpoint ({exc})") from exc


def _from_document(document: Mapping[str, Any]) -> Checkpoint:
    expected = {
        "type", "v", "purpose", "seq", "hash", "created", "key", "public_key", "signature",
    }  # fmt: skip
    if set(document) != expected:
        raise ValueError(f"fields must be exactly {sorted(expected)}")
    if document["v"] != CHECKPOINT_VERSION or document["purpose"] != PURPOSE:
        raise ValueError("unknown checkpoint version or purpose")
    seq = document["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError("seq must be a non-negative integer")
    head_hash = document["hash"]
    if not isinstance(head_hash, str) or len(head_hash) != 64 or not set(head_hash) <= _HEX:
        raise ValueError("hash must be 64 lower-case hex digits")
    if seq == 0 and head_hash != GENESIS_HASH:
        raise ValueError("a checkpoint of the empty trail must carry the genesis hash")
    checkpoint = Checkpoint(
        seq=seq,
        hash=head_hash,
        created=parse_time(str(document["created"])),
        public_key=b64url_decode(str(document["public_key"])),
        signature=b64url_decode(str(document["signature"])),
    )
    if document["key"] != checkpoint.key_fingerprint:
        raise ValueError("the key fingerprint does not match the public key")
    return checkpoint


def read_checkpoint(path: Path) -> Checkpoint:
    """Read and parse a checkpoint file; raises :class:`InputError` when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read checkpoint {path}: {exc.strerror or exc}") from exc
    return parse_checkpoint(data, source=str(path))
