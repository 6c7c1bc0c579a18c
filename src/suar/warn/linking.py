"""Which indicators link posts into one campaign, under which key.

Strong indicators say who is behind a post: phone numbers, messaging
accounts, registrable domains, e-mail addresses, wallets, and links on
shorteners or form hosts (whose path is the poster's own). Money, places,
ages and genders are shared by unrelated ads and never link.

A phone number links under one key whatever the channel: a WhatsApp number
and the same number written as a phone are the same contact. Benign values
(:mod:`suar.warn.warninglist`) never link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from suar.warn.warninglist import Warninglist

#: Messaging kinds whose value is a handle, an id or an E.164 number.
MESSAGING_KINDS: Final = frozenset(
    {"telegram", "whatsapp", "line", "wechat", "zalo", "viber", "kakaotalk"}
)
#: Indicator kinds that can link posts.
STRONG_KINDS: Final = MESSAGING_KINDS | {"phone", "facebook", "domain", "email", "wallet", "url"}

_E164: Final = re.compile(r"\+\d{6,15}")

LinkKey = tuple[str, str]


class IndicatorLike(Protocol):
    """Anything with an indicator's kind, value and attributes."""

    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def attrs(self) -> Mapping[str, Any]: ...


def link_key(
    kind: str, value: str, attrs: Mapping[str, Any], wl: Warninglist, max_length: int
) -> LinkKey | None:
    """The key under which this indicator links posts, or ``None`` when it does not link."""
    if kind not in STRONG_KINDS or not value or len(value) > max_length:
        return None
    if (kind == "phone" or kind in MESSAGING_KINDS) and _E164.fullmatch(value):
        return None if wl.benign_phone(value) else ("phone", value)
    if kind == "phone":
        return None  # not a full international number: cannot be compared safely
    if kind in MESSAGING_KINDS:
        return None if wl.benign_handle(value) else (kind, value)
    if kind == "domain":
        return None if wl.benign_domain(value) else (kind, value)
    if kind == "email":
        return None if wl.benign_email(value) else (kind, value)
    if kind == "wallet":
        return None if wl.benign_wallet(value) else (kind, value)
    if kind == "facebook":
        if str(attrs.get("type", "")).lower() in wl.facebook_shared_types:
            return None
        name = value.rstrip("/").rsplit("/", 1)[-1]
        return None if wl.benign_handle(name) else (kind, value)
    return _url_key(value, attrs, wl)


def _url_key(value: str, attrs: Mapping[str, Any], wl: Warninglist) -> LinkKey | None:
    try:
        parts = urlsplit(value if "://" in value else "http://" + value)
        host = str(attrs.get("host") or parts.hostname or "").lower()
    except ValueError:
        return None  # not a URL after all: nothing to link on
    if host.startswith("www."):
        host = host[4:]
    if host not in wl.identifying_url_hosts:
        return None  # links through its registrable domain instead, or is a platform's
    return ("url", value) if parts.path.strip("/") else None


def link_keys(
    indicators: Iterable[IndicatorLike], wl: Warninglist, max_length: int
) -> tuple[LinkKey, ...]:
    """The distinct link keys of a post's indicators, in order of appearance."""
    seen: dict[LinkKey, None] = {}
    for ind in indicators:
        if ind.kind not in STRONG_KINDS:
            continue  # most are money, places and ages: spare them the call
        key = link_key(ind.kind, ind.value, ind.attrs, wl, max_length)
        if key is not None:
            seen.setdefault(key, None)
    return tuple(seen)
