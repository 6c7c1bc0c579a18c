"""``suar serve`` refuses to start on a database that is not ready."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from suar.cli.app import app


def test_serve_refuses_a_database_without_the_schema(tmp_path: Path) -> None:
    env = {"SUAR_DATA_DIR": str(tmp_path / "data"), "SUAR_KEY_DIR": str(tmp_path / "keys")}
    result = CliRunner().invoke(app, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2
    assert "suar db upgrade" in result.output


def test_serve_wants_both_halves_of_a_certificate(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--ssl-certfile", str(tmp_path / "c.pem")])
    assert result.exit_code == 2
    assert "--ssl-keyfile" in result.output
