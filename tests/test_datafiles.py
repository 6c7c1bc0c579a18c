"""Shipped data files are read in one way, and a broken one names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from suar.datafiles import read_json
from suar.errors import DataError


def test_a_shipped_file_is_read_from_its_package() -> None:
    assert read_json("suar.warn", "rules.json")["version"] == 1


@pytest.mark.parametrize("content", [None, "{not json", b"\xff\xfe"])
def test_a_missing_or_broken_file_is_a_data_error_that_names_it(
    tmp_path: Path, content: str | bytes | None
) -> None:
    path = tmp_path / "rules.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError, match=r"cannot read rules\.json"):
        read_json("suar.warn", "rules.json", path=path)
