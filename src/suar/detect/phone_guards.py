"""What tells a digit run in free text apart from a phone number.

Dates, amounts, card slices, and numbers after an id, bank or money label are
digit runs too. These checks are pure and cheap; the phone extractor
(:mod:`suar.detect.phones`) applies them to national numbers found in free
text, never to a number an account label points at.

The label and money checks read the few characters before a number backwards:
the words are compiled reversed and matched once at the number, instead of
searching every position of the text before it for a word that ends there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from suar.datafiles import read_json
from suar.errors import DataError

_GUARDS_FILE: Final = "messaging_phone_guards.json"

#: How many characters before a number may hold an id label or a currency.
CONTEXT_BEFORE: Final = 28
#: How many characters after a number may hold a unit of money.
CONTEXT_AFTER: Final = 12

# What may stand between a label or a currency and the number after it.
_BETWEEN: Final = " \t.:;#=-/,\n"
_SIGMAS: Final = frozenset("\u03c3\u03c2")
_YEAR_PREFIXES: Final = ("19", "20", "25")  # Gregorian and Thai Buddhist-era years


@dataclass(frozen=True, slots=True)
class Guards:
    """Context patterns, each matched at the start of its string.

    ``id_label`` and ``currency_before`` take the lower-cased text before a
    number *reversed*; ``unit_after`` takes the lower-cased text after it.
    """

    id_label: re.Pattern[str]
    currency_before: re.Pattern[str]
    unit_after: re.Pattern[str]
    #: the last letter of every label (and of "no."), and of every currency;
    #: the first letter of every unit: a pattern cannot match without one there
    label_ends: frozenset[str]
    currency_ends: frozenset[str]
    unit_starts: frozenset[str]


def _word_list(data: object, key: str) -> list[str]:
    section = data.get(key) if isinstance(data, dict) else None
    values = section.get("values") if isinstance(section, dict) else None
    if not isinstance(values, list) or not values:
        raise DataError(f"{_GUARDS_FILE}: '{key}.values' must be a non-empty list", key=key)
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise DataError(f"{_GUARDS_FILE}: '{key}' holds a blank or non-string entry {value!r}")
    return sorted({v.strip().lower() for v in values}, key=len, reverse=True)


def _alternation(words: Sequence[str], *, reverse: bool = False) -> str:
    return "|".join(re.escape(w[::-1] if reverse else w) for w in words)


def _letters(chars: set[str]) -> frozenset[str]:
    # The only letter lower-cased by its context: a final sigma.
    if chars & _SIGMAS:
        chars |= _SIGMAS
    return frozenset(chars)


def _ends(words: Sequence[str]) -> frozenset[str]:
    """The last character of each word once what may follow it is stripped."""
    ends = set()
    for word in words:
        core = word.rstrip(_BETWEEN)
        if not core:
            raise DataError(f"{_GUARDS_FILE}: {word!r} is only punctuation")
        ends.add(core[-1])
    return _letters(ends)


@lru_cache(maxsize=1)
def guards() -> Guards:
    """Load and check the guard vocabulary once."""
    data = read_json("suar.detect", _GUARDS_FILE)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_GUARDS_FILE}: expected an object with version 1")
    id_words = _word_list(data, "id_labels")
    money_words = _word_list(data, "currency_before")
    unit_words = _word_list(data, "units_after")
    ids = _alternation(id_words, reverse=True)
    money = _alternation(money_words, reverse=True)
    units = _alternation(unit_words)
    # Read backwards from the number: an optional line end, then (reversed)
    # "<label> [punctuation] [no.]" or "<currency>[.:]", not inside a word.
    return Guards(
        id_label=re.compile(
            rf"\n?(?:[ \t]*\.?on)?[ \t]*[.:;#=\-/,]{{0,2}}[ \t]*(?:{ids})(?![a-z0-9])"
        ),
        currency_before=re.compile(rf"\n?[ \t]?[.:]?[ \t]?(?:{money})(?![a-z])"),
        unit_after=re.compile(rf"[ \t]?(?:{units})(?![a-z])"),
        label_ends=_ends([*id_words, "no"]),
        currency_ends=_ends(money_words),
        unit_starts=_letters({w[0] for w in unit_words}),
    )


def labelled_or_priced(text: str, start: int, end: int, *, money: bool) -> bool:
    """Whether an id label (and, if ``money``, a currency or unit) surrounds ``text[start:end]``.

    Most numbers follow a word that ends no label: the last letter before
    them is looked at first, and the patterns run only when it could.
    """
    found = guards()
    lo = max(0, start - CONTEXT_BEFORE)
    # Lower-casing never makes or removes punctuation: the last letter's own
    # lower case is the last letter of the lower-cased text.
    last = text[lo:start].rstrip(_BETWEEN)[-1:].lower()[-1:]
    label = last in found.label_ends
    currency = money and last in found.currency_ends
    if label or currency:
        before = text[lo:start].lower()[::-1]
        if label and found.id_label.match(before):
            return True
        if currency and found.currency_before.match(before):
            return True
    if not money:
        return False
    after = text[end : end + CONTEXT_AFTER]
    first = after[1:2] if after[:1] in (" ", "\t") else after[:1]
    if first.lower()[:1] not in found.unit_starts:
        return False
    return found.unit_after.match(after.lower()) is not None


def looks_like_date(groups: Sequence[str]) -> bool:
    """``20240115``, ``2024-01-15``, ``15/01/2024`` (also Thai Buddhist-era years)."""
    if len(groups) == 1 and len(groups[0]) == 8:
        g = groups[0]
        ymd = g[:2] in _YEAR_PREFIXES and "01" <= g[4:6] <= "12" and "01" <= g[6:] <= "31"
        dmy = g[4:6] in _YEAR_PREFIXES and "01" <= g[2:4] <= "12" and "01" <= g[:2] <= "31"
        return ymd or dmy
    if len(groups) != 3:
        return False
    first, _, last = (len(g) for g in groups)
    if first == 4 and groups[0][:2] in _YEAR_PREFIXES and all(len(g) <= 2 for g in groups[1:]):
        return True
    return last == 4 and groups[2][:2] in _YEAR_PREFIXES and first <= 2 and len(groups[1]) <= 2


def looks_like_amount(groups: Sequence[str], seps: Sequence[str], digits: str) -> bool:
    """``15.000.000``, ``1,500,000``, a round ``5000000``; never a number with a trunk zero."""
    if digits[0] == "0":
        return False  # amounts do not start with a trunk zero
    if digits.endswith("000000"):
        return True
    if len(groups) < 2:
        return False
    return all(s in (".", ",") for s in seps) and all(len(g) == 3 for g in groups[1:])


def allowed_shape(groups: Sequence[str], gaps: Sequence[str], digits: str) -> bool:
    """Groupings in which numbers without a trunk prefix are really written."""
    if any(gap not in ("", " ", "-", ".") for gap in gaps):
        return False  # "9001 – 2015": a spaced dash joins two figures, not a number
    if any(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return False
    lens = tuple(len(g) for g in groups)
    if len(lens) == 1:
        return True
    if len(digits) == 8:
        return lens == (4, 4)
    if len(digits) == 11 and digits[0] == "1":
        return lens in ((3, 4, 4), (3, 8))
    return lens[0] <= 3  # a country code written without "+", then the number
