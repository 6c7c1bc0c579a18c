"""Runs of digit groups read as phone numbers, leftmost-longest.

A candidate run (``082134976289``, ``10110 02-260-6321``, ``+84 (0) 912 345 678``)
is cut into its digit groups. From the leftmost group that may start a number,
the longest window of groups that is a valid number is taken, then reading
goes on after it.

How a run reads depends on the run and the regions only, except for the
guards of national numbers (an id label or a currency before it, a unit of
money after it), which look at the text around the run. So the reading of a
run *as if no guard fired* is cached by the run's text (:func:`reading`): the
same numbers, written the same way, come back in post after post. The caller
checks the guards of each number in its own text; when one fires, it reads the
rest of the run again with the guards on (:func:`read_run`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from suar.detect.phone_guards import (
    allowed_shape,
    labelled_or_priced,
    looks_like_amount,
    looks_like_date,
)
from suar.detect.phone_numbers import MAX_DIGITS, MIN_DIGITS, resolve

# Letters typed in place of digits inside a number: O/o for 0, l/I for 1, and
# the Burmese letter wa (U+101D), which looks like the Burmese zero.
HOMOGLYPHS: Final = "OolI\u101d"
MAX_HOMOGLYPHS: Final = 2
#: A digit group, possibly with letters typed for digits.
GROUP: Final = rf"[{HOMOGLYPHS}]{{0,{MAX_HOMOGLYPHS}}}[0-9][0-9{HOMOGLYPHS}]*"

_TOKEN: Final = re.compile(GROUP)
_HOMOGLYPH_TABLE: Final = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "\u101d": "0"})
# A window may drop up to three of its characters: a "00" prefix and a "(0)" trunk.
_MAX_DROPPED: Final = 3


@dataclass(frozen=True, slots=True)
class Number:
    """A number read at ``[start, end)`` of the text a run was read in.

    ``group`` is the run's group it starts at. ``guard`` says which context
    checks it still needs: ``None`` none (international, or pointed at by a
    label), ``False`` id labels before it, ``True`` id labels and money around it.
    """

    group: int
    start: int
    end: int
    region: str
    e164: str
    national: str
    guard: bool | None
    #: the attributes of its indicator, shared read-only
    attrs: Mapping[str, str]


class Run:
    """The digit groups of one candidate run, read window by window."""

    __slots__ = ("text", "start", "end", "tokens", "groups", "glyphs", "gaps", "sizes")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.tokens = [m.span() for m in _TOKEN.finditer(text, start, end)]
        #: each group with its letters read as digits, and how many letters it had
        self.groups: list[str] = []
        self.glyphs: list[int] = []
        #: the characters before each group (from the run start for the first)
        self.gaps: list[str] = []
        #: ``sizes[k]`` is the number of characters in groups ``0..k-1``
        self.sizes = [0]
        lo = start
        for a, b in self.tokens:
            group = text[a:b]
            glyphs = 0 if group.isdigit() else b - a - sum(c.isdigit() for c in group)
            self.groups.append(group.translate(_HOMOGLYPH_TABLE) if glyphs else group)
            self.glyphs.append(glyphs)
            self.gaps.append(text[lo:a])
            self.sizes.append(self.sizes[-1] + b - a)
            lo = b

    def window_span(self, i: int, j: int) -> tuple[int, int, bool]:
        """Span of groups ``i..j`` with a leading ``+``/``(`` and a closing ``)``; international?"""
        gap = self.gaps[i]
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

    def can_start(self, i: int) -> bool:
        """A number starts a run, or follows a space: never a '-' or '.' inside a number."""
        if i == 0:
            return True
        gap = self.gaps[i].strip(" \t")
        return not gap or gap[-1] in "+("


#: (start, end, digits, international?, guard) of a window that may be a number
_Window = tuple[int, int, str, bool, bool | None]


def _window(run: Run, i: int, j: int, relaxed: bool) -> _Window | None:
    """Groups ``i..j`` of ``run`` as a number to resolve, or ``None`` when they cannot be one.

    Everything but the regions and the context guards is checked here, so
    that a window is read once however many regions it is tried against.
    """
    if sum(run.glyphs[i : j + 1]) > MAX_HOMOGLYPHS:
        return None
    start, end, plus = run.window_span(i, j)
    groups = run.groups[i : j + 1]
    international = plus
    if not plus and groups[0].startswith("00") and not groups[0].startswith("000"):
        international = True
        groups[0] = groups[0][2:]
        if not groups[0]:
            return None
    if international and len(groups) > 2 and groups[1] == "0":
        del groups[1]  # "+84 (0) 912 ...": the trunk 0 shown in brackets
    digits = "".join(groups)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    if international:
        return start, end, digits, True, None
    if len(groups) >= 3 and all(len(g) <= 2 for g in groups):
        return None  # times, dates, lottery numbers
    gaps = [run.gaps[k].replace("(", "").replace(")", "") for k in range(i + 1, j + 1)]
    if looks_like_date(groups) or looks_like_amount(
        groups, [gap.strip(" \t") for gap in gaps], digits
    ):
        return None
    if relaxed:
        return start, end, digits, False, None
    if digits[0] != "0":
        # Without a trunk prefix, the groups must be the whole run: "4413 0100"
        # inside "4413 0100 0226 1234" is a slice of a card number.
        whole_run = i == 0 and j + 1 == len(run.tokens)
        if not whole_run or not allowed_shape(groups, gaps, digits):
            return None
    # Amounts do not start with a trunk zero: only other runs are checked for money.
    return start, end, digits, False, digits[0] != "0"


def _number(
    i: int, window: _Window, countries: tuple[str, ...], home: str | None, relaxed: bool
) -> Number | None:
    start, end, digits, international, guard = window
    # International numbers do not depend on the regions: share their cache entries.
    found = resolve(digits, international, () if international else countries, home, relaxed)
    if found is None:
        return None
    region, e164, national = found
    attrs = MappingProxyType({"country": region, "e164": e164, "national": national})
    return Number(i, start, end, region, e164, national, guard, attrs)


def _longest(
    run: Run, i: int, countries: tuple[str, ...], home: str | None, relaxed: bool, guarded: bool
) -> tuple[Number, int] | None:
    """The longest valid window starting at group ``i``, and its last group.

    The most likely region is tried alone first, so that a Thai range such as
    ``02-861-4805-10`` reads as the Thai number it starts with rather than as a
    longer number of another country; then the national windows are tried
    against every region. With ``guarded``, a window whose context guard
    fires is no number.
    """
    first = countries[:1]
    national: list[tuple[int, _Window]] = []
    for j in range(len(run.tokens) - 1, i - 1, -1):
        size = run.sizes[j + 1] - run.sizes[i]
        if size < MIN_DIGITS:
            break  # the shorter windows have fewer digits still
        if size > MAX_DIGITS + _MAX_DROPPED:
            continue
        window = _window(run, i, j, relaxed)
        if window is None:
            continue
        guard = window[4]
        if (
            guarded
            and guard is not None
            and labelled_or_priced(run.text, window[0], window[1], money=guard)
        ):
            continue
        found = _number(i, window, first, home, relaxed)
        if found is not None:
            return found, j
        if not window[3]:
            national.append((j, window))
    if len(countries) > 1:
        for j, window in national:
            found = _number(i, window, countries, home, relaxed)
            if found is not None:
                return found, j
    return None


def read_run(
    run: Run,
    countries: tuple[str, ...],
    home: str | None,
    *,
    relaxed: bool,
    guarded: bool = True,
    first: int = 0,
    first_only: bool = False,
) -> Iterator[Number]:
    """Leftmost-longest valid windows of consecutive groups, from group ``first`` on.

    ``relaxed`` for a number a label points at: amount, code and shape checks
    are skipped. ``first_only`` reads only the number starting at ``first``.
    """
    i = first
    while i < len(run.tokens):
        if run.can_start(i):
            found = _longest(run, i, countries, home, relaxed, guarded)
            if found is not None:
                yield found[0]
                i = found[1]
        if first_only:
            return
        i += 1


@lru_cache(maxsize=2048)
def reading(run: str, countries: tuple[str, ...], home: str | None) -> tuple[Number, ...]:
    """The numbers of a candidate run found in free text, if no context guard fires.

    Spans are offsets into ``run``. A run of one- and two-digit groups only is
    a time, a date or a lottery draw unless it starts with ``+``.
    """
    groups = Run(run, 0, len(run))
    if not groups.tokens:
        return ()
    if max(b - a for a, b in groups.tokens) <= 2 and not run.lstrip("( \t").startswith("+"):
        return ()
    return tuple(read_run(groups, countries, home, relaxed=False, guarded=False))
