"""Benign values: shared by countless unrelated posters, so they never link posts.

In the spirit of MISP warninglists, a data file (``warn/data/warninglist.json``)
lists big platforms' domains, mail providers and link shorteners, government
domains, placeholder domains, handles and wallets, and rules for phone numbers
(short codes, placeholder and fictional numbers). Values seen in too many
unrelated posts are the dynamic half of the list: see :mod:`suar.warn.linking`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from suar.datafiles import read_json
from suar.errors import DataError

_DATA_FILE: Final = "warninglist.json"
_LISTS: Final = (
    "domains",
    "domain_suffixes",
    "placeholder_domains",
    "identifying_url_hosts",
    "handles",
    "wallets",
    "facebook_shared_types",
)


@dataclass(frozen=True, slots=True)
class Warninglist:
    """The benign values, ready for look-ups."""

    domains: frozenset[str]
    domain_suffixes: tuple[str, ...]
    placeholder_domains: frozenset[str]
    identifying_url_hosts: frozenset[str]
    handles: frozenset[str]
    wallets: frozenset[str]
    facebook_shared_types: frozenset[str]
    phone_min_digits: int
    phone_values: frozenset[str]
    phone_patterns: tuple[re.Pattern[str], ...]

    def benign_domain(self, domain: str) -> bool:
        """A platform's, provider's, government's or placeholder domain."""
        d = domain.lower().rstrip(".")
        if d in self.domains or d in self.placeholder_domains:
            return True
        return any(d == s or d.endswith("." + s) for s in self.domain_suffixes)

    def benign_phone(self, e164: str) -> bool:
        """A short code, a listed number, or a placeholder or fictional number."""
        digits = sum(map(str.isdigit, e164))
        if digits < self.phone_min_digits or e164 in self.phone_values:
            return True
        return any(p.search(e164) for p in self.phone_patterns)

    def benign_handle(self, handle: str) -> bool:
        """A placeholder or generic account name."""
        return handle.lower().lstrip("@") in self.handles

    def benign_email(self, email: str) -> bool:
        """An address at a placeholder domain, or a generic mailbox of a platform."""
        local, _, domain = email.lower().rpartition("@")
        if domain in self.placeholder_domains or any(
            domain == s or domain.endswith("." + s) for s in self.domain_suffixes
        ):
            return True
        return local in self.handles and domain in self.domains

    def benign_wallet(self, address: str) -> bool:
        """A burn or null address."""
        return address in self.wallets or address.lower() in self.wallets


def _strings(data: dict[str, Any], key: str) -> list[str]:
    section = data.get(key)
    values = section.get("values") if isinstance(section, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise DataError(f"{_DATA_FILE}: {key}.values must be a list of non-empty strings")
    return values


def parse_warninglist(data: Any) -> Warninglist:
    """Validate the decoded warninglist.json; :class:`DataError` names the first bad part."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_DATA_FILE}: expected an object with version 1")
    lists = {key: _strings(data, key) for key in _LISTS}
    phones = data.get("phones")
    if not isinstance(phones, dict):
        raise DataError(f"{_DATA_FILE}: missing object phones")
    min_digits = phones.get("min_digits")
    if not isinstance(min_digits, int) or isinstance(min_digits, bool) or min_digits < 1:
        raise DataError(f"{_DATA_FILE}: phones.min_digits must be a positive integer")
    values = _strings(data, "phones")
    raw_patterns = phones.get("patterns")
    if not isinstance(raw_patterns, list) or not all(isinstance(p, str) for p in raw_patterns):
        raise DataError(f"{_DATA_FILE}: phones.patterns must be a list of regular expressions")
    patterns = []
    for pattern in raw_patterns:
        try:
            patterns.append(re.compile(pattern))
        except re.error as exc:
            raise DataError(f"{_DATA_FILE}: bad phone pattern {pattern!r}: {exc}") from exc
    bad = [v for v in values if not re.fullmatch(r"\+\d{2,15}", v)]
    if bad:
        raise DataError(f"{_DATA_FILE}: phone {bad[0]!r} is not in E.164 form")
    lower = {key: frozenset(v.lower() for v in lists[key]) for key in _LISTS if key != "wallets"}
    return Warninglist(
        domains=lower["domains"],
        domain_suffixes=tuple(sorted(lower["domain_suffixes"])),
        placeholder_domains=lower["placeholder_domains"],
        identifying_url_hosts=lower["identifying_url_hosts"],
        handles=lower["handles"],
        wallets=frozenset(lists["wallets"]),
        facebook_shared_types=lower["facebook_shared_types"],
        phone_min_digits=min_digits,
        phone_values=frozenset(values),
        phone_patterns=tuple(patterns),
    )


def load_warninglist(path: Path | None = None) -> Warninglist:
    """Read and validate warninglist.json (the shipped one unless ``path`` is given)."""
    data = read_json("suar.warn", _DATA_FILE, path=path)
    return parse_warninglist(data)


@lru_cache(maxsize=1)
def warninglist() -> Warninglist:
    """The shipped warninglist, read once."""
    return load_warninglist()
