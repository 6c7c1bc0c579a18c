"""Phone numbers in posts, as E.164.

Digits of every script are ASCII in the normalised text. A cheap regular
expression first finds the zones: stretches of digits and number signs
(spaces, dots, dashes, brackets, ``+``, letters typed for digits) long enough
for the fewest digits a number can have. A plain zone between neutral
characters (``0812-3456-7890``, ``+84 981 224 824``, ``(02) 8221-9237``) is
its own only candidate; in any other zone the full candidate pattern decides.
A candidate run is cut into its digit groups and read leftmost-longest
(:mod:`suar.detect.phone_runs`), so ``10110 02-260-6321`` (a postal code, then a
number) or two numbers side by side each come out on their own; the reading of
a run is cached by its text, since campaigns repeat their numbers.

International numbers (``+`` or ``00``) must be valid on their own. National
numbers are tried against the hinted regions in order and must be valid there;
a national number without a trunk ``0`` is accepted only where that is the
normal way to write one (Chinese mobiles, 8-digit Singapore and Hong Kong
mobiles, ``62812...`` written without the ``+``), because dates, amounts, codes
and ids are digit runs too (see :mod:`suar.detect.phone_guards`).
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText
from suar.detect.phone_guards import labelled_or_priced
from suar.detect.phone_numbers import MAX_DIGITS, MIN_DIGITS, resolve
from suar.detect.phone_runs import GROUP, HOMOGLYPHS, MAX_HOMOGLYPHS, Number, Run, read_run, reading
from suar.domain import Indicator

logger = logging.getLogger(__name__)

_DASHES: Final = "\\-\u2010-\u2015\u2212"
_SEP: Final = rf"(?:[ \t]{{0,2}}[.{_DASHES}][ \t]{{0,2}}|[ \t]{{1,2}}|(?<=\))|(?=\())"
_MORE_GROUPS: Final = 8
_BODY: Final = (
    rf"(?:\([ \t]?)?(?:\+[ \t]?)?{GROUP}\)?"
    rf"(?:{_SEP}\(?[ \t]?{GROUP}\)?){{0,{_MORE_GROUPS}}}"
    r"(?![0-9A-Za-z_@%])"
)
# Not inside a word, a URL path or query, a handle, or after a digit and a
# decimal mark (the tail of an amount).
_BEFORE: Final = r"(?<![0-9A-Za-z+=?&#@_%])(?<![A-Za-z]/)(?<![0-9][.,])"
# A run is only read when seven digits follow, each within a short reach.
_ENOUGH: Final = 7
_REACH: Final = 5
_ENOUGH_DIGITS: Final = rf"(?=(?:[^0-9\n]{{0,{_REACH}}}[0-9{HOMOGLYPHS}]){{{_ENOUGH}}})"
_CANDIDATE: Final = re.compile(r"(?=[(+0-9O\u101d])" + _BEFORE + _ENOUGH_DIGITS + _BODY)
# After an account label ("WA08123...") a number may touch the label.
_CANDIDATE_AT: Final = re.compile(_BODY)

# What a candidate is made of besides digits: letters typed for digits, and signs.
_SIGNS: Final = HOMOGLYPHS + " \t.()+-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SIGN_SET: Final = frozenset(_SIGNS)
# A zone: digits and signs from a digit on, long enough for the fewest ASCII
# digits a number can have. Every candidate lies inside one zone.
_ZONE: Final = re.compile(rf"[0-9][0-9{re.escape(_SIGNS)}]{{{MIN_DIGITS - MAX_HOMOGLYPHS - 1},}}+")
# A candidate starts at most "( + " and two letter-digits before its first digit,
# and its look-ahead reads at most this far past its start.
_LEAD: Final = 4 + MAX_HOMOGLYPHS
_LOOKAHEAD: Final = _ENOUGH * (_REACH + 1) + 1

# The common zone, a plain number such as "0812-3456-7890", "+84981224824" or
# "(02) 8221-9237" between neutral characters, is its own only candidate: no
# need to ask the candidate pattern. Neutral before: the pattern can start at
# the number and nowhere earlier; after: the number ends at its last digit.
_PLAIN: Final = re.compile(
    r"\(?\+?[0-9]+"
    rf"(?:\) ?[0-9]+(?:[ .\-][0-9]+){{0,{_MORE_GROUPS - 1}}}|(?:[ .\-][0-9]+){{0,{_MORE_GROUPS}}})"
)
_PLAIN_SIGNS: Final = " .-()+"
_STARTS: Final = frozenset("(+O\u101d")
_NOT_BEFORE: Final = _STARTS | frozenset(string.ascii_letters + string.digits + "=?&#@_%/,")
_NOT_AFTER: Final = frozenset(string.ascii_letters + string.digits + "_@%)\u101d")
# What keeps the pattern from starting at a digit right after it.
_BLOCKS: Final = frozenset(string.ascii_letters + string.digits + "+=?&#@_%")


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


class _Reader:
    """What reading numbers for one list of regions and home country needs.

    ``plain`` caches the readings of plain runs; it is emptied when full.
    """

    __slots__ = ("countries", "home", "plain")

    def __init__(self, countries: tuple[str, ...], home: str | None) -> None:
        self.countries = tuple(c.upper() for c in countries)
        self.home = home.upper() if home else None
        self.plain: dict[str, tuple[Number, ...] | None] = {}


_READERS: dict[tuple[tuple[str, ...], str | None], _Reader] = {}
_PLAIN_SIZE: Final = 8192


def _reader(countries: Sequence[str], home: str | None) -> _Reader:
    key = (tuple(countries), home)
    reader = _READERS.get(key)
    if reader is None:
        if len(_READERS) >= 64:
            _READERS.clear()
        reader = _READERS[key] = _Reader(*key)
    elif len(reader.plain) >= _PLAIN_SIZE:
        reader.plain.clear()
    return reader


def _plain_reading(
    run: str, countries: tuple[str, ...], home: str | None
) -> tuple[Number, ...] | None:
    """The reading of a plain candidate, or ``None`` when ``run`` is not plain."""
    if _PLAIN.fullmatch(run) is None:
        return None
    digits = len(run) - sum(run.count(sign) for sign in _PLAIN_SIGNS)
    return reading(run, countries, home) if digits >= MIN_DIGITS else ()


def _plain_start(text: str, first: int, end: int) -> int:
    """Where the only candidate of a zone core ``text[first:end]`` starts, or -1 if unsure.

    ``first`` is the zone's first digit; a plain candidate starts there or at a
    ``+``, ``(`` or ``(+`` right before it.
    """
    if end < len(text) and text[end] in _NOT_AFTER:
        return -1
    start = first
    if start and text[start - 1] == "+":
        start -= 1
    if start and text[start - 1] == "(":
        start -= 1
    if start and text[start - 1] in _NOT_BEFORE:
        return -1
    # An earlier start could only hide in the signs right before.
    k = start - 1
    floor = first - _LEAD
    while k >= floor and k >= 0 and text[k] in _SIGN_SET:
        if text[k] in _STARTS:
            return -1
        k -= 1
    return start


def _unreadable(text: str, start: int, zone: str) -> bool:
    """Whether no candidate can start in ``zone`` (at ``start`` of ``text``).

    So it is for digits and dots glued to a word, a link path or an amount
    (``Rp12.500.000``, ``/jobs/61501422``): every digit follows a letter, a
    digit, or a single dot after a digit.
    """
    if not start or ".." in zone or not zone.replace(".", "").isdigit():
        return False
    before = text[start - 1]
    if before in _SIGN_SET:
        return False  # a letter typed for a digit may start the number: "O812..."
    if before in _BLOCKS:
        return True
    if before == "/":
        return start > 1 and text[start - 2] in string.ascii_letters
    return before == "," and start > 1 and text[start - 2] in string.digits


def _candidates(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The candidates of the zone ``text[start:end]``, by the candidate pattern."""
    pos = start
    floor = max(0, start - _LEAD)
    while pos > floor and text[pos - 1] in _SIGN_SET:
        pos -= 1
    for m in _CANDIDATE.finditer(text, pos, end + _LOOKAHEAD):
        if m.start() >= end:
            return
        yield m


def _numbers(text: str, reader: _Reader) -> list[tuple[int, Number]]:
    """Every number of ``text`` with the offset its span is relative to, in order.

    The same candidates as the candidate pattern over the whole text, less
    those with too few digits to be a number: a candidate never leaves its
    zone, and inside a zone the pattern reads no further than its look-ahead.
    """
    countries, home, table = reader.countries, reader.home, reader.plain
    runs: list[tuple[int, str, tuple[Number, ...]]] = []
    for zone in _ZONE.finditer(text):
        start, end = zone.span()
        last = start + len(zone.group().rstrip(_SIGNS))
        plain = _plain_start(text, start, last)
        if plain >= 0:
            run = text[plain:last]
            try:
                numbers = table[run]
            except KeyError:
                numbers = table[run] = _plain_reading(run, countries, home)
            if numbers is not None:
                if numbers:
                    runs.append((plain, run, numbers))
                continue
        if _unreadable(text, start, zone.group()):
            continue
        for m in _candidates(text, start, end):
            run = m.group()
            runs.append((m.start(), run, reading(run, countries, home)))
    found: list[tuple[int, Number]] = []
    for base, run, numbers in runs:
        for number in numbers:
            if number.guard is not None and labelled_or_priced(
                text, base + number.start, base + number.end, money=number.guard
            ):
                # The guard holds here: read the rest of the run again, with the guards on.
                rest = Run(text, base, base + len(run))
                again = read_run(rest, countries, home, relaxed=False, first=number.group)
                found.extend((0, n) for n in again)
                break
            found.append((base, number))
    return found


def find_phones(
    text: str, countries: Sequence[str], *, home: str | None = None
) -> Iterator[PhoneMatch]:
    """Every valid phone number in ``text`` (already normalised), in order.

    ``countries`` are the regions tried for national numbers, most likely first;
    ``home`` is the record's own country, whose landlines are accepted even in
    notations otherwise kept for mobiles.
    """
    for base, n in _numbers(text, _reader(countries, home)):
        yield PhoneMatch(base + n.start, base + n.end, n.region, n.e164, n.national)


def phone_at(text: str, pos: int, countries: Sequence[str]) -> PhoneMatch | None:
    """The phone number that starts at ``pos`` of ``text``, read leniently.

    For numbers an account label points at ("WA: 0812...", "Zalo 0912..."):
    the label already says it is a number, so amount, code and shape guards
    are skipped, but the number must still be valid.
    """
    m = _CANDIDATE_AT.match(text, pos)
    if m is None:
        return None
    run = Run(text, m.start(), m.end())
    regions = _reader(countries, None).countries
    for n in read_run(run, regions, None, relaxed=True, first_only=True):
        return PhoneMatch(n.start, n.end, n.region, n.e164, n.national)
    return None


def extract_phones(nt: NormalizedText, hints: Hints) -> Iterator[Indicator]:
    """Phone indicators: value E.164, attrs ``country`` (ISO region), ``e164``, ``national``.

    Spans are in the original text and cover the number as written, with its
    ``+``, brackets and separators.
    """
    for base, n in _numbers(nt.text, _reader(hints.countries, hints.country)):
        yield Indicator("phone", n.e164, nt.to_original(base + n.start, base + n.end), n.attrs)


def resolve_digits(
    digits: str, countries: Sequence[str], *, international: bool = False
) -> tuple[str, str, str] | None:
    """(region, E.164, national format) of a bare digit string from a link or a label.

    ``wa.me/6281...`` and ``viber://chat?number=...`` carry international digits
    (``international=True``); ``zalo.me/0912...`` carries a national number read
    against ``countries``. Lenient like :func:`phone_at`, but the number must be valid.
    """
    if not (digits.isascii() and digits.isdigit()) or not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    regions = () if international else _reader(countries, None).countries
    return resolve(digits, international, regions, None, True)
