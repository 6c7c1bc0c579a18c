"""Phone numbers come out as E.164 with the number as written as evidence, and only real numbers do."""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import re
from importlib import resources
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect.hints import REGION_COUNTRIES, Hints
from suar.detect.normalize import normalize
from suar.detect.phones import extract_phones, phone_at, resolve_digits
from suar.detect.script import script_language
from suar.domain import Indicator

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def phones(text: str, *, lang: str | None = None, country: str | None = None) -> list[Indicator]:
    """The phone indicators of ``text``, with hints built the way the detector builds them."""
    nt = normalize(text)
    script = script_language(nt.text)
    hints = Hints.build(lang=lang or script, country=country, script_lang=script)
    found = list(extract_phones(nt, hints))
    for ind in found:
        start, end = ind.span
        assert 0 <= start < end <= len(text), (ind, text)
        assert ind.kind == "phone"
        assert ind.attrs["e164"] == ind.value
    return found


def found(text: str, **kw: str) -> list[tuple[str, str, str]]:
    """(E.164, evidence, country) for every phone in ``text``."""
    return [(i.value, text[i.span[0] : i.span[1]], i.attrs["country"]) for i in phones(text, **kw)]


# --- one number per script and notation -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Latin script: Indonesian, Malay, Filipino, English lures
        ("Lowongan kerja di Kamboja, gaji besar! Hubungi 0812-3456-7890 sekarang", "id",
         ("+6281234567890", "0812-3456-7890", "ID")),
        ("Kerja kilang di Thailand, hubungi 012-345 6789 (Encik Ali)", "ms",
         ("+60123456789", "012-345 6789", "MY")),
        ("Hiring CSR for Cambodia, text 09171234567 po", "tl",
         ("+639171234567", "09171234567", "PH")),
        # Vietnamese: dotted groups
        ("Tuyển gấp nhân viên CSKH tại Campuchia, lương cao, gọi 0912.345.678", "vi",
         ("+84912345678", "0912.345.678", "VN")),
        # Thai digits
        ("รับสมัครพนักงานแอดมิน ทำงานต่างประเทศ โทร ๐๘๑-๒๓๔-๕๖๗๘ ด่วน", None,
         ("+66812345678", "๐๘๑-๒๓๔-๕๖๗๘", "TH")),
        # Khmer digits
        ("ជ្រើសរើសបុគ្គលិក ប្រាក់ខែខ្ពស់ ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨", None,
         ("+85512345678", "០១២ ៣៤៥ ៦៧៨", "KH")),
        # Lao digits
        ("ຮັບສະໝັກພະນັກງານ ເງິນເດືອນສູງ ໂທ ໐໒໐ ໕໕໕໕ ໑໒໓໔", None,
         ("+8562055551234", "໐໒໐ ໕໕໕໕ ໑໒໓໔", "LA")),
        # Burmese digits
        ("ထိုင်းမှာ အလုပ်ခေါ်နေပါသည် ဖုန်း ၀၉ ၄၂၃ ၄၅၆ ၇၈၉", None,
         ("+959423456789", "၀၉ ၄၂၃ ၄၅၆ ၇၈၉", "MM")),
        # Chinese: an 11-digit mobile written without a trunk prefix
        ("高薪招聘客服，包吃包住，联系电话 13800138000", None,
         ("+8613800138000", "13800138000", "CN")),
        # Korean
        ("해외 고수익 알바 모집, 문의 010-1234-5678", None,
         ("+821012345678", "010-1234-5678", "KR")),
        # Japanese
        ("高収入バイト募集中、お電話は 090-1234-5678 まで", None,
         ("+819012345678", "090-1234-5678", "JP")),
    ],
)  # fmt: skip
def test_a_national_number_reads_in_the_posts_country(
    text: str, lang: str | None, expected: tuple[str, str, str]
) -> None:
    assert found(text, **({"lang": lang} if lang else {})) == [expected]


@pytest.mark.parametrize(
    ("written", "e164", "country"),
    [
        ("+62 812 3456 7890", "+6281234567890", "ID"),
        ("(+855) 96 123 4567", "+855961234567", "KH"),
        ("+95 9 423 456 789", "+959423456789", "MM"),
        ("+84 (0) 912 345 678", "+84912345678", "VN"),
        ("+86 138 0013 8000", "+8613800138000", "CN"),
        ("+856 20 5555 1234", "+8562055551234", "LA"),
        ("+66-81-234-5678", "+66812345678", "TH"),
        ("0062 812 3456 7890", "+6281234567890", "ID"),
        ("+6281234567890", "+6281234567890", "ID"),
        ("+65 9123 4567", "+6591234567", "SG"),
    ],
)
def test_international_notations_give_e164_and_the_whole_number_as_evidence(
    written: str, e164: str, country: str
) -> None:
    text = f"Apply now, contact {written} for the visa"
    assert found(text) == [(e164, written, country)]


def test_national_format_is_reported_for_the_analyst() -> None:
    (ind,) = phones("Hubungi 081234567890 ya", lang="id")
    assert ind.attrs == {"country": "ID", "e164": "+6281234567890", "national": "0812-3456-7890"}


def test_the_hinted_country_decides_an_ambiguous_national_number() -> None:
    text = "call 0812345678"
    assert found(text, lang="th") == [("+66812345678", "0812345678", "TH")]
    assert found(text, country="ID") == [("+62812345678", "0812345678", "ID")]


def test_full_width_digits_are_read_and_shown_as_written() -> None:
    text = "ＷＡ ０８１２－３４５６－７８９０"
    assert found(text, lang="id") == [("+6281234567890", "０８１２－３４５６－７８９０", "ID")]


def test_letters_typed_for_digits_inside_a_number_are_read() -> None:
    assert found("Call O812-3456-789O now", lang="id") == [
        ("+6281234567890", "O812-3456-789O", "ID")
    ]
    # The Burmese letter wa looks like the Burmese zero.
    assert found("ဖုန်း ဝ၉ ၄၂၃ ၄၅၆ ၇၈၉") == [("+959423456789", "ဝ၉ ၄၂၃ ၄၅၆ ၇၈၉", "MM")]


def test_numbers_side_by_side_each_come_out() -> None:
    text = "Hub: ATY 082134976289(wa)/087822962111 atau (021) 4016 1777"
    assert found(text, lang="id") == [
        ("+6282134976289", "082134976289", "ID"),
        ("+6287822962111", "087822962111", "ID"),
        ("+622140161777", "(021) 4016 1777", "ID"),
    ]


def test_a_postal_code_before_a_number_is_left_out() -> None:
    text = "แขวงคลองตัน เขตวัฒนา กรุงเทพฯ 10110 02-260-6321 ต่อ 12"
    assert found(text) == [("+6622606321", "02-260-6321", "TH")]


def test_a_thai_range_of_extensions_reads_as_its_first_number() -> None:
    assert found("โทรศัพท์ 02-861-4805-10 ต่อ 2113") == [("+6628614805", "02-861-4805", "TH")]


# --- what is not a phone number -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Gaji Rp 15.000.000 per bulan, bonus Rp 5.000.000 - 8.000.000",
        "Lương 15.000.000đ/tháng, thưởng 50.000.000 VND",
        "เงินเดือน 35,000 - 50,000 บาท",
        "月薪 15000 元，年薪 180000 元",
        "Salary 2000-3000 USD, paid 20240115",
        "Interview 2024-01-15 at 08.00-17.00, start 15/01/2024, 15.01.2024",
        "ISO 9001 – 2015 certified",
        "NIK 3174012345678901, No. Rek 0248147033",
        "Kode transaksi 99100827288792",
        "Card 4413 0100 0226 1234 expires 12/27",
        "Lottery 07.31.19.43.22",
        "Postal code 10110, Phnom Penh 12000",
        "+999 123 456 789 and +62 812 34",
    ],
)
def test_dates_amounts_codes_and_ids_are_not_phone_numbers(text: str) -> None:
    assert phones(text) == []


def test_a_number_inside_a_link_or_an_address_is_not_read_as_a_phone() -> None:
    text = "see https://jobs.example.com/p/0812345678 or mail 0812345678@mail.example"
    assert phones(text, lang="id") == []


def test_a_foreign_landline_written_nationally_is_not_guessed() -> None:
    # A UK premium-rate number would read as a Korean landline; only mobiles are guessed abroad.
    assert phones("Call 0416-334411 now", lang="th") == []


# --- the helpers the messaging extractor uses -----------------------------------------


def test_a_number_after_an_account_label_is_read_even_when_glued() -> None:
    text = "WA08123456789"
    found_at = phone_at(text, 2, ("ID",))
    assert found_at is not None
    assert (found_at.e164, text[found_at.start : found_at.end]) == ("+628123456789", "08123456789")


def test_digits_from_a_link_resolve_internationally_or_nationally() -> None:
    assert resolve_digits("6281234567890", (), international=True) == (
        "ID",
        "+6281234567890",
        "0812-3456-7890",
    )
    assert resolve_digits("0912345678", ("VN",)) == ("VN", "+84912345678", "0912 345 678")
    assert resolve_digits("12ab", ("VN",)) is None


# --- properties -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_valid_indicators_with_spans_into_the_original(text: str) -> None:
    for ind in phones(text):
        start, end = ind.span
        assert text[start:end]
        assert ind.value.startswith("+") and ind.value[1:].isdigit()
        assert phonenumbers.is_valid_number(phonenumbers.parse(ind.value))


_LURE_WORDS = (
    "Hubungi", "call", "WA", "โทร", "ติดต่อ", "联系", "电话", "문의", "gọi", "ngay", "ទូរស័ព្ទ",
    "ဖုန်း", "ໂທ", "お電話", "kerja", "visa", "Cambodia", "ด่วน", "高薪", "(", ")", ":",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(REGION_COUNTRIES),
    st.sampled_from(
        [
            phonenumbers.PhoneNumberFormat.E164,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
        ]
    ),
    st.lists(st.sampled_from(_LURE_WORDS), max_size=4).map(" ".join),
    st.lists(st.sampled_from(_LURE_WORDS), max_size=4).map(" ".join),
)
def test_an_example_mobile_number_is_found_in_any_format_between_words(
    region: str, fmt: int, before: str, after: str
) -> None:
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert number is not None
    written = phonenumbers.format_number(number, fmt)
    text = f"{before} {written} {after}"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert (e164, written) in [(v, ev) for v, ev, _ in found(text, country=region)]


# --- real data ----------------------------------------------------------------------------


def test_numbers_in_real_indonesian_fraud_sms_are_indonesian_and_accounts_are_not_read() -> None:
    path = DATA / "indonesian_sms_spam" / "dataset_sms_spam_v1.csv.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data sets are not on this machine)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = list(csv.reader(io.StringIO(fh.read())))[1:]
    fraud = [text for text, label in rows if label == "1"]
    found_numbers = [ind for text in fraud for ind in phones(text, lang="id")]
    # The call-back numbers of the fraud set: well over a hundred, nearly all Indonesian.
    assert len(found_numbers) > 100
    indonesian = sum(1 for ind in found_numbers if ind.attrs["country"] == "ID")
    assert indonesian >= 0.95 * len(found_numbers)
    # Bank account numbers ("rek", "rekening") are never taken for phone numbers.
    for text in fraud:
        for ind in phones(text, lang="id"):
            before = text[max(0, ind.span[0] - 12) : ind.span[0]].lower()
            assert "rek" not in before, (text, ind)


# --- the fast paths read exactly what the candidate pattern reads ------------------------

_FRAGMENTS = (
    "0812", "3456", "7890", "345", "6789", "12", "1", "0", "00", "000", "9.000.000",
    "+62", "+84", "(02)", "(+855)", "(0)", "O", "o", "l", "I", "\u101d", " ", "  ", "\t",
    "-", ".", "..", "–", "/", ",", ":", "=", "@", "%", "_", ")", "(", "+", "\n",
    "Rp", "rek: ", "NIK ", "no. ", "USD", " juta", "k", "บาท", "โทร ", "电话:", "abc",
    "https://x.example/jobs/", "?id=",
)  # fmt: skip


def _reference(text: str, countries: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The straightforward reading: the candidate pattern over the whole text, guards on."""
    from suar.detect import phones as module
    from suar.detect.phone_runs import Run, read_run

    found = []
    for m in module._CANDIDATE.finditer(text):
        run = Run(text, m.start(), m.end())
        if max(b - a for a, b in run.tokens) <= 2 and not m.group().lstrip("( \t").startswith("+"):
            continue
        found += [(n.start, n.end, n.e164) for n in read_run(run, countries, None, relaxed=False)]
    return found


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join),
    st.sampled_from([("ID",), ("TH", "ID"), ("PH", "VN", "CN", "SG"), REGION_COUNTRIES]),
)
def test_numbers_are_read_the_same_way_wherever_they_stand(
    text: str, countries: tuple[str, ...]
) -> None:
    from suar.detect.phones import find_phones

    read = [(m.start, m.end, m.e164) for m in find_phones(text, countries)]
    assert read == _reference(text, countries)


@pytest.mark.parametrize(
    "text",
    [
        "O812345678 hubungi",  # a letter for the first digit, glued digits
        "Call O812345678, ok",
        "WA:O8123456789",
        "x O8123456789 y",
        "Rp12.500.000/bulan, hubungi 0812.3456.7890",
        "see https://x.example/jobs/081234567890 or call 0812 3456 7890",
        "12..0812345678",
        "NIK: 0812345678 / WA 0812-3456-7890",
        "Gaji 5.000.000 juta, HP 0812 3456 7890",
    ],
)
def test_a_number_glued_to_a_word_or_a_link_reads_as_the_candidate_pattern_reads_it(
    text: str,
) -> None:
    from suar.detect.phones import find_phones

    assert [(m.start, m.end, m.e164) for m in find_phones(text, ("ID",))] == _reference(
        text, ("ID",)
    )


@functools.lru_cache(maxsize=1)
def _forward_guards() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The guard words searched forwards, as plainly as they are written in the data file."""
    path = resources.files("suar.detect").joinpath("data", "messaging_phone_guards.json")
    data = json.loads(path.read_text(encoding="utf-8"))

    def words(key: str) -> str:
        found = sorted({v.strip().lower() for v in data[key]["values"]}, key=len, reverse=True)
        return "|".join(re.escape(w) for w in found)

    return (
        re.compile(
            rf"(?<![a-z0-9])(?:{words('id_labels')})[ \t]*[.:;#=\-/,]{{0,2}}[ \t]*(?:no\.?[ \t]*)?$"
        ),
        re.compile(rf"(?<![a-z])(?:{words('currency_before')})[ \t]?[.:]?[ \t]?$"),
        re.compile(rf"^[ \t]?(?:{words('units_after')})(?![a-z])"),
    )


_CONTEXT = (
    "NIK", "nik", "Rek", "rek.", "No.", "no", "account", "ACC", "iban", "a/c", "s/n", "kode",
    "บัญชี", "卡号", "계좌", "Rp", "rp.", "USD", "$", "Gaji", "฿", "¥", "Σ", "ς", "İ", "K",
    "juta", "jt", "k", "บาท", "元", "%", "x", "ok", "phone", "โทร", "电话",
    " ", "  ", "\t", "\n", ":", ".", "#", "=", "-", "/", ",", ";",
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_CONTEXT), max_size=8).map("".join),
    st.lists(st.sampled_from(_CONTEXT), max_size=4).map("".join),
    st.booleans(),
)
def test_an_id_label_or_a_price_is_seen_around_a_number_however_it_is_written(
    before: str, after: str, money: bool
) -> None:
    from suar.detect.phone_guards import CONTEXT_AFTER, CONTEXT_BEFORE, labelled_or_priced

    number = "0812345678"
    text = before + number + after
    start, end = len(before), len(before) + len(number)
    id_label, currency, unit = _forward_guards()
    near = text[max(0, start - CONTEXT_BEFORE) : start].lower()
    expected = id_label.search(near) is not None or (
        money
        and (
            currency.search(near) is not None
            or unit.search(text[end : end + CONTEXT_AFTER].lower()) is not None
        )
    )
    assert labelled_or_priced(text, start, end, money=money) == expected
