"""Age and gender requirements in job posts ("usia maksimal 30 tahun", "限女").

Ages. An age is a keyword (age, usia, tuổi, อายุ, 年龄, 나이, អាយុ, အသက်, ອາຍຸ...)
followed within a few words by a number or a range, with an optional unit and
qualifier (``usia maksimal 30 tahun``, ``อายุ 20-35 ปี``, ``Age: 18+``); or a
number or range followed by a unit that can only mean years of age (``18-35
tuổi``, ``20歳〜35歳``, ``18~35세``, ``35岁以下``), which without a keyword must
be a range or carry a qualifier, so that "我今年30岁" is no requirement. A unit
such as ``tahun``, ``years`` or ``ปี`` also counts years of experience, so it
needs the keyword. Every age must lie in ``bounds`` (14-70), a range must
rise, and a maximum alone must be at least 20 ("children up to 18 years old"
is no requirement on a worker). The value is ``"18-35"``, ``"18-"`` (a
minimum only), ``"-30"`` (a maximum only) or ``"25"``; attrs ``min`` and
``max`` (int or None).

Gender. A gender word counts only as a requirement: after a label ("Gender:",
"jenis kelamin", "giới tính", "เพศ", "性别"), after an "only" or hiring word
("only female", "dicari wanita", "tuyển nữ", "限女", "招女工"), before
an "only" or "preferred" word ("女性限定", "여성 우대", "wanita saja"), right
beside an age requirement ("Wanita, usia maks 25 tahun"), or alone on a bullet
line of a requirement list ("- Wanita"). Words that are also place names or
parts of other words (Vietnamese "Nam", Chinese "女", Thai "ชาย", Khmer "ស្រី")
are *weak*: they need the label or the cue right next to them, or an age right
after. "Male or female", "Pria/Wanita", "nam nữ", "男女" state no requirement
and give nothing. The value is ``"female"`` or ``"male"``; attrs ``cue`` (label,
before, after, age or list) and ``word`` (the word as written, lower case).

Speed. One pass of an Aho-Corasick automaton over the lower-case text finds the
age keywords and units and the gender words. The age pattern runs only in the
stretches around a keyword or unit, and there only where an age can begin (a
number, or a keyword or qualifier found by a second automaton); gender words are
read longest first only on the lines that hold one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import ahocorasick
import regex

from suar.datafiles import read_json
from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText, fold
from suar.detect.wordtrie import alternation, is_latin, spellings
from suar.domain import Indicator, Span
from suar.errors import DataError

logger = logging.getLogger(__name__)

_DATA_FILE: Final = "demographics.json"
_SP: Final = r"[ \t\u00a0]"
# Two digits, not part of a longer number, a decimal or a phone number.
_AGE_NUMBER: Final = r"(?<![0-9]|[0-9][.,])[1-9][0-9](?![0-9]|[.,][0-9])"
_NUMBER_START: Final = re.compile(r"[1-9](?<![0-9][1-9])(?=[0-9](?![0-9]))")  # may be an age
_BEFORE_WINDOW: Final = 30  # characters before a gender word searched for a cue
_ANCHOR_BEFORE: Final = 30  # an age match starts at most this far before its keyword or unit
_ANCHOR_AFTER: Final = 45  # and ends at most this far after it
_AGE_NEAR: Final = 25  # an age requirement this close makes a gender word a requirement
_BULLET: Final = regex.compile(r"[ \t]*(?:[-–•*·+>]|[0-9]{1,2}[.)]?)?[ \t]*")
_ITEM_END: Final = regex.compile(r"[ \t]*(?:[.,;:!]|\n|\Z)")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    age: regex.Pattern[str]
    max_words: regex.Pattern[str]
    min_words: regex.Pattern[str]
    bounds: tuple[int, int]
    lowest_maximum: int
    #: ahocorasick.Automaton: lower-case age keyword, age unit or gender word -> (its length
    #: as a keyword or unit, as a gender word), 0 where it is not one: one pass finds both.
    words: Any
    age_starts: Any  # ahocorasick.Automaton: lower-case word an age may start with -> length
    genders: Any  # ahocorasick.Automaton: lower-case word -> (length, sex or "", strong)
    label_before: regex.Pattern[str]
    cue_before: regex.Pattern[str]
    cue_before_near: regex.Pattern[str]
    cue_after: regex.Pattern[str]
    both_gap: regex.Pattern[str]


def _words(section: Mapping[str, Any], key: str) -> list[str]:
    values = section.get(key)
    if not isinstance(values, list) or not values:
        raise DataError(f"{_DATA_FILE}: '{key}' must be a non-empty list", key=key)
    for value in values:
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            raise DataError(
                f"{_DATA_FILE}: '{key}' holds a blank, multi-line or non-string entry {value!r}"
            )
    return values


def _nfkc(word: str) -> str:
    """Words as the normalised text spells them (Lao ໝ becomes ຫມ, full-width forms narrow)."""
    return fold(word)


def _automaton(words: Mapping[str, object]) -> Any:
    automaton = ahocorasick.Automaton()
    for word, value in words.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DataError(f"{_DATA_FILE}: '{key}' must be an object", key=key)
    return value


def _pattern(words: Iterable[str]) -> str:
    """Words as one trie-shaped alternation, as the normalised text spells them.

    Latin words match in any case (as written, lower, upper, title) and never
    inside a longer word; longer words win.
    """
    return alternation(s for word in words for s in spellings(_nfkc(word)))


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """Load, check and compile the vocabulary once."""
    data = read_json("suar.detect", _DATA_FILE)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_DATA_FILE}: expected an object with version 1")
    age, gender = _section(data, "age"), _section(data, "gender")
    bounds = _section(age, "bounds")
    low, high, lowest = bounds.get("min"), bounds.get("max"), bounds.get("lowest_maximum")
    if not (isinstance(low, int) and isinstance(high, int) and isinstance(lowest, int)):
        raise DataError(f"{_DATA_FILE}: age bounds must be integers")
    if not 10 <= low <= lowest < high <= 99:
        raise DataError(f"{_DATA_FILE}: age bounds must be two-digit, min <= lowest_maximum < max")
    keyword = _pattern(_words(age, "keywords"))
    specific = _pattern(_words(age, "specific_units"))
    unit = _pattern(_words(age, "specific_units") + _words(age, "ambiguous_units"))
    sep = _pattern(_words(age, "range_separators"))
    before = _pattern(_words(age, "max_before") + _words(age, "min_before"))
    after = _pattern(_words(age, "max_after") + _words(age, "min_after"))
    n = _AGE_NUMBER
    with_keyword = (
        rf"(?:(?P<pre>{before}){_SP}*)?(?P<kw>{keyword})(?P<fill>[^0-9\n;!?]{{0,15}}?)(?P<a>{n}){_SP}*(?:{unit})?"
        rf"(?:{_SP}*(?:{sep}){_SP}*(?P<b>{n}){_SP}*(?:{unit})?)?(?:{_SP}*(?P<post>{after}))?"
    )
    with_unit = (
        rf"(?:(?P<pre>{before}){_SP}*)?(?P<a>{n}){_SP}*(?:{specific}{_SP}*)?"
        rf"(?:(?:{sep}){_SP}*(?P<b>{n}){_SP}*)?(?P<unit>{specific})(?:{_SP}*(?P<post>{after}))?"
    )
    sexes: dict[str, tuple[int, str, bool]] = {}
    for sex in ("female", "male"):
        words = _section(gender, sex)
        for strong in (True, False):
            for word in _words(words, "strong" if strong else "weak"):
                sexes[_nfkc(word).lower()] = (len(_nfkc(word)), sex, strong)
    for word in _words(gender, "not_gender"):
        sexes[_nfkc(word).lower()] = (len(_nfkc(word)), "", False)
    roles: dict[str, list[int]] = {}
    for word in _words(age, "keywords") + _words(age, "specific_units"):
        roles.setdefault(_nfkc(word).lower(), [0, 0])[0] = len(_nfkc(word))
    for word in sexes:
        roles.setdefault(word, [0, 0])[1] = len(word)
    starts = _words(age, "keywords") + _words(age, "max_before") + _words(age, "min_before")
    label = _pattern(_words(gender, "labels"))
    cue = _pattern(_words(gender, "only_before"))
    cue_after = _pattern(_words(gender, "only_after"))
    return _Vocabulary(
        age=regex.compile(rf"{with_keyword}|{with_unit}"),
        max_words=regex.compile(_pattern(_words(age, "max_before") + _words(age, "max_after"))),
        min_words=regex.compile(_pattern(_words(age, "min_before") + _words(age, "min_after"))),
        bounds=(low, high),
        lowest_maximum=lowest,
        words=_automaton({word: tuple(lengths) for word, lengths in roles.items()}),
        # Every case the age pattern matches, as the automaton reads it.
        age_starts=_automaton(
            {s.lower(): len(s.lower()) for w in starts for s in spellings(_nfkc(w))}
        ),
        genders=_automaton(sexes),
        label_before=regex.compile(rf"{label}[\s:：=\-–(]*\Z"),
        cue_before=regex.compile(rf"{cue}[^\n]*\Z"),
        cue_before_near=regex.compile(rf"{cue}[\s:：\-–]*(?:[0-9]+[\s]*)?\Z"),
        cue_after=regex.compile(rf"[\s:：,\-–]*(?:\p{{L}}+\s+)?{cue_after}"),
        both_gap=regex.compile(rf"[\s]*(?:{_pattern(_words(gender, 'both_joiners'))})?[\s]*"),
    )


def _age_bounds(vocab: _Vocabulary, m: regex.Match[str]) -> tuple[int | None, int | None] | None:
    """The (min, max) an age match states, or None when it is no age requirement."""
    low, high = vocab.bounds
    a = int(m["a"])
    b = int(m["b"]) if m["b"] else None
    if not low <= a <= high or (b is not None and not a < b <= high):
        return None
    if b is not None:
        return a, b
    qualifier = m["post"] or m["pre"]
    if qualifier is None and m["kw"] is not None:
        fill = m["fill"].strip(" \t\u00a0:：-")
        if not fill:
            return a, a  # "Age: 25"
        found = vocab.max_words.search(fill) or vocab.min_words.search(fill)
        if found is None:
            return None  # "at the age of 18" tells a story, not a requirement
        qualifier = found[0]
    if qualifier is None:
        return None  # "30岁" alone is no requirement
    if vocab.max_words.fullmatch(qualifier.strip()):
        return (None, a) if a >= vocab.lowest_maximum else None
    return a, None


def _whole_word(text: str, start: int, stop: int) -> bool:
    """Whether a match is not part of a longer Latin word (other scripts have no spaces)."""
    if start > 0 and is_latin(text[start]) and is_latin(text[start - 1]):
        return False
    return not (stop < len(text) and is_latin(text[stop - 1]) and is_latin(text[stop]))


@dataclass(slots=True)
class _Found:
    """Where the words of the vocabulary are in a text, from one pass of the automaton."""

    windows: list[tuple[int, int]]  # stretches around an age keyword or unit
    gender_lines: list[tuple[int, int]]  # lines that hold a gender word


def _scan(vocab: _Vocabulary, folded: str) -> _Found:
    found = _Found([], [])
    windows, line_end = found.windows, -1
    for end, (anchor, gender) in vocab.words.iter(folded):
        if gender and end >= line_end:
            # No word holds a line break, so the automaton reads each line on its own.
            line_end = folded.find("\n", end)
            line_end = len(folded) if line_end < 0 else line_end
            found.gender_lines.append((folded.rfind("\n", 0, end) + 1, line_end))
        if not anchor or not _whole_word(folded, end - anchor + 1, end + 1):
            continue  # "age" in "manage", "yo" in "your"
        start, stop = max(0, end - anchor + 1 - _ANCHOR_BEFORE), end + 1 + _ANCHOR_AFTER
        if windows and start <= windows[-1][1]:
            start = min(start, windows[-1][0])
            windows[-1] = (start, max(stop, windows[-1][1]))
        else:
            windows.append((start, stop))
    return found


def _age_matches(
    vocab: _Vocabulary, text: str, folded: str | None, start: int, stop: int
) -> Iterable[regex.Match[str]]:
    """The age pattern's matches in ``text[start:stop]``, tried only where one may begin:
    at a number or at a word an age starts with, found in ``folded`` (the lower-case text;
    None to try everywhere).
    """
    if folded is None:
        yield from vocab.age.finditer(text, start, stop)
        return
    words = vocab.age_starts.iter(folded, start, stop)
    numbers = _NUMBER_START.finditer(text, start, stop)
    resume = start
    for at in sorted({*(end - length + 1 for end, length in words), *(m.start() for m in numbers)}):
        if at >= resume and (m := vocab.age.match(text, at, stop)) is not None:
            yield m
            resume = m.end()


def _ages(
    vocab: _Vocabulary, nt: NormalizedText, found: _Found, folded: str | None
) -> Iterable[tuple[Span, Indicator]]:
    text = nt.text
    for start, stop in found.windows:
        for m in _age_matches(vocab, text, folded, start, min(stop, len(text))):
            bounds = _age_bounds(vocab, m)
            if bounds is None:
                continue
            low, high = bounds
            if low == high:
                value = str(low)
            else:
                value = f"{'' if low is None else low}-{'' if high is None else high}"
            span = (m.start(), m.end())
            attrs = {"min": low, "max": high}
            yield span, Indicator("age", value, nt.to_original(*span), attrs)


def _gender_words(
    vocab: _Vocabulary, text: str, folded: str, found: _Found
) -> list[tuple[int, int, str, bool]]:
    """(start, end, sex, strong) of every gender word, longest first, outside other words."""
    words = []
    for line_start, line_end in found.gender_lines:
        for end, (length, sex, strong) in vocab.genders.iter_long(folded, line_start, line_end):
            start, stop = end - length + 1, end + 1
            if sex and _whole_word(text, start, stop):
                words.append((start, stop, sex, strong))
    return words


def _either_sex(
    vocab: _Vocabulary, text: str, words: Sequence[tuple[int, int, str, bool]]
) -> set[int]:
    """Indexes of words joined to a word of the other sex: "Pria/Wanita", "nam nữ"."""
    both: set[int] = set()
    for i in range(len(words) - 1):
        (_, end, sex, _), (start, _, other, _) = words[i], words[i + 1]
        if sex != other and vocab.both_gap.fullmatch(text, end, start):
            both.update((i, i + 1))
    return both


def _gender_cue(
    vocab: _Vocabulary, text: str, start: int, end: int, strong: bool, ages: Sequence[Span]
) -> str | None:
    """Why the word at ``[start, end)`` is a requirement, or None."""
    line_start = text.rfind("\n", 0, start) + 1
    lo = max(line_start, start - _BEFORE_WINDOW)
    if vocab.label_before.search(text, lo, start):
        return "label"
    if (vocab.cue_before if strong else vocab.cue_before_near).search(text, lo, start):
        return "before"
    if vocab.cue_after.match(text, end, min(len(text), end + 24)):
        return "after"
    near = _AGE_NEAR if strong else 4
    for a, b in ages:
        if 0 <= a - end <= near or (strong and 0 <= start - b <= 10):
            if "\n" not in text[min(end, a) : max(start, b)]:
                return "age"
    if strong and _BULLET.fullmatch(text, line_start, start) and _ITEM_END.match(text, end):
        return "list"
    return None


def extract_demographics(nt: NormalizedText, hints: Hints) -> Iterable[Indicator]:
    """Age and gender requirements in ``nt`` as ``age`` and ``gender`` indicators.

    Spans are in the original text; see the module docstring for the values,
    the attrs and the contexts that make a word a requirement.
    """
    vocab = _vocabulary()
    text = nt.text
    lowered = text.lower()
    # The automata read lower case, unless a rare letter would change the length.
    exact = len(lowered) == len(text)
    folded = lowered if exact else text
    found = _scan(vocab, folded)
    ages = list(_ages(vocab, nt, found, folded if exact else None))
    indicators = [indicator for _, indicator in ages]
    age_spans = [span for span, _ in ages]
    words = _gender_words(vocab, text, folded, found)
    either = _either_sex(vocab, text, words)
    for i, (start, end, sex, strong) in enumerate(words):
        if i in either:
            continue
        cue = _gender_cue(vocab, text, start, end, strong, age_spans)
        if cue is not None:
            attrs = {"cue": cue, "word": text[start:end].lower()}
            indicators.append(Indicator("gender", sex, nt.to_original(start, end), attrs))
    return indicators
