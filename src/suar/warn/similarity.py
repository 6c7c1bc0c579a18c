"""Near-duplicate fingerprints: MinHash signatures over normalised shingles, and LSH bands.

A post's text is normalised (:func:`suar.detect.normalize`), case-folded,
its whitespace collapsed and every digit masked (recruiters change phone
numbers and salaries between copies of one ad), then cut into overlapping
character 5-grams — words are not used because Thai, Khmer, Burmese, Lao,
Chinese and Japanese are written without spaces. The set of 5-grams is
summarised by a 64-value MinHash (datasketch), whose values agree in
proportion to the Jaccard similarity of two posts' 5-gram sets.

Banding (16 bands of 4 rows) turns a signature into 16 bucket keys; two posts
that share any key are candidates, verified against :data:`JACCARD_THRESHOLD`.
With b = 16 and r = 4 the probability that two posts become candidates is
1 - (1 - s^4)^16: 0.65 at s = 0.5, 0.96 at s = 0.7, 0.05 at s = 0.2 — the
curve's midpoint sits near the threshold. The keys are plain 63-bit integers
so that the index can live in any SQL database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt
import regex
from datasketch import MinHash

from suar.detect import normalize

NUM_PERM: Final = 64
BANDS: Final = 16
ROWS: Final = NUM_PERM // BANDS
SHINGLE: Final = 5
#: Estimated Jaccard similarity of 5-gram sets above which two posts are near-duplicates.
JACCARD_THRESHOLD: Final = 0.5
#: Posts shorter than this (after normalisation) get no fingerprint: too little to compare.
MIN_CHARS: Final = 40
SEED: Final = 20231

_SPACE = regex.compile(r"\s+")
_DIGIT = regex.compile(r"\d")
_MASK32: Final = np.uint64(0xFFFFFFFF)
_MULT: Final = np.uint64(0x9E3779B97F4A7C15)


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """A MinHash whose permutations every fingerprint reuses (drawing them is costly)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity)


def shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """The distinct 32-bit hashes of the text's normalised character 5-grams."""
    folded = _DIGIT.sub("0", _SPACE.sub(" ", normalize(text).text.casefold())).strip()
    if len(folded) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    points = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(points) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):  # polynomial hash of each window, wrapping at 2^64
        h = h * _MULT + points[i : i + n]
    h ^= h >> np.uint64(29)
    h *= _MULT
    h ^= h >> np.uint64(32)
    return np.unique(h & _MASK32)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A post's MinHash signature and its LSH bucket keys."""

    signature: npt.NDArray[np.uint32]
    bands: tuple[int, ...]

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        signature = np.frombuffer(data, dtype="<u4").astype(np.uint32)
        if signature.shape != (NUM_PERM,):
            raise ValueError(f"a fingerprint holds {NUM_PERM} values, not {signature.shape}")
        return cls(signature=signature, bands=band_keys(signature))

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two posts' 5-gram sets."""
        return float(np.count_nonzero(self.signature == other.signature)) / NUM_PERM


def band_keys(signature: npt.NDArray[np.uint32]) -> tuple[int, ...]:
    """One 63-bit key per band: equal keys mean the band's rows are all equal."""
    raw = signature.astype("<u4").tobytes()
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            raw[band * width : (band + 1) * width], digest_size=8, person=b"suar-lsh"
        ).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return tuple(keys)


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a post, or None when the text is too short to compare."""
    hashes = shingle_hashes(text)
    if len(hashes) < MIN_CHARS - SHINGLE + 1:
        return None
    template = _template()
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=_identity,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    minhash.update_batch(hashes.tolist())
    signature = np.asarray(minhash.hashvalues, dtype=np.uint64).astype(np.uint32)
    return Fingerprint(signature=signature, bands=band_keys(signature))
