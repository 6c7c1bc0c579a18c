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
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final, cast

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText
from suar.detect.phones import PhoneMatch, find_phones, phone_at, resolve_digits
from suar.domain import Indicator, IndicatorKind
from suar.errors import DataError

logger = logging.getLogger(__name__)

_DATA_FILE: Final = "messaging_labels.json"
_LINKS_FILE: Final = "messaging_links.json"
_SPECIAL_VALUES: Final = frozenset({"#number", "#telegram", "#zalo", "#facebook"})
_LABEL_KINDS: Final = ("telegram", "whatsapp", "line", "wechat", "zalo", "viber", "kakaotalk")
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

# Obfuscations of '.' and '/' in links: "t . me / abc", "t[.]me", "wa dot me".
_DOT: Final = r"(?:[ \t]*(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))[ \t]*|[ \t]+dot[ \t]+)"
_SL: Final = r"[ \t]*/[ \t]*"
_HOST_START: Final = r"(?<![A-Za-z0-9_.@/\-])"
_SCHEME: Final = rf"{_HOST_START}(?:https?[ \t]*:[ \t]*//[ \t]*)?(?:www{_DOT})?"
_HANDLE: Final = r"[A-Za-z][A-Za-z0-9_]{2,31}(?![A-Za-z0-9_])"
_CODE: Final = r"[A-Za-z0-9_\-]"


@dataclass(frozen=True, slots=True)
class _Link:
    """One kind of app link (see messaging_links.json): its pattern, and its value."""

    kind: str
    pattern: re.Pattern[str]
    value: str
    via: str
    type: str


_VALUE: Final = (
    r"(?:\([ \t]?)?(?:\+[ \t]?)?@?[A-Za-z0-9_\u101d][A-Za-z0-9_\-\u101d]*(?:\.[A-Za-z0-9_\-]+)*"
    r"(?!\.?[A-Za-z0-9_]|\.?/[A-Za-z]|://)"
)
_GAP_HANDLE: Final = r"(?<![A-Za-z0-9_.])@[A-Za-z][A-Za-z0-9_.]{2,31}(?![A-Za-z0-9_])"
_DOTS: Final = (".", "[.]", "(.)", "[dot]", "(dot)", "dot")
_TLD_ANCHOR: Final = (
    r"(?:\.|\[(?:\.|dot)\]|\((?:\.|dot)\)|dot[ \t])[ \t]*(?:me|ee|com|link|dog)(?![a-z0-9])"
)
# Shared pieces of the patterns in messaging_links.json.
_PIECES: Final[Mapping[str, str]] = {
    "%SCHEME%": _SCHEME, "%HOST_START%": _HOST_START, "%HANDLE%": _HANDLE,
    "%CODE%": _CODE, "%DOT%": _DOT, "%SL%": _SL,
}  # fmt: skip
_URLISH: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-:/[]() \t")
_AFTER_WORDS: Final = r"(?:(?:on|via|di|trên|qua|ใน|ทาง)[ \t]+)?"


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    kind_of: Mapping[str, str]  # label (lower case) -> indicator kind
    weak: frozenset[str]
    not_labels: Mapping[str, tuple[tuple[int, str], ...]]  # label -> (offset, phrase) around it
    id_words: tuple[str, ...]
    fillers: tuple[str, ...]
    stopwords: frozenset[str]
    reserved: Mapping[str, frozenset[str]]


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise DataError(f"{_DATA_FILE}: '{where}' must be a non-empty list of strings")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise DataError(f"{_DATA_FILE}: '{where}' holds a blank or non-string entry {item!r}")
        out.append(" ".join(item.lower().split()))
    return out


def _values(data: Mapping[str, Any], key: str) -> Any:
    section = data.get(key)
    if not isinstance(section, dict) or "values" not in section:
        raise DataError(f"{_DATA_FILE}: missing section '{key}' with 'values'")
    return section["values"]


def _parse_vocabulary(data: object) -> _Vocabulary:
    """Check the shipped vocabulary; raise :class:`DataError` saying what is wrong."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_DATA_FILE}: expected an object with version 1")
    labels = _values(data, "labels")
    if not isinstance(labels, dict) or set(labels) - set(_LABEL_KINDS):
        raise DataError(f"{_DATA_FILE}: 'labels' must map kinds among {_LABEL_KINDS} to lists")
    kind_of: dict[str, str] = {}
    for kind, words in labels.items():
        for word in _strings(words, f"labels.{kind}"):
            if kind_of.setdefault(word, kind) != kind:
                raise DataError(
                    f"{_DATA_FILE}: label {word!r} names both {kind_of[word]} and {kind}"
                )
    weak = frozenset(_strings(_values(data, "weak_labels"), "weak_labels"))
    if weak - set(kind_of):
        raise DataError(
            f"{_DATA_FILE}: weak labels that are no label: {sorted(weak - set(kind_of))}"
        )
    around: dict[str, list[tuple[int, str]]] = {}
    for phrase in _strings(_values(data, "not_labels"), "not_labels"):
        for word in kind_of:
            at = phrase.find(word)
            while at != -1:
                around.setdefault(word, []).append((at, phrase))
                at = phrase.find(word, at + 1)
    reserved = _values(data, "reserved_paths")
    if not isinstance(reserved, dict):
        raise DataError(f"{_DATA_FILE}: 'reserved_paths' must map apps to lists")
    return _Vocabulary(
        kind_of=kind_of,
        weak=weak,
        not_labels={word: tuple(places) for word, places in around.items()},
        id_words=tuple(_strings(_values(data, "id_words"), "id_words")),
        fillers=tuple(_strings(_values(data, "filler_words"), "filler_words")),
        stopwords=frozenset(_strings(_values(data, "stopwords"), "stopwords")),
        reserved={k: frozenset(_strings(v, f"reserved_paths.{k}")) for k, v in reserved.items()},
    )


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    return _parse_vocabulary(_read_json(_DATA_FILE))


def _read_json(name: str) -> Any:
    path = resources.files("suar.detect").joinpath("data", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {name}: {exc}") from exc


def _parse_link(entry: object) -> tuple[tuple[str, ...], _Link]:
    """Check one entry of messaging_links.json and compile its pattern."""
    if not isinstance(entry, dict) or entry.get("kind") not in (*_LABEL_KINDS, "facebook"):
        raise DataError(f"{_LINKS_FILE}: entry without a messaging kind: {entry!r}")
    hosts, source, value = entry.get("hosts"), entry.get("pattern"), entry.get("value")
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
        raise DataError(f"{_LINKS_FILE}: 'hosts' must be a list of words in {entry!r}")
    if not isinstance(source, str) or not isinstance(value, str):
        raise DataError(f"{_LINKS_FILE}: 'pattern' and 'value' must be strings in {entry!r}")
    for name, piece in _PIECES.items():
        source = source.replace(name, piece)
    try:
        pattern = re.compile(source, re.IGNORECASE)
        if value not in _SPECIAL_VALUES:
            value.format(**{group: "" for group in pattern.groupindex})
    except (re.error, KeyError, ValueError, IndexError) as exc:
        raise DataError(f"{_LINKS_FILE}: bad pattern or value in {entry!r}: {exc}") from exc
    via, kind_type = entry.get("via", "link"), entry.get("type", "link")
    link = _Link(
        kind=entry["kind"], pattern=pattern, value=value, via=str(via), type=str(kind_type)
    )
    return tuple(h.lower() for h in hosts), link


@lru_cache(maxsize=1)
def _links() -> Mapping[str, tuple[_Link, ...]]:
    """The app links of messaging_links.json, by the host word that leads to them."""
    data = _read_json(_LINKS_FILE)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_LINKS_FILE}: expected an object with version 1")
    entries = _values(data, "links")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{_LINKS_FILE}: 'links.values' must be a non-empty list")
    by_host: dict[str, list[_Link]] = {}
    for entry in entries:
        hosts, link = _parse_link(entry)
        for host in hosts:
            by_host.setdefault(host, []).append(link)
    return {host: tuple(links) for host, links in by_host.items()}


def _trie(words: Iterable[str], boundary: str) -> str:
    """One alternation for many words, shared prefixes merged so a miss fails fast.

    A word ending in an ASCII letter gets ``boundary`` after it, so that ``line``
    does not match in ``lines``; a space inside a word matches any run of blanks.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: Mapping[str, Any], last: str) -> str:
        alts = [
            (r"[ \t]*" if ch == " " else re.escape(ch)) + emit(child, ch)
            for ch, child in sorted(node.items())
            if ch
        ]
        if "" in node:
            alts.append(boundary if last.isascii() and last.isalpha() else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root, "")


@dataclass(frozen=True, slots=True)
class _Patterns:
    anchor: re.Pattern[str]  # over the lower-cased text: where to look closer
    tld_next: re.Pattern[str]
    labelled: re.Pattern[str]
    after: re.Pattern[str]
    label: re.Pattern[str]
    id_word: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Build the regular expressions from the vocabulary, once."""
    vocab = _vocabulary()
    label = _trie(vocab.kind_of, r"(?![a-z])")
    words = _trie(vocab.id_words + vocab.fillers, r"(?![a-z0-9])")
    conn = rf"(?:[ \t]*(?:{words}|[:=>|#.,/\-\u2013\u2014\u2192\u17d6]))" + r"{0,4}[ \t]*"
    labels = rf"{label}(?:[ \t]*[/&,+|][ \t]*{label}){{0,3}}"
    labelled = (
        rf"(?P<labs>{labels})(?P<conn>{conn})"
        rf"(?:(?P<val>{_VALUE})|(?P<gap>[^\n@]{{1,30}}?)(?P<gval>{_GAP_HANDLE}))"
    )
    after = (
        rf"@(?P<aft_h>[A-Za-z][A-Za-z0-9_.]{{2,31}})(?![A-Za-z0-9_])"
        rf"(?=[ \t]{{0,3}}[(\[]?[ \t]{{0,2}}{_AFTER_WORDS}(?P<aft_l>{label}))"
    )
    # One cheap scan finds every place worth a closer look: an app name, the
    # dot before a link's top-level domain, an '@', a tg:// or viber:// scheme.
    # It is a single trie of literal words, so that the regex engine skips ahead
    # to the characters that can start one (an alternation of groups would not).
    anchors = [*vocab.kind_of, "@", "tg://", "viber://"]
    anchors += [f"{dot} {tld}" for dot in _DOTS for tld in ("me", "ee", "com", "link", "dog")]
    return _Patterns(
        anchor=re.compile(_trie(anchors, r"(?![a-z])")),
        tld_next=re.compile(rf"[ \t]*{_TLD_ANCHOR}"),
        labelled=re.compile(labelled, re.IGNORECASE),
        after=re.compile(after, re.IGNORECASE),
        label=re.compile(rf"(?<![A-Za-z0-9_])(?:{label})", re.IGNORECASE),
        id_word=re.compile(_trie(vocab.id_words, r"(?![a-z0-9])"), re.IGNORECASE),
    )


_DOT_RX: Final = re.compile(_DOT, re.IGNORECASE)
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
    reserved = _vocabulary().reserved.get("facebook", frozenset())
    if first in reserved or first in _FB_STRUCTURE or first.endswith(".php") or len(first) < 3:
        return None
    return "facebook.com/" + first, "page"


def _read_link(scan: _Scan, rule: _Link, m: re.Match[str]) -> int | None:
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
        if len(handle) < 4 or handle in _vocabulary().reserved.get("telegram", frozenset()):
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
    vocab = _vocabulary()
    pats = _patterns()
    words = [_label_key(w.group()) for w in pats.label.finditer(m["labs"])]
    kinds = list(dict.fromkeys(vocab.kind_of[w] for w in words if w in vocab.kind_of))
    if not kinds:
        return None
    weak = all(w in vocab.weak for w in words)
    latin = all(w.isascii() for w in words)
    text = scan.nt.text
    before = text[max(0, m.start("labs") - 8) : m.start("labs")].rstrip(" \t:")
    id_word = pats.id_word.search(m["conn"]) is not None or any(
        before.lower().endswith(w) for w in vocab.id_words if w.isalpha()
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
    kind = _vocabulary().kind_of.get(_label_key(m["aft_l"]))
    if kind is None:
        return None
    return scan.handle([kind], "@" + m["aft_h"], m.start(), m.end("aft_h"))


def _link_at(scan: _Scan, low: str, anchor: int, floor: int) -> int | None:
    """Read the link whose top-level domain (or scheme) is at ``anchor``, if any."""
    if low.startswith(("tg:", "viber:"), anchor):
        host = anchor
        rules = _links()[low[anchor : low.index(":", anchor)]]
    else:
        k = anchor
        while k > 0 and low[k - 1] in " \t":
            k -= 1
        host = k
        while host > 0 and "a" <= low[host - 1] <= "z":
            host -= 1
        rules = _links().get(low[host:k], ())
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
    for offset, phrase in _vocabulary().not_labels.get(_label_key(word), ()):
        if offset <= start and low.startswith(phrase, start - offset):
            return True
    return False


_NUMBER_END: Final = re.compile(r"[0-9][ \t]*[(\[/\-]?[ \t]*$")


def _number_before(scan: _Scan, word: str, start: int) -> int | None:
    """A number right before an app name: "0812-3456-7890 (WA)", "0912 345 678 zalo"."""
    kind = _vocabulary().kind_of.get(_label_key(word))
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
    pats = _patterns()
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
