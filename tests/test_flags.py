"""Red-flag phrases are found in every script, through disguises, with exact evidence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect.flags import Hit, find_hits, squeeze
from suar.detect.normalize import normalize


def hits(text: str) -> list[Hit]:
    found = list(find_hits(normalize(text)))
    for hit in found:
        assert text[hit.span[0] : hit.span[1]] == hit.evidence
    return found


def flagged(text: str) -> dict[str, str]:
    """Evidence -> code of every hit that is a red flag (context hits left out)."""
    return {h.evidence: h.code for h in hits(text) if not h.is_context}


def test_phrases_are_found_case_insensitively_with_their_evidence() -> None:
    text = "URGENT: Customer Service in CAMBODIA, no experience needed, Telegram only."
    assert flagged(text) == {
        "Customer Service": "job.generic_office_title",
        "CAMBODIA": "location.risk_country",
        "no experience needed": "skill.none_required",
        "Telegram only": "contact.moves_to_dm",
    }


@pytest.mark.parametrize(
    ("text", "evidence", "code"),
    [
        ("contact t e l e g r a m now", "t e l e g r a m", "contact.moves_to_dm"),
        ("gaji besar? g@ji b3sar!", "g@ji b3sar", "salary.high_promise"),
        ("kerja ga🔥ji besar", "ga🔥ji besar", "salary.high_promise"),
        ("vi ệc nhẹ lương cao đây", "vi ệc nhẹ lương cao", "skill.none_required"),
        ("tuyen gap, viec nhe luong cao", "viec nhe luong cao", "skill.none_required"),
        ("work in c.a.m.b.o.d.i.a", "c.a.m.b.o.d.i.a", "location.risk_country"),
        ("big c@$ino job", "c@$ino", "sector.gaming_crypto"),
        ("ｃａｓｉｎｏ ｊｏｂ", "ｃａｓｉｎｏ", "sector.gaming_crypto"),
        ("cas\u200bino job", "cas\u200bino", "sector.gaming_crypto"),
        ("сasino with a Cyrillic c", "сasino", "sector.gaming_crypto"),
        ("customerservice wanted", "customerservice", "job.generic_office_title"),
    ],
)
def test_disguised_spellings_are_read_as_the_phrase(text: str, evidence: str, code: str) -> None:
    assert flagged(text).get(evidence) == code


@pytest.mark.parametrize(
    ("text", "evidence", "code"),
    [
        ("รับสมัครแอดมินออนไลน์ทำงานที่กัมพูชา", "กัมพูชา", "location.risk_country"),
        ("ការងារស្រួលប្រាក់ខែខ្ពស់", "ការងារស្រួលប្រាក់ខែខ្ពស់", "skill.none_required"),
        ("လာအိုမှာကာစီနိုအလုပ်", "ကာစီနို", "sector.gaming_crypto"),
        ("ວຽກສະບາຍເງິນດີ", "ວຽກສະບາຍເງິນດີ", "skill.none_required"),
        ("诚聘客服包吃包住包机票", "包机票", "perks.travel_paid"),
        ("輕鬆月入十萬", "輕鬆月入", "salary.high_promise"),
        ("캄보디아에서 고수익 알바", "캄보디아", "location.risk_country"),
        ("闇バイトではありません", "闇バイト", "job.illicit_slang"),
        ("高 薪 招 聘", "高 薪", "salary.high_promise"),
    ],
)
def test_scripts_without_spaces_match_without_a_word_splitter(
    text: str, evidence: str, code: str
) -> None:
    assert flagged(text).get(evidence) == code


def test_mixed_language_posts_match_every_language_at_once() -> None:
    text = "Lowongan CS online di Kamboja, lương cao, 包吃包住, free visa!"
    assert flagged(text) == {
        "CS online": "job.generic_office_title",
        "Kamboja": "location.risk_country",
        "lương cao": "salary.high_promise",
        "包吃包住": "perks.board_paid",
        "free visa": "perks.travel_paid",
    }


@pytest.mark.parametrize(
    "text",
    [
        "metadata entry is automated",  # "data entry" inside a longer word
        "Cambodian food festival",  # the adjective is not the country
        "We moved to Myanmarese markets",
        "hợp đồng lao động đầy đủ",  # "lao động" (labour) is not Laos ("Lào")
        "bảo vệ ca đêm",  # "bảo vệ" (security guard) is not "bao vé" (ticket paid)
        "1000 units, 24/7 support, RM5000",
        "",
        "   ",
    ],
)
def test_lookalike_words_do_not_raise_flags(text: str) -> None:
    assert flagged(text) == {}


def test_a_longer_phrase_cancels_the_flag_inside_it() -> None:
    assert flagged("No placement fee, we are licensed.") == {}
    assert flagged("A placement fee of 5000 applies.") == {"placement fee": "cost.fee_or_debt"}
    assert flagged("รับแรงงานพม่าและคนไทย") == {}  # Burmese workers hired in Thailand
    assert flagged("ไปทำงานที่พม่า") == {"พม่า": "location.risk_country"}


def test_nested_phrases_report_the_longest() -> None:
    assert flagged("việc nhẹ lương cao") == {"việc nhẹ lương cao": "skill.none_required"}


def test_phrases_run_together_across_a_space_do_not_straddle_real_phrases() -> None:
    # "ທີ່ພັກຟຣີ ປີ້ຍົນຟຣີ": free room, free ticket; not "ຟຣີ ປີ້ຍົນ" across the space
    found = flagged("ທີ່ພັກຟຣີ ປີ້ຍົນຟຣີ")
    assert found == {"ທີ່ພັກຟຣີ": "perks.board_paid", "ປີ້ຍົນຟຣີ": "perks.travel_paid"}


def test_context_phrases_are_returned_but_are_not_red_flags() -> None:
    found = hits("Senior software engineer, beware of fake offers")
    codes = {h.code for h in found}
    assert {"context.skilled_role", "context.warning"} <= codes
    assert all(h.is_context for h in found)


def test_short_phrases_do_not_match_across_words() -> None:
    # "pogo" (4 letters) must not be read out of "po go" written as two words
    assert flagged("po go stick") == {}
    assert flagged("POGO hub") == {"POGO": "sector.gaming_crypto"}


def test_squeeze_folds_case_diacritics_stand_ins_and_drops_the_rest() -> None:
    assert squeeze("Việc nhẹ LƯƠNG cao") == "viecnheluongcao"
    assert squeeze("g@ji t3legram c@$ino") == "gajitelegramcasino"
    assert squeeze("RM5000 24/7 1000") == "rm"
    assert squeeze("t.e.l.e 🔥 gram") == "telegram"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_unicode_text_gives_hits_whose_spans_index_the_original(text: str) -> None:
    for hit in find_hits(normalize(text)):
        start, end = hit.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == hit.evidence


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["casino", " ", "🔥", "\u200b", "Kamboja", "g@ji", "ｃａｓｉｎｏ", "ไม่ต้อง", "高薪", "x"]
        ),
        max_size=12,
    )
)
def test_evidence_is_exact_for_pieces_of_real_phrases(pieces: list[str]) -> None:
    text = "".join(pieces)
    for hit in find_hits(normalize(text)):
        assert text[hit.span[0] : hit.span[1]] == hit.evidence
