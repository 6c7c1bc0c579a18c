"""Phone numbers in posts, as E.164.

A cheap regular expression finds digit-dense runs in the normalised text
(digits of every script are ASCII there); only those runs are handed to
``phonenumbers``. A run is cut into its digit groups and read leftmost-longest,
so ``10110 02-260-6321`` (a postal code, then a number) or two numbers side by
side each come out on their own.

International numbers (``+`` or ``00``) must be valid on their own. National
numbers are tried against the hinted regions in order and must be valid there;
a national number without a trunk ``0`` is accepted only where that is the
normal way to write one (Chinese mobiles, 8-digit Singapore and Hong Kong
mobiles, ``62812...`` written without the ``+``), because dates, amounts, codes
and ids are digit runs too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText
from suar.domain import Indicator
from suar.errors import DataError

logger = logging.getLogger(__name__)

_GUARDS_FILE: Final = "messaging_phone_guards.json"

# Letters typed in place of digits inside a number: O/o for 0, l/I for 1, and
# the Burmese letter wa (U+101D), which looks like the Burmese zero.
_HOMOGLYPHS: Final = "OolI\u101d"
_HOMOGLYPH_TABLE: Final = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "\u101d": "0"})
_MAX_HOMOGLYPHS: Final = 2

_GROUP: Final = rf"[{_HOMOGLYPHS}]{{0,2}}[0-9][0-9{_HOMOGLYPHS}]*"
_DASHES: Final = "\\-\u2010-\u2015\u2212"
_SEP: Final = rf"(?:[ \t]{{0,2}}[.{_DASHES}][ \t]{{0,2}}|[ \t]{{1,2}}|(?<=\))|(?=\())"
_BODY: Final = (
    rf"(?:\([ \t]?)?(?:\+[ \t]?)?{_GROUP}\)?"
    rf"(?:{_SEP}\(?[ \t]?{_GROUP}\)?){{0,8}}"
    r"(?![0-9A-Za-z_@%])"
)
# Not inside a word, a URL path or query, a handle, or after a digit and a
# decimal mark (the tail of an amount).
_BEFORE: Final = r"(?<![0-9A-Za-z+=?&#@_%])(?<![A-Za-z]/)(?<![0-9][.,])"
# Cheap first: a run is only read when seven digits follow within a short reach.
_ENOUGH_DIGITS: Final = rf"(?=(?:[^0-9\n]{{0,5}}[0-9{_HOMOGLYPHS}]){{7}})"
_CANDIDATE: Final = re.compile(r"(?=[(+0-9O\u101d])" + _BEFORE + _ENOUGH_DIGITS + _BODY)
# After an account label ("WA08123...") a number may touch the label.
_CANDIDATE_AT: Final = re.compile(_BODY)
_TOKEN: Final = re.compile(_GROUP)

_MIN_DIGITS: Final = 8
_MAX_DIGITS: Final = 15
_MOBILE_TYPES: Final = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_YEAR_PREFIXES: Final = ("19", "20", "25")  # Gregorian and Thai Buddhist-era years


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A phone number found at ``[start, end)`` of the normalised text."""

    start: int
    end: int
    region: str
    e164: str
    national: str

    def attrs(self) -> dict[str, str]:
        """The attributes a phone indicator carries."""
        return {"country": self.region, "e164": self.e164, "national": self.national}


@dataclass(frozen=True, slots=True)
class _Guards:
    id_label: re.Pattern[str]
    currency_before: re.Pattern[str]
    unit_after: re.Pattern[str]


def _word_list(data: object, key: str) -> list[str]:
    section = data.get(key) if isinstance(data, dict) else None
    values = section.get("values") if isinstance(section, dict) else None
    if not isinstance(values, list) or not values:
        raise DataError(f"{_GUARDS_FILE}: '{key}.values' must be a non-empty list", key=key)
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise DataError(f"{_GUARDS_FILE}: '{key}' holds a blank or non-string entry {value!r}")
    return sorted({v.strip().lower() for v in values}, key=len, reverse=True)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in words)


@lru_cache(maxsize=1)
def _guards() -> _Guards:
    """Load and check the guard vocabulary once."""
    path = resources.files("suar.detect").joinpath("data", _GUARDS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {_GUARDS_FILE}: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_GUARDS_FILE}: expected an object with version 1")
    ids = _alternation(_word_list(data, "id_labels"))
    money = _alternation(_word_list(data, "currency_before"))
    units = _alternation(_word_list(data, "units_after"))
    return _Guards(
        id_label=re.compile(
            rf"(?<![a-z0-9])(?:{ids})[ \t]*[.:;#=\-/,]{{0,2}}[ \t]*(?:no\.?[ \t]*)?$"
        ),
        currency_before=re.compile(rf"(?<![a-z])(?:{money})[ \t]?[.:]?[ \t]?$"),
        unit_after=re.compile(rf"^[ \t]?(?:{units})(?![a-z])"),
    )


@lru_cache(maxsize=64)
def _possible_lengths(region: str) -> tuple[frozenset[int], str]:
    """Lengths a national significant number may have in ``region``, and its trunk prefix."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
    if meta is None or meta.general_desc is None:
        return frozenset(), ""
    return frozenset(meta.general_desc.possible_length or ()), meta.national_prefix or ""


def _formatted(number: phonenumbers.PhoneNumber) -> tuple[str, str, str] | None:
    region = phonenumbers.region_code_for_number(number)
    if not region:
        return None
    return (
        region,
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
    )


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _international(digits: str) -> phonenumbers.PhoneNumber | None:
    """Read ``digits`` (country code first) as an international number."""
    number = _parse("+" + digits, None)
    if number is not None and phonenumbers.is_valid_number(number):
        return number
    # "+84 0912 345 678": a trunk 0 kept after the country code.
    for cc_len in (1, 2, 3):
        if digits[cc_len : cc_len + 1] == "0" and int(digits[:cc_len]) in (
            phonenumbers.COUNTRY_CODE_TO_REGION_CODE
        ):
            number = _parse("+" + digits[:cc_len] + digits[cc_len + 1 :], None)
            if number is not None and phonenumbers.is_valid_number(number):
                return number
    return None


def _national(digits: str, region: str) -> phonenumbers.PhoneNumber | None:
    lengths, trunk = _possible_lengths(region)
    nsn = len(digits) - len(trunk) if trunk and digits.startswith(trunk) else len(digits)
    if nsn not in lengths:
        return None
    number = _parse(digits, region)
    if number is None or not phonenumbers.is_valid_number_for_region(number, region):
        return None
    return number


@lru_cache(maxsize=16384)
def _resolve(
    digits: str, international: bool, countries: tuple[str, ...], home: str | None, relaxed: bool
) -> tuple[str, str, str] | None:
    """(region, E.164, national format) of a digit string, or ``None`` when it is no number."""
    if international:
        number = _international(digits)
        return None if number is None else _formatted(number)
    if digits[0] == "0":
        for rank, region in enumerate(countries):
            number = _national(digits, region)
            # A foreign number written the national way is read only as a mobile:
            # landline plans overlap too much (a UK or Dutch number reads as Korean).
            if number is not None and (
                rank == 0
                or relaxed
                or region == home
                or phonenumbers.number_type(number) in _MOBILE_TYPES
            ):
                return _formatted(number)
        return None
    # No trunk prefix: only the notations in which numbers are really written so.
    if len(digits) == 11 and digits[1] in "3456789" and digits[0] == "1" and "CN" in countries:
        number = _national(digits, "CN")
        if number is not None and phonenumbers.number_type(number) in _MOBILE_TYPES:
            return _formatted(number)
    if len(digits) == 8:
        for region in countries:
            if _possible_lengths(region)[1]:
                continue  # regions with a trunk prefix write it
            number = _national(digits, region)
            if number is not None and (
                relaxed or region == home or phonenumbers.number_type(number) in _MOBILE_TYPES
            ):
                return _formatted(number)
    if len(digits) >= 10:
        number = _international(digits)
        if number is not None and (
            relaxed
            or (
                phonenumbers.region_code_for_number(number) in countries
                and phonenumbers.number_type(number) in _MOBILE_TYPES
            )
        ):
            return _formatted(number)
    if relaxed:
        for region in countries:
            number = _national(digits, region)
            if number is not None:
                return _formatted(number)
    return None


def _looks_like_date(groups: Sequence[str]) -> bool:
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


def _looks_like_amount(groups: Sequence[str], seps: Sequence[str], digits: str) -> bool:
    if digits[0] == "0":
        return False  # amounts do not start with a trunk zero
    if digits.endswith("000000"):
        return True
    if len(groups) < 2:
        return False
    return all(s in (".", ",") for s in seps) and all(len(g) == 3 for g in groups[1:])


def _allowed_shape(groups: Sequence[str], gaps: Sequence[str], digits: str) -> bool:
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


class _Run:
    """The digit groups of one candidate run, read window by window."""

    __slots__ = ("text", "start", "end", "tokens")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]

    def gap_before(self, i: int) -> str:
        """The characters between group ``i`` and the one before it (or the run start)."""
        lo = self.tokens[i - 1][1] if i else self.start
        return self.text[lo : self.tokens[i][0]]

    def window_span(self, i: int, j: int) -> tuple[int, int, bool]:
        """Span of groups ``i..j`` with a leading ``+``/``(`` and a closing ``)``; international?"""
        gap = self.gap_before(i)
        cut = gap.rfind(")") + 1
        lead = len(gap)
        for k in range(cut, len(gap)):
            if gap[k] in "+(":
                lead = k
                break
        start = self.tokens[i][0] - (len(gap) - lead)
        end = self.tokens[j][1]
        if self.text.count("(", start, end) > self.text.count(")", start, end):
            close = self.text.find(
                ")", end, self.tokens[j + 1][0] if j + 1 < len(self.tokens) else self.end
            )
            if close != -1:
                end = close + 1
            elif self.text[start] == "(":
                # An opening bracket never closed is punctuation around the number.
                start += 1
                while self.text[start] in " \t":
                    start += 1
        return start, end, "+" in gap[cut:]


def _window(
    run: _Run,
    i: int,
    j: int,
    countries: tuple[str, ...],
    home: str | None,
    relaxed: bool,
) -> PhoneMatch | None:
    text = run.text
    start, end, plus = run.window_span(i, j)
    raw_groups = [text[a:b] for a, b in run.tokens[i : j + 1]]
    homoglyphs = sum(len(g) - sum(c.isdigit() for c in g) for g in raw_groups)
    if homoglyphs > _MAX_HOMOGLYPHS:
        return None
    groups = [g.translate(_HOMOGLYPH_TABLE) for g in raw_groups]
    gaps = [run.gap_before(k).replace("(", "").replace(")", "") for k in range(i + 1, j + 1)]
    seps = [gap.strip(" \t") for gap in gaps]
    international = plus
    if not plus and groups[0].startswith("00") and not groups[0].startswith("000"):
        international = True
        groups[0] = groups[0][2:]
        if not groups[0]:
            return None
    if international and len(groups) > 2 and groups[1] == "0":
        del groups[1]  # "+84 (0) 912 ...": the trunk 0 shown in brackets
    digits = "".join(groups)
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        return None
    if not international:
        if len(groups) >= 3 and all(len(g) <= 2 for g in groups):
            return None  # times, dates, lottery numbers
        if _looks_like_date(groups) or _looks_like_amount(groups, seps, digits):
            return None
        if digits[0] != "0" and not relaxed:
            # Without a trunk prefix, the groups must be the whole run: "4413 0100"
            # inside "4413 0100 0226 1234" is a slice of a card number.
            whole_run = i == 0 and j + 1 == len(run.tokens)
            if not whole_run or not _allowed_shape(groups, gaps, digits):
                return None
        if not relaxed:
            guards = _guards()
            before = text[max(0, start - 28) : start].lower()
            if guards.id_label.search(before):
                return None
            # Amounts do not start with a trunk zero: only other runs are checked for money.
            if digits[0] != "0" and (
                guards.currency_before.search(before)
                or guards.unit_after.search(text[end : end + 12].lower())
            ):
                return None
    # International numbers do not depend on the regions: share their cache entries.
    found = _resolve(digits, international, () if international else countries, home, relaxed)
    if found is None:
        return None
    region, e164, national = found
    return PhoneMatch(start=start, end=end, region=region, e164=e164, national=national)


def _can_start(run: _Run, i: int) -> bool:
    """A number starts a run, or follows a space: never a '-' or '.' inside a number."""
    if i == 0:
        return True
    gap = run.gap_before(i).strip(" \t")
    return not gap or gap[-1] in "+("


def _longest(
    run: _Run, i: int, passes: Sequence[tuple[str, ...]], home: str | None, relaxed: bool
) -> tuple[PhoneMatch, int] | None:
    for countries in passes:
        for j in range(len(run.tokens) - 1, i - 1, -1):
            found = _window(run, i, j, countries, home, relaxed)
            if found is not None:
                return found, j
    return None


def _read_run(
    run: _Run,
    countries: tuple[str, ...],
    home: str | None,
    relaxed: bool,
    *,
    first_only: bool = False,
) -> Iterator[PhoneMatch]:
    """Leftmost-longest valid windows of consecutive groups.

    The most likely region is tried alone first, so that a Thai range such as
    ``02-861-4805-10`` reads as the Thai number it starts with rather than as a
    longer number of another country.
    """
    passes = (countries[:1], countries) if len(countries) > 1 else (countries,)
    i = 0
    while i < len(run.tokens):
        if _can_start(run, i):
            found = _longest(run, i, passes, home, relaxed)
            if found is not None:
                yield found[0]
                i = found[1]
        if first_only:
            return
        i += 1


def find_phones(
    text: str, countries: Sequence[str], *, home: str | None = None
) -> Iterator[PhoneMatch]:
    """Every valid phone number in ``text`` (already normalised), in order.

    ``countries`` are the regions tried for national numbers, most likely first;
    ``home`` is the record's own country, whose landlines are accepted even in
    notations otherwise kept for mobiles.
    """
    regions = tuple(c.upper() for c in countries)
    home = home.upper() if home else None
    for m in _CANDIDATE.finditer(text):
        run = _Run(text, m.start(), m.end())
        if max(b - a for a, b in run.tokens) <= 2 and not m.group().lstrip("( \t").startswith("+"):
            continue  # only one- and two-digit groups: times, dates, lottery draws
        yield from _read_run(run, regions, home, relaxed=False)


def phone_at(text: str, pos: int, countries: Sequence[str]) -> PhoneMatch | None:
    """The phone number that starts at ``pos`` of ``text``, read leniently.

    For numbers an account label points at ("WA: 0812...", "Zalo 0912..."):
    the label already says it is a number, so amount, code and shape guards
    are skipped, but the number must still be valid.
    """
    m = _CANDIDATE_AT.match(text, pos)
    if m is None:
        return None
    regions = tuple(c.upper() for c in countries)
    run = _Run(text, m.start(), m.end())
    return next(_read_run(run, regions, None, relaxed=True, first_only=True), None)


def extract_phones(nt: NormalizedText, hints: Hints) -> Iterator[Indicator]:
    """Phone indicators: value E.164, attrs ``country`` (ISO region), ``e164``, ``national``.

    Spans are in the original text and cover the number as written, with its
    ``+``, brackets and separators.
    """
    for found in find_phones(nt.text, hints.countries, home=hints.country):
        yield Indicator(
            kind="phone",
            value=found.e164,
            span=nt.to_original(found.start, found.end),
            attrs=found.attrs(),
        )


def resolve_digits(
    digits: str, countries: Sequence[str], *, international: bool = False
) -> tuple[str, str, str] | None:
    """(region, E.164, national format) of a bare digit string from a link or a label.

    ``wa.me/6281...`` and ``viber://chat?number=...`` carry international digits
    (``international=True``); ``zalo.me/0912...`` carries a national number read
    against ``countries``. Lenient like :func:`phone_at`, but the number must be valid.
    """
    if not (digits.isascii() and digits.isdigit()) or not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        return None
    regions = () if international else tuple(c.upper() for c in countries)
    return _resolve(digits, international, regions, None, True)
