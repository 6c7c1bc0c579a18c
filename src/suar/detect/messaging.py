"""Messaging accounts in posts: Telegram, WhatsApp, LINE, WeChat, Zalo, Viber, KakaoTalk, Facebook.

Two kinds of evidence are read:

* **links** to an account or an invite (``t.me/abc``, ``wa.me/6281...``,
  ``line.me/ti/p/~abc``, ``open.kakao.com/o/...``, ``facebook.com/page``), also
  when the dots and slashes are spaced out (``t . me / abc``); the link shapes
  are data (``messaging_links.json``);
* **labelled accounts**: an app name, maybe an id word, then the account
  (``Telegram: @abc``, ``WA 0812...``, ``ไลน์ไอดี: @jobthai88``, ``加微信: abc_123``,
  ``카톡 ID abc``), an ``@handle`` followed by the app name (``@abc (Telegram)``),
  or a number followed by it (``0812-3456-7890 (WA)``); the words are data
  (``messaging_labels.json``).

One scan of the lower-cased text with a trie of literal words finds the places
worth a closer look; anchored patterns then read each place. An ``@handle``
alone is never taken: it could belong to any network. Values are lower-case
handles and ids, E.164 for numbers, and ``host/path`` for links and invites
(invite codes keep their case: they are case-sensitive). Every indicator
carries ``via`` (``link``, ``invite`` or ``label``) and ``type``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Final, cast

from suar.detect.hints import Hints
from suar.detect.messaging_vocabulary import DOT, Link, links, patterns, vocabulary
from suar.detect.messaging_vocabulary import parse_link as _parse_link
from suar.detect.messaging_vocabulary import parse_vocabulary as _parse_vocabulary
from suar.detect.normalize import NormalizedText
from suar.detect.phones import PhoneMatch, find_phones, phone_at, resolve_digits
from suar.domain import Indicator, IndicatorKind

# The data-file checks, where the tests of this extractor look for them.
__all__ = ["_parse_link", "_parse_vocabulary", "extract_messaging"]

# Apps whose accounts are phone numbers; the others take ids (a LINE id may be all digits).
_PHONE_KINDS: Final = frozenset({"telegram", "whatsapp", "wechat", "zalo", "viber"})
# Region tried first for a national number given for an app popular in one country.
_APP_REGION: Final[Mapping[str, str]] = {
    "zalo": "VN",
    "wechat": "CN",
    "kakaotalk": "KR",
    "line": "TH",
}
_ID_SHAPES: Final[Mapping[str, re.Pattern[str]]] = {
    "telegram": re.compile(r"[a-z][a-z0-9_]{3,31}"),
    "line": re.compile(r"@?[a-z0-9._\-]{4,20}"),
    "wechat": re.compile(r"[a-z][a-z0-9_\-]{5,19}"),
    "kakaotalk": re.compile(r"[a-z0-9][a-z0-9._\-]{3,19}"),
}


_URLISH: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-:/[]() \t")
_DOT_RX: Final = re.compile(DOT, re.IGNORECASE)
_SPACES_RX: Final = re.compile(r"[ \t]+")
_ID_MARKS: Final = frozenset("0123456789_.-")
_FB_STRUCTURE: Final = frozenset({"people", "pages", "p", "groups", "share", "profile.php"})


def _plain(fragment: str) -> str:
    """A link fragment with its obfuscated dots and blanks undone."""
    return _SPACES_RX.sub("", _DOT_RX.sub(".", fragment))


def _label_key(word: str) -> str:
    return " ".join(word.lower().split())


class _Scan:
    """The indicators found in one text, with what is needed to make them."""

    __slots__ = ("nt", "hints", "found")

    def __init__(self, nt: NormalizedText, hints: Hints) -> None:
        self.nt = nt
        self.hints = hints
        self.found: list[Indicator] = []

    def emit(self, kind: str, value: str, start: int, end: int, **attrs: object) -> int:
        span = self.nt.to_original(start, end)
        self.found.append(Indicator(cast(IndicatorKind, kind), value, span, attrs))
        return end

    def phone(self, kind: str, found: PhoneMatch, end: int | None = None) -> int:
        """A number given for an app; for LINE and KakaoTalk it is the id, typed as digits."""
        end = found.end if end is None else end
        if kind in _PHONE_KINDS:
            return self.emit(
                kind, found.e164, found.start, end, via="label", type="phone", country=found.region
            )
        digits = "".join(ch for ch in found.national if ch.isdigit())
        return self.emit(
            kind,
            digits,
            found.start,
            end,
            via="label",
            type="phone",
            e164=found.e164,
            country=found.region,
        )

    def countries(self, kind: str) -> tuple[str, ...]:
        first = _APP_REGION.get(kind)
        rest = self.hints.countries
        return rest if first is None else (first, *(c for c in rest if c != first))

    def number(self, kind: str, digits: str, start: int, end: int, via: str) -> int:
        """A number from a link: E.164 when valid, else ``+digits`` marked invalid."""
        national = digits.startswith("0")
        found = resolve_digits(digits, self.countries(kind), international=not national)
        if found is None:
            return self.emit(
                kind, "+" + digits.lstrip("0"), start, end, via=via, type="phone", valid=False
            )
        return self.emit(kind, found[1], start, end, via=via, type="phone", country=found[0])

    def handle(self, kinds: Sequence[str], handle: str, start: int, end: int) -> int | None:
        """An ``@handle`` next to an app name."""
        name = handle[1:].rstrip(".").lower()
        end -= len(handle) - 1 - len(name)
        done: int | None = None
        for kind in kinds:
            shape = _ID_SHAPES.get(kind)
            if shape is None or not shape.fullmatch(name):
                continue
            if kind == "line":
                done = self.emit(kind, "@" + name, start, end, via="label", type="official")
            elif kind == "telegram":
                done = self.emit(kind, name, start, end, via="label", type=_tg_type(name))
            else:
                done = self.emit(kind, name, start, end, via="label", type="id")
        return done


def _tg_type(handle: str) -> str:
    return "bot" if handle.endswith("bot") else "handle"


def _facebook_value(raw: str) -> tuple[str, str] | None:
    """The normalised page, profile or group of a facebook.com path, and its type."""
    path = _plain(raw)
    first, _, rest = path.lower().partition("/")
    if first.startswith("profile.php") or (first in ("people", "pages", "p") and rest):
        profile = path.rpartition("=")[2].rpartition("/")[2]
        return "facebook.com/profile.php?id=" + profile, "profile"
    if first == "groups":
        return "facebook.com/groups/" + rest, "group"
    if first == "share":
        return "facebook.com/" + path, "share"
    reserved = vocabulary().reserved.get("facebook", frozenset())
    if first in reserved or first in _FB_STRUCTURE or first.endswith(".php") or len(first) < 3:
        return None
    return "facebook.com/" + first, "page"


def _read_link(scan: _Scan, rule: Link, m: re.Match[str]) -> int | None:
    """Turn a matched link into an indicator; ``None`` when it is no account."""
    whole = m.group()
    start, end = m.start(), m.end() - (len(whole) - len(whole.rstrip(".")))
    groups = {k: v.rstrip(".") for k, v in m.groupdict().items() if v is not None}
    if "key" in groups:
        groups["key"] = groups["key"].lower()
    kind, via, kind_type = rule.kind, rule.via, rule.type
    if rule.value == "#number":
        return scan.number(kind, groups["num"], start, end, via)
    if rule.value == "#telegram":
        handle = groups["key"]
        if len(handle) < 4 or handle in vocabulary().reserved.get("telegram", frozenset()):
            return None
        value, kind_type = handle, _tg_type(handle)
    elif rule.value == "#zalo":
        digits = groups["key"].lstrip("+")
        if digits.isdigit() and len(digits) <= 15:
            plus = groups["key"].startswith("+")
            found = resolve_digits(digits, scan.countries(kind), international=plus)
            if found is not None:
                return scan.emit(
                    kind, found[1], start, end, via=via, type="phone", country=found[0]
                )
        value, kind_type = "zalo.me/" + groups["key"], "id"
    elif rule.value == "#facebook":
        read = _facebook_value(groups["code"])
        if read is None:
            return None
        value, kind_type = read
    else:
        value = rule.value.format(**groups)
    return scan.emit(kind, value, start, end, via=via, type=kind_type)


def _phone_like(value: str) -> bool:
    head = value.lstrip("(+ \t")
    return bool(head) and (head[0].isdigit() or (head[0] in "O\u101d" and head[1:2].isdigit()))


def _labelled(scan: _Scan, m: re.Match[str]) -> int | None:
    vocab = vocabulary()
    pats = patterns()
    words = [_label_key(w.group()) for w in pats.label.finditer(m["labs"])]
    kinds = list(dict.fromkeys(vocab.kind_of[w] for w in words if w in vocab.kind_of))
    if not kinds:
        return None
    weak = all(w in vocab.weak for w in words)
    latin = all(w.isascii() for w in words)
    text = scan.nt.text
    before = text[max(0, m.start("labs") - 8) : m.start("labs")].rstrip(" \t:")
    id_word = pats.id_word.search(m["conn"]) is not None or before.lower().endswith(
        vocab.alpha_id_words
    )
    # "LINE ID", "微信号", "ไลน์ไอดี": the label itself says an id follows.
    id_word = id_word or any(w.endswith(vocab.id_words) for w in words)
    explicit = id_word or ":" in m["conn"] or "=" in m["conn"]
    if m["gval"] is not None:
        if weak and len(m["gap"].strip()) > 2:
            return None  # a loose '@' several words after "line" or "wa"
        return scan.handle(kinds, m["gval"], *m.span("gval"))
    value = m["val"]
    vstart, vend = m.span("val")
    if value.startswith("@"):
        return scan.handle(kinds, value, vstart, vend)
    done: int | None = None
    for kind in kinds:
        if _phone_like(value):
            found = phone_at(text, vstart, scan.countries(kind))
            if found is not None and (kind in _PHONE_KINDS or explicit or not weak):
                done = scan.phone(kind, found)
                continue
        shape = _ID_SHAPES.get(kind)
        ident = value.rstrip(".").lower()
        if shape is None or not shape.fullmatch(ident) or ident in vocab.stopwords:
            continue
        if weak and not explicit:
            continue
        if latin and not id_word and not (_ID_MARKS & set(ident)):
            continue  # "Line: assembly", "Telegram channel": words, not ids
        kind_type = _tg_type(ident) if kind == "telegram" else "id"
        done = scan.emit(kind, ident, vstart, vstart + len(ident), via="label", type=kind_type)
    return done


def _after(scan: _Scan, m: re.Match[str]) -> int | None:
    kind = vocabulary().kind_of.get(_label_key(m["aft_l"]))
    if kind is None:
        return None
    return scan.handle([kind], "@" + m["aft_h"], m.start(), m.end("aft_h"))


def _link_at(scan: _Scan, low: str, anchor: int, floor: int) -> int | None:
    """Read the link whose top-level domain (or scheme) is at ``anchor``, if any."""
    if low.startswith(("tg:", "viber:"), anchor):
        host = anchor
        rules = links()[low[anchor : low.index(":", anchor)]]
    else:
        k = anchor
        while k > 0 and low[k - 1] in " \t":
            k -= 1
        host = k
        while host > 0 and "a" <= low[host - 1] <= "z":
            host -= 1
        rules = links().get(low[host:k], ())
        if not rules:
            return None
    # Scheme and subdomains come before the host: try each word start back to them.
    first = host
    while first > max(floor, host - 40) and low[first - 1] in _URLISH:
        first -= 1
    text = scan.nt.text
    for start in range(first, host + 1):
        if start not in (first, host) and low[start - 1] not in " \t([":
            continue
        for rule in rules:
            m = rule.pattern.match(text, start)
            if m is not None and m.end() > anchor:
                return _read_link(scan, rule, m)
    return None


def _inside_phrase(low: str, start: int, word: str) -> bool:
    """Whether the label at ``start`` is part of a phrase that does not name the app."""
    for offset, phrase in vocabulary().not_labels.get(_label_key(word), ()):
        if offset <= start and low.startswith(phrase, start - offset):
            return True
    return False


_NUMBER_END: Final = re.compile(r"[0-9][ \t]*[(\[/\-]?[ \t]*$")


def _number_before(scan: _Scan, word: str, start: int) -> int | None:
    """A number right before an app name: "0812-3456-7890 (WA)", "0912 345 678 zalo"."""
    kind = vocabulary().kind_of.get(_label_key(word))
    if kind not in _PHONE_KINDS:
        return None
    text = scan.nt.text
    lo = max(0, start - 40)
    tail = _NUMBER_END.search(text, lo, start)
    if tail is None:
        return None
    cut = tail.start() + 1
    last = None
    for last in find_phones(text[lo:cut], scan.countries(kind)):  # noqa: B007
        pass
    if last is None or lo + last.end != cut:
        return None
    scan.phone(kind, dataclasses.replace(last, start=lo + last.start, end=cut))
    return start + len(word)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few letters grow when lower-cased ("İ"): keep those as they are, so offsets hold.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_BEFORE_LABEL: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_@./")
_BEFORE_HANDLE: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.@")


def extract_messaging(nt: NormalizedText, hints: Hints) -> Iterator[Indicator]:
    """Messaging-account indicators, one kind per app (telegram, whatsapp, line, ...).

    ``value`` is a lower-case handle or id, an E.164 number, or ``host/path``
    for links and invites; ``attrs`` holds ``via`` (``link``, ``invite`` or
    ``label``), ``type`` (``handle``, ``bot``, ``id``, ``official``, ``phone``,
    ``invite``, ``page``, ``profile``, ``group``, ...) and ``country`` for
    numbers. Spans cover the handle, number or link as written.
    """
    text = nt.text
    low = _lower(text)
    pats = patterns()
    scan = _Scan(nt, hints)
    pos = 0  # end of the last account read: nothing before it is read again
    for anchor in pats.anchor.finditer(low):
        start = anchor.start()
        if start < pos:
            continue
        word = anchor.group()
        before = low[start - 1] if start else " "
        done: int | None = None
        if word == "@":
            m = None if before in _BEFORE_HANDLE else pats.after.match(text, start)
            done = None if m is None else _after(scan, m)
        elif word[0] in ".[(" or word.startswith(("dot", "tg:", "viber:")):
            done = _link_at(scan, low, start, pos)
        else:
            if low[start].isascii() and before in _BEFORE_LABEL:
                continue  # "online", "news": a label inside a word
            if pats.tld_next.match(low, anchor.end()) or _inside_phrase(low, start, word):
                continue  # "wa.me": the host of a link, read at its dot; "ออนไลน์": "online"
            m = pats.labelled.match(text, start)
            done = None if m is None else _labelled(scan, m)
            if done is None:
                done = _number_before(scan, word, start)
        if done is not None:
            pos = done
    yield from scan.found
