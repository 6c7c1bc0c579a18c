"""The money vocabulary and rate table behind :mod:`suar.detect.money`, checked and compiled.

``data/money.json`` lists currencies (with the side of the amount they stand on),
multipliers, range separators, periods and the pay and fee words that say what
an amount is; ``data/rates.json`` holds the dated units of each currency per
USD; ``data/money.schema.json`` is the JSON Schema of both. Nothing is read
until :func:`vocabulary` is first called; a bad file raises
:class:`~suar.errors.DataError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import ahocorasick
import jsonschema
import regex

from suar.datafiles import read_json
from suar.detect.normalize import fold
from suar.detect.wordtrie import alternation, spellings
from suar.errors import DataError

_VOCAB_FILE: Final = "money.json"
_RATES_FILE: Final = "rates.json"
_SCHEMA_FILE: Final = "money.schema.json"
PERIODS: Final[tuple[str, ...]] = ("hour", "day", "week", "month", "year", "unknown")
DOLLAR: Final = "DOLLAR"
YEN_OR_YUAN: Final = "YEN_OR_YUAN"

#: The spaces a money expression may hold (normalisation keeps the narrow ones).
SPACES: Final = " \u00a0\u202f\u2009"
_SPACE: Final = f"[{SPACES}]"
#: A number in any covered notation; it ends where the digits end.
NUMBER: Final = (
    r"[0-9](?:[0-9]{0,2}(?:[,.\u00a0\u202f\u2009][0-9]{3})+(?:[.,][0-9]{1,2})?"
    r"|[0-9]*(?:[.,][0-9]{1,2})?)(?![0-9]|[.,][0-9])"
)
# What a money expression is made of up to its first word or sign.
_NUMERALS: Final = frozenset("0123456789.," + SPACES)


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    weak: bool
    min_amount: float
    factor: float


@dataclass(frozen=True, slots=True)
class Multiplier:
    factor: float
    currency: str | None
    needs_currency: bool


@dataclass(frozen=True, slots=True, eq=False)
class Cue:
    """A pay or fee word; one object per spelling, so that it hashes by identity (fast)."""

    pay: bool
    period: str | None
    lang: str | None
    adjacent: bool


@dataclass(frozen=True, slots=True)
class Vocabulary:
    candidate: regex.Pattern[str]
    #: A number where a money expression may start, and (group 1) the first character
    #: after the digits, marks and spaces that follow it.
    numbers: re.Pattern[str]
    #: What may follow a number in a money expression (a multiplier, a currency, a range
    #: separator, a period), by first character. A number followed by none stands alone.
    continuations: Mapping[str, tuple[str, ...]]
    #: A character no money expression contains: the candidate pattern cannot read past one.
    stop: re.Pattern[str]
    prefix: regex.Pattern[str]
    prefix_spellings: Mapping[str, tuple[str, ...]]  # currencies written before, by last character
    parts: regex.Pattern[str]
    cue_automaton: Any  # ahocorasick.Automaton: lower-case cue -> (length, Cue)
    currencies: Mapping[str, Currency]
    multipliers: Mapping[str, Multiplier]
    periods: Mapping[str, str]  # period unit or word -> period
    to_month: Mapping[str, float]
    units_per_usd: Mapping[str, float]
    rate_date: str
    lang_currency: Mapping[str, str]
    country_currency: Mapping[str, str]
    dollar_by_country: Mapping[str, str]


def _check(document: Any, schema: Mapping[str, Any], name: str) -> None:
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(document)
    )
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "top level"
        raise DataError(f"{name}: {error.message} (at {where})", file=name)


def _automaton(cues: Mapping[str, Cue]) -> Any:
    automaton = ahocorasick.Automaton()
    for spelling, cue in cues.items():
        automaton.add_word(spelling.lower(), (len(spelling), cue))
    automaton.make_automaton()
    return automaton


def key(spelling: str) -> str:
    """How a case-insensitive token is looked up."""
    return spelling.casefold()


def _every(tokens: Iterable[tuple[str, bool]]) -> frozenset[str]:
    return frozenset(s for token, cs in tokens for s in spellings(token, cs))


def _by_last(spellings: Iterable[str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for spelling in spellings:
        grouped.setdefault(spelling[-1], []).append(spelling)
    return {last: tuple(sorted(group)) for last, group in grouped.items()}


def _numbers(continuations: Iterable[str], prefix_ends: Iterable[str]) -> re.Pattern[str]:
    """The pattern of :attr:`Vocabulary.numbers`.

    It starts with the digit, so that the engine skips to digits without trying the
    rest, and passes over the one- and two-digit numbers that no currency precedes
    and nothing continues ("9:00", "2 years"): never money, and the most common.
    """
    ends, follow = re.escape("".join(prefix_ends)), re.escape("".join(continuations))
    numerals = f"[0-9.,{SPACES}]"
    alone = (
        rf"(?<![{ends}].)(?<![{ends}][{SPACES}].)"
        rf"(?=[0-9]?(?![0-9]|[.,][0-9]){numerals}*+(?![{follow}]))"
    )
    return re.compile(
        rf"[0-9](?<![0-9][0-9])(?<![0-9][.,][0-9])(?!{alone}){NUMBER[len('[0-9]') :]}"
        rf"(?={numerals}*+(.?))",
        re.DOTALL,
    )


def parse_tables(vocabulary: Any, rates: Any) -> Vocabulary:
    """Check the vocabulary and the rate table and compile them; DataError when one is wrong."""
    schemas = read_json("suar.detect", _SCHEMA_FILE)
    _check(rates, schemas["rates"], _RATES_FILE)
    _check(vocabulary, schemas["vocabulary"], _VOCAB_FILE)
    units_per_usd = {code: float(rate) for code, rate in rates["units_per_usd"].items()}

    def code(value: str, where: str) -> str:
        if value in (DOLLAR, YEN_OR_YUAN) or value in units_per_usd:
            return value
        raise DataError(f"{_VOCAB_FILE}: {value} ({where}) has no rate in {_RATES_FILE}")

    pre: list[tuple[str, bool]] = []
    suf: list[tuple[str, bool]] = []
    currencies: dict[str, Currency] = {}
    for item in vocabulary["currencies"]:
        spelling, cs = fold(item["t"]), item.get("cs", False)
        currencies[spelling if cs else key(spelling)] = Currency(
            code(item["c"], spelling), item.get("weak", False), item.get("min", 0.0),
            item.get("factor", 1.0),
        )  # fmt: skip
        if item["side"] != "suf":
            pre.append((spelling, cs))
        if item["side"] != "pre":
            suf.append((spelling, cs))
    multipliers = {
        key(fold(m["t"])): Multiplier(
            m["f"], code(m["currency"], m["t"]) if "currency" in m else None,
            m.get("needs_currency", False),
        )
        for m in vocabulary["multipliers"]
    }  # fmt: skip
    period_units = {
        key(fold(u)): p for p, units in vocabulary["period_units"].items() for u in units
    }
    period_words = {
        key(fold(w)): p for p, words in vocabulary["period_words"].items() for w in words
    }
    cue_words = {
        key(fold(c["t"])): Cue(True, c.get("period"), c.get("lang"), c.get("adjacent", False))
        for c in vocabulary["pay_cues"]
    }
    for other in vocabulary["other_cues"]:
        cue_words.setdefault(key(fold(other)), Cue(False, None, None, False))

    pre_s, suf_s, mult_s = _every(pre), _every(suf), _every((m, False) for m in multipliers)
    sep_s = _every((fold(s), False) for s in vocabulary["range_separators"])
    conn_s = _every((fold(s), False) for s in vocabulary["period_connectors"])
    word_s = _every((w, False) for w in period_words)
    continuations: dict[str, list[str]] = {}
    for token in mult_s | suf_s | sep_s | conn_s | word_s:
        continuations.setdefault(token[0], []).append(token)
    if _NUMERALS.intersection(continuations):
        raise DataError(
            f"{_VOCAB_FILE}: a multiplier, currency, range separator or period starts with"
            f" a digit, a space or a mark of numbers: {sorted(_NUMERALS & set(continuations))}"
        )
    pre_p, suf_p, mult_p = alternation(pre_s), alternation(suf_s), alternation(mult_s)
    amount = (
        rf"{NUMBER}(?:{_SPACE}?{mult_p}{mult_p}*)?"
        rf"(?:{_SPACE}?{NUMBER}{_SPACE}?{mult_p}{mult_p}*)*"
        rf"(?:(?<=\p{{L}})[0-9]{{1,4}}(?![0-9.,]))?"
    )
    unit_s = _every((u, False) for u in period_units)
    words = "".join(mult_s | suf_s | pre_s | sep_s | conn_s | word_s | unit_s)
    consumable = "".join(sorted(set(words) | _NUMERALS))
    units_p = alternation(unit_s)
    period_p = (
        rf"(?:{alternation(conn_s)}{_SPACE}*(?P<unit>{units_p})"
        rf"|(?P<pword>{alternation(word_s)}))"
    )
    candidate = (
        rf"(?<![0-9]|[0-9][.,])(?P<a1>{amount})(?:{_SPACE}{{0,2}}(?P<suf1>{suf_p}))?"
        rf"(?P<range>{_SPACE}*(?:{alternation(sep_s)}){_SPACE}*"
        rf"(?:(?P<pre2>{pre_p}){_SPACE}?)?(?P<a2>{amount})(?:{_SPACE}{{0,2}}(?P<suf2>{suf_p}))?)?"
        rf"(?:{_SPACE}*{period_p})?"
    )
    factors = vocabulary["period_factors_to_month"]
    return Vocabulary(
        candidate=regex.compile(candidate),
        numbers=_numbers(continuations, _by_last(pre_s)),
        continuations={c: tuple(sorted(tokens)) for c, tokens in continuations.items()},
        stop=re.compile(f"[^{re.escape(consumable)}]"),
        prefix=regex.compile(rf"(?P<pre>{pre_p}){_SPACE}?\Z"),
        prefix_spellings=_by_last(pre_s),
        parts=regex.compile(rf"(?P<num>{NUMBER})|(?P<mult>{mult_p})"),
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
def vocabulary() -> Vocabulary:
    """The shipped vocabulary and rate table, loaded and compiled once."""
    return parse_tables(
        read_json("suar.detect", _VOCAB_FILE), read_json("suar.detect", _RATES_FILE)
    )
