"""Red-flag phrases found in a post, in every covered language at once.

Recruiters disguise the words filters look for: ``t e l e g r a m``, ``g@ji``,
``ga🔥ji``, ``vi ệc nhẹ lương cao``, Vietnamese typed without its diacritics.
Rather than fuzzy-matching every phrase, the text is seen through one
*squeezed* view: every character folded (lower case, Latin letters without
diacritics, Cyrillic and Greek look-alikes as Latin letters, ``@``/``3``/``$``
between letters read as ``a``/``e``/``s``), then everything that is not a
letter dropped, with a map from each kept letter back to its position. Every
phrase of every pack is squeezed the same way and goes into one Aho-Corasick
automaton (built on first use), which scans the view once; scripts written
without spaces need no word splitter.

Squeezing also joins words, so a match is kept only when it still reads as the
phrase: a phrase in Latin letters must start and end at word boundaries, and
span as many words as the phrase has, or be spelled out letter by letter, or be
long enough (8 letters or more) that an accidental match is implausible. When
matches nest, the longest wins, so a context phrase such as "no placement fee"
cancels the "placement fee" inside it. Spans map back through
:meth:`NormalizedText.to_original`, so a hit's evidence is exactly the text
the analyst sees.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import ahocorasick
import numpy as np
import numpy.typing as npt

from suar.detect.normalize import NormalizedText
from suar.detect.vocabulary import Phrase, all_phrases
from suar.domain import Span
from suar.errors import DataError

logger = logging.getLogger(__name__)

_BMP: Final = 0x10000
#: Squeezed Latin keys at least this long may match across any spacing.
LONG_KEY: Final = 8
_MIN_LATIN_KEY: Final = 3
_MIN_OTHER_KEY: Final = 2

# Look-alike letters of other scripts typed inside Latin words.
_CONFUSABLES: Final = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ɡ": "g", "ο": "o", "α": "a", "ε": "e", "ι": "i",
    "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ı": "i",
}  # fmt: skip
# Latin letters whose base letter NFD does not expose.
_LATIN_EXTRA: Final = {"đ": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "ß": "s"}
# Symbols and digits typed for a letter inside a word ("g@ji", "t3legram", "c@$ino"):
# one or two of them with a letter on both sides, so that "1000", "24/7" and "RM500" stay.
_LEET: Final = {"@": "a", "4": "a", "3": "e", "1": "i", "0": "o", "$": "s", "5": "s", "7": "t"}


@dataclass(frozen=True, slots=True)
class _Tables:
    """Per-code-point lookup tables (Basic Multilingual Plane; other planes are not letters).

    ``fold`` gives the folded letter of each code point, or 0 when it is not a
    letter or mark, so one lookup both folds and filters.
    """

    fold: npt.NDArray[np.uint32]
    fold8: npt.NDArray[np.uint8]
    latin: npt.NDArray[np.bool_]


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low in _CONFUSABLES:
        return _CONFUSABLES[low]
    if low in _LATIN_EXTRA:
        return _LATIN_EXTRA[low]
    if "\u00c0" <= low <= "\u024f" or "\u1e00" <= low <= "\u1eff":
        base = unicodedata.normalize("NFD", low)[0]
        if base.isascii() and base.isalpha():
            return base
    return low


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and (
        ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"
    )


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    fold = np.zeros(_BMP, dtype=np.uint32)
    latin = np.zeros(_BMP, dtype=np.bool_)
    for cp in range(_BMP):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.category(ch)[0] in "LM":
            folded = _fold_char(ch)
            fold[cp] = ord(folded)
            if ord(folded) < _BMP:
                latin[ord(folded)] = _is_latin(folded)
    return _Tables(
        fold=fold,
        fold8=fold[:128].astype(np.uint8),
        latin=latin,
    )


def _ranges(mask: npt.NDArray[np.bool_]) -> str:
    """A regular-expression character class body for the code points set in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    parts = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        last = end - 1
        parts.append(re.escape(chr(start)) + ("" if last == start else "-" + re.escape(chr(last))))
    return "".join(parts)


@lru_cache(maxsize=1)
def _stand_in_pattern() -> re.Pattern[str]:
    """One or two stand-ins followed by a letter (the letter before is checked apart)."""
    letter = _ranges(_tables().fold != 0)
    stand = "".join(re.escape(symbol) for symbol in _LEET)
    return re.compile(f"[{stand}]{{1,2}}(?=[{letter}])")


def _read_stand_ins(text: str, folded: npt.NDArray[Any]) -> None:
    """Fold, in place, the stand-ins that sit inside a word into the letters they stand for.

    One or two stand-ins with a letter on both sides: ``g@ji``, ``c@$ino``.
    """
    for m in _stand_in_pattern().finditer(text):
        start, end = m.span()
        if start and folded[start - 1]:
            for index in range(start, end):
                folded[index] = ord(_LEET[text[index]])


def code_points(text: str) -> npt.NDArray[np.uint32]:
    """The code points of ``text`` as an array, one per character (no copy of the data)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def letter_table() -> npt.NDArray[np.bool_]:
    """For each code point of the Basic Multilingual Plane, whether it is a letter or a mark."""
    return _letter_mask()


@lru_cache(maxsize=1)
def _letter_mask() -> npt.NDArray[np.bool_]:
    letters: npt.NDArray[np.bool_] = _tables().fold != 0
    return letters


@dataclass(frozen=True, slots=True)
class _View:
    """The squeezed letters of a text, with each letter's position in that text."""

    squeezed: str
    positions: npt.NDArray[np.intp]
    #: per position of the text: non-zero when it holds a Latin letter (once folded)
    latin: bytes


def _view(text: str) -> _View:
    tables = _tables()
    folded: npt.NDArray[Any]
    if text.isascii():
        folded = tables.fold8[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
        _read_stand_ins(text, folded)
        positions = np.flatnonzero(folded)
        squeezed = folded[positions].tobytes().decode("ascii")
        latin = folded.astype(np.bool_).tobytes()
    else:
        folded = tables.fold[np.minimum(code_points(text), _BMP - 1)]
        _read_stand_ins(text, folded)
        positions = np.flatnonzero(folded)
        squeezed = folded[positions].astype("<u4").tobytes().decode("utf-32-le")
        latin = tables.latin[folded].tobytes()
    return _View(squeezed=squeezed, positions=positions, latin=latin)


def squeeze(text: str) -> str:
    """The squeezed form of ``text``: folded letters only (see the module docstring)."""
    return _view(text).squeezed


@dataclass(frozen=True, slots=True)
class _Entry:
    phrase: Phrase
    length: int
    words: int
    latin_start: bool
    latin_end: bool
    all_latin: bool
    exact_key: str | None


def _letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LM")


def _entry(phrase: Phrase) -> tuple[str, _Entry]:
    key = squeeze(phrase.text)
    latin = [_is_latin(c) for c in key]
    minimum = _MIN_LATIN_KEY if any(latin) else _MIN_OTHER_KEY
    if len(key) < minimum:
        raise DataError(
            f"flag pack {phrase.lang}: {phrase.code}: {phrase.text!r} has too few letters to match"
        )
    return key, _Entry(
        phrase=phrase,
        length=len(key),
        words=len(phrase.text.split()),
        latin_start=latin[0],
        latin_end=latin[-1],
        all_latin=all(latin),
        exact_key=_letters(phrase.text.lower()) if phrase.exact else None,
    )


@lru_cache(maxsize=1)
def _automaton() -> Any:
    merged: dict[str, dict[tuple[str, str | None, str | None], _Entry]] = {}
    for phrase in all_phrases():
        key, entry = _entry(phrase)
        slot = (phrase.code, phrase.country, entry.exact_key)
        same = merged.setdefault(key, {})
        previous = same.get(slot)
        if previous is None or (phrase.strong and not previous.phrase.strong):
            same[slot] = entry
    automaton = ahocorasick.Automaton()
    for key, entries in merged.items():
        automaton.add_word(key, tuple(entries.values()))
    automaton.make_automaton()
    logger.debug("red-flag automaton: %d keys", len(merged))
    return automaton


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase of a pack found in a post; ``span`` indexes the original text."""

    code: str
    span: Span
    evidence: str
    phrase: Phrase

    @property
    def is_context(self) -> bool:
        """Whether this hit only informs scoring and is never shown as a red flag."""
        return self.phrase.is_context


def _reads_as_phrase(text: str, start: int, end: int, entry: _Entry) -> bool:
    """Whether a squeezed Latin match spans its words as a person would read them."""
    chunks = len(text[start:end].split())
    return chunks == entry.words or chunks == entry.length or entry.length >= LONG_KEY


def _candidates(text: str, view: _View) -> Iterable[tuple[int, int, _Entry]]:
    positions = view.positions
    latin = view.latin
    size = len(text)
    for last, entries in _automaton().iter(view.squeezed):
        first_entry: _Entry = entries[0]  # entries share the key: its length and its edges
        first = last - first_entry.length + 1
        start = int(positions[first])
        end = int(positions[last]) + 1
        if first_entry.latin_start and start > 0 and latin[start - 1]:
            continue
        if first_entry.latin_end and end < size and latin[end]:
            continue
        exact: str | None = None
        for entry in entries:
            if entry.all_latin and not _reads_as_phrase(text, start, end, entry):
                continue
            if entry.exact_key is not None:
                if exact is None:
                    exact = "".join([text[i] for i in positions[first : last + 1].tolist()]).lower()
                if exact != entry.exact_key:
                    continue
            yield start, end, entry


def _loose(text: str, start: int, end: int, entry: _Entry) -> bool:
    """Whether a match reads across more spaces than its phrase has (squeezed across words)."""
    return len(text[start:end].split()) > entry.words


def _tightest(text: str, found: list[tuple[int, int, _Entry]]) -> list[tuple[int, int, _Entry]]:
    """Drop loose matches that straddle a match read as written ("ທີ່ພັກ[ຟຣີ ປີ້ຍົນ]ຟຣີ").

    A loose match that wholly contains a tight one stays: "งานส บายรายได้สูง" is
    the phrase with a space typed inside it, not two phrases run together.
    """
    loose = [_loose(text, s, e, entry) for s, e, entry in found]
    if not any(loose):
        return found
    tight = [(s, e) for (s, e, _), lo in zip(found, loose, strict=True) if not lo]
    return [
        m
        for m, lo in zip(found, loose, strict=True)
        if not lo or not any(s < m[1] and m[0] < e and not m[0] <= s < e <= m[1] for s, e in tight)
    ]


def _outermost(found: list[tuple[int, int, _Entry]]) -> list[tuple[int, int, _Entry]]:
    """Drop every match that lies inside a longer one; equal spans all stay."""
    found.sort(key=lambda m: (m[0], -m[1]))
    kept: list[tuple[int, int, _Entry]] = []
    cover_start, cover_end = -1, -1
    for start, end, entry in found:
        if end <= cover_end and (start, end) != (cover_start, cover_end):
            continue
        if end > cover_end:
            cover_start, cover_end = start, end
        kept.append((start, end, entry))
    return kept


def find_hits(nt: NormalizedText) -> tuple[Hit, ...]:
    """Every red-flag and context phrase of every pack found in ``nt``, in text order.

    Spans index ``nt.original`` and each hit's evidence is ``original[start:end]``.
    One span may carry several codes; a phrase inside a longer match is dropped.
    """
    text = nt.text
    if not text:
        return ()
    view = _view(text)
    if not view.squeezed:
        return ()
    found = list(_candidates(text, view))
    if not found:
        return ()
    hits: list[Hit] = []
    seen: set[tuple[int, int, str]] = set()
    for start, end, entry in _outermost(_tightest(text, found)):
        key = (start, end, entry.phrase.code)
        if key in seen:
            continue
        seen.add(key)
        span = nt.to_original(start, end)
        hits.append(Hit(entry.phrase.code, span, nt.original[span[0] : span[1]], entry.phrase))
    return tuple(hits)
