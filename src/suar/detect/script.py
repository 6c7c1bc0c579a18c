"""Scripts that decide a post's language on their own."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from suar.detect.flags import code_points, letter_table

# Code-point blocks of the scripts that decide alone, and of Han. Sorted, disjoint.
_BLOCKS: Final[tuple[tuple[int, int, str], ...]] = (
    (0x0E00, 0x0E80, "th"),
    (0x0E80, 0x0F00, "lo"),
    (0x1000, 0x10A0, "my"),
    (0x1100, 0x1200, "ko"),
    (0x1780, 0x1800, "km"),
    (0x19E0, 0x1A00, "km"),
    (0x3040, 0x3100, "ja"),
    (0x3130, 0x3190, "ko"),
    (0x31F0, 0x3200, "ja"),
    (0x3400, 0x4DC0, "zh"),
    (0x4E00, 0xA000, "zh"),
    (0xA9E0, 0xAA00, "my"),
    (0xAA60, 0xAA80, "my"),
    (0xAC00, 0xD7B0, "ko"),
    (0xF900, 0xFB00, "zh"),
    (0xFF66, 0xFFA0, "ja"),
    (0x20000, 0x30000, "zh"),
)
# Any character of those blocks: most posts have none and stop at this search.
_ANY = re.compile("[" + "".join(f"{chr(start)}-{chr(end - 1)}" for start, end, _ in _BLOCKS) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SUPPLEMENTARY_HAN = next(i for i, (start, _, _) in enumerate(_BLOCKS) if start == 0x20000)


@lru_cache(maxsize=1)
def _classes() -> npt.NDArray[np.uint8]:
    """For each code point of the Basic Multilingual Plane: 2 × (its block + 1) + (1 if a letter).

    One look-up and one count then give both the characters of each decisive
    block and the number of letters.
    """
    table = letter_table().astype(np.uint8)
    for block, (start, end, _) in enumerate(_BLOCKS):
        if start < 0x10000:
            table[start:end] += 2 * (block + 1)
    return table


def _tally(text: str) -> tuple[list[int], int]:
    """Characters of each decisive block (in :data:`_BLOCKS` order) and letters in ``text``."""
    points = code_points(text)
    astral = _ASTRAL.search(text) is not None
    tally = np.bincount(
        _classes()[np.minimum(points, 0xFFFF) if astral else points],
        minlength=2 * (len(_BLOCKS) + 1),
    ).tolist()
    blocks = [tally[2 * b + 2] + tally[2 * b + 3] for b in range(len(_BLOCKS))]
    letters = sum(tally[1::2])
    if astral:  # the Basic Multilingual Plane's table saw them as U+FFFF
        han = int(np.count_nonzero((points >= 0x20000) & (points < 0x30000)))
        blocks[_SUPPLEMENTARY_HAN] += han
        letters += han
    return blocks, letters


def script_counts(text: str) -> dict[str, int]:
    """How many characters of ``text`` belong to each decisive script (and ``zh`` for Han)."""
    if text.isascii() or _ANY.search(text) is None:
        return {}
    return _by_language(_tally(text)[0])


def _by_language(blocks: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for block, count in enumerate(blocks):
        if count:
            lang = _BLOCKS[block][2]
            counts[lang] = counts.get(lang, 0) + count
    return counts


def script_language(text: str, *, min_share: float = 0.2) -> str | None:
    """The language a decisive script implies, when it makes up enough of the letters.

    Japanese wins over Chinese whenever kana appear; Han alone means Chinese.
    """
    if text.isascii() or _ANY.search(text) is None:
        return None
    blocks, letters = _tally(text)
    counts = _by_language(blocks)
    if not counts or letters == 0:
        return None
    han = counts.get("zh", 0)
    best = max(((n, lang) for lang, n in counts.items() if lang != "zh"), default=None)
    if best is not None and best[1] == "ja" and best[0] + han >= letters * min_share:
        return "ja"
    if best is not None and best[0] >= letters * min_share and best[0] >= han:
        return best[1]
    if han >= letters * min_share:
        return "zh"
    return None
