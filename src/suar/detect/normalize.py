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

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
# Anything that sends a text down the slow path besides non-NFKC text.
_SPECIAL = regex.compile(f"[{_INVISIBLE_CLASS}]|(?![0-9])\\p{{Nd}}")
_NON_ASCII_DIGIT = regex.compile(r"(?![0-9])\p{Nd}")
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)
_MYANMAR_RUN = regex.compile(r"[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]+")
_MYANMAR_CHAR = regex.compile(r"[\u1000-\u109f]")

#: Probability above which a Burmese text is taken to be Zawgyi.
ZAWGYI_THRESHOLD = 0.95
_ZAWGYI_SAMPLE = 400


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A text ready for matching, with the way back to the original."""

    original: str
    text: str
    #: for each character of ``text``, the original span it came from;
    #: ``None`` when ``text`` is the original unchanged
    starts: Sequence[int] | None = None
    ends: Sequence[int] | None = None
    zawgyi: bool = False

    @property
    def is_identity(self) -> bool:
        return self.starts is None

    def to_original(self, start: int, end: int) -> Span:
        """Map a half-open span of the normalised text to one of the original.

        The result always covers whole graphemes of the original, so the
        evidence ``original[s:e]`` shows every character that produced the match.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {(start, end)} outside the normalised text")
        if self.starts is None or self.ends is None:
            return (start, end)
        return (self.starts[start], self.ends[end - 1])

    def evidence(self, start: int, end: int) -> str:
        """The original text behind a span of the normalised text."""
        s, e = self.to_original(start, end)
        return self.original[s:e]


def _ascii_digit(match: regex.Match[str]) -> str:
    # The regex module may know digits newer than this Python's Unicode database.
    value = unicodedata.decimal(match.group(), None)
    return match.group() if value is None else str(value)


def _fold_piece(piece: str) -> str:
    piece = _INVISIBLE.sub("", piece)
    if not piece:
        return piece
    piece = unicodedata.normalize("NFKC", piece)
    if not piece.isascii():
        piece = _NON_ASCII_DIGIT.sub(_ascii_digit, piece)
        # NFKC can produce new invisible characters (rare, e.g. from compat forms).
        piece = _INVISIBLE.sub("", piece)
    return piece


def _needs_work(text: str) -> bool:
    if text.isascii():
        return False
    if not unicodedata.is_normalized("NFKC", text):
        return True
    return _SPECIAL.search(text) is not None


@lru_cache(maxsize=1)
def _zawgyi_detector() -> Callable[[str], float]:
    from myanmartools import ZawgyiDetector

    detector = ZawgyiDetector()
    return detector.get_zawgyi_probability  # type: ignore[no-any-return]


def is_zawgyi(text: str) -> bool:
    """Whether Burmese text in ``text`` is typed in the Zawgyi legacy encoding."""
    if _MYANMAR_CHAR.search(text) is None:
        return False
    runs = " ".join(m.group() for m in _MYANMAR_RUN.finditer(text))
    # The detector walks the text in Python; its verdict settles well within a few hundred characters.
    return _zawgyi_detector()(runs[:_ZAWGYI_SAMPLE]) >= ZAWGYI_THRESHOLD


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


_TOKEN = regex.compile(r"\s+|\S+")


def _clean(piece: str) -> bool:
    return piece.isascii() or (
        unicodedata.is_normalized("NFKC", piece) and _SPECIAL.search(piece) is None
    )


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching; see the module docstring for what changes."""
    zawgyi = is_zawgyi(text) if not text.isascii() else False
    if not zawgyi and not _needs_work(text):
        return NormalizedText(original=text, text=text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    if zawgyi:
        segments: Iterator[tuple[int, int, str]] = _segments(text, zawgyi)
    else:
        segments = _dirty_segments(text, out, starts, ends)
    for start, end, piece in segments:
        folded = _fold_piece(piece)
        if not folded:
            continue
        out.append(folded)
        n = len(folded)
        starts.extend([start] * n)
        ends.extend([end] * n)
    return NormalizedText(original=text, text="".join(out), starts=starts, ends=ends, zawgyi=zawgyi)


def _dirty_segments(
    text: str, out: list[str], starts: list[int], ends: list[int]
) -> Iterator[tuple[int, int, str]]:
    """Copy clean tokens straight to the output; yield graphemes of the others to fold.

    Most of a text that needs normalising is clean (one full-width digit in a
    long post), so only the tokens that need it go grapheme by grapheme.
    """
    for token in _TOKEN.finditer(text):
        piece = token.group()
        a, b = token.span()
        if _clean(piece):
            out.append(piece)
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
            continue
        for m in _GRAPHEME.finditer(text, a, b):
            yield m.start(), m.end(), m.group()
