"""Hosts for the URL extractor: its vocabulary, the Public Suffix List, and which labels make a host.

:func:`judge_host` decides whether a run of labels and the separators written
between them (``jobs``, ``[.]``, ``asia``, `` dot ``, ``com``) is a host worth
reporting, and what its registrable domain is. Its answers depend only on its
arguments and the shipped data, and the same hosts recur across posts
(``gmail.com``, ``jobstreet.com.ph``), so they are cached.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import publicsuffixlist
from publicsuffixlist import PublicSuffixList

from suar.datafiles import read_json
from suar.errors import DataError

logger = logging.getLogger(__name__)

_DATA_FILE: Final = "urls.json"


@dataclass(frozen=True, slots=True)
class UrlVocabulary:
    """The words and top-level domains the extractor relies on (``data/urls.json``)."""

    bare_tlds: frozenset[str]
    word_tlds: frozenset[str]
    titlecase_tlds: frozenset[str]
    latin_dot_words: tuple[str, ...]
    other_dot_words: tuple[str, ...]
    spelled_tlds: Mapping[str, str]
    latin_at_words: tuple[str, ...]
    other_at_words: tuple[str, ...]
    mail_providers: frozenset[str]
    stop_labels: frozenset[str]
    not_domains: frozenset[str]
    one_sided_tlds: frozenset[str]


def _strings(raw: Any, where: str, *, tld: bool = False) -> frozenset[str]:
    """A non-empty list of non-empty strings (lower-case ASCII labels when ``tld``)."""
    if not isinstance(raw, list) or not raw:
        raise DataError(f"{_DATA_FILE}: {where} must be a non-empty list of strings")
    for item in raw:
        if not isinstance(item, str) or not item.strip():
            raise DataError(f"{_DATA_FILE}: {where} holds {item!r}, not a non-empty string")
        if tld and (item != item.lower() or not item.isascii() or "." in item):
            raise DataError(f"{_DATA_FILE}: {where} holds {item!r}, not a lower-case ASCII TLD")
    return frozenset(raw)


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    section = data.get(key)
    if not isinstance(section, dict):
        raise DataError(f"{_DATA_FILE}: section {key!r} is missing or not an object")
    return section


def parse_vocabulary(data: Any) -> UrlVocabulary:
    """Validate the decoded ``urls.json`` and build the vocabulary; raise :class:`DataError`."""
    if not isinstance(data, dict):
        raise DataError(f"{_DATA_FILE}: top level must be an object")

    def values(key: str, *, tld: bool = False) -> frozenset[str]:
        return _strings(_section(data, key).get("values"), key, tld=tld)

    spelled = _section(data, "spelled_tlds").get("values")
    if not isinstance(spelled, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v.isascii() and v.islower()
        for k, v in spelled.items()
    ):
        raise DataError(f"{_DATA_FILE}: spelled_tlds.values must map words to lower-case TLDs")
    dots = _section(data, "dot_words")
    ats = _section(data, "at_words")
    return UrlVocabulary(
        bare_tlds=values("bare_tlds", tld=True),
        word_tlds=values("word_tlds", tld=True),
        titlecase_tlds=values("titlecase_tlds", tld=True),
        latin_dot_words=tuple(sorted(_strings(dots.get("latin"), "dot_words.latin"))),
        other_dot_words=tuple(sorted(_strings(dots.get("other"), "dot_words.other"))),
        spelled_tlds=dict(spelled),
        latin_at_words=tuple(sorted(_strings(ats.get("latin"), "at_words.latin"))),
        other_at_words=tuple(sorted(_strings(ats.get("other"), "at_words.other"))),
        mail_providers=frozenset(s.lower() for s in values("mail_providers")),
        stop_labels=frozenset(s.lower() for s in values("stop_labels")),
        not_domains=frozenset(s.lower() for s in values("not_domains")),
        one_sided_tlds=values("one_sided_tlds", tld=True),
    )


def load_vocabulary(path: Path | None = None) -> UrlVocabulary:
    """Read and validate ``urls.json`` (the shipped one unless ``path`` is given)."""
    return parse_vocabulary(read_json("suar.detect", _DATA_FILE, path=path))


@lru_cache(maxsize=1)
def vocabulary() -> UrlVocabulary:
    """The shipped vocabulary, loaded and checked on first use."""
    vocab = load_vocabulary()
    logger.debug(
        "URL vocabulary: %d bare TLDs, %d word TLDs", len(vocab.bare_tlds), len(vocab.word_tlds)
    )
    return vocab


@lru_cache(maxsize=1)
def _suffix_lists() -> tuple[PublicSuffixList, PublicSuffixList]:
    """(ICANN-only list that decides what is a domain, full list for the registrable part)."""
    icann = PublicSuffixList(accept_unknown=False, only_icann=True)
    full = PublicSuffixList(accept_unknown=False)
    return icann, full


@lru_cache(maxsize=1)
def icann_tlds() -> frozenset[str]:
    """Every top-level domain of the ICANN section, in Unicode and in punycode."""
    tlds: set[str] = set()
    icann = False
    with open(publicsuffixlist.PSLFILE, encoding="utf-8") as source:
        for line in source:
            line = line.strip()
            if line.startswith("// ===BEGIN ICANN DOMAINS==="):
                icann = True
            elif line.startswith("// ===END ICANN DOMAINS==="):
                break
            elif icann and line and not line.startswith("//"):
                tld = line.rsplit(".", 1)[-1].lstrip("!*")
                tlds.add(tld)
                if not tld.isascii() and (encoded := punycode(tld)) is not None:
                    tlds.add(encoded)
    if not tlds:
        raise DataError("the Public Suffix List shipped with publicsuffixlist has no ICANN section")
    return frozenset(tlds)


@lru_cache(maxsize=4096)
def _icann_suffix(host: str) -> tuple[str | None, str | None]:
    """(ICANN public suffix, registrable domain counting private suffixes) of an ASCII host."""
    icann, full = _suffix_lists()
    suffix = icann.publicsuffix(host)
    if suffix is None or suffix == host:
        return None, None
    return suffix, full.privatesuffix(host) or icann.privatesuffix(host)


@lru_cache(maxsize=4096)
def punycode(label: str) -> str | None:
    """IDNA (nameprep + punycode) form of a non-ASCII label; ``None`` if IDNA refuses it."""
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _ascii_label(label: str, vocab: UrlVocabulary) -> str | None:
    """The lower-case ASCII (punycode) form of one label, or ``None`` if it cannot be one."""
    label = vocab.spelled_tlds.get(label, label)
    out = label.lower() if label.isascii() else punycode(label)
    if not out or len(out) > 63 or out.startswith("-") or out.endswith("-"):
        return None
    return out


def sep_kind(sep: str) -> str:
    """plain ``.``, weak (a dot with spaces), word (a Latin dot word) or obfuscated."""
    core = sep.strip(" \t")
    if sep == ".":
        return "plain"
    if core == ".":
        return "weak"
    if core.isascii() and core.isalpha():
        return "word"
    return "obfuscated"


def _has_evidence(name: str, n_labels: int) -> bool:
    """Signs that ``name.word`` is a domain and not two words run together."""
    has_alpha = any(c.isalpha() for c in name)
    return has_alpha and ("-" in name or any(c.isdigit() for c in name) or n_labels >= 3)


@dataclass(frozen=True, slots=True)
class Host:
    ascii: str
    registrable: str | None
    n_labels: int


@lru_cache(maxsize=2048)
def judge_host(
    labels: tuple[str, ...],
    seps: tuple[str, ...],
    *,
    scheme: bool,
    has_path: bool,
    unicode_only: bool = False,
) -> Host | None:
    """The longest acceptable host made of the first labels (trailing words may be trimmed).

    ``labels`` are as written, ``seps`` the separators written between them;
    ``scheme`` says a scheme came before, ``has_path`` that a path follows the
    last label, ``unicode_only`` that the host is a run of another script before
    an IDN top-level domain.
    """
    vocab = vocabulary()
    for n in range(len(labels), max(1, len(labels) - 3), -1):
        host = _accept_host(
            labels[:n],
            seps[: n - 1],
            vocab,
            scheme=scheme,
            has_path=has_path and n == len(labels),
            unicode_only=unicode_only,
        )
        if host is not None:
            return host
    return None


def _accept_host(
    labels: Sequence[str],
    seps: Sequence[str],
    vocab: UrlVocabulary,
    *,
    scheme: bool,
    has_path: bool,
    unicode_only: bool,
) -> Host | None:
    ascii_labels: list[str] = []
    for label in labels:
        converted = _ascii_label(label, vocab)
        if converted is None:
            return None
        ascii_labels.append(converted)
    host = ".".join(ascii_labels)
    if len(host) > 253:
        return None
    if all(label.isdigit() for label in ascii_labels):
        # An IPv4 address is a URL host only after a scheme; "1.5.2024" is a date.
        if scheme and len(ascii_labels) == 4 and all(int(x) <= 255 for x in ascii_labels):
            return Host(host, None, 4)
        return None
    suffix, registrable = _icann_suffix(host)
    if suffix is None or registrable is None:
        return None
    tld = ascii_labels[-1]
    if unicode_only:
        # A run of Thai or Chinese before ".com" has no visible start: not a host;
        # before an IDN TLD (".ไทย", ".中国") the whole run is the name.
        return Host(host, registrable, len(labels)) if tld.startswith("xn--") else None
    kinds = {sep_kind(s) for s in seps}
    if scheme or "obfuscated" in kinds:
        return Host(host, registrable, len(labels))
    written_tld = vocab.spelled_tlds.get(labels[-1], labels[-1])
    if written_tld.isupper() and not all(x.isupper() or not x.isalpha() for x in labels):
        return None  # "Development.NET", "management.AI": a term, not a TLD
    if written_tld.istitle() and tld not in vocab.titlecase_tlds:
        return None  # "Join us.Today": the next sentence, not a TLD
    # The label before the ICANN suffix: "jobs" in "apply.jobs.com.kh".
    name_at = -(suffix.count(".") + 2)
    name, written_name = ascii_labels[name_at], labels[name_at]
    if len(name) == 1 and not written_name.islower() and not written_name.isdigit():
        return None  # "B.Com", "B.tech": degrees, not domains
    if host in vocab.not_domains or name == "www":
        return None  # "ASP.NET"; "www.info" cut short
    listed = (
        tld in vocab.bare_tlds
        or "." in suffix
        or (tld in vocab.word_tlds and _has_evidence(name, len(labels)))
    )
    if "weak" in kinds and not written_tld.islower():
        return None  # "Senior .NET", "using .Net": the framework, not a domain
    if any(s[-1] == "." != s[0] for s in seps) and tld not in vocab.one_sided_tlds:
        return None  # "using .net" is the framework; "jobs-asia .com" is a domain
    if kinds & {"weak", "word"}:
        if name in vocab.stop_labels or not any(c.isalpha() for c in name):
            return None
        return Host(host, registrable, len(labels)) if listed else None
    if ascii_labels[0] == "www" or has_path or listed:
        return Host(host, registrable, len(labels))
    return None
