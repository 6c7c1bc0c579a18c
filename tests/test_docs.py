"""Docs that cannot drift: the CLI reference and the settings reference."""

from __future__ import annotations

from pathlib import Path

from suar.cli.reference import render
from suar.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_matches_the_help_of_every_command() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/cli.md is stale: run `make docs`"


def test_every_setting_is_documented() -> None:
    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"SUAR_{name.upper()}" in documented, (
            f"SUAR_{name.upper()} missing from docs/settings.md"
        )
