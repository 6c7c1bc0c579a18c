"""Zawgyi to Unicode conversion for Burmese text, one cluster at a time.

Zawgyi, the legacy font encoding still used for much Burmese on social media,
reuses the Myanmar code points with other meanings (U+1039 is the asat, U+103B
the medial RA, ...), adds precomposed stacked consonants at U+1060–U+1097, and
stores text in visual order: the vowel E and the medial RA are typed *before*
the consonant they follow in speech. The conversion table is data
(``data/zawgyi.json``); this module applies it in five stages:

1. *context* rules, each swapping one code point for one, decide from the
   neighbours what cannot be decided alone (a digit zero that is the letter WA);
2. the run is cut into clusters: pre-base signs, one base, its dependent marks;
3. every Zawgyi code point of a cluster is mapped to its Unicode sequence;
4. the pieces are put in Unicode storage order and repeated marks dropped;
5. regex *rules* rewrite what the order alone cannot (U + II is UU).

Each cluster converts on its own, so a segment is one original cluster and
spans of converted text map back precisely; a Burmese syllable is one or more
clusters (the killed final consonant is its own cluster).
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import regex

from suar.errors import DataError

log = logging.getLogger(__name__)

_DATA_FILE = "zawgyi.json"
_TOKEN_KINDS = ("kinzi", "base", "stack")
# After mapping, these are the only code points that can start a cluster's pre-base part.
_UNICODE_PREFIX = "\u1031\u103c"
_UNICODE_BASE = "[\u1000-\u102a\u103f\u104c-\u104f]"
_KINZI = "\u1004\u103a\u1039"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: regex.Pattern[str]
    replacement: str
    #: for a context rule, the one code point it replaces (skipped when absent)
    target: str = ""


@dataclass(frozen=True, slots=True)
class _Table:
    context: tuple[_Rule, ...]
    cluster: re.Pattern[str]
    mapping: dict[int, str]
    order: dict[str, int]
    rules: tuple[_Rule, ...]
    parse: regex.Pattern[str]
    token: regex.Pattern[str]


def _fail(message: str) -> DataError:
    return DataError(f"{_DATA_FILE}: {message}", file=_DATA_FILE)


def _require(obj: dict[str, Any], key: str, kind: type) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind):
        raise _fail(f"{key!r} must be a {kind.__name__}")
    return value


def _rules(raw: Any, section: str, *, one_for_one: bool) -> tuple[_Rule, ...]:
    if not isinstance(raw, list):
        raise _fail(f"{section!r} must be a list of rules")
    out: list[_Rule] = []
    for i, item in enumerate(raw):
        where = f"{section}[{i}]"
        if not isinstance(item, dict):
            raise _fail(f"{where} must be an object")
        name, pattern, replacement = (item.get(k) for k in ("name", "pattern", "replacement"))
        if not (
            isinstance(name, str) and isinstance(pattern, str) and isinstance(replacement, str)
        ):
            raise _fail(f"{where} needs string 'name', 'pattern' and 'replacement'")
        target = item.get("target", "")
        if one_for_one and not (
            isinstance(target, str) and len(target) == 1 and len(replacement) == 1
        ):
            raise _fail(f"{where} ({name}) must replace its one 'target' code point by one")
        try:
            compiled = regex.compile(pattern)
        except regex.error as exc:
            raise _fail(f"{where} ({name}) has a bad pattern: {exc}") from exc
        out.append(_Rule(name, compiled, replacement, target if one_for_one else ""))
    return tuple(out)


def _build(raw: Any) -> _Table:
    if not isinstance(raw, dict):
        raise _fail("the top level must be an object")
    classes = _require(raw, "classes", dict)
    for key in ("prefix", "base", "mark"):
        if not isinstance(classes.get(key), str) or not classes[key]:
            raise _fail(f"classes.{key} must be a non-empty character-class body")
    pre, base, mark = (f"[{classes[k]}]" for k in ("prefix", "base", "mark"))
    try:
        # "၎" with its own "င္း" is one cluster, so a bare "၎" can be told apart.
        # The standard library's engine finds these simple clusters faster.
        cluster = re.compile(
            f"\u104e\u1004\u1039\u1038|{pre}*{base}{mark}*|{pre}+{mark}*|{mark}+|.",
            re.DOTALL,
        )
    except re.error as exc:
        raise _fail(f"bad character classes: {exc}") from exc
    mapping_raw = _require(raw, "mapping", dict)
    mapping: dict[int, str] = {}
    for key, value in mapping_raw.items():
        if len(key) != 1 or not isinstance(value, str) or not value:
            raise _fail(f"mapping {key!r} must map one code point to a non-empty string")
        mapping[ord(key)] = value
    order_raw = _require(raw, "order", dict)
    order: dict[str, int] = {}
    for key, value in order_raw.items():
        if not isinstance(value, int) or (len(key) != 1 and key not in _TOKEN_KINDS):
            raise _fail(f"order {key!r} must be one code point or {_TOKEN_KINDS} with an int rank")
        order[key] = value
    missing = [k for k in _TOKEN_KINDS if k not in order]
    if missing:
        raise _fail(f"order lacks ranks for {missing}")
    return _Table(
        context=_rules(raw.get("context"), "context", one_for_one=True),
        cluster=cluster,
        mapping=mapping,
        order=order,
        rules=_rules(raw.get("rules"), "rules", one_for_one=False),
        parse=regex.compile(f"([{_UNICODE_PREFIX}]*)({_UNICODE_BASE}?)(.*)", regex.DOTALL),
        token=regex.compile(f"{_KINZI}|\u1039[\u1000-\u1021\u103f]|.", regex.DOTALL),
    )


@lru_cache(maxsize=1)
def _table() -> _Table:
    try:
        text = resources.files("suar.detect.data").joinpath(_DATA_FILE).read_text("utf-8")
        raw = json.loads(text)
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot be read: {exc}") from exc
    table = _build(raw)
    log.debug("loaded %d Zawgyi mappings and %d rules", len(table.mapping), len(table.rules))
    return table


def _reorder(table: _Table, mapped: str) -> str:
    """Put one mapped cluster in Unicode storage order (a stable sort by rank)."""
    m = table.parse.fullmatch(mapped)
    if m is None:  # pragma: no cover - the pattern matches every string
        return mapped
    prefix, base, rest = m.groups()
    order = table.order
    ranked: list[tuple[int, int, str]] = [
        (order.get(p, order["base"]), i, p) for i, p in enumerate(prefix)
    ]
    rank = order["base"]
    if base:
        ranked.append((rank, len(ranked), base))
    for token in table.token.finditer(rest):
        piece = token.group()
        if piece == _KINZI:
            rank = order["kinzi"]
        elif len(piece) == 2:
            rank = order["stack"]
        else:
            # A code point without a rank (a second letter, a digit) keeps its place.
            rank = order.get(piece, rank)
        ranked.append((rank, len(ranked), piece))
    ranked.sort()
    out: list[str] = []
    for _, _, piece in ranked:
        if len(piece) == 1 and out and out[-1] == piece and piece in order:
            continue  # a mark typed twice renders once in Zawgyi
        out.append(piece)
    return "".join(out)


@lru_cache(maxsize=8192)
def _convert_cluster(cluster: str) -> str:
    table = _table()
    text = _reorder(table, cluster.translate(table.mapping))
    for rule in table.rules:
        text = rule.pattern.sub(rule.replacement, text)
    return text


def _apply_context(table: _Table, run: str) -> str:
    for rule in table.context:
        if rule.target not in run:
            continue
        changed = rule.pattern.sub(rule.replacement, run)
        if len(changed) != len(run):
            raise _fail(f"context rule {rule.name!r} changed the length of the text")
        run = changed
    return run


def convert_segments(run: str) -> list[tuple[int, int, str]]:
    """Convert a run of Zawgyi-encoded Burmese into Unicode segments.

    Returns ``(start, end, unicode_piece)`` triples with offsets local to ``run``,
    covering it in order: one triple per Zawgyi cluster (pre-base signs, a
    consonant and its marks), whose piece is that cluster in Unicode. Joining
    the pieces gives the Unicode text of the whole run.
    """
    return list(_convert_run(run)) if run else []


@lru_cache(maxsize=4096)
def _convert_run(run: str) -> tuple[tuple[int, int, str], ...]:
    # Runs are words or phrases between spaces; the common ones recur in many posts.
    table = _table()
    prepared = _apply_context(table, run)
    spans = [m.span() for m in table.cluster.finditer(prepared)]
    return tuple((s, e, _convert_cluster(prepared[s:e])) for s, e in spans)


def zawgyi_to_unicode(text: str) -> str:
    """The Unicode text of ``text`` read as Zawgyi (characters outside Myanmar kept as they are)."""
    return "".join(piece for _, _, piece in convert_segments(text))


@dataclass(frozen=True, slots=True)
class _Model:
    """myanmartools' Zawgyi/Unicode Markov model as arrays (see :func:`zawgyi_probability`)."""

    states: dict[str, int]
    size: int
    params: npt.NDArray[np.float64]
    detector: Any


@lru_cache(maxsize=1)
def _model() -> _Model:
    from myanmartools import ZawgyiDetector

    detector = ZawgyiDetector()
    chars = getattr(detector, "_chars", None)
    params = getattr(detector, "_params", None)
    if chars is None or params is None:  # another layout: use its public method
        return _Model({}, 0, np.zeros(0), detector)
    states = {char: i + 1 for i, char in enumerate(chars)}
    return _Model(states, len(chars) + 1, np.asarray(params, dtype=np.float64), detector)


def zawgyi_probability(text: str) -> float:
    """The probability that ``text`` is Zawgyi, as myanmartools computes it, with arrays.

    myanmartools sums the log-likelihood ratio of every pair of consecutive
    characters (foreign characters are state 0 and pairs with no ratio are
    skipped), one Python call per character; the same sum in the same order
    costs one table look-up per character here. Negative infinity when every
    pair is foreign, as there.
    """
    model = _model()
    if not model.size:
        return float(model.detector.get_zawgyi_probability(text))
    get = model.states.get
    states = np.fromiter((get(char, 0) for char in text), dtype=np.intp, count=len(text))
    padded = np.concatenate(([0], states, [0]))
    ratios = model.params[padded[:-1] * model.size + padded[1:]]
    ratios = ratios[~np.isnan(ratios)]
    if not len(ratios):
        return -math.inf
    total = float(np.cumsum(ratios)[-1])  # sequential, like Python's sum
    if total >= 0:
        z = math.exp(-total)
        return z / (z + 1)
    return 1 / (1 + math.exp(total))
