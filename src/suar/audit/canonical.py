"""RFC 8785 (JSON Canonicalization Scheme) serialisation of what Suar hashes or signs.

The serialiser is the maintained ``rfc8785`` package; this module fixes the
subset Suar uses (objects with string keys, arrays, strings, integers within
±2**53, booleans, null; floats are allowed but nothing Suar signs uses them),
turns its errors into :class:`CanonicalError`, and adds the reverse check
that stored text *is* canonical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import rfc8785

from suar.errors import SuarError

JSONValue: TypeAlias = (
    None | bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"]
)
JSONObject: TypeAlias = Mapping[str, JSONValue]


class CanonicalError(SuarError):
    """A value cannot be canonicalised, or a text is not canonical JSON."""

    code = "canonical_error"


def _plain(value: Any) -> Any:
    # rfc8785 accepts only dict/list/tuple containers; read-only mappings
    # (MappingProxyType) and other sequences are copied into plain ones.
    if isinstance(value, str | bytes) or value is None or isinstance(value, bool | int | float):
        if isinstance(value, bytes):
            raise CanonicalError("bytes are not JSON: encode them (base64url) first")
        return value
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence):
        return [_plain(item) for item in value]
    raise CanonicalError(f"{type(value).__name__} is not JSON")


def canonical_json(value: JSONValue) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``value``.

    Raises :class:`CanonicalError` for anything outside JSON: non-string keys,
    integers beyond ±(2**53 - 1), NaN or infinities, lone surrogates.
    """
    try:
        return rfc8785.dumps(_plain(value))
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalError(f"cannot canonicalise: {exc}") from exc


def parse_canonical_object(text: str | bytes) -> dict[str, Any]:
    """Parse a JSON object and check that ``text`` is exactly its canonical form.

    Raises :class:`CanonicalError` when the text is not JSON, not an object,
    has duplicate keys, or is JSON but not canonical (other key order,
    whitespace, escapes or number forms).
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        value = json.loads(raw, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise CanonicalError(f"not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise CanonicalError("not a JSON object")
    if canonical_json(value) != raw:
        raise CanonicalError("JSON but not in RFC 8785 canonical form")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result
