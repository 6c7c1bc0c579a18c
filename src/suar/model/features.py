"""Features of a post for the lure model: hashed character n-grams and the detector's evidence.

Character n-grams carry across scripts (Thai, Khmer and Burmese are written
without spaces, so words are not a safe unit) and hashing them needs no
vocabulary, so one model file covers every language. The hashing runs in
numpy over the code points of the whole post, with no Python loop per
character: a rolling polynomial hash per n-gram order, then a multiplicative
hash whose top bits pick the column.

The detector's evidence (red-flag codes, kinds of indicators, the monthly pay
in US dollars) adds what the rules already know; flag codes are looked up in
a vocabulary fixed when the model was trained, so a flag added later is
ignored until the model is retrained.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from suar.domain import INDICATOR_KINDS, Finding

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_U64 = npt.NDArray[np.uint64]

_MASK64: Final = (1 << 64) - 1
_ROLL_INT: Final = 0x100000001B3  # FNV-64 prime: odd, so it has an inverse modulo 2**64
_ROLL: Final = np.uint64(_ROLL_INT)
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio: Fibonacci hashing
_PAIR: Final = np.uint64(0xC6A4A7935BD1E995)
#: Added to a hash before mixing, so that n-grams of each order, words and word
#: pairs fall on unrelated columns even when their rolling hashes coincide.
_CHAR_SALTS: Final = tuple(np.uint64((n * 0xC2B2AE3D27D4EB4F) & _MASK64) for n in range(9))
_WORD_SALT: Final = np.uint64(0x165667B19E3779F9)
_PAIR_SALT: Final = np.uint64(0x27D4EB2F165667C5)
_DIGIT_ZERO: Final = 48
_DIGIT_NINE: Final = 57

#: Upper bounds (US dollars a month) of the pay bands that become features.
PAY_BANDS: Final[tuple[float, ...]] = (300.0, 800.0, 1500.0, 3000.0)


@dataclass(frozen=True, slots=True)
class TextHashing:
    """How a text becomes hashed columns: column bits, character n-gram orders, words, length cap."""

    bits: int = 20
    min_n: int = 3
    max_n: int = 5
    #: add words and pairs of adjacent words (runs of letters and digits) as columns
    words: bool = True
    #: only the first ``max_chars`` characters are read, which bounds the cost per post
    max_chars: int = 3000

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    def validate(self) -> None:
        """Raise ``ValueError`` unless the settings make sense."""
        if not 8 <= self.bits <= 24:
            raise ValueError(f"bits must be between 8 and 24, not {self.bits}")
        if not 1 <= self.min_n <= self.max_n <= 8:
            raise ValueError(f"bad n-gram orders {self.min_n}..{self.max_n}")
        if self.max_chars < 16:
            raise ValueError(f"max_chars must be at least 16, not {self.max_chars}")


@lru_cache(maxsize=4)
def _powers(length: int) -> tuple[_U64, _U64]:
    """Powers of the rolling base and of its inverse modulo 2**64, for prefix hashes."""
    inverse = pow(_ROLL_INT, -1, 1 << 64)
    up = [1] * length
    down = [1] * length
    for i in range(1, length):
        up[i] = (up[i - 1] * _ROLL_INT) & _MASK64
        down[i] = (down[i - 1] * inverse) & _MASK64
    return np.array(up, dtype=np.uint64), np.array(down, dtype=np.uint64)


@lru_cache(maxsize=1)
def _word_chars() -> npt.NDArray[np.bool_]:
    """Index ``min(code point, 128)``: ASCII letters and digits, and anything beyond ASCII."""
    table = np.zeros(129, dtype=np.bool_)
    for c in "0123456789abcdefghijklmnopqrstuvwxyz":
        table[ord(c)] = True
    table[128] = True
    return table


def _prepared(text: str, max_chars: int) -> tuple[npt.NDArray[np.uint32], _U64]:
    """The code points of ``text`` prepared for hashing (see :func:`code_points`), as 32 and
    64 bits."""
    prepared = " " + " ".join(text[:max_chars].lower().split()) + " "
    narrow = np.frombuffer(prepared.encode("utf-32-le"), dtype=np.uint32)
    points = narrow.astype(np.uint64)
    points[(narrow - _DIGIT_ZERO) <= _DIGIT_NINE - _DIGIT_ZERO] = _DIGIT_ZERO
    return narrow, points


def code_points(text: str, max_chars: int) -> _U64:
    """The code points of ``text`` prepared for hashing.

    Lower-cased, runs of white space collapsed to one space, every ASCII digit
    folded to ``0`` (so that phone numbers and amounts generalise), padded with
    a space at both ends, cut at ``max_chars`` characters.
    """
    return _prepared(text, max_chars)[1]


def _word_hashes(narrow: npt.NDArray[np.uint32], points: _U64, max_chars: int) -> _U64:
    """Position-independent polynomial hashes of the words, in order.

    A word is a run of ASCII letters and digits or of characters beyond ASCII
    (so a Thai or Chinese phrase without spaces is one word; the character
    n-grams cover its parts). The text starts and ends with a space, so the
    changes between word and non-word characters alternate: start, end, ...
    """
    mask = np.take(_word_chars(), np.minimum(narrow, 128))
    edges = np.flatnonzero(np.diff(mask)) + 1
    if len(edges) == 0:
        return np.zeros(0, dtype=np.uint64)
    starts, ends = edges[0::2], edges[1::2]
    up, down = _powers(max_chars + 3)  # the longest prepared text, plus one
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(points * down[: len(points)], out=prefix[1:])
    # sum of points[k] * base**(end-1-k) over the word: the same value wherever it stands
    hashes: _U64 = (prefix[ends] - prefix[starts]) * up[ends - 1]
    return hashes


def ngram_columns(text: str, hashing: TextHashing) -> IntArray:
    """The column of every hashed unit of ``text``, repeats kept, in no useful order.

    Units are the character n-grams of orders ``min_n..max_n`` (columns in the
    lower half) and, with ``words``, every word and every pair of adjacent
    words (columns in the upper half, so the two blocks can be weighed apart).
    The salted hashes of all units go into one buffer, mixed in one pass.
    """
    narrow, points = _prepared(text, hashing.max_chars)
    size = len(points)
    last = min(hashing.max_n, size)
    words = _word_hashes(narrow, points, hashing.max_chars) if hashing.words else points[:0]
    pairs = len(words) - 1 if len(words) > 1 else 0
    char_units = sum(size - n + 1 for n in range(hashing.min_n, last + 1))
    buffer = np.empty(char_units + len(words) + pairs, dtype=np.uint64)
    at = 0
    rolling = points
    for n in range(1, last + 1):
        if n > 1:
            rolling = rolling[:-1] * _ROLL + points[n - 1 :]
        if n >= hashing.min_n:
            np.add(rolling, _CHAR_SALTS[n], out=buffer[at : at + len(rolling)])
            at += len(rolling)
    np.add(words, _WORD_SALT, out=buffer[at : at + len(words)])
    if pairs:
        np.add(words[:-1] * _PAIR + words[1:], _PAIR_SALT, out=buffer[at + len(words) :])
    buffer *= _MIX
    buffer >>= np.uint64(64 - hashing.bits + 1)
    buffer[char_units:] |= np.uint64(1 << (hashing.bits - 1))
    return buffer.view(np.int64)


def is_word_column(columns: IntArray, hashing: TextHashing) -> npt.NDArray[np.bool_]:
    """Which of ``columns`` hold words or word pairs (the rest hold character n-grams)."""
    return columns >= (1 << (hashing.bits - 1))


def ngram_counts(text: str, hashing: TextHashing) -> tuple[IntArray, FloatArray]:
    """Distinct columns of ``text``'s hashed units, sorted, with how often each occurs."""
    columns, counts = np.unique(ngram_columns(text, hashing), return_counts=True)
    return columns.astype(np.int64), counts.astype(np.float64)


def finding_feature_names(flag_codes: Sequence[str]) -> tuple[str, ...]:
    """Names of the dense features built from a finding, in column order."""
    names = [f"indicator:{kind}" for kind in INDICATOR_KINDS]
    names.append("indicators:log_count")
    names += [f"pay_usd_month>={low:g}" for low in PAY_BANDS]
    names += ["flags:weight_sum", "flags:log_count"]
    names += [f"flag:{code}" for code in flag_codes]
    return tuple(names)


def finding_features(finding: Finding, flag_codes: Sequence[str]) -> FloatArray:
    """The dense feature vector of ``finding`` (see :func:`finding_feature_names`).

    Indicator kinds and known flag codes are 0/1; the pay bands are 0/1 for the
    highest monthly pay in US dollars; counts are ``log(1 + n)``.
    """
    kinds = {ind.kind for ind in finding.indicators}
    values = [1.0 if kind in kinds else 0.0 for kind in INDICATOR_KINDS]
    values.append(math.log1p(len(finding.indicators)))
    pay = max(
        (_usd_per_month(ind.attrs.get("usd_per_month")) for ind in finding.indicators),
        default=0.0,
    )
    values += [1.0 if pay >= low else 0.0 for low in PAY_BANDS]
    values.append(sum(max(0.0, flag.weight) for flag in finding.flags))
    values.append(math.log1p(len(finding.flags)))
    codes = {flag.code for flag in finding.flags}
    values += [1.0 if code in codes else 0.0 for code in flag_codes]
    return np.asarray(values, dtype=np.float64)


def _usd_per_month(value: object) -> float:
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return 0.0
