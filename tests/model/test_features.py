"""Hashed text units: deterministic, across scripts, cheap, and the same at training and scan time."""

from __future__ import annotations

import hashlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.domain import Finding, Flag, Indicator, Level
from suar.model.features import (
    PAY_BANDS,
    TextHashing,
    finding_feature_names,
    finding_features,
    is_word_column,
    ngram_columns,
    ngram_counts,
)

HASHING = TextHashing(bits=16)


def _finding(
    text: str, indicators: tuple[Indicator, ...] = (), flags: tuple[Flag, ...] = ()
) -> Finding:
    return Finding(0.0, Level.NONE, "en", "test", indicators=indicators, flags=flags)


def test_the_same_text_always_hits_the_same_columns() -> None:
    text = "Tuyển gấp nhân viên, lương 30 triệu/tháng, liên hệ Zalo"
    assert np.array_equal(ngram_columns(text, HASHING), ngram_columns(text, HASHING))


def test_case_spacing_and_digits_do_not_change_the_columns() -> None:
    a = ngram_counts("Salary USD 1500 per month", HASHING)
    b = ngram_counts("salary   usd 2700\nper MONTH", HASHING)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_a_repeated_word_counts_twice() -> None:
    columns, counts = ngram_counts(
        "hello hello", TextHashing(bits=16, min_n=3, max_n=3, words=True)
    )
    word_counts = counts[is_word_column(columns, TextHashing(bits=16))]
    assert 2.0 in word_counts  # the word "hello"


def test_scripts_without_spaces_get_character_ngrams() -> None:
    thai = "รับสมัครพนักงานแอดมินออนไลน์"
    columns = ngram_columns(thai, TextHashing(bits=16, words=False))
    # one column per 3-, 4- and 5-gram of the padded text
    padded = len(thai) + 2
    assert len(columns) == sum(padded - n + 1 for n in (3, 4, 5))


def test_only_the_first_max_chars_are_read() -> None:
    hashing = TextHashing(bits=16, max_chars=100)
    assert np.array_equal(ngram_columns("a" * 100, hashing), ngram_columns("a" * 5000, hashing))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_unicode_text_hashes_to_columns_in_range(text: str) -> None:
    columns = ngram_columns(text, HASHING)
    assert columns.dtype == np.int64
    assert np.all((columns >= 0) & (columns < HASHING.n_features))


def test_finding_features_mark_kinds_pay_bands_and_known_flags() -> None:
    money = Indicator("money", "USD 1600/month", (7, 21), {"usd_per_month": 1600.0})
    telegram = Indicator("telegram", "@hr_jobs", (30, 38))
    flag = Flag("contact.moves_to_dm", "label", "@hr_jobs", (30, 38), 0.25)
    unknown = Flag("some.new_flag", "label", "x", (0, 1), 0.5)
    codes = ("contact.moves_to_dm", "salary.unrealistic")
    values = dict(
        zip(
            finding_feature_names(codes),
            finding_features(_finding("", (money, telegram), (flag, unknown)), codes),
            strict=True,
        )
    )
    assert values["indicator:money"] == 1.0 and values["indicator:telegram"] == 1.0
    assert values["indicator:phone"] == 0.0
    assert [values[f"pay_usd_month>={b:g}"] for b in PAY_BANDS] == [1.0, 1.0, 1.0, 0.0]
    assert values["flag:contact.moves_to_dm"] == 1.0 and values["flag:salary.unrealistic"] == 0.0
    assert values["flags:weight_sum"] == 0.75  # an unknown code still adds its weight


def test_the_columns_of_a_text_never_change_or_the_shipped_model_would_read_it_wrongly() -> None:
    # pinned with the first implementation: a faster hashing must hit exactly these columns
    text = "Earn $500 a WEEK from home!! Call 0812-345-678, ไทย งาน 日本語 ok"
    columns = ngram_columns(text, TextHashing())
    assert len(columns) == 210
    digest = hashlib.sha256(columns.astype("<i8").tobytes()).hexdigest()
    assert digest.startswith("a03888a7050b450c")
