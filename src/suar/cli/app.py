"""The root Typer app and the registration of every command group."""

from __future__ import annotations

import logging
import sys
from importlib import import_module
from typing import Annotated, Final

import typer

from suar import __version__
from suar.errors import SuarError
from suar.settings import load_settings

app = typer.Typer(
    name="suar",
    help=(
        "Suar: early warning against trafficking into online-scam compounds. "
        "Scans posts for recruitment lures, keeps a node's posts, campaigns and alerts."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: Modules that define commands on ``app`` (``register(app)``), in help order.
COMMAND_MODULES: Final[tuple[str, ...]] = (
    "suar.cli.scan",
    "suar.cli.node",
    "suar.cli.warn",
    "suar.cli.web",
    "suar.cli.model",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"suar {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Suar: early warning against trafficking into online-scam compounds."""
    settings = load_settings()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("suar: %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("suar")
    logger.handlers[:] = [handler]
    logger.setLevel(settings.log_level.upper())


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


_register()


def main() -> None:
    """Entry point of the ``suar`` console script."""
    try:
        app()
    except SuarError as exc:
        typer.echo(f"suar: error: {exc}", err=True)
        sys.exit(2)
