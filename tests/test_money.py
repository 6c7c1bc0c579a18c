"""Salary amounts are read in every covered notation, valued in USD a month, and only there."""

from __future__ import annotations

import csv
import gzip
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect.hints import Hints
from suar.detect.money import extract_money, parse_number, parse_tables, rate_table
from suar.detect.normalize import normalize
from suar.domain import Indicator
from suar.errors import DataError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def indicators(text: str, **hints: Any) -> list[Indicator]:
    found = list(extract_money(normalize(text), Hints(**hints)))
    for ind in found:
        start, end = ind.span
        assert 0 <= start < end <= len(text), (ind, text)
        assert ind.kind == "money"
    return found


def one(text: str, **hints: Any) -> tuple[Indicator, str]:
    """The only money in ``text`` and its evidence."""
    found = indicators(text, **hints)
    assert len(found) == 1, (text, found)
    return found[0], text[found[0].span[0] : found[0].span[1]]


def usd_at(code: str) -> float:
    """USD per unit of ``code`` in the shipped table."""
    return 1 / rate_table()[1][code]


# --- every notation of the brief -------------------------------------------------------

NOTATIONS = [
    # (text, value, evidence)
    ("USD 1,500/month", "USD 1500/month", "USD 1,500/month"),
    ("Salary $1500 per month, free housing", "USD 1500/month", "$1500 per month"),
    ("1.500 USD/tháng", "USD 1500/month", "1.500 USD/tháng"),
    ("月薪3万", "CNY 30000/month", "3万"),
    ("月薪8000-12000元", "CNY 8000-12000/month", "8000-12000元"),
    ("年薪50万", "CNY 500000/year", "50万"),
    ("3-5万/月", "CNY 30000-50000/month", "3-5万/月"),
    ("工资1万5千元", "CNY 15000", "1万5千元"),
    ("15 triệu/tháng", "VND 15000000/month", "15 triệu/tháng"),
    ("Thu nhập : 8-15tr/tháng", "VND 8000000-15000000/month", "8-15tr/tháng"),
    ("lương 15tr5/tháng", "VND 15500000/month", "15tr5/tháng"),
    ("lương 1000$", "USD 1000", "1000$"),
    ("Rp 15 juta", "IDR 15000000", "Rp 15 juta"),
    ("Rp15.000.000/bulan", "IDR 15000000/month", "Rp15.000.000/bulan"),
    ("gaji 8 jt", "IDR 8000000", "8 jt"),
    ("penghasilan Rp 3 juta sd Rp 6 juta", "IDR 3000000-6000000", "Rp 3 juta sd Rp 6 juta"),
    ("Gaji: 5.000.000 - 7.000.000", "IDR 5000000-7000000", "5.000.000 - 7.000.000"),
    ("RM 3,500 sebulan", "MYR 3500/month", "RM 3,500 sebulan"),
    ("₱50k", "PHP 50000", "₱50k"),
    ("PHP 40,000 a month", "PHP 40000/month", "PHP 40,000 a month"),
    ("sahod na ₱40,000", "PHP 40000", "₱40,000"),
    ("ranges from P35,000-40,000/month", "PHP 35000-40000/month", "P35,000-40,000/month"),
    ("เงินเดือน 30,000 บาท", "THB 30000/month", "30,000 บาท"),
    ("20,000-30,000 บาท/เดือน", "THB 20000-30000/month", "20,000-30,000 บาท/เดือน"),
    ("เงินเดือน 3 หมื่นบาท", "THB 30000/month", "3 หมื่นบาท"),
    ("월 500만원", "KRW 5000000/month", "500만원"),
    ("월급 300만 원", "KRW 3000000/month", "300만 원"),
    ("연봉 1억 5천만원", "KRW 150000000/year", "1억 5천만원"),
    ("3万円", "JPY 30000", "3万円"),
    ("時給1500円", "JPY 1500/hour", "1500円"),
    ("日給1万円", "JPY 10000/day", "1万円"),
    ("$50/day", "USD 50/day", "$50/day"),
    ("weekly $400", "USD 400/week", "$400"),
    ("1000-2000 USD", "USD 1000-2000", "1000-2000 USD"),
    ("ប្រាក់ខែ 1000$", "USD 1000/month", "1000$"),
    ("ប្រាក់ខែ ៤,០០០,០០០ រៀល", "KHR 4000000/month", "៤,០០០,០០០ រៀល"),
    ("လစာ ကျပ် ၁၀ သိန်း", "MMK 1000000/month", "ကျပ် ၁၀ သိန်း"),
    ("ເງິນເດືອນ 5,000,000 ກີບ", "LAK 5000000/month", "5,000,000 ກີບ"),
    ("ເງິນເດືອນ 3 ລ້ານກີບ", "LAK 3000000/month", "3 ລ້ານກີບ"),
]


@pytest.mark.parametrize(("text", "value", "evidence"), NOTATIONS)
def test_salary_notation_is_read_with_currency_and_period(
    text: str, value: str, evidence: str
) -> None:
    ind, shown = one(text)
    assert (ind.value, shown) == (value, evidence)


def test_monthly_salary_is_valued_in_usd_per_month_with_the_dated_rate() -> None:
    ind, _ = one("Gaji Rp 15.000.000/bulan")
    assert dict(ind.attrs) == {
        "currency": "IDR",
        "period": "month",
        "context": "pay",
        "amount": 15_000_000,
        "usd": round(15_000_000 * usd_at("IDR"), 2),
        "usd_per_month": round(15_000_000 * usd_at("IDR"), 2),
        "rate_date": rate_table()[0],
    }


def test_hourly_and_daily_pay_become_monthly_with_documented_factors() -> None:
    hourly, _ = one("時給1500円")
    daily, _ = one("$50/day")
    weekly, _ = one("weekly $400")
    yearly, _ = one("年薪50万")
    assert hourly.attrs["usd_per_month"] == pytest.approx(1500 * usd_at("JPY") * 8 * 22, 0.001)
    assert daily.attrs["usd_per_month"] == pytest.approx(50 * 22, 0.001)
    assert weekly.attrs["usd_per_month"] == pytest.approx(400 * 52 / 12, 0.001)
    assert yearly.attrs["usd_per_month"] == pytest.approx(500_000 * usd_at("CNY") / 12, 0.001)


def test_a_range_is_valued_at_its_upper_bound_and_keeps_both_ends() -> None:
    ind, evidence = one("Salary: PHP 55,000 – PHP 80,000 per month")
    assert evidence == "PHP 55,000 – PHP 80,000 per month"
    assert (ind.attrs["min"], ind.attrs["max"]) == (55_000, 80_000)
    assert "amount" not in ind.attrs
    assert ind.attrs["usd_per_month"] == pytest.approx(80_000 * usd_at("PHP"), 0.001)
    assert ind.attrs["usd_per_month_min"] == pytest.approx(55_000 * usd_at("PHP"), 0.001)


def test_a_range_carries_the_multiplier_of_its_upper_end_to_the_lower() -> None:
    ind, evidence = one("Lương 15-20 triệu")
    assert (ind.value, evidence) == ("VND 15000000-20000000", "15-20 triệu")


def test_a_falling_range_keeps_only_the_first_amount() -> None:
    ind, evidence = one("Gaji Rp 5.000.000 - 2 orang")
    assert (ind.value, evidence) == ("IDR 5000000", "Rp 5.000.000")


def test_a_big_amount_without_period_is_read_as_a_yearly_salary() -> None:
    ind, evidence = one("Compensation $135K-$145K")
    assert (ind.value, evidence) == ("USD 135000-145000/year", "$135K-$145K")
    assert ind.attrs["period_guessed"] is True
    assert ind.attrs["usd_per_month"] == pytest.approx(145_000 / 12, 0.001)


def test_an_amount_without_pay_word_or_period_is_unspecified_but_valued() -> None:
    ind, _ = one("Customer service job in Cambodia, USD 1,200, free food")
    assert ind.attrs["context"] == "unspecified"
    assert ind.attrs["period"] == "unknown"
    assert ind.attrs["usd_per_month"] == 1200


# --- what a currency sign means depends on the post -----------------------------------


def test_dollar_is_the_local_dollar_where_the_post_says_so() -> None:
    assert one("Salary $3,000", country="SG")[0].value == "SGD 3000"
    assert one("Salary $3,000")[0].value == "USD 3000"


def test_yen_sign_and_man_are_yen_in_japanese_and_yuan_otherwise() -> None:
    assert one("月給¥250,000です")[0].attrs["currency"] == "JPY"
    assert one("月薪¥8000")[0].attrs["currency"] == "CNY"
    assert one("月給25万", lang="ja")[0].value == "JPY 250000/month"


def test_a_number_after_a_pay_word_takes_the_currency_of_the_post() -> None:
    assert one("salary 50k/month", country="PH")[0].value == "PHP 50000/month"
    assert indicators("salary 50k/month") == []  # no country, no currency: not money


# --- not every number is money -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Call 0812 3456 7890 now",
        "In 2024 we hired 1500 people across 12 offices",
        "Age 18-35, height 160 cm",
        "Discount 50% today",
        "Knowledge of PHP 7 and MySQL",
        "Lương tháng 13, thưởng Tết",
        "Ngân hàng với quy mô 30 triệu khách hàng",
        "Office 5km from BTS, COVID19 vaccinated, A4 printer",
        "Posted 12.05.2024, ref 1.234",
        "Gaji 13 bulan",
        "P50 for the bus",
        "We have 3 million users",
    ],
)
def test_numbers_that_are_not_money_give_nothing(text: str) -> None:
    assert indicators(text) == []


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Placement fee PHP 50,000 before departure", "PHP 50,000"),
        ("We've raised $1 Million from investors", "$1 Million"),
        ("ยอดขายกว่า 2 หมื่นล้านบาท", "2 หมื่นล้านบาท"),
        ("Biaya pendaftaran Rp 500.000", "Rp 500.000"),
    ],
)
def test_fees_prices_and_turnover_are_money_but_never_a_salary(text: str, evidence: str) -> None:
    ind, shown = one(text)
    assert shown == evidence
    assert ind.attrs["context"] == "other"
    assert "usd_per_month" not in ind.attrs


# --- number notation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("15.000.000", 15_000_000),
        ("1,500.50", 1500.5),
        ("1.500,50", 1500.5),
        ("1,500", 1500),
        ("1.500", 1500),
        ("1,5", 1.5),
        ("2.75", 2.75),
        ("1\u00a0500", 1500),
        ("42", 42),
    ],
)
def test_thousands_and_decimal_marks_are_read_per_locale(written: str, value: float) -> None:
    assert parse_number(written) == value


@given(
    amount=st.integers(min_value=1, max_value=999_999_999),
    mark=st.sampled_from([",", "."]),
    currency=st.sampled_from([("USD ", "", "USD"), ("Rp ", "", "IDR"), ("", " บาท", "THB")]),
)
def test_grouped_amounts_round_trip(amount: int, mark: str, currency: tuple[str, str, str]) -> None:
    written = f"{amount:,}".replace(",", mark)
    before, after, code = currency
    text = f"Salary: {before}{written}{after}"
    ind, evidence = one(text)
    assert evidence == f"{before}{written}{after}".strip()
    assert ind.attrs["currency"] == code
    assert ind.attrs["amount"] == amount


@given(st.integers(min_value=1000, max_value=9_999_999), st.sampled_from(["๐", "០", "၀", "໐"]))
def test_amounts_in_native_digits_are_read_and_map_back(amount: int, zero: str) -> None:
    native = "".join(chr(ord(zero) + int(d)) for d in str(amount))
    text = f"เงินเดือน {native} USD"
    ind, evidence = one(text)
    assert evidence == f"{native} USD"
    assert ind.attrs["amount"] == amount


# Characters this Python's Unicode tables do not know are left out: normalize() cannot
# fold digits it has no value for (U+1E4F0, a Unicode 15 digit, raises there).
KNOWN_TEXT = st.text(st.characters(exclude_categories=["Cn"]))


@settings(max_examples=300)
@given(KNOWN_TEXT)
def test_any_text_gives_valid_spans_and_never_raises(text: str) -> None:
    for ind in indicators(text):
        assert ind.attrs["currency"] in rate_table()[1]
        assert ind.attrs["period"] in ("hour", "day", "week", "month", "year", "unknown")


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            ["Rp", "USD", "$", "5", "1.500", "15", "juta", "triệu", "万", "만", "k", "-", " ", "/",
             "month", "bulan", "tháng", "月", "gaji", "lương", "月薪", "fee", "บาท", "ကျပ်", "သိန်း",
             "~", ",", ".", "원", "円", "\n", "2024", "0812"]
        ),
        max_size=14,
    ).map("".join)
)  # fmt: skip
def test_money_like_noise_gives_valid_spans_and_never_raises(text: str) -> None:
    for ind in indicators(text):
        assert ind.value.split()[0] == ind.attrs["currency"]


# --- the shipped tables --------------------------------------------------------------------


def shipped(name: str) -> Any:
    """A fresh copy of a data file shipped in the package."""
    return json.loads(resources.files("suar.detect").joinpath("data", name).read_text("utf-8"))


def test_rate_table_is_dated_sourced_and_covers_the_region() -> None:
    as_of, rates = rate_table()
    assert as_of == shipped("rates.json")["as_of"]
    assert shipped("rates.json")["source"]
    for code in ("USD", "IDR", "MYR", "PHP", "VND", "THB", "KHR", "LAK", "MMK", "SGD", "CNY",
                 "KRW", "JPY", "TWD", "HKD", "AED", "EUR", "GBP", "INR"):  # fmt: skip
        assert rates[code] > 0


def test_a_currency_without_a_rate_is_refused() -> None:
    rates = shipped("rates.json")
    del rates["units_per_usd"]["LAK"]
    with pytest.raises(DataError, match="LAK"):
        parse_tables(shipped("money.json"), rates)


def test_a_malformed_vocabulary_is_refused_with_its_place() -> None:
    vocabulary = shipped("money.json")
    vocabulary["currencies"][0]["side"] = "middle"
    with pytest.raises(DataError, match="money.json.*currencies/0/side"):
        parse_tables(vocabulary, shipped("rates.json"))


def test_an_undated_rate_table_is_refused() -> None:
    rates = shipped("rates.json")
    rates["as_of"] = "last year"
    with pytest.raises(DataError, match="rates.json"):
        parse_tables(shipped("money.json"), rates)


# --- real job ads ----------------------------------------------------------------------------


def _loker_descriptions() -> list[str]:
    path = DATA / "loker_id_jobs" / "job_postings_processed.csv.gz"
    if not path.exists():
        pytest.skip(f"shared data set not available: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [row["Description"] for row in csv.DictReader(io.TextIOWrapper(fh.buffer))]


@pytest.mark.data
def test_indonesian_job_ads_give_plausible_rupiah_salaries() -> None:
    salaries = [
        ind
        for text in _loker_descriptions()
        for ind in indicators(text, lang="id")
        if ind.attrs["context"] == "pay" and ind.attrs["period"] in ("month", "unknown")
    ]
    assert len(salaries) >= 15
    assert all(ind.attrs["currency"] == "IDR" for ind in salaries)
    # Monthly pay and allowances in these ads run from about Rp 100 ribu to Rp 16 juta.
    assert all(5 <= ind.attrs["usd_per_month"] <= 1500 for ind in salaries), salaries


@pytest.mark.data
def test_thai_job_board_salary_ranges_are_read_in_baht() -> None:
    path = DATA / "jobthai_th" / "jobthai_jobs.json.gz"
    if not path.exists():
        pytest.skip(f"shared data set not available: {path}")
    jobs = json.loads(gzip.open(path).read())["jobs"]
    ranges = [j["salary"] for j in jobs if j["salary"][:1].isdigit()]
    assert len(ranges) > 100
    for written in ranges:
        found = indicators(written)
        if not found:  # a typo such as "830,000 - 40,000 บาท" is no range
            low, high = (parse_number(n.split()[0]) for n in written.split(" - "))
            assert low > high, written
            continue
        ind, evidence = one(written)
        assert ind.attrs["currency"] == "THB"
        assert written.strip().startswith(evidence)  # "15,000 บาทขึ้นไป": and up
        # A few fields hold a daily or hourly rate without saying so ("400 บาท"):
        # read as monthly, they are low, never absurdly high.
        assert 1 <= ind.attrs["usd_per_month"] <= 10_000
        if ind.attrs.get("max", ind.attrs.get("amount", 0)) >= 5000:
            assert ind.attrs["usd_per_month"] >= 150


def test_a_separator_that_starts_like_a_number_is_refused() -> None:
    vocabulary = shipped("money.json")
    vocabulary["range_separators"].append(".-")
    with pytest.raises(DataError, match="money.json.*starts with"):
        parse_tables(vocabulary, shipped("rates.json"))
