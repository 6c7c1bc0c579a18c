"""The ``suar`` command line. Thin: parse, call a pillar, print."""

from suar.cli.app import app, main

__all__ = ["app", "main"]
