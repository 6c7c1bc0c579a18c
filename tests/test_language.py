"""Each post gets its language, offline, among the languages Suar covers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect.language import (
    COVERED,
    UNDETERMINED,
    chinese_variant,
    identify_language,
    malay_or_indonesian,
    vote,
)
from suar.detect.normalize import normalize
from suar.detect.script import script_language

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("รับสมัครพนักงาน", "th"),
        ("ត្រូវការបុគ្គលិក", "km"),
        ("ຮັບສະໝັກພະນັກງານ", "lo"),
        ("အလုပ်ခေါ်နေပါတယ်", "my"),
        ("고수익 알바 모집", "ko"),
        ("未経験OKのお仕事", "ja"),
    ],
)
def test_a_script_of_one_language_decides_alone(text: str, lang: str) -> None:
    assert script_language(text) == lang
    assert identify_language(text) == lang


def test_a_little_thai_in_an_english_post_does_not_make_it_thai() -> None:
    text = "We are hiring drivers for our Bangkok branch, apply by email today (ด่วน)"
    assert identify_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("招聘客服，这个工作很轻松，欢迎联系我们", "zh-Hans"),
        ("招聘客服，這個工作很輕鬆，歡迎聯繫我們", "zh-Hant"),
        ("招聘客服", "zh"),  # no character tells the two scripts apart
    ],
)
def test_chinese_is_told_simplified_or_traditional_when_the_characters_say(
    text: str, lang: str
) -> None:
    assert identify_language(text) == lang
    assert chinese_variant(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We are looking for a customer service representative for our office.", "en"),
        ("Kami membutuhkan karyawan untuk posisi admin gudang di Bekasi.", "id"),
        ("Kami memerlukan pekerja kilang, gaji lumayan, sila hantar resume.", "ms"),
        ("Kailangan namin ng tindera sa aming tindahan, libre ang pagkain.", "tl"),
        ("Tuyển nhân viên chăm sóc khách hàng, lương tháng mười triệu.", "vi"),
        ("tuyen nhan vien cham soc khach hang luong cao lam viec tai nha", "vi"),
    ],
)
def test_latin_script_languages_are_told_apart(text: str, lang: str) -> None:
    assert identify_language(text) == lang


def test_malay_and_indonesian_are_told_apart_by_their_own_words() -> None:
    assert malay_or_indonesian("Jawatan kosong di kilang, gaji RM1800, hantar resume", "id") == "ms"
    assert malay_or_indonesian("Lowongan di pabrik, gaji Rp 5 juta, kirim lamaran", "ms") == "id"
    assert malay_or_indonesian("gaji lumayan untuk kerja", "ms") == "ms"  # a tie keeps the guess


@pytest.mark.parametrize(
    "text", ["", "   ", "OK", "hi!", "https://t.me/abc @abc 0812-3456", "😀😀"]
)
def test_too_little_text_is_undetermined(text: str) -> None:
    assert identify_language(text) == UNDETERMINED


def test_the_languages_of_the_test_corpus_are_identified() -> None:
    wrong: Counter[str] = Counter()
    total = 0
    for path in sorted(CORPUS.glob("*.json")):
        corpus = json.loads(path.read_text("utf-8"))
        expected = corpus["lang"]
        for item in corpus["lures"] + corpus["ordinary"]:
            got = identify_language(normalize(item["text"]).text)
            total += 1
            if got != expected and not (expected.startswith("zh") and got == "zh"):
                wrong[f"{expected}->{got}"] += 1
    # one known miss: an Indonesian post written almost entirely in leetspeak
    assert sum(wrong.values()) <= 2, wrong
    assert total >= 260


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gets_a_covered_language_or_und(text: str) -> None:
    lang = identify_language(text)
    assert lang == UNDETERMINED or lang.split("-")[0] in COVERED


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        # Four or more function words of one language, three times its runner-up: decided.
        ("we are hiring and you will work for the best team of the year", "en"),
        ("kami mencari staf yang rajin untuk bekerja dengan tim ini dan itu", "ms"),
        ("ang mga trabaho sa Dubai ay para sa mga tao na may karanasan", "tl"),
        # Too few function words, or two languages neck and neck: left to the model.
        ("hiring now", None),
        ("work the job dan yang untuk and the of", None),
        ("", None),
    ],
)
def test_function_words_decide_only_a_clear_lead(sample: str, expected: str | None) -> None:
    assert vote(sample) == expected


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz  "), max_size=300))
def test_a_function_word_vote_is_a_covered_language_or_nothing(sample: str) -> None:
    assert vote(sample) in {None, "en", "ms", "tl", "vi"}
