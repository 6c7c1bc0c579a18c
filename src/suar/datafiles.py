"""The JSON data files shipped inside the package (vocabularies, rules, tables)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from suar.errors import DataError


def read_json(package: str, name: str, *, path: Path | None = None) -> Any:
    """The decoded ``name`` from ``package``'s ``data`` directory, or from ``path`` when given.

    An unreadable or undecodable file raises :class:`DataError` naming it.
    """
    try:
        if path is None:
            raw = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        return json.loads(raw)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {name}: {exc}") from exc
