"""The web secret: created random and private, refused when a placeholder, short or exposed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from suar.errors import ConfigError
from suar.settings import Settings
from suar.web.secret import load_or_create_secret, load_secret


def test_the_secret_is_created_once_private_and_random(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "web-secret.key"
    first = load_or_create_secret(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(path.read_text().strip()) == 64
    again = load_or_create_secret(path)
    assert first.key("p") == again.key("p")
    assert first.key("p") != first.key("q")
    other = load_or_create_secret(tmp_path / "other" / "web-secret.key")
    assert other.key("p") != first.key("p")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"changeme", "needs at least 32"),
        (b"change-me-to-a-long-random-secret-value-please", "placeholder"),
        (b"your-secret-key-here-xxxxxxxxxxxxxxxxxxxxxx", "placeholder"),
        (b"a" * 64, "not random enough"),
        (b"0123" * 16, "not random enough"),
    ],
)
def test_a_placeholder_short_or_low_entropy_secret_is_refused(
    tmp_path: Path, value: bytes, reason: str
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    path = keys / "web-secret.key"
    path.write_bytes(value)
    path.chmod(0o600)
    with pytest.raises(ConfigError, match=reason):
        load_secret(path)


def test_a_secret_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "web-secret.key"
    load_or_create_secret(path)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="open to other users"):
        load_secret(path)


def test_the_secret_lives_in_the_key_directory_unless_placed_elsewhere(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", key_dir=tmp_path / "keys")
    assert settings.secret_key_path() == tmp_path / "keys" / "web-secret.key"
    moved = Settings(data_dir=tmp_path / "data", secret_key_file=tmp_path / "s" / "web.key")
    assert moved.secret_key_path() == tmp_path / "s" / "web.key"


def test_durations_are_read_as_seconds_or_iso_8601(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUAR_SESSION_LIFETIME", "3600")
    monkeypatch.setenv("SUAR_SESSION_IDLE_TIMEOUT", "PT10M")
    settings = Settings()
    assert settings.session_lifetime.total_seconds() == 3600
    assert settings.session_idle_timeout.total_seconds() == 600
    monkeypatch.setenv("SUAR_DEFAULT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="unknown time zone"):
        Settings()


def test_the_app_refuses_a_default_language_it_has_no_catalogue_for(tmp_path: Path) -> None:
    from suar.web import create_app

    settings = Settings(data_dir=tmp_path / "d", key_dir=tmp_path / "k", default_language="th")
    with pytest.raises(ConfigError, match="SUAR_DEFAULT_LANGUAGE='th'"):
        create_app(settings)
    assert not os.path.exists(tmp_path / "d")
