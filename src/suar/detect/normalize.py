"""Text normalisation before matching, keeping a map back to the original.

Matchers work on :attr:`NormalizedText.text`, where Unicode is NFKC-folded
(full-width forms, ligatures, circled and mathematical digits), invisible
characters (zero-width spaces and joiners, soft hyphens, bidi controls,
variation selectors, Hangul fillers) are removed, decimal digits of every
script (Thai, Khmer, Lao, Burmese, ...) become ASCII digits, and Burmese typed
in the Zawgyi legacy encoding is converted to Unicode.

Every character of the normalised text remembers the grapheme (or the
converted Zawgyi segment) of the original it came from, so a match found at
``[a, b)`` in the normalised text maps back with :meth:`NormalizedText.to_original`
to a span of the original whose text is the evidence shown to the analyst.
Most posts need none of this: they take a fast path in which the normalised
text *is* the original and the map is the identity.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import regex

from suar.domain import Span

# Characters removed before matching. \p{Cf} covers zero-width space and
# joiners, bidi controls, word joiner, soft hyphen, BOM and tag characters;
# the rest are invisible characters of other categories used to split words.
_INVISIBLE_CLASS = (
    r"\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
    r"\U000e0100-\U000e01ef"
)
_INVISIBLE = regex.compile(f"[{_INVISIBLE_CLASS}]+")
# Characters that normalisation may change: NFKC quick-check No or Maybe, the
# invisible ones, and decimal digits other than ASCII.
_DIRTY = regex.compile(
    f"[{_INVISIBLE_CLASS}\\p{{NFKC_Quick_Check=No}}\\p{{NFKC_Quick_Check=Maybe}}]|(?![0-9])\\p{{Nd}}"
)
# NFKC splits Thai and Lao SARA AM into NIKHAHIT + SARA AA; every keyboard
# types the single character and the vocabularies are written with it, so keep it.
_KEEP: Final = frozenset("\u0e33\u0eb3")
_RECOMPOSE: Final = (("\u0e4d\u0e32", "\u0e33"), ("\u0ecd\u0eb2", "\u0eb3"))
# Graphemes longer than this are split when searched from inside (only in hostile text).
_LOOKBACK = 32
_NON_ASCII_DIGIT = regex.compile(r"(?![0-9])\p{Nd}")
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)
_MYANMAR_RUN = regex.compile(r"[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]+")
_MYANMAR_CHAR = regex.compile(r"[\u1000-\u109f]")

#: Probability above which a Burmese text is taken to be Zawgyi.
ZAWGYI_THRESHOLD = 0.95
_ZAWGYI_SAMPLE = 400


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A text ready for matching, with the way back to the original.

    The map is run-length: ``segments`` lists, in order, ``(norm_start,
    orig_start, orig_end, copied)`` for each stretch of the normalised text.
    A copied stretch is the original unchanged (character ``i`` came from
    ``orig_start + i - norm_start``); any other stretch is the folding of one
    grapheme, and each of its characters came from ``[orig_start, orig_end)``.
    """

    original: str
    text: str
    #: ``None`` when ``text`` is the original unchanged
    segments: tuple[tuple[int, int, int, bool], ...] | None = None
    zawgyi: bool = False

    @property
    def is_identity(self) -> bool:
        return self.segments is None

    def _origin(self, index: int) -> tuple[int, int]:
        assert self.segments is not None
        segments = self.segments
        k = bisect_right(segments, index, key=_norm_start) - 1
        norm_start, orig_start, orig_end, copied = segments[k]
        if copied:
            at = orig_start + index - norm_start
            return at, at + 1
        return orig_start, orig_end

    def to_original(self, start: int, end: int) -> Span:
        """Map a half-open span of the normalised text to one of the original.

        The result always covers whole graphemes of the original, so the
        evidence ``original[s:e]`` shows every character that produced the match.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {(start, end)} outside the normalised text")
        if self.segments is None:
            return (start, end)
        return (self._origin(start)[0], self._origin(end - 1)[1])

    def evidence(self, start: int, end: int) -> str:
        """The original text behind a span of the normalised text."""
        s, e = self.to_original(start, end)
        return self.original[s:e]


def _norm_start(segment: tuple[int, int, int, bool]) -> int:
    return segment[0]


def _ascii_digit(match: regex.Match[str]) -> str:
    # The regex module may know digits newer than this Python's Unicode database.
    value = unicodedata.decimal(match.group(), None)
    return match.group() if value is None else str(value)


@lru_cache(maxsize=2048)
def _fold_piece(piece: str) -> str:
    """The normalised form of one grapheme (remembered: the same few recur in every post)."""
    piece = _INVISIBLE.sub("", piece)
    if not piece:
        return piece
    piece = unicodedata.normalize("NFKC", piece)
    for decomposed, kept in _RECOMPOSE:
        piece = piece.replace(decomposed, kept)
    if not piece.isascii():
        piece = _NON_ASCII_DIGIT.sub(_ascii_digit, piece)
        # NFKC can produce new invisible characters (rare, e.g. from compat forms).
        piece = _INVISIBLE.sub("", piece)
    return piece


def is_zawgyi(text: str) -> bool:
    """Whether Burmese text in ``text`` is typed in the Zawgyi legacy encoding."""
    if _MYANMAR_CHAR.search(text) is None:
        return False
    from suar.detect.zawgyi import zawgyi_probability

    runs = " ".join(m.group() for m in _MYANMAR_RUN.finditer(text))
    # The verdict settles well within a few hundred characters.
    return zawgyi_probability(runs[:_ZAWGYI_SAMPLE]) >= ZAWGYI_THRESHOLD


def _segments(text: str, zawgyi: bool) -> Iterator[tuple[int, int, str]]:
    """Cut the original into (start, end, piece) segments that fold independently."""
    if not zawgyi:
        for m in _GRAPHEME.finditer(text):
            yield m.start(), m.end(), m.group()
        return
    from suar.detect.zawgyi import convert_segments

    pos = 0
    for run in _MYANMAR_RUN.finditer(text):
        for m in _GRAPHEME.finditer(text, pos, run.start()):
            yield m.start(), m.end(), m.group()
        for s, e, piece in convert_segments(run.group()):
            yield run.start() + s, run.start() + e, piece
        pos = run.end()
    for m in _GRAPHEME.finditer(text, pos):
        yield m.start(), m.end(), m.group()


class _Builder:
    """Collects the normalised text and its run-length map."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, int, bool]] = []
        self.length = 0

    def copy(self, text: str, start: int, end: int) -> None:
        if start < end:
            self.segments.append((self.length, start, end, True))
            self.parts.append(text[start:end])
            self.length += end - start

    def fold(self, piece: str, start: int, end: int) -> None:
        folded = _fold_piece(piece)
        if folded:
            self.segments.append((self.length, start, end, False))
            self.parts.append(folded)
            self.length += len(folded)


# Characters already classified: normalisation may change them, or it never does.
_KNOWN_DIRTY: set[str] = set()
_KNOWN_CLEAN: set[str] = set()


def _dirty_chars(text: str) -> frozenset[str]:
    """The distinct characters of ``text`` that normalisation may change.

    Asking the Unicode properties of each distinct character once (and
    remembering the answer) is far cheaper than a property class scanned
    over every character of every post; set operations do the rest.
    """
    chars = set(text)
    unknown = chars - _KNOWN_CLEAN - _KNOWN_DIRTY
    for char in unknown:
        dirty = char not in _KEEP and _DIRTY.match(char) is not None
        (_KNOWN_DIRTY if dirty else _KNOWN_CLEAN).add(char)
    return frozenset(chars & _KNOWN_DIRTY)


@lru_cache(maxsize=4096)
def _dirty_pattern(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


# Grapheme_Cluster_Break values that join a character to the one before it, and
# those that join it to the one after (GB9, GB9a, GB9b, GB11–13, GB3, GB6–8).
_JOINS_BEFORE = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]")
_JOINS_AFTER = regex.compile(
    r"[\p{GCB=Prepend}\p{GCB=ZWJ}\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}"
    r"\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}\r]"
)
_BREAK_CACHE: dict[tuple[str, str], bool] = {}


def _breaks_between(before: str, after: str) -> bool:
    """Whether a grapheme boundary surely lies between ``before`` and ``after``.

    False means "not sure", never "no": only the rules that need no further
    context are asked.
    """
    key = (before, after)
    sure = _BREAK_CACHE.get(key)
    if sure is None:
        sure = _JOINS_AFTER.match(before) is None and _JOINS_BEFORE.match(after) is None
        if len(_BREAK_CACHE) < 4_096:
            _BREAK_CACHE[key] = sure
    return sure


def _grapheme_at(text: str, index: int, floor: int) -> tuple[int, int]:
    """The grapheme of ``text`` holding ``index``, searched from a little before it."""
    if index == floor or _breaks_between(text[index - 1], text[index]):
        m = _GRAPHEME.match(text, index)
        if m is not None:
            return m.span()
    for m in _GRAPHEME.finditer(text, max(floor, index - _LOOKBACK)):
        if m.end() > index:
            return m.span()
    return index, index + 1  # pragma: no cover - \X always covers every index


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching; see the module docstring for what changes.

    Only the graphemes that hold a character NFKC could change, an invisible
    character or a non-ASCII digit are folded; everything between them is
    copied, so the cost follows the number of such characters, not the length.
    """
    if text.isascii():
        return NormalizedText(original=text, text=text)
    zawgyi = is_zawgyi(text)
    out = _Builder()
    if zawgyi:
        for start, end, piece in _segments(text, zawgyi):
            out.fold(piece, start, end)
    else:
        dirty = _dirty_chars(text)
        if not dirty:
            return NormalizedText(original=text, text=text)
        pos = 0
        for m in _dirty_pattern(dirty).finditer(text):
            if m.start() < pos:
                continue
            start, end = _grapheme_at(text, m.start(), pos)
            out.copy(text, pos, start)
            out.fold(text[start:end], start, end)
            pos = end
        if pos == 0 and not out.segments:
            return NormalizedText(original=text, text=text)
        out.copy(text, pos, len(text))
    return NormalizedText(
        original=text, text="".join(out.parts), segments=tuple(out.segments), zawgyi=zawgyi
    )


def fold(text: str) -> str:
    """The normalised form of ``text`` alone: use it on vocabularies so they match posts."""
    return normalize(text).text
