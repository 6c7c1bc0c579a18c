"""The node key: created once in a private key directory, signing under a purpose."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from suar.audit import (
    CHECKPOINT_PURPOSE,
    fingerprint,
    load_node_key,
    load_or_create_node_key,
    parse_checkpoint,
    sign_checkpoint,
    trusted_public_keys,
    verify_signature,
)
from suar.errors import ConfigError, InputError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_key_is_created_once_with_private_modes(tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    key, created = load_or_create_node_key(key_dir)
    again, created_again = load_or_create_node_key(key_dir)
    assert (created, created_again) == (True, False)
    assert again.public_key == key.public_key
    assert _mode(key_dir) == 0o700
    assert _mode(key_dir / "node-ed25519.pem") == 0o600
    assert [p.name for p in key_dir.iterdir()] == ["node-ed25519.pem"]
    assert key.fingerprint == fingerprint(key.public_key)
    assert key.fingerprint.startswith("sha256:") and len(key.fingerprint) == 71


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    load_or_create_node_key(key_dir)
    os.chmod(key_dir / "node-ed25519.pem", 0o644)
    with pytest.raises(ConfigError, match=r"open to other users \(mode 0644\): run chmod 600"):
        load_node_key(key_dir)


def test_a_key_directory_others_can_enter_is_refused(tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    key_dir.mkdir(mode=0o755)
    os.chmod(key_dir, 0o755)
    with pytest.raises(ConfigError, match="key directory .* run chmod 700"):
        load_or_create_node_key(key_dir)


def test_a_missing_key_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no node key in .*suar db upgrade"):
        load_node_key(tmp_path)


def test_a_signature_holds_only_for_its_purpose(tmp_path: Path) -> None:
    key, _ = load_or_create_node_key(tmp_path / "keys")
    signature = key.sign(CHECKPOINT_PURPOSE, b"message")
    assert verify_signature(key.public_key, CHECKPOINT_PURPOSE, b"message", signature)
    assert not verify_signature(key.public_key, "suar/exchange-receipt/v1", b"message", signature)
    assert not verify_signature(key.public_key, CHECKPOINT_PURPOSE, b"messagf", signature)


def test_retired_keys_stay_trusted_after_a_rotation(tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    old, _ = load_or_create_node_key(key_dir)
    # Rotation as docs/node.md describes it: keep the public half, start anew.
    retired = key_dir / "retired"
    retired.mkdir(mode=0o700)
    pem = serialization.load_pem_private_key(
        (key_dir / "node-ed25519.pem").read_bytes(), password=None
    )
    assert isinstance(pem, Ed25519PrivateKey)
    (retired / "2025-01.pub").write_bytes(
        pem.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (key_dir / "node-ed25519.pem").unlink()
    new, created = load_or_create_node_key(key_dir)
    assert created and new.public_key != old.public_key
    assert set(trusted_public_keys(key_dir)) == {old.fingerprint, new.fingerprint}


def test_a_checkpoint_file_round_trips_and_its_signature_holds(tmp_path: Path) -> None:
    key, _ = load_or_create_node_key(tmp_path / "keys")
    checkpoint = sign_checkpoint(key, 42, "ab" * 32)
    data = checkpoint.to_bytes()
    assert data.endswith(b"\n") and b"\n" not in data[:-1]
    parsed = parse_checkpoint(data)
    assert parsed == checkpoint and parsed.signature_valid()
    # An auditor may pretty-print the file: the signature still holds.
    pretty = json.dumps(json.loads(data), indent=2).encode()
    assert parse_checkpoint(pretty).signature_valid()


def test_an_edited_checkpoint_no_longer_verifies(tmp_path: Path) -> None:
    key, _ = load_or_create_node_key(tmp_path / "keys")
    document = json.loads(sign_checkpoint(key, 42, "ab" * 32).to_bytes())
    document["seq"] = 41
    assert not parse_checkpoint(json.dumps(document).encode()).signature_valid()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not json", "not a JSON checkpoint"),
        (b"[]", "not a Suar audit checkpoint"),
        (b'{"type": "suar-audit-checkpoint"}', "malformed checkpoint"),
    ],
)
def test_a_file_that_is_no_checkpoint_is_named(data: bytes, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_checkpoint(data, source="cp.json")


def test_a_checkpoint_with_a_wrong_fingerprint_is_refused(tmp_path: Path) -> None:
    key, _ = load_or_create_node_key(tmp_path / "keys")
    document = json.loads(sign_checkpoint(key, 1, "cd" * 32).to_bytes())
    document["key"] = "sha256:" + "0" * 64
    with pytest.raises(InputError, match="fingerprint does not match"):
        parse_checkpoint(json.dumps(document).encode())


def test_the_key_directory_defaults_to_a_sibling_of_the_data_directory(tmp_path: Path) -> None:
    from suar.settings import Settings

    assert Settings(data_dir=tmp_path / "data").keys_path() == tmp_path / "data-keys"
    chosen = Settings(data_dir=tmp_path / "data", key_dir=tmp_path / "vault")
    assert chosen.keys_path() == tmp_path / "vault"
