"""Salary amounts in posts, with their currency and period, valued in USD a month.

One compiled pattern finds money expressions in the normalised text (digits of
every script are ASCII there): an optional currency written before, a number in
the post's own notation (``15.000.000``, ``1,500.50``, ``1.500,50``) with
optional multipliers (``k``, ``juta``, ``triệu``, ``万``, ``만``, ``ล้าน``,
``သိန်း``, and chains such as ``5천만`` or ``1万5千``), an optional currency
written after, an optional second amount making a range, and an optional period
(``/month``, ``sebulan``, ``/tháng``, ``ต่อเดือน``, ``/月``...).

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
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import ahocorasick
import jsonschema
import regex

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText, fold
from suar.domain import Indicator
from suar.errors import DataError

logger = logging.getLogger(__name__)

_VOCAB_FILE: Final = "money.json"
_RATES_FILE: Final = "rates.json"
_SCHEMA_FILE: Final = "money.schema.json"
PERIODS: Final[tuple[str, ...]] = ("hour", "day", "week", "month", "year", "unknown")

_CUE_WINDOW: Final = 40  # characters looked at before an amount for a pay or fee word
_BARE_CUE_WINDOW: Final = 15  # a bare number must sit this close to its pay word
_MIN_BARE_USD: Final = 20.0  # an inferred currency giving less a month is a misreading
_MAX_PAY_USD: Final = 1_000_000.0  # more a month is a turnover or a price, not pay
_ANNUAL_ABOVE_USD: Final = 20_000.0  # more a month, with no period written, is a yearly figure
_MAX_PLAIN_DIGITS: Final = 9  # a longer run of digits without separators is an id or a phone

_SPACE: Final = "[ \u00a0\u202f\u2009]"
_NUM: Final = (
    r"[0-9](?:[0-9]{0,2}(?:[,.\u00a0\u202f\u2009][0-9]{3})+(?:[.,][0-9]{1,2})?"
    r"|[0-9]*(?:[.,][0-9]{1,2})?)(?![0-9]|[.,][0-9])"
)
_LATIN_END: Final = r"(?![\p{Latin}])"
_LATIN_START: Final = r"(?<![\p{Latin}])"
_DOLLAR: Final = "DOLLAR"
_YEN_OR_YUAN: Final = "YEN_OR_YUAN"
_KANA: Final = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_ANY_DIGIT: Final = regex.compile(r"[0-9]")
_GROUPED: Final = regex.compile(r"[0-9][.,\u00a0\u202f\u2009][0-9]{3}")
_SEPARATORS: Final = regex.compile(r"[\u00a0\u202f\u2009 ]")
_PLAIN: Final = regex.compile(r"[0-9][0-9.,\u00a0\u202f\u2009]*")
_LATIN_LETTER: Final = regex.compile(r"\p{Latin}")
_MAX_PREFIX: Final = 16  # longest prefix currency and its space
_ADJACENT_GAP: Final = regex.compile(r"[\s:：]*")


@dataclass(frozen=True, slots=True)
class _Currency:
    code: str
    weak: bool
    min_amount: float
    factor: float


@dataclass(frozen=True, slots=True)
class _Multiplier:
    factor: float
    currency: str | None
    needs_currency: bool


@dataclass(frozen=True, slots=True)
class _Cue:
    pay: bool
    period: str | None
    lang: str | None
    adjacent: bool


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    candidate: regex.Pattern[str]
    prefix: regex.Pattern[str]
    prefix_ends: frozenset[str]  # last characters of prefix currencies, to skip the search
    parts: regex.Pattern[str]
    cue_automaton: Any  # ahocorasick.Automaton: lower-case cue -> (length, _Cue)
    currencies: Mapping[str, _Currency]
    multipliers: Mapping[str, _Multiplier]
    periods: Mapping[str, str]  # period unit or word -> period
    to_month: Mapping[str, float]
    units_per_usd: Mapping[str, float]
    rate_date: str
    lang_currency: Mapping[str, str]
    country_currency: Mapping[str, str]
    dollar_by_country: Mapping[str, str]


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


def _read(name: str) -> Any:
    path = resources.files("suar.detect").joinpath("data", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {name}: {exc}") from exc


def _check(document: Any, schema: Mapping[str, Any], name: str) -> None:
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(document)
    )
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "top level"
        raise DataError(f"{name}: {error.message} (at {where})", file=name)


def _nfkc(token: str) -> str:
    """A token as the normalised text spells it (NFKC: Lao ໝ becomes ຫມ)."""
    return fold(token)


def _variants(spelling: str, cs: bool) -> set[str]:
    """Spellings matched: as written, lower, upper and title case (matching is case-sensitive)."""
    if cs or not regex.search(r"\p{Latin}", spelling):
        return {spelling}
    return {spelling, spelling.lower(), spelling.upper(), spelling.capitalize(), spelling.title()}


def _alternation(spellings: Iterable[tuple[str, bool]]) -> str:
    """One pattern for many spellings, as a trie so that the engine branches on each character.

    Longer spellings win; Latin words do not match inside longer words.
    """
    every = {v for s, cs in spellings for v in _variants(s, cs)}
    latin = [v for v in every if _LATIN_LETTER.match(v)]
    other = [v for v in every if not _LATIN_LETTER.match(v)]
    branches = [_LATIN_START + _trie(latin)] if latin else []
    if other:
        branches.append(_trie(other))
    return "(?:" + "|".join(branches) + ")"


def _trie(words: Iterable[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any], last: str) -> str:
        branches = [regex.escape(ch) + emit(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(_LATIN_END if _LATIN_LETTER.match(last) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(root, "")


def _automaton(cues: Mapping[str, _Cue]) -> Any:
    automaton = ahocorasick.Automaton()
    for spelling, cue in cues.items():
        automaton.add_word(spelling.lower(), (len(spelling), cue))
    automaton.make_automaton()
    return automaton


def _key(spelling: str) -> str:
    return spelling.casefold()


def parse_tables(vocabulary: Any, rates: Any) -> _Vocabulary:
    """Check the vocabulary and the rate table and compile them; DataError when one is wrong."""
    schemas = _read(_SCHEMA_FILE)
    _check(rates, schemas["rates"], _RATES_FILE)
    _check(vocabulary, schemas["vocabulary"], _VOCAB_FILE)
    units_per_usd = {code: float(rate) for code, rate in rates["units_per_usd"].items()}

    def code(value: str, where: str) -> str:
        if value in (_DOLLAR, _YEN_OR_YUAN) or value in units_per_usd:
            return value
        raise DataError(f"{_VOCAB_FILE}: {value} ({where}) has no rate in {_RATES_FILE}")

    pre: list[tuple[str, bool]] = []
    suf: list[tuple[str, bool]] = []
    currencies: dict[str, _Currency] = {}
    for item in vocabulary["currencies"]:
        spelling, cs = _nfkc(item["t"]), item.get("cs", False)
        currencies[spelling if cs else _key(spelling)] = _Currency(
            code(item["c"], spelling), item.get("weak", False), item.get("min", 0.0),
            item.get("factor", 1.0),
        )  # fmt: skip
        if item["side"] != "suf":
            pre.append((spelling, cs))
        if item["side"] != "pre":
            suf.append((spelling, cs))
    multipliers = {
        _key(_nfkc(m["t"])): _Multiplier(
            m["f"], code(m["currency"], m["t"]) if "currency" in m else None,
            m.get("needs_currency", False),
        )
        for m in vocabulary["multipliers"]
    }  # fmt: skip
    period_units = {
        _key(_nfkc(u)): p for p, units in vocabulary["period_units"].items() for u in units
    }
    period_words = {
        _key(_nfkc(w)): p for p, words in vocabulary["period_words"].items() for w in words
    }
    cue_words = {
        _key(_nfkc(c["t"])): _Cue(True, c.get("period"), c.get("lang"), c.get("adjacent", False))
        for c in vocabulary["pay_cues"]
    }
    for other in vocabulary["other_cues"]:
        cue_words.setdefault(_key(_nfkc(other)), _Cue(False, None, None, False))
    seps = [(_nfkc(s), False) for s in vocabulary["range_separators"]]
    conns = [(_nfkc(s), False) for s in vocabulary["period_connectors"]]

    pre_p, suf_p = _alternation(pre), _alternation(suf)
    mult_p = _alternation((s, False) for s in multipliers)
    amount = (
        rf"{_NUM}(?:{_SPACE}?{mult_p}{mult_p}*)?"
        rf"(?:{_SPACE}?{_NUM}{_SPACE}?{mult_p}{mult_p}*)*"
        rf"(?:(?<=\p{{L}})[0-9]{{1,4}}(?![0-9.,]))?"
    )
    units_p = _alternation((u, False) for u in period_units)
    period_p = (
        rf"(?:{_alternation(conns)}{_SPACE}*(?P<unit>{units_p})"
        rf"|(?P<pword>{_alternation((w, False) for w in period_words)}))"
    )
    candidate = (
        rf"(?<![0-9]|[0-9][.,])(?P<a1>{amount})(?:{_SPACE}{{0,2}}(?P<suf1>{suf_p}))?"
        rf"(?P<range>{_SPACE}*(?:{_alternation(seps)}){_SPACE}*"
        rf"(?:(?P<pre2>{pre_p}){_SPACE}?)?(?P<a2>{amount})(?:{_SPACE}{{0,2}}(?P<suf2>{suf_p}))?)?"
        rf"(?:{_SPACE}*{period_p})?"
    )
    factors = vocabulary["period_factors_to_month"]
    return _Vocabulary(
        candidate=regex.compile(candidate),
        prefix=regex.compile(rf"(?P<pre>{pre_p}){_SPACE}?\Z"),
        prefix_ends=frozenset(v[-1] for s, cs in pre for v in _variants(s, cs)),
        parts=regex.compile(rf"(?P<num>{_NUM})|(?P<mult>{mult_p})"),
        cue_automaton=_automaton(cue_words),
        currencies=currencies,
        multipliers=multipliers,
        periods=period_units | period_words,
        to_month={p: float(factors[p]) for p in PERIODS},
        units_per_usd=units_per_usd,
        rate_date=rates["as_of"],
        lang_currency={k: code(v, k) for k, v in vocabulary["lang_currency"].items()},
        country_currency={k: code(v, k) for k, v in vocabulary["country_currency"].items()},
        dollar_by_country={k: code(v, k) for k, v in vocabulary["dollar_by_country"].items()},
    )


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """The shipped vocabulary and rate table, loaded and compiled once."""
    return parse_tables(_read(_VOCAB_FILE), _read(_RATES_FILE))


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


def _parse_amount(vocab: _Vocabulary, written: str) -> _Amount | None:
    """Value of a number with its multipliers (``1억 5천만``, ``15tr5``, ``3万5000``)."""
    total = 0.0
    pending: tuple[str, float] | None = None
    factor = lead = 1.0
    last_factor = math.inf
    implied: str | None = None
    needs = previous_mult = False
    for m in vocab.parts.finditer(written):
        if m.group("mult") is not None:
            mult = vocab.multipliers[_key(m.group("mult"))]
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


def _currency_of(vocab: _Vocabulary, spelling: str | None) -> _Currency | None:
    if not spelling:
        return None
    return vocab.currencies.get(spelling) or vocab.currencies.get(_key(spelling))


def _resolve(code: str, nt: NormalizedText, hints: Hints, vocab: _Vocabulary) -> str:
    if code == _DOLLAR:
        return vocab.dollar_by_country.get((hints.country or "").upper(), "USD")
    if code == _YEN_OR_YUAN:
        japanese = (hints.lang or "").lower().startswith("ja") or _KANA.search(nt.text)
        return "JPY" if japanese else "CNY"
    return code


def _cue_before(
    vocab: _Vocabulary, text: str, start: int, reach: int = _CUE_WINDOW
) -> tuple[_Cue, int] | None:
    """The pay or fee word closest before ``start`` (within ``reach``), with the gap to it."""
    lo = max(0, start - reach)
    window = text[lo:start]
    folded = window.lower()
    if len(folded) != len(window):  # a rare letter whose lower case is longer
        folded = window
    best: tuple[int, int, _Cue] | None = None
    for end, (length, cue) in vocab.cue_automaton.iter(folded):
        first = lo + end - length + 1
        if _LATIN_LETTER.match(text[first]) and first > 0 and _LATIN_LETTER.match(text[first - 1]):
            continue
        after = lo + end + 1
        if (
            _LATIN_LETTER.match(text[lo + end])
            and after < start
            and _LATIN_LETTER.match(text[after])
        ):
            continue
        if cue.adjacent and not _ADJACENT_GAP.fullmatch(text, after, start):
            continue
        if best is None or (end, length) >= best[:2]:
            best = (end, length, cue)
    if best is None:
        return None
    return best[2], len(window) - best[0] - 1


def _default_currency(vocab: _Vocabulary, hints: Hints, cue: _Cue) -> str | None:
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


def _looks_like_noise(amount: _Amount, written: str, cue: _Cue | None) -> bool:
    """Years, ids and small counts that follow a pay word without being pay ("lương tháng 13").

    Below 1,000 a bare number is pay only after a word that names its period ("日薪500").
    """
    if amount.has_multiplier or amount.grouped:
        return False
    digits = sum(c.isdigit() for c in written)
    small = amount.value < (100 if cue is not None and cue.period else 1000)
    return small or 1900 <= amount.value <= 2100 or digits > _MAX_PLAIN_DIGITS


def _period_of(vocab: _Vocabulary, m: regex.Match[str]) -> str:
    written = m["unit"] or m["pword"]
    return vocab.periods[_key(written)] if written else "unknown"


def _amounts(vocab: _Vocabulary, m: regex.Match[str]) -> tuple[list[_Amount], bool] | None:
    """The amount or the (low, high) range; False when a written range did not hold."""
    first = _parse_amount(vocab, m.group("a1"))
    if first is None:
        return None
    if not m.group("a2"):
        return [first], True
    second = _parse_amount(vocab, m.group("a2"))
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


def _read_match(
    vocab: _Vocabulary,
    nt: NormalizedText,
    hints: Hints,
    m: regex.Match[str],
    prefix: regex.Match[str] | None,
) -> Indicator | None:
    """One candidate expression as a money indicator, or None when it is not money."""
    read = _amounts(vocab, m)
    if read is None:
        return None
    parts, whole = read
    pre1 = prefix.group("pre") if prefix else None
    start = prefix.start() if prefix else m.start()
    if whole:
        end = m.end()
        spellings = [pre1, m.group("suf1"), m.group("pre2"), m.group("suf2")]
    else:  # keep the first amount alone, without the period written after the range
        end = m.end("suf1") if m.group("suf1") else m.end("a1")
        spellings = [pre1, m.group("suf1")]
    written = next((c for c in (_currency_of(vocab, s) for s in spellings) if c), None)
    implied = next((p.currency for p in parts if p.currency), None)
    period = _period_of(vocab, m) if whole else "unknown"
    bare = written is None and implied is None
    # A bare number counts only right after a pay word: "Gaji: 5.000.000".
    cue_found = _cue_before(vocab, nt.text, start, _BARE_CUE_WINDOW if bare else _CUE_WINDOW)
    cue = cue_found[0] if cue_found else None
    if bare and _looks_like_noise(parts[0], m["a1"], cue):
        return None
    if period == "unknown" and cue is not None and cue.period is not None:
        period = cue.period
    pay = (cue is not None and cue.pay) or period != "unknown"
    if written is not None:
        if (written.weak and not pay) or parts[-1].value * written.factor < written.min_amount:
            return None
        code, factor = _resolve(written.code, nt, hints, vocab), written.factor
    else:
        if not pay or any(p.needs_currency for p in parts):
            return None
        if implied is None:  # bare, so the cue is a pay word right before it
            implied = _default_currency(vocab, hints, cue) if cue is not None else None
            if implied is None:
                return None
        code, factor = _resolve(implied, nt, hints, vocab), 1.0
    rate = vocab.units_per_usd[code]
    values = [p.value * factor for p in parts]
    per_month = values[-1] / rate * vocab.to_month[period]
    if bare and per_month < _MIN_BARE_USD:
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
    return Indicator("money", value, nt.to_original(start, end), attrs)


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
    if not _ANY_DIGIT.search(text):
        return []
    vocab = _vocabulary()
    found: list[Indicator] = []
    for m in vocab.candidate.finditer(text):
        start = m.start()
        before = text[max(0, start - 2) : start]
        prefix = None
        if before and (before[-1] in vocab.prefix_ends or before[:1] in vocab.prefix_ends):
            prefix = vocab.prefix.search(text, max(0, start - _MAX_PREFIX), start)
            if prefix and prefix.start() and text[prefix.start() - 1].isalnum():
                prefix = None  # inside a word or an id: "...f1a1d3aed22"
        if prefix is None:
            if before and _LATIN_LETTER.match(before[-1]):
                continue  # glued to a word: "A4", "COVID19", "B2B"
            if m.lastgroup == "a1" and _PLAIN.fullmatch(m[0]):
                # A bare number, the common case: money only right after a pay word.
                if len(m[0]) < 3 or not _cue_before(vocab, text, start, _BARE_CUE_WINDOW):
                    continue
        indicator = _read_match(vocab, nt, hints, m, prefix)
        if indicator is not None:
            found.append(indicator)
    return found


def rate_table() -> tuple[str, dict[str, float]]:
    """The date of the shipped rate table and its rates, in units of currency per USD."""
    vocab = _vocabulary()
    return vocab.rate_date, dict(vocab.units_per_usd)
