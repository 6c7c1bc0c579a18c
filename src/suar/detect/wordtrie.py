"""Word lists as one regular expression shaped like a trie, for the vocabulary extractors.

A list of hundreds of words written as ``a|b|c...`` makes the engine try every
word at every position; written as a trie (``s(?:ala(?:ry|ries)|...)``) it
branches once per character. Latin words never match inside a longer Latin
word (``nam`` is not found in ``Vietnamese``): they carry a look-behind and,
after their last letter, a look-ahead for a Latin letter. Words of other
scripts are written without spaces and match anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Final

import regex

LATIN_LETTER: Final = regex.compile(r"\p{Latin}")
_NOT_AFTER_LATIN: Final = r"(?<!\p{Latin})"
_NOT_BEFORE_LATIN: Final = r"(?!\p{Latin})"
_CLASS_SPECIAL: Final = frozenset("\\]^-[")


def is_latin(char: str) -> bool:
    """Whether the character ``char`` is of the Latin script (a letter, in ASCII)."""
    if char.isascii():
        return char.isalpha()
    return _is_latin_beyond_ascii(char)


@lru_cache(maxsize=4096)
def _is_latin_beyond_ascii(char: str) -> bool:
    return LATIN_LETTER.match(char) is not None


def spellings(word: str, case_sensitive: bool = False) -> frozenset[str]:
    """The spellings of ``word`` that match: as written and, for a word with a Latin
    letter, in lower, upper, capitalised and title case (matching is case-sensitive).
    """
    if case_sensitive or not LATIN_LETTER.search(word):
        return frozenset((word,))
    return frozenset((word, word.lower(), word.upper(), word.capitalize(), word.title()))


def alternation(words: Iterable[str]) -> str:
    """One non-capturing group matching any of ``words`` exactly as given; longer words win.

    The group opens with a look-ahead for the words' first characters: the regex
    engine enters a large alternation much faster when it can rule it out first.
    """
    every = set(words)
    latin = [w for w in every if LATIN_LETTER.match(w)]
    other = [w for w in every if not LATIN_LETTER.match(w)]
    branches = [_NOT_AFTER_LATIN + _trie(latin)] if latin else []
    if other:
        branches.append(_trie(other))
    if not every or "" in every:
        return "(?:" + "|".join(branches) + ")"
    first = "".join(sorted({"\\" + w[0] if w[0] in _CLASS_SPECIAL else w[0] for w in every}))
    return f"(?:(?=[{first}])(?:" + "|".join(branches) + "))"


def _trie(words: Iterable[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any], last: str) -> str:
        out = [regex.escape(ch) + emit(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:  # a word ends here: after its longer continuations, so that they win
            out.append(_NOT_BEFORE_LATIN if LATIN_LETTER.match(last) else "")
        return out[0] if len(out) == 1 else "(?:" + "|".join(out) + ")"

    return emit(root, "")
