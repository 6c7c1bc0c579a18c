"""URLs, domains and e-mail addresses, also when written to slip past filters.

Lures point to sites and mailboxes written plainly (``https://jobs-asia.com/apply``,
``jobs-cambodia.com/apply``, ``hr@jobs-asia.com``) or obfuscated so that platform
filters miss them (``hxxps://``, ``jobs[.]com``, ``jobs (dot) com``,
``jobs ดอท คอม``, ``jobs点com``, ``name [at] gmail [dot] com``). A host counts
only when its public suffix is in the ICANN section of the Public Suffix List,
which keeps file names, abbreviations, version numbers and prices
(``file.txt``, ``e.g``, ``3.5``, ``Rp.5.000``) out.

Every URL gives a ``url`` indicator (normalised URL) and a ``domain`` indicator
(registrable domain) whose span is the host; a bare domain without a path gives
only the ``domain``; an e-mail address gives only an ``email``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText
from suar.detect.urls_hosts import (
    Host,
    UrlVocabulary,
    icann_tlds,
    judge_host,
    load_vocabulary,
    parse_vocabulary,
    sep_kind,
    vocabulary,
)
from suar.domain import Indicator, Span

__all__ = ["UrlVocabulary", "extract_urls", "load_vocabulary", "parse_vocabulary"]

_ASCII_LABEL: Final = r"[A-Za-z0-9][A-Za-z0-9-]*+"
# A letter, mark or digit outside ASCII: anything but spaces, symbols and punctuation
# (stdlib re has no \p{L}; its \w leaves out the combining marks of Thai and Burmese).
_UNICODE_CHAR: Final = (
    r"[^\x00-\x7f\s\u0080-\u00bf\u00d7\u00f7\u0964\u0965\u0e2f\u0e4f\u0e5a\u0e5b"
    r"\u104a\u104b\u17d4-\u17da\u2000-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe10-\ufe6f"
    r"\uff00-\uffef\U0001f000-\U0001faff]"
)
_UNICODE_LABEL: Final = rf"{_UNICODE_CHAR}(?:{_UNICODE_CHAR}|-)*+"
_PATH_CHARS: Final = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_TRAILING_PUNCT: Final = ".,;:!?'\"*"
_CLOSERS: Final = {")": "(", "]": "[", "}": "{", ">": "<"}
_BRACKET_DOT: Final = re.compile(r"[\[({<]\.[\])}>]")
_DEFAULT_PORTS: Final = {"http": ":80", "https": ":443", "ftp": ":21"}


@dataclass(frozen=True, slots=True)
class _Patterns:
    host: re.Pattern[str]
    sep: re.Pattern[str]
    #: where a host may be: a dot before a letter, a spaced or a bracketed dot
    anchor: re.Pattern[str]
    #: the same for spelled dots and at-signs of non-Latin scripts
    unicode_anchor: re.Pattern[str]
    #: "://" and Latin dot words, looked up with str.find (faster than a regex here)
    latin_literals: tuple[str, ...]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _build_patterns(vocab: UrlVocabulary) -> _Patterns:
    latin_dot = _alternation(vocab.latin_dot_words)
    other_dot = _alternation(vocab.other_dot_words)
    spelled = _alternation(list(vocab.spelled_tlds))
    # One dot between labels: plain, bracketed, ideographic, spelled, or spaced.
    sep = (
        r"(?:\."
        rf"|[ \t]*[\[({{<][ \t]*(?:\.|(?i:{latin_dot})|{other_dot})[ \t]*[\])}}>][ \t]*"
        r"|[ \t]*。[ \t]*"
        rf"|[ \t]+(?i:{latin_dot})[ \t]+"
        rf"|[ \t]*(?:{other_dot})[ \t]*"
        r"|[ \t]+\.[ \t]*)"
    )
    ascii_host = rf"{_ASCII_LABEL}(?:{sep}(?:{_ASCII_LABEL}|{spelled}))+"
    any_label = rf"(?:{_ASCII_LABEL}|{_UNICODE_LABEL})"
    latin_at = _alternation(vocab.latin_at_words)
    other_at = _alternation(vocab.other_at_words)
    at = (
        r"(?P<at>@|[ \t]+@[ \t]*|[ \t]*@[ \t]+"
        rf"|[ \t]*[\[({{<][ \t]*(?:@|(?i:{latin_at})|{other_at})[ \t]*[\])}}>][ \t]*"
        rf"|[ \t]+(?i:{latin_at})[ \t]+"
        rf"|[ \t]*(?:{other_at})[ \t]*)"
    )
    # One pattern, one look-behind per position: e-mail address, URL with a scheme,
    # ASCII host, host in another script before an IDN top-level domain.
    pattern = (
        r"(?<![A-Za-z0-9])(?:"
        rf"(?<![_.%+@/\\-])(?P<local>[A-Za-z0-9_][A-Za-z0-9._%+\-]*+){at}(?P<ehost>{ascii_host})"
        r"|(?P<scheme>(?i:h(?:tt|xx)ps?|h t t p(?: s)?|ftp))(?P<colon>://|\[:\]//|\[://\]|\(:\)//)"
        r"(?:(?P<userinfo>[A-Za-z0-9._~%!$&'*+,;=:-]+)@)?"
        rf"(?P<shost>{any_label}(?:{sep}{any_label})*)"
        rf"|(?<![_.@/\\-])(?P<ahost>{ascii_host})"
        rf"|(?<![_.@/\\-])(?<!{_UNICODE_CHAR})(?P<uhost>(?:{_UNICODE_LABEL}\.)+(?:{{IDN_TLDS}})(?!{_UNICODE_CHAR}))"
        r")(?P<port>:[0-9]{1,5}+(?![A-Za-z0-9]))?"
        rf"(?P<path>[/?#](?:{_PATH_CHARS}++|(?<![A-Za-z0-9]){_UNICODE_CHAR}++)*+)?"
    )
    idn = [t for t in icann_tlds() if not t.isascii()]
    idn_first = "".join(sorted({re.escape(t[0]) for t in idn}))
    latin = [w for w in vocab.latin_dot_words if w.isascii()]
    unicode_words = [
        *(v for w in vocab.latin_dot_words if not w.isascii() for v in (w, w.upper(), w.title())),
        *vocab.other_dot_words,
        *vocab.other_at_words,
    ]
    return _Patterns(
        host=re.compile(pattern.replace("{IDN_TLDS}", _alternation(idn))),
        sep=re.compile(sep),
        # A literal first character lets the regex engine skip ahead quickly.
        anchor=re.compile(
            r"\.(?:(?=[A-Za-z])|(?<=[ \t]\.)(?=[ \t]*[A-Za-z])|(?<=[\[({<]\.)"
            rf"|(?=[{idn_first}]))"
        ),
        unicode_anchor=re.compile("|".join([_alternation(unicode_words), r"。(?=[ \t]*[A-Za-z])"])),
        latin_literals=(
            "://",
            *sorted({v for w in latin for v in (w.lower(), w.upper(), w.title())}),
        ),
    )


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _build_patterns(vocabulary())


def _trim_path(path: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets that end a sentence."""
    while path:
        last = path[-1]
        if last in _TRAILING_PUNCT:
            path = path[:-1]
        elif last in _CLOSERS and path.count(last) > path.count(_CLOSERS[last]):
            path = path[:-1]
        else:
            break
    return path


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A found URL, domain or e-mail, with spans in normalised coordinates."""

    kind: str
    value: str
    span: Span
    host_span: Span
    host: Host
    obfuscated: bool


_PLAIN_DOT: Final = re.compile(r"\.")


def _split_host(
    text: str, start: int, end: int, sep: re.Pattern[str]
) -> tuple[tuple[str, ...], list[Span], tuple[str, ...]]:
    """Labels, their spans and the separators between them, of the host at ``text[start:end]``."""
    labels, offsets, seps = _split_labels(text[start:end], sep)
    return labels, [(start + a, start + b) for a, b in offsets], seps


@lru_cache(maxsize=2048)
def _split_labels(
    host: str, sep: re.Pattern[str]
) -> tuple[tuple[str, ...], tuple[Span, ...], tuple[str, ...]]:
    """Labels, their offsets and the separators of one host (the same hosts recur)."""
    labels: list[str] = []
    spans: list[Span] = []
    seps: list[str] = []
    pos = 0
    for m in sep.finditer(host):
        labels.append(host[pos : m.start()])
        spans.append((pos, m.start()))
        seps.append(m.group())
        pos = m.end()
    labels.append(host[pos:])
    spans.append((pos, len(host)))
    return tuple(labels), tuple(spans), tuple(seps)


def _url_candidate(m: re.Match[str], pats: _Patterns, vocab: UrlVocabulary) -> _Candidate | None:
    text = m.string
    scheme = m.group("scheme")
    group = "shost" if scheme is not None else ("ahost" if m.group("ahost") else "uhost")
    splitter = _PLAIN_DOT if group == "uhost" else pats.sep
    labels, label_spans, seps = _split_host(text, m.start(group), m.end(group), splitter)
    tlds = icann_tlds()
    if scheme is None and not any(
        vocab.spelled_tlds.get(x, x).lower() in tlds for x in labels[max(1, len(labels) - 3) :]
    ):
        return None  # "e.g", "U.S", "skills.Ability": cheap to refuse before anything else
    path = _trim_path(m.group("path") or "")
    host = judge_host(
        labels,
        seps,
        scheme=scheme is not None,
        has_path=bool(path.strip("/")),
        unicode_only=group == "uhost",
    )
    if host is None:
        return None
    host_span = (label_spans[0][0], label_spans[host.n_labels - 1][1])
    complete = host.n_labels == len(labels)
    port = (m.group("port") or "") if complete else ""
    path = path if complete else ""
    obfuscated = any(sep_kind(s) != "plain" for s in seps[: host.n_labels - 1])
    scheme_name = "http"
    if scheme is not None:
        scheme_name = scheme.lower().replace(" ", "").replace("xx", "tt")
        obfuscated = obfuscated or scheme_name != scheme.lower() or m.group("colon") != "://"
    elif not (host.ascii.startswith("www.") or port or path.strip("/")):
        return _Candidate("domain", host.ascii, host_span, host_span, host, obfuscated)
    end = host_span[1]
    if path:
        end = m.start("path") + len(path)
    elif port:
        end = m.end("port")
    if port == _DEFAULT_PORTS.get(scheme_name):
        port = ""
    clean_path = _BRACKET_DOT.sub(".", path)
    obfuscated = obfuscated or clean_path != path
    if clean_path == "/":
        clean_path = ""
    userinfo = m.group("userinfo")
    value = f"{scheme_name}://{userinfo + '@' if userinfo else ''}{host.ascii}{port}{clean_path}"
    return _Candidate("url", value, (m.start(), end), host_span, host, obfuscated)


def _email_candidate(m: re.Match[str], pats: _Patterns, vocab: UrlVocabulary) -> _Candidate | None:
    local = m.group("local")
    if local.endswith(".") or ".." in local:
        return None
    labels, label_spans, seps = _split_host(m.string, m.start("ehost"), m.end("ehost"), pats.sep)
    host = judge_host(labels, seps, scheme=True, has_path=False)
    if host is None or host.registrable is None:
        return None
    at = m.group("at")
    at_core = at.strip(" \t")
    kinds = {sep_kind(s) for s in seps[: host.n_labels - 1]}
    provider = host.registrable.split(".", 1)[0] in vocab.mail_providers
    if at_core.isascii() and at_core.isalpha():
        # "name at gmail dot com" is an address; "apply at jobs dot com" is a site.
        if not provider or local.lower() in vocab.stop_labels:
            return None
    elif at != "@" and at_core == "@" and not (provider or "obfuscated" in kinds):
        return None  # "Apply @ jobs.com" points to the site
    end = label_spans[host.n_labels - 1][1]
    return _Candidate(
        "email",
        f"{local.lower()}@{host.ascii}",
        (m.start(), end),
        (label_spans[0][0], end),
        host,
        at != "@" or kinds != {"plain"},
    )


#: How far before an anchor a host or an address may start: a first label, or a
#: short name and a spelled at-sign ("name at gmail dot com"); before an "@", a
#: local part of up to 64 characters.
_LOOK_BACK: Final = 40
_LOOK_BACK_AT: Final = 70
# The anchor's word (a URL path runs to the next space) and the word after it.
_LOOK_AHEAD: Final = re.compile(r"\S*\s*\S*")


def _windows(text: str, anchors: list[int], at_signs: list[int]) -> list[Span]:
    """Stretches of text worth matching around the anchors, merged where they meet.

    A window may start inside a word: every pattern looks behind its start, so no
    match begins in the middle of a word.
    """
    ahead = _LOOK_AHEAD.match
    starts = [(max(0, a - _LOOK_BACK), a) for a in anchors]
    starts += [(max(0, a - _LOOK_BACK_AT), a) for a in at_signs]
    out: list[Span] = []
    for start, a in sorted(starts):
        m = ahead(text, a)
        end = m.end() if m is not None else len(text)
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _literal_anchors(text: str, literals: Sequence[str], into: list[int]) -> list[int]:
    for lit in literals:
        i = text.find(lit)
        while i != -1:
            into.append(i)
            i = text.find(lit, i + 1)
    return into


def _candidates(
    text: str, windows: list[Span], pats: _Patterns, vocab: UrlVocabulary
) -> Iterator[_Candidate]:
    search = pats.host.search
    for start, end in windows:
        pos = start
        while (m := search(text, pos, end)) is not None:
            if m.group("local") is not None:
                cand = _email_candidate(m, pats, vocab)
                # A refused address may still hold a site: "apply at jobs dot com".
                pos = cand.span[1] if cand is not None else m.start("ehost")
            else:
                cand = _url_candidate(m, pats, vocab)
                pos = m.end()
            if cand is not None:
                yield cand


def extract_urls(nt: NormalizedText, hints: Hints) -> Iterator[Indicator]:
    """Find URLs, domains and e-mail addresses in a post, also obfuscated ones.

    Yields a ``url`` (normalised URL; attrs ``domain``, ``host``, ``obfuscated``)
    and a ``domain`` (registrable domain; span of the host) for every URL, only a
    ``domain`` for a bare host without a path, and an ``email`` (lower-cased;
    attrs ``domain``, ``obfuscated``) for every e-mail address. Spans index the
    original text. ``hints`` is not needed: URLs read the same everywhere.
    """
    del hints
    text = nt.text
    vocab = vocabulary()
    pats = _patterns()
    # Matching runs only around anchors: most of a post holds no host at all.
    at_signs = _literal_anchors(text, ("@",), [])
    anchors = [m.start() for m in pats.anchor.finditer(text)]
    _literal_anchors(text, pats.latin_literals, anchors)
    if not text.isascii():
        anchors += [m.start() for m in pats.unicode_anchor.finditer(text)]
    if not anchors and not at_signs:
        return
    for cand in _candidates(text, _windows(text, anchors, at_signs), pats, vocab):
        if cand.kind == "email":
            yield Indicator(
                "email",
                cand.value,
                nt.to_original(*cand.span),
                {"domain": cand.host.registrable, "obfuscated": cand.obfuscated},
            )
            continue
        if cand.kind == "url":
            yield Indicator(
                "url",
                cand.value,
                nt.to_original(*cand.span),
                {
                    "domain": cand.host.registrable,
                    "host": cand.host.ascii,
                    "obfuscated": cand.obfuscated,
                },
            )
        if cand.host.registrable is not None:
            yield Indicator(
                "domain",
                cand.host.registrable,
                nt.to_original(*cand.host_span),
                {"host": cand.host.ascii, "obfuscated": cand.obfuscated},
            )
