"""Generate the CLI reference (docs/cli.md) from the commands' own ``--help``.

Run ``python -m suar.cli.reference > docs/cli.md`` (``make docs``); a test
fails when the committed reference drifts from the code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import typer.main
from typer.testing import CliRunner

from suar.cli.app import app

_ENV = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}


def _walk(command: Any, path: list[str]) -> Iterator[list[str]]:
    yield path
    subcommands: dict[str, Any] = getattr(command, "commands", {}) or {}
    for name in sorted(subcommands):
        sub = subcommands[name]
        if not getattr(sub, "hidden", False):
            yield from _walk(sub, [*path, name])


def render() -> str:
    """The Markdown reference of every command, in a stable order."""
    root = typer.main.get_command(app)
    runner = CliRunner()
    parts = [
        "# CLI reference",
        "",
        "Generated from `--help` by `make docs` (`python -m suar.cli.reference`); do not edit by hand.",
        "",
    ]
    for path in _walk(root, []):
        result = runner.invoke(app, [*path, "--help"], env=_ENV, prog_name="suar")
        if result.exit_code != 0:
            raise RuntimeError(f"suar {' '.join(path)} --help failed: {result.output}")
        title = " ".join(["suar", *path])
        parts += [f"## `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
