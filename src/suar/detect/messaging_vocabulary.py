"""The data of the messaging-account extractor, checked and compiled once.

``messaging_labels.json`` holds the words that name an app, the id and filler
words allowed between a label and an account, and the phrases that contain an
app name without naming it; ``messaging_links.json`` holds the app link shapes.
:func:`patterns` turns the words into the regular expressions that
:mod:`suar.detect.messaging` runs over a post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from suar.datafiles import read_json
from suar.errors import DataError

_DATA_FILE: Final = "messaging_labels.json"
_LINKS_FILE: Final = "messaging_links.json"
_SPECIAL_VALUES: Final = frozenset({"#number", "#telegram", "#zalo", "#facebook"})
LABEL_KINDS: Final = ("telegram", "whatsapp", "line", "wechat", "zalo", "viber", "kakaotalk")

# Obfuscations of '.' and '/' in links: "t . me / abc", "t[.]me", "wa dot me".
DOT: Final = r"(?:[ \t]*(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))[ \t]*|[ \t]+dot[ \t]+)"
_SL: Final = r"[ \t]*/[ \t]*"
_HOST_START: Final = r"(?<![A-Za-z0-9_.@/\-])"
_SCHEME: Final = rf"{_HOST_START}(?:https?[ \t]*:[ \t]*//[ \t]*)?(?:www{DOT})?"
_HANDLE: Final = r"[A-Za-z][A-Za-z0-9_]{2,31}(?![A-Za-z0-9_])"
_CODE: Final = r"[A-Za-z0-9_\-]"


@dataclass(frozen=True, slots=True)
class Link:
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
    "%CODE%": _CODE, "%DOT%": DOT, "%SL%": _SL,
}  # fmt: skip
_AFTER_WORDS: Final = r"(?:(?:on|via|di|trên|qua|ใน|ทาง)[ \t]+)?"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words of messaging_labels.json, lower-cased, blanks collapsed."""

    kind_of: Mapping[str, str]  # label (lower case) -> indicator kind
    weak: frozenset[str]
    not_labels: Mapping[str, tuple[tuple[int, str], ...]]  # label -> (offset, phrase) around it
    id_words: tuple[str, ...]
    alpha_id_words: tuple[str, ...]  # the id words made of letters only
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


def parse_vocabulary(data: object) -> Vocabulary:
    """Check the shipped vocabulary; raise :class:`DataError` saying what is wrong."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_DATA_FILE}: expected an object with version 1")
    labels = _values(data, "labels")
    if not isinstance(labels, dict) or set(labels) - set(LABEL_KINDS):
        raise DataError(f"{_DATA_FILE}: 'labels' must map kinds among {LABEL_KINDS} to lists")
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
    id_words = tuple(_strings(_values(data, "id_words"), "id_words"))
    return Vocabulary(
        kind_of=kind_of,
        weak=weak,
        not_labels={word: tuple(places) for word, places in around.items()},
        id_words=id_words,
        alpha_id_words=tuple(w for w in id_words if w.isalpha()),
        fillers=tuple(_strings(_values(data, "filler_words"), "filler_words")),
        stopwords=frozenset(_strings(_values(data, "stopwords"), "stopwords")),
        reserved={k: frozenset(_strings(v, f"reserved_paths.{k}")) for k, v in reserved.items()},
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, checked on first use."""
    return parse_vocabulary(read_json("suar.detect", _DATA_FILE))


def parse_link(entry: object) -> tuple[tuple[str, ...], Link]:
    """Check one entry of messaging_links.json and compile its pattern."""
    if not isinstance(entry, dict) or entry.get("kind") not in (*LABEL_KINDS, "facebook"):
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
    link = Link(kind=entry["kind"], pattern=pattern, value=value, via=str(via), type=str(kind_type))
    return tuple(h.lower() for h in hosts), link


@lru_cache(maxsize=1)
def links() -> Mapping[str, tuple[Link, ...]]:
    """The app links of messaging_links.json, by the host word that leads to them."""
    data = read_json("suar.detect", _LINKS_FILE)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_LINKS_FILE}: expected an object with version 1")
    entries = _values(data, "links")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{_LINKS_FILE}: 'links.values' must be a non-empty list")
    by_host: dict[str, list[Link]] = {}
    for entry in entries:
        hosts, link = parse_link(entry)
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
class Patterns:
    """The regular expressions built from the vocabulary."""

    anchor: re.Pattern[str]  # over the lower-cased text: where to look closer
    tld_next: re.Pattern[str]
    labelled: re.Pattern[str]
    after: re.Pattern[str]
    label: re.Pattern[str]
    id_word: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """Build the regular expressions from the vocabulary, once."""
    vocab = vocabulary()
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
    return Patterns(
        anchor=re.compile(_trie(anchors, r"(?![a-z])")),
        tld_next=re.compile(rf"[ \t]*{_TLD_ANCHOR}"),
        labelled=re.compile(labelled, re.IGNORECASE),
        after=re.compile(after, re.IGNORECASE),
        label=re.compile(rf"(?<![A-Za-z0-9_])(?:{label})", re.IGNORECASE),
        id_word=re.compile(_trie(vocab.id_words, r"(?![a-z0-9])"), re.IGNORECASE),
    )
