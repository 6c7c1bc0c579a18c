"""Cursor pagination for list endpoints: ``?limit=N&cursor=...`` and ``next_cursor``.

A cursor is opaque to clients: the base64url of a small JSON object saying
where the next page starts. Pass back ``next_cursor`` unchanged, with the same
filters, to get the next page; ``null`` means there is none.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Final, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from suar.errors import InputError

#: Page size when the client gives none, and the largest it may ask for.
DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 500

T = TypeVar("T")


class InvalidCursor(InputError):
    """A cursor that this node did not hand out (or for another listing)."""

    code = "invalid_cursor"


class Page(BaseModel, Generic[T]):
    """One page of a listing."""

    model_config = ConfigDict(frozen=True)

    items: list[T]
    limit: int
    next_cursor: str | None


#: The ``limit`` query parameter.
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
]
#: The ``cursor`` query parameter.
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` of the previous page; omit for the first."),
]


def encode_cursor(kind: str, position: Any) -> str:
    """A cursor for the listing ``kind`` resuming at ``position`` (JSON-serialisable)."""
    raw = json.dumps({"k": kind, "p": position}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).rstrip(b"=").decode("ascii")


def decode_cursor(kind: str, cursor: str | None) -> Any:
    """The position in a cursor of listing ``kind``; None for no cursor.

    Raises :class:`InvalidCursor` for anything else.
    """
    if cursor is None or cursor == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("the cursor is not one this node handed out") from exc
    if not isinstance(data, dict) or data.get("k") != kind or "p" not in data:
        raise InvalidCursor("the cursor belongs to another listing")
    return data["p"]
