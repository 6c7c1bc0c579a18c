"""Salary amounts in posts, with their currency and period, valued in USD a month.

One compiled pattern finds money expressions in the normalised text (digits of
every script are ASCII there): an optional currency written before, a number in
the post's own notation (``15.000.000``, ``1,500.50``, ``1.500,50``) with
optional multipliers (``k``, ``juta``, ``triệu``, ``万``, ``만``, ``ล้าน``,
``သိန်း``, and chains such as ``5천만`` or ``1万5千``), an optional currency
written after, an optional second amount making a range, and an optional period
(``/month``, ``sebulan``, ``/tháng``, ``ต่อเดือน``, ``/月``...). The vocabulary
and the rate table are in :mod:`suar.detect.money_tables`.

An expression is money when it names a currency. Without one it is money only
when a multiplier implies the currency (``15 triệu`` is VND, ``3万`` is CNY or,
in Japanese text, JPY) or a pay word stands right before it (``gaji 5.000.000``),
and in both cases a pay word or a period must be there too: a bare number is
never money.

Each amount is valued in USD a month with the dated table in
``data/rates.json``: hourly pay times 176 (8 hours x 22 days), daily pay times
22, weekly times 52/12, yearly divided by 12; an amount without a period is read
as monthly, as job ads usually state pay. A range is valued at its upper bound,
the figure a lure dangles (``usd_per_month_min`` keeps the lower one).

The words just before an amount say what it is (``context``): ``pay`` after a
pay word (salary, gaji, lương, 月薪...) or when a period is given, ``other``
after a fee, price, debt or revenue word or when the amount is beyond any
salary, ``unspecified`` otherwise. ``usd_per_month`` is given only for ``pay``
and ``unspecified`` amounts, so a recruitment fee or a company's turnover is
never read as a salary.

Speed. Most numbers in a post are phone numbers, times, years and counts. A
fast pattern finds the numbers, passing over the one- and two-digit ones that
nothing precedes or follows. A number followed by nothing that can continue an
expression (a multiplier, a currency, a range, a period) is the bare number the
full pattern would find: it counts only after a currency or right after a pay
word, and the full pattern does not run. Where it runs, it cannot read past the
first character no expression holds, so what it finds is cached by that
stretch of text; the reading of an expression, its valuation and the pay word
before it are cached too (bounded caches): posts of one campaign repeat the
same salaries.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final

import regex

from suar.detect.hints import Hints
from suar.detect.money_tables import (
    DOLLAR,
    SPACES,
    YEN_OR_YUAN,
    Cue,
    Currency,
    Vocabulary,
    key,
    parse_tables,
    vocabulary,
)
from suar.detect.normalize import NormalizedText
from suar.detect.wordtrie import is_latin
from suar.domain import Indicator

__all__ = ["extract_money", "parse_number", "parse_tables", "rate_table"]

_CUE_WINDOW: Final = 40  # characters looked at before an amount for a pay or fee word
_BARE_CUE_WINDOW: Final = 15  # a bare number must sit this close to its pay word
_MIN_BARE_USD: Final = 20.0  # an inferred currency giving less a month is a misreading
_MAX_PAY_USD: Final = 1_000_000.0  # more a month is a turnover or a price, not pay
_ANNUAL_ABOVE_USD: Final = 20_000.0  # more a month, with no period written, is a yearly figure
_MAX_PLAIN_DIGITS: Final = 9  # a longer run of digits without separators is an id or a phone
_MAX_PREFIX: Final = 16  # longest prefix currency and its space
_MAX_SEGMENT: Final = 64  # longest stretch of text an expression is cached by
_CACHE_SIZE: Final = 2048  # entries of each cache: at most about a kilobyte each

_KANA: Final = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_GROUPED: Final = re.compile(r"[0-9][.,\u00a0\u202f\u2009][0-9]{3}")
_SEPARATORS: Final = re.compile(r"[\u00a0\u202f\u2009 ]")
_PLAIN: Final = re.compile(r"[0-9][0-9.,\u00a0\u202f\u2009]*")
_ADJACENT_GAP: Final = regex.compile(r"[\s:：]*")


@dataclass(frozen=True, slots=True)
class _Amount:
    value: float
    lead: float  # factor of the first multiplier, to carry over in "3-5万"
    currency: str | None  # implied by a multiplier
    needs_currency: bool
    grouped: bool  # written with thousands separators

    @property
    def has_multiplier(self) -> bool:
        return self.lead > 1


@dataclass(frozen=True, slots=True, eq=False)
class _Expression:
    """What the candidate pattern finds at a number: its parts as written, offsets from its start."""

    length: int
    alone: bool  # a number and nothing else
    short: int  # length without what follows the first amount, when a range does not hold
    a1: str
    a2: str | None
    suf1: str | None
    pre2: str | None
    suf2: str | None
    unit: str | None
    pword: str | None


@dataclass(frozen=True, slots=True, eq=False)
class _Reading:
    """What the words of an expression say, before its context is read."""

    a1: str  # the first amount as written
    parts: tuple[_Amount, ...]  # the amount, or the (low, high) range
    whole: bool  # False when a written range did not hold: the first amount stands alone
    written: Currency | None
    implied: str | None  # currency implied by a multiplier
    period: str  # as written after the amount, else "unknown"

    @property
    def bare(self) -> bool:
        return self.written is None and self.implied is None


@dataclass(frozen=True, slots=True, eq=False)
class _Valued:
    value: str
    attrs: Mapping[str, Any]  # read-only, shared by the indicators of equal expressions


def parse_number(written: str) -> float:
    """Read a number written with the thousands and decimal marks of any covered locale.

    ``15.000.000`` and ``1,500`` group thousands; ``1,500.50`` and ``1.500,50`` carry
    decimals after the last mark; a single mark followed by other than three digits
    (``1,5``, ``2.75``) is a decimal mark.
    """
    if written.isascii() and written.isdigit():
        return float(written)
    s = _SEPARATORS.sub("", written)
    last = max(s.rfind("."), s.rfind(","))
    if last < 0:
        return float(s)
    both = "." in s and "," in s
    single = s.count(s[last]) == 1
    if both or (single and len(s) - last - 1 != 3):
        return float(s[:last].replace(".", "").replace(",", "") + "." + s[last + 1 :])
    return float(s.replace(".", "").replace(",", ""))


def _parse_amount(vocab: Vocabulary, written: str) -> _Amount | None:
    """Value of a number with its multipliers (``1억 5천만``, ``15tr5``, ``3万5000``)."""
    total = 0.0
    pending: tuple[str, float] | None = None
    factor = lead = 1.0
    last_factor = math.inf
    implied: str | None = None
    needs = previous_mult = False
    for m in vocab.parts.finditer(written):
        if m.group("mult") is not None:
            mult = vocab.multipliers[key(m.group("mult"))]
            factor = factor * mult.factor if previous_mult else mult.factor
            implied = implied or mult.currency
            needs = needs or mult.needs_currency
            previous_mult = True
            continue
        if previous_mult and pending is not None:
            if factor >= last_factor:
                return None  # "3万 5万" is two amounts, not one
            total += pending[1] * factor
            lead = factor if math.isinf(last_factor) else lead
            last_factor, factor, pending = factor, 1.0, None
        previous_mult = False
        pending = (m.group("num"), parse_number(m.group("num")))
    if pending is None:
        return None
    if previous_mult:
        if factor >= last_factor:
            return None
        total += pending[1] * factor
        lead = factor if math.isinf(last_factor) else lead
    elif not math.isinf(last_factor):
        # A tail after a multiplier: "15tr5" is 15.5 million, "3万5000" is 35,000.
        digits = len(pending[0])
        scale = 10 ** round(math.log10(last_factor))
        total += pending[1] * scale / 10**digits if 10**digits < scale else pending[1]
    else:
        total = pending[1]
    grouped = _GROUPED.search(written) is not None
    return _Amount(total, lead, implied, needs, grouped)


def _amounts(vocab: Vocabulary, a1: str, a2: str | None) -> tuple[list[_Amount], bool] | None:
    """The amount or the (low, high) range; False when a written range did not hold."""
    first = _parse_amount(vocab, a1)
    if first is None:
        return None
    if not a2:
        return [first], True
    second = _parse_amount(vocab, a2)
    if second is None:
        return [first], False
    low = first
    if (
        not first.has_multiplier
        and second.has_multiplier
        and first.value * second.lead <= second.value
    ):
        low = _Amount(first.value * second.lead, second.lead, second.currency, False, first.grouped)
    if not 0 < low.value <= second.value:
        return [first], False
    return [low, second], True


def _currency_of(vocab: Vocabulary, spelling: str | None) -> Currency | None:
    if not spelling:
        return None
    return vocab.currencies.get(spelling) or vocab.currencies.get(key(spelling))


def _expression_at(vocab: Vocabulary, text: str, start: int) -> _Expression | None:
    """The expression the candidate pattern finds at the number at ``start``."""
    stop = vocab.stop.search(text, start, start + _MAX_SEGMENT)
    if stop is None:  # a long stretch: too rare to be worth keeping
        return _expression(vocab.candidate.match(text, start), start)
    return _segment_expression(text[start : stop.end()])


@lru_cache(maxsize=_CACHE_SIZE)
def _segment_expression(segment: str) -> _Expression | None:
    """The expression at the start of ``segment``, a number up to the first character
    (included) that no expression contains: what the pattern reads depends on nothing else.
    """
    return _expression(vocabulary().candidate.match(segment), 0)


def _expression(m: regex.Match[str] | None, start: int) -> _Expression | None:
    if m is None:
        return None
    a1, a2, suf1, pre2, suf2, unit, pword = m.group(
        "a1", "a2", "suf1", "pre2", "suf2", "unit", "pword"
    )
    alone = m.lastgroup == "a1" and _PLAIN.fullmatch(m[0]) is not None
    short = (m.end("suf1") if suf1 else m.end("a1")) - start
    return _Expression(m.end() - start, alone, short, a1, a2, suf1, pre2, suf2, unit, pword)


@lru_cache(maxsize=_CACHE_SIZE)
def _reading(expression: _Expression, pre1: str | None) -> _Reading | None:
    """The amounts, written or implied currency and written period of an expression."""
    vocab = vocabulary()
    x = expression
    read = _amounts(vocab, x.a1, x.a2)
    if read is None:
        return None
    parts, whole = read
    spellings = (pre1, x.suf1, x.pre2, x.suf2) if whole else (pre1, x.suf1)
    written = next((c for c in (_currency_of(vocab, s) for s in spellings) if c), None)
    implied = next((p.currency for p in parts if p.currency), None)
    period = x.unit or x.pword
    period = vocab.periods[key(period)] if whole and period else "unknown"
    return _Reading(x.a1, tuple(parts), whole, written, implied, period)


@lru_cache(maxsize=16)
def _has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def _resolve(code: str, text: str, hints: Hints, vocab: Vocabulary) -> str:
    if code == DOLLAR:
        return vocab.dollar_by_country.get((hints.country or "").upper(), "USD")
    if code == YEN_OR_YUAN:
        japanese = (hints.lang or "").lower().startswith("ja") or _has_kana(text)
        return "JPY" if japanese else "CNY"
    return code


def _cue_before(vocab: Vocabulary, text: str, start: int, reach: int = _CUE_WINDOW) -> Cue | None:
    """The pay or fee word closest before ``start``, within ``reach`` characters."""
    # One character more than the reach: whether a word there continues into the window.
    return _cue_ending(text[max(0, start - reach - 1) : start], reach)


@lru_cache(maxsize=_CACHE_SIZE)
def _cue_ending(text: str, reach: int) -> Cue | None:
    """The pay or fee word that ends last in the last ``reach`` characters of ``text``."""
    automaton = vocabulary().cue_automaton
    start = len(text)
    lo = max(0, start - reach)
    window = text[lo:]
    folded = window.lower()
    if len(folded) != len(window):  # a rare letter whose lower case is longer
        folded = window
    best: tuple[int, int, Cue] | None = None
    for end, (length, cue) in automaton.iter(folded):
        first = lo + end - length + 1
        if first > 0 and is_latin(text[first]) and is_latin(text[first - 1]):
            continue
        after = lo + end + 1
        if after < start and is_latin(text[lo + end]) and is_latin(text[after]):
            continue
        if cue.adjacent and not _ADJACENT_GAP.fullmatch(text, after, start):
            continue
        if best is None or (end, length) >= best[:2]:
            best = (end, length, cue)
    return None if best is None else best[2]


def _default_currency(vocab: Vocabulary, hints: Hints, cue: Cue) -> str | None:
    """The currency of a number written without one: the post's country, language, or cue."""
    country = (hints.country or "").upper()
    lang = (hints.lang or "").split("-")[0].lower()
    return (
        vocab.country_currency.get(country)
        or vocab.lang_currency.get(lang)
        or vocab.lang_currency.get(cue.lang or "")
    )


def _format(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _looks_like_noise(amount: _Amount, written: str, cue: Cue | None) -> bool:
    """Years, ids and small counts that follow a pay word without being pay ("lương tháng 13").

    Below 1,000 a bare number is pay only after a word that names its period ("日薪500").
    """
    if amount.has_multiplier or amount.grouped:
        return False
    digits = sum(c.isdigit() for c in written)
    small = amount.value < (100 if cue is not None and cue.period else 1000)
    return small or 1900 <= amount.value <= 2100 or digits > _MAX_PLAIN_DIGITS


@lru_cache(maxsize=_CACHE_SIZE)
def _valued(reading: _Reading, cue: Cue | None, code: str | None) -> _Valued | None:
    """The value and attrs of an expression after ``cue``, in currency ``code``; None when
    it is not money (``code`` is None when no currency is written, implied or known).
    """
    vocab = vocabulary()
    parts = reading.parts
    if reading.bare and _looks_like_noise(parts[0], reading.a1, cue):
        return None
    period = reading.period
    if period == "unknown" and cue is not None and cue.period is not None:
        period = cue.period
    pay = (cue is not None and cue.pay) or period != "unknown"
    written = reading.written
    if written is not None:
        if (written.weak and not pay) or parts[-1].value * written.factor < written.min_amount:
            return None
        factor = written.factor
    elif not pay or code is None or any(p.needs_currency for p in parts):
        return None
    else:
        factor = 1.0
    assert code is not None  # a written currency always resolves
    rate = vocab.units_per_usd[code]
    values = [p.value * factor for p in parts]
    per_month = values[-1] / rate * vocab.to_month[period]
    if reading.bare and per_month < _MIN_BARE_USD:
        return None
    other = (cue is not None and not cue.pay) or per_month >= _MAX_PAY_USD
    guessed = not other and period == "unknown" and per_month > _ANNUAL_ABOVE_USD
    if guessed:  # "$135K-$145K" without a period is a yearly salary
        period = "year"
    to_month = vocab.to_month[period]
    per_month = values[-1] / rate * to_month
    context = "other" if other else ("pay" if pay else "unspecified")
    attrs: dict[str, Any] = {"currency": code, "period": period, "context": context}
    if guessed:
        attrs["period_guessed"] = True
    if len(values) == 1:
        attrs["amount"] = values[0]
    else:
        attrs["min"], attrs["max"] = values
    attrs["usd"] = round(values[-1] / rate, 2)
    if context != "other":
        attrs["usd_per_month"] = round(per_month, 2)
        if len(values) == 2:
            attrs["usd_per_month_min"] = round(values[0] / rate * to_month, 2)
    attrs["rate_date"] = vocab.rate_date
    shown = "-".join(_format(v) for v in values)
    value = f"{code} {shown}" + ("" if period == "unknown" else f"/{period}")
    return _Valued(value, MappingProxyType(attrs))


def _read(
    vocab: Vocabulary,
    nt: NormalizedText,
    hints: Hints,
    at: int,
    expression: _Expression,
    prefix: regex.Match[str] | None,
) -> Indicator | None:
    """The expression at ``at`` as a money indicator, or None when it is not money."""
    reading = _reading(expression, prefix["pre"] if prefix else None)
    if reading is None:
        return None
    start = prefix.start() if prefix else at
    # A bare number counts only right after a pay word: "Gaji: 5.000.000".
    cue = _cue_before(vocab, nt.text, start, _BARE_CUE_WINDOW if reading.bare else _CUE_WINDOW)
    if reading.written is not None:
        code: str | None = reading.written.code
    elif reading.implied is not None:
        code = reading.implied
    else:
        code = _default_currency(vocab, hints, cue) if cue is not None else None
    valued = _valued(reading, cue, None if code is None else _resolve(code, nt.text, hints, vocab))
    if valued is None:
        return None
    # When a range does not hold, the first amount stands alone, without the period after.
    end = at + (expression.length if reading.whole else expression.short)
    return Indicator("money", valued.value, nt.to_original(start, end), valued.attrs)


def extract_money(nt: NormalizedText, hints: Hints) -> Iterable[Indicator]:
    """Money amounts in ``nt`` as ``money`` indicators, spans in the original text.

    The value reads ``"USD 1500/month"`` or ``"IDR 3000000-6000000"`` (a range
    without a period). Attrs: ``currency`` (ISO 4217), ``amount`` or ``min`` and
    ``max`` (in that currency), ``period`` (hour, day, week, month, year or
    unknown), ``context`` (pay, other, unspecified), ``usd`` (the amount, or the
    range's upper bound, in USD as written), ``usd_per_month`` and, for a range,
    ``usd_per_month_min`` (pay and unspecified only), ``rate_date``.
    """
    text = nt.text
    vocab = vocabulary()
    continuations = vocab.continuations
    found: list[Indicator] = []
    resume = 0  # end of the last expression: expressions do not overlap
    for number in vocab.numbers.finditer(text):
        start = number.start()
        if start < resume:
            continue
        # Followed by nothing that continues an expression, the number is one alone.
        tokens = continuations.get(number[1])
        expression = None
        if tokens is not None and text.startswith(tokens, number.start(1)):
            expression = _expression_at(vocab, text, start)
            if expression is None:  # never: a number alone is an expression
                continue
            resume = start + expression.length
        else:
            resume = number.end()
        before = text[start - 2 : start] if start > 1 else text[:start]
        prefix = _prefix(vocab, text, start, before) if before else None
        if prefix is None:
            if before and is_latin(before[-1]):
                continue  # glued to a word: "A4", "COVID19", "B2B"
            if expression is None or expression.alone:
                # A bare number, the common case: money only right after a pay word.
                if resume - start < 3 or not _cue_before(vocab, text, start, _BARE_CUE_WINDOW):
                    continue
        if expression is None:
            expression = _expression_at(vocab, text, start)
            if expression is None:
                continue
        indicator = _read(vocab, nt, hints, start, expression, prefix)
        if indicator is not None:
            found.append(indicator)
    return found


def _prefix(vocab: Vocabulary, text: str, start: int, before: str) -> regex.Match[str] | None:
    """The currency written right before the number at ``start`` (``Rp``, ``$``, ``USD ``),
    given the one or two characters ``before`` it.
    """
    lo = max(0, start - _MAX_PREFIX)
    # Only a currency spelling that ends the text before (or before its space) can be there.
    last = vocab.prefix_spellings.get(before[-1])
    if last is None or not text.endswith(last, lo, start):
        spaced = before[-1] in SPACES and vocab.prefix_spellings.get(before[0])
        if not spaced or not text.endswith(spaced, lo, start - 1):
            return None
    prefix = vocab.prefix.search(text, lo, start)
    if prefix and prefix.start() and text[prefix.start() - 1].isalnum():
        return None  # inside a word or an id: "...f1a1d3aed22"
    return prefix


def rate_table() -> tuple[str, dict[str, float]]:
    """The date of the shipped rate table and its rates, in units of currency per USD."""
    vocab = vocabulary()
    return vocab.rate_date, dict(vocab.units_per_usd)
