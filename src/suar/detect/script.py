"""Scripts that decide a post's language on their own."""

from __future__ import annotations

from typing import Final

import regex

# Scripts used by exactly one covered language.
_DECISIVE: Final[tuple[tuple[str, regex.Pattern[str]], ...]] = (
    ("th", regex.compile(r"\p{Thai}")),
    ("km", regex.compile(r"\p{Khmer}")),
    ("lo", regex.compile(r"\p{Lao}")),
    ("my", regex.compile(r"\p{Myanmar}")),
    ("ko", regex.compile(r"\p{Hangul}")),
    ("ja", regex.compile(r"[\p{Hiragana}\p{Katakana}]")),
)
_HAN = regex.compile(r"\p{Han}")


def script_language(text: str, *, min_share: float = 0.2) -> str | None:
    """The language a decisive script implies, when it makes up enough of the letters.

    Japanese wins over Chinese whenever kana appear; Han alone means Chinese.
    """
    letters = sum(1 for c in text if c.isalpha())
    if letters == 0:
        return None
    best: tuple[int, str] | None = None
    for lang, pattern in _DECISIVE:
        count = len(pattern.findall(text))
        if count and (best is None or count > best[0]):
            best = (count, lang)
    han = len(_HAN.findall(text))
    if best is not None and best[1] == "ja" and best[0] + han >= letters * min_share:
        return "ja"
    if best is not None and best[0] >= letters * min_share and best[0] >= han:
        return best[1]
    if han >= letters * min_share:
        return "zh"
    return None
