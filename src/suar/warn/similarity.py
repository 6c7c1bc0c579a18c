"""Near-duplicate fingerprints: MinHash signatures over normalised shingles, and LSH bands.

A post's text is folded for comparison (:func:`fold`): NFKC, invisible
characters removed, Zawgyi-encoded Burmese converted (through
:func:`suar.detect.normalize`, only when the text holds Burmese letters),
case-folded, whitespace collapsed and every digit masked (recruiters change
phone numbers and salaries between copies of one ad). It is then cut into
overlapping character 5-grams — words are not used because Thai, Khmer,
Burmese, Lao, Chinese and Japanese are written without spaces. The set of
5-grams is summarised by a 64-value MinHash whose values agree in proportion
to the Jaccard similarity of two posts' 5-gram sets. Each of the 64 hash
functions is Dietzfelbinger's multiply-shift ``(a·x + b) mod 2^64 >> 32`` over
the 32-bit shingle hashes, computed for all shingles at once with numpy.

Banding (12 bands of 5 rows, the first 60 values) turns a signature into 12
bucket keys; two posts that share any key are candidates, verified against
:data:`JACCARD_THRESHOLD` (0.7). The probability that two posts become
candidates is 1 - (1 - s^5)^12: 0.89 at s = 0.7, 0.99 at s = 0.8, but only
0.03 at s = 0.3 and 0.004 at s = 0.2, where most unrelated posts in one
language lie: with 4 rows a band (16 bands) a post would share a band with one
in forty unrelated posts, and a large index would drown every look-up in
candidates. docs/campaigns.md gives the reasons for 0.7 (measured on real job
ads: below it, most pairs are different employers sharing a job board's
boilerplate) and for the curve. The keys are plain 63-bit integers so that the
index can live in any SQL database.

Signatures made by one :data:`FINGERPRINT_VERSION` are only comparable with
signatures of the same version: bump it whenever anything here changes what a
text fingerprints to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt
import regex

from suar.detect import normalize
from suar.detect.normalize import is_zawgyi

#: Changes whenever a text's fingerprint changes; stored signatures carry it implicitly.
FINGERPRINT_VERSION: Final = 3
NUM_PERM: Final = 64
BANDS: Final = 12
ROWS: Final = 5
SHINGLE: Final = 5
#: Estimated Jaccard similarity of 5-gram sets from which two posts are near-duplicates.
JACCARD_THRESHOLD: Final = 0.7
#: Posts shorter than this (after folding) get no fingerprint: too little to compare.
MIN_CHARS: Final = 40
SEED: Final = 20231
#: 5-grams whose signatures are taken together (64 values each: 2 MB of uint64, cache-sized).
_BLOCK: Final = 4096

# The standard library's \d also matches every script's decimal digits, and is faster.
_DIGIT = re.compile(r"\d")
_BURMESE = regex.compile(r"[\u1000-\u109f]")
# Code points that Zawgyi text almost always uses and Unicode Burmese seldom does
# (Zawgyi puts stacked and medial forms there): only then is the costly detector asked.
_ZAWGYI_HINT = regex.compile(r"[\u105a\u1060-\u1097]")
_INVISIBLE = regex.compile(
    r"[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
    r"\U000e0100-\U000e01ef]+"
)
_MASK32: Final = np.uint64(0xFFFFFFFF)
_MULT: Final = np.uint64(0x9E3779B97F4A7C15)
_SHIFT: Final = np.uint64(32)
_MIX1: Final = np.uint64(0xBF58476D1CE4E5B9)
_MIX2: Final = np.uint64(0x94D049BB133111EB)
#: One salt per band (from "Suar LSH"), so that equal rows in two bands give two keys.
_BAND_SALTS: Final = (
    np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
) ^ np.uint64(0x5375617220534853)


@lru_cache(maxsize=1)
def _hash_functions() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The 64 multiply-shift hash functions: odd multipliers ``a`` and offsets ``b``."""
    rng = np.random.default_rng(SEED)
    top = np.iinfo(np.uint64).max
    a = rng.integers(1, top, size=NUM_PERM, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, top, size=NUM_PERM, dtype=np.uint64, endpoint=True)
    return a, b


def fold(text: str) -> str:
    """The text as fingerprints compare it: folded, case-folded, spaces collapsed, digits masked.

    Cheaper than :func:`suar.detect.normalize`, which also keeps a map back
    to the original (not needed here); Burmese typed in Zawgyi still goes
    through it, because only it converts Zawgyi to Unicode.
    """
    if _BURMESE.search(text) and _ZAWGYI_HINT.search(text) and is_zawgyi(text):
        base = normalize(text).text
    else:
        base = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _DIGIT.sub("0", " ".join(base.casefold().split()))


def _window_hashes(folded: str) -> npt.NDArray[np.uint64]:
    """32-bit hashes of every character 5-gram of ``folded``, repeats included."""
    if len(folded) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    points = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    return _hash_windows(points.astype(np.uint64))


def _hash_windows(points: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """32-bit hashes of the 5-grams of code points starting at each position that has one."""
    n = len(points) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):  # polynomial hash of each window, wrapping at 2^64
        h = h * _MULT + points[i : i + n]
    h ^= h >> np.uint64(29)
    h *= _MULT
    h ^= h >> _SHIFT
    return h & _MASK32


def shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """The distinct 32-bit hashes of the text's folded character 5-grams."""
    return np.unique(_window_hashes(fold(text)))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A post's MinHash signature and its LSH bucket keys."""

    signature: npt.NDArray[np.uint32]
    bands: tuple[int, ...]

    def to_bytes(self) -> bytes:
        """The signature as 256 little-endian bytes, as the database stores it."""
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Read a signature written by :meth:`to_bytes`; ``ValueError`` when it is not one."""
        signature = np.frombuffer(data, dtype="<u4").astype(np.uint32)
        if signature.shape != (NUM_PERM,):
            raise ValueError(f"a fingerprint holds {NUM_PERM} values, not {signature.shape}")
        return cls(signature=signature, bands=band_keys(signature))

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two posts' 5-gram sets."""
        return signature_similarity(self.signature, other.signature)


def signature_similarity(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float:
    """Share of equal values in two signatures: the estimated Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_keys(signature: npt.NDArray[np.uint32]) -> tuple[int, ...]:
    """One 63-bit key per band: equal keys mean the band's rows are all equal.

    Each band's five values and its number are mixed with the splitmix64
    finaliser: a collision between two different bands of rows is as rare as
    for any 63-bit hash, and verification catches it anyway.
    """
    return tuple(_band_matrix(signature.reshape(1, NUM_PERM))[0].tolist())


def _band_matrix(signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """The band keys of many signatures at once: (n, 64) values to (n, 12) keys."""
    rows = signatures[:, : BANDS * ROWS].astype(np.uint64).reshape(-1, BANDS, ROWS)
    h = np.broadcast_to(_BAND_SALTS, rows.shape[:2]).copy()
    for i in range(ROWS):
        h ^= rows[:, :, i]
        h *= _MIX1
        h ^= h >> np.uint64(31)
    h *= _MIX2
    h ^= h >> _SHIFT
    keys: npt.NDArray[np.uint64] = h >> np.uint64(1)
    return keys


def signature_of(hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """The MinHash signature of a non-empty set (or list) of 32-bit shingle hashes."""
    signature: npt.NDArray[np.uint32] = _minima(hashes, np.zeros(1, dtype=np.int64))[0]
    return signature


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a post, or None when the text is too short to compare."""
    return fingerprints([text])[0]


def fingerprints(texts: Sequence[str]) -> list[Fingerprint | None]:
    """:func:`fingerprint` of each text, computed together: the same values, much faster.

    The texts' 5-grams are hashed in one pass over all of them, and their
    signatures taken a block of posts at a time (:data:`_BLOCK` 5-grams), so
    that the cost is numpy's arithmetic, not a few dozen calls per post.
    """
    folded = [fold(text) for text in texts]
    kept = [i for i, f in enumerate(folded) if len(f) >= MIN_CHARS]
    out: list[Fingerprint | None] = [None] * len(texts)
    if not kept:
        return out
    lengths = np.array([len(folded[i]) for i in kept], dtype=np.int64)
    points = np.frombuffer("".join(folded[i] for i in kept).encode("utf-32-le"), dtype=np.uint32)
    hashes = _hash_windows(points.astype(np.uint64))
    # A window starting in the last four characters of a post runs into the next one.
    ends = np.cumsum(lengths)
    valid = np.ones(len(points), dtype=bool)
    for back in range(1, SHINGLE):
        valid[ends - back] = False
    hashes = hashes[valid[: len(hashes)]]
    counts = lengths - (SHINGLE - 1)
    signatures = np.empty((len(kept), NUM_PERM), dtype=np.uint32)
    starts = np.concatenate(([0], np.cumsum(counts)))
    first = 0
    while first < len(kept):
        last = int(np.searchsorted(starts, starts[first] + _BLOCK, side="right")) - 1
        last = max(last, first + 1)  # one long post alone may exceed a block
        block = hashes[starts[first] : starts[last]]
        signatures[first:last] = _minima(block, starts[first:last] - starts[first])
        first = last
    keys = _band_matrix(signatures)
    for row, (i, key_row) in enumerate(zip(kept, keys.tolist(), strict=True)):
        out[i] = Fingerprint(signature=signatures[row], bands=tuple(key_row))
    return out


def _minima(
    hashes: npt.NDArray[np.uint64], starts: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint32]:
    """The MinHash signature of each run of ``hashes`` beginning at ``starts``."""
    a, b = _hash_functions()
    # (64,) x (n,) -> (64, n), each function's values contiguous for the minima;
    # uint64 arithmetic wraps modulo 2^64, as the scheme wants.
    values = np.multiply.outer(a, hashes)
    values += b[:, None]
    # The shift is monotone, so it can follow the minimum instead of preceding it.
    minima: npt.NDArray[np.uint32] = (
        np.minimum.reduceat(values, starts, axis=1).T >> _SHIFT
    ).astype(np.uint32)
    return minima
