"""The watchlist: values analysts (and, later, partner nodes) want to hear about.

A value is added in the form the detector gives indicators (E.164 phone
numbers, lower-case handles, registrable domains, ...), so that a post
carrying it matches exactly. A phone number matches whatever the channel: a
watched number hits a WhatsApp, Telegram or plain phone indicator alike.
Adding a value also looks through the posts already stored, so a number
reported today finds the campaign that used it last month.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Final
from urllib.parse import SplitResult, urlsplit, urlunsplit

import phonenumbers
from publicsuffixlist import PublicSuffixList
from sqlalchemy.orm import Session

from suar.access import Action, Actor, authorize
from suar.audit import record
from suar.errors import InputError
from suar.store.campaigns import CampaignRepository
from suar.store.findings import FindingRepository
from suar.store.watchlist import WatchlistEntry, WatchlistRepository
from suar.warn.alerts import raise_watchlist_alerts
from suar.warn.linking import MESSAGING_KINDS, IndicatorLike
from suar.warn.tlp import Tlp, strictest

#: Kinds that can be watched.
WATCH_KINDS: Final = tuple(
    sorted(MESSAGING_KINDS | {"phone", "facebook", "domain", "email", "wallet", "url"})
)
_PHONE_LIKE: Final = re.compile(r"\+?[\d\s().\-]{6,}")
_E164: Final = re.compile(r"\+\d{6,15}")
_MAX_VALUE: Final = 1000
_MAX_NOTE: Final = 2000


@dataclass(frozen=True, slots=True)
class AddResult:
    """An entry added (or found already there) and the alerts its look-back raised."""

    entry: WatchlistEntry
    created: bool
    alerts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ImportLine:
    """One line of a watchlist file: a value to add, or why it cannot be read."""

    line: int
    kind: str = ""
    value: str = ""
    note: str = ""
    error: str | None = None


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()


def _phone(value: str, country: str | None) -> str:
    try:
        number = phonenumbers.parse(value, None if value.strip().startswith("+") else country)
    except phonenumbers.NumberParseException as exc:
        hint = "" if country else " (write it with its country code, +CC...)"
        raise InputError(f"not a phone number: {value!r}{hint}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InputError(f"not a possible phone number: {value!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _split(value: str) -> SplitResult:
    text = value.strip()
    try:
        return urlsplit(text if "://" in text else "http://" + text)
    except ValueError as exc:  # a malformed IPv6 literal, a bad port...
        raise InputError(f"not a link or domain: {value!r}") from exc


def _host(value: str) -> str:
    try:
        host = (_split(value).hostname or "").rstrip(".").lower()
    except ValueError as exc:
        raise InputError(f"not a domain: {value!r}") from exc
    if not host or "." not in host:
        raise InputError(f"not a domain: {value!r}")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InputError(f"not a domain: {value!r}") from exc


def _one_token(text: str) -> bool:
    """Whether ``text`` has no space, line break or other invisible character inside."""
    return text.isprintable() and not any(char.isspace() for char in text)


def normalize_value(kind: str, value: str, *, country: str | None = None) -> str:
    """``value`` in the form the detector gives ``kind`` indicators; :class:`InputError` if not one.

    ``country`` is used for phone numbers written without their country code.
    """
    text = value.strip()
    if kind not in WATCH_KINDS:
        raise InputError(f"cannot watch {kind!r} values: use one of {', '.join(WATCH_KINDS)}")
    if not text or len(text) > _MAX_VALUE:
        raise InputError(f"a {kind} value must have 1 to {_MAX_VALUE} characters")
    if kind == "phone" or (kind in MESSAGING_KINDS and _PHONE_LIKE.fullmatch(text)):
        return _phone(text, country)
    if kind in MESSAGING_KINDS:
        handle = text.rstrip("/").rsplit("/", 1)[-1].lstrip("@~").lower()
        if not handle or not _one_token(handle):
            raise InputError(f"not a {kind} account: {value!r}")
        return handle
    if kind == "domain":
        host = _host(text)
        return _suffixes().privatesuffix(host) or host
    if kind == "email":
        local, at, domain = text.lower().rpartition("@")
        if not at or not local or "." not in domain or not _one_token(text):
            raise InputError(f"not an e-mail address: {value!r}")
        return f"{local}@{domain}"
    if kind == "wallet":
        if not _one_token(text):
            raise InputError(f"not a wallet address: {value!r}")
        lower = text.lower()
        return lower if lower.startswith(("0x", "bc1", "tb1", "ltc1")) else text
    if kind == "facebook":
        host = _host(text)
        path = _split(text).path.strip("/")
        if not host.endswith(("facebook.com", "fb.com")) or not path:
            raise InputError(f"not a Facebook page, profile or group: {value!r}")
        return f"facebook.com/{path}".lower()
    parts = _split(text)
    host = _host(text)
    return urlunsplit((parts.scheme.lower(), host, parts.path, parts.query, ""))


def _pairs(kind: str, value: str) -> list[tuple[str, str]]:
    """The (kind, value) pairs an entry matches among stored indicators."""
    if _E164.fullmatch(value):
        return [(k, value) for k in sorted(MESSAGING_KINDS | {"phone"})]
    return [(kind, value)]


def add_entry(
    session: Session,
    actor: Actor,
    kind: str,
    value: str,
    *,
    note: str = "",
    tlp: Tlp = Tlp.AMBER,
    source: str = "local",
    country: str | None = None,
    now: datetime | None = None,
) -> AddResult:
    """Watch a value: store it (once per kind, value and source), look back, audit.

    Posts already stored that carry the value raise one watchlist-hit alert
    per campaign. The audit entry names the entry, its kind and source, and
    how many campaigns the look-back found — not the value.
    """
    authorize(actor, Action.WATCHLIST_EDIT)
    normalized = normalize_value(kind, value, country=country)
    clean_note = " ".join(note.split())
    if len(clean_note) > _MAX_NOTE:
        raise InputError(f"a note must have at most {_MAX_NOTE} characters")
    moment = now or datetime.now(UTC)
    entry, created = WatchlistRepository(session).add(
        kind=kind,
        value=normalized,
        source=source,
        added_by=actor.principal,
        added_at=moment,
        note=clean_note,
        tlp=tlp.value,
    )
    alerts = _look_back(session, actor, entry, moment) if created else []
    record(
        session,
        actor=actor.principal,
        action="watchlist.add",
        target=f"watchlist:{entry.id}",
        details={"kind": kind, "source": source, "new": created, "alerts": alerts},
        now=moment,
    )
    return AddResult(entry, created, tuple(alerts))


def _look_back(session: Session, actor: Actor, entry: WatchlistEntry, now: datetime) -> list[int]:
    sightings = FindingRepository(session).sightings(_pairs(entry.kind, entry.value))
    latest: dict[int, int] = {}
    for s in sightings:
        if s.campaign_id is not None:
            latest[s.campaign_id] = max(latest.get(s.campaign_id, 0), s.post_id)
    if not latest:
        return []
    family = CampaignRepository(session).family(latest)
    campaigns = CampaignRepository(session).get_many(set(family.values()))
    hits = []
    for campaign_id, post_id in sorted(latest.items()):
        live = campaigns[family.get(campaign_id, campaign_id)]
        hits.append((entry.id, post_id, live.id, strictest((live.tlp, entry.tlp)).value))
    return raise_watchlist_alerts(session, actor.principal, hits, now=now)


def match_posts(
    session: Session, posts: Sequence[tuple[int, Sequence[IndicatorLike], int, str]]
) -> list[tuple[int, int, int, str]]:
    """Watchlist hits among new posts given as (post id, indicators, live campaign id, tlp).

    Returns (entry id, post id, campaign id, tlp) for each post carrying a
    watched value; the tlp is the strictest of the post's and the entry's.
    """
    values = {ind.value for _, indicators, _, _ in posts for ind in indicators}
    if not values:
        return []
    entries: dict[str, list[WatchlistEntry]] = {}
    for entry in WatchlistRepository(session).matching(values):
        entries.setdefault(entry.value, []).append(entry)
    hits: list[tuple[int, int, int, str]] = []
    for post_id, indicators, campaign_id, tlp in posts:
        for ind in indicators:
            for entry in entries.get(ind.value, ()):
                if entry.kind == ind.kind or _E164.fullmatch(ind.value):
                    hits.append((entry.id, post_id, campaign_id, strictest((tlp, entry.tlp)).value))
    return hits


def list_entries(
    session: Session, actor: Actor, *, kind: str | None = None, limit: int = 1000
) -> list[WatchlistEntry]:
    """Watchlist entries, newest first."""
    authorize(actor, Action.WATCHLIST_READ)
    return WatchlistRepository(session).entries(kind=kind, limit=limit)


def read_watchlist_file(path: Path) -> Iterator[ImportLine]:
    """Lines of a watchlist file: CSV with ``kind,value[,note]`` columns, or JSON Lines.

    A CSV file needs a header row naming the columns; JSON Lines objects carry
    ``kind``, ``value`` and optionally ``note``. Blank lines are skipped.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    if text.lstrip().startswith("{"):
        yield from _jsonl_lines(text)
    else:
        yield from _csv_lines(text, path)


def _jsonl_lines(text: str) -> Iterator[ImportLine]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ImportLine(number, error=f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict) or not all(
            isinstance(obj.get(k, ""), str) for k in ("kind", "value", "note")
        ):
            yield ImportLine(number, error="expected an object with string kind, value and note")
            continue
        yield ImportLine(number, obj.get("kind", ""), obj.get("value", ""), obj.get("note", ""))


def _csv_lines(text: str, path: Path) -> Iterator[ImportLine]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "kind" not in fields or "value" not in fields:
        raise InputError(f"{path}: expected a header row with kind and value columns")
    reader.fieldnames = fields
    for row in reader:
        number = reader.line_num
        kind, value = (row.get("kind") or "").strip(), (row.get("value") or "").strip()
        if not kind and not value:
            continue
        yield ImportLine(number, kind, value, (row.get("note") or "").strip())


def import_entries(
    session: Session,
    actor: Actor,
    lines: Iterable[ImportLine],
    *,
    tlp: Tlp = Tlp.AMBER,
    source: str = "local",
    country: str | None = None,
    now: datetime | None = None,
) -> tuple[list[AddResult], list[ImportLine]]:
    """Add every readable line; return what was added and the lines refused (with why)."""
    authorize(actor, Action.WATCHLIST_EDIT)
    added: list[AddResult] = []
    refused: list[ImportLine] = []
    for line in lines:
        if line.error is not None:
            refused.append(line)
            continue
        try:
            added.append(
                add_entry(
                    session,
                    actor,
                    line.kind.strip().lower(),
                    line.value,
                    note=line.note,
                    tlp=tlp,
                    source=source,
                    country=country,
                    now=now,
                )
            )
        except InputError as exc:
            refused.append(ImportLine(line.line, line.kind, line.value, line.note, str(exc)))
    return added, refused
