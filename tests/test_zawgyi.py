"""Burmese typed in Zawgyi is read as Unicode, and its spans still point at what was typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from myanmartools import ZawgyiDetector

from suar.detect.normalize import normalize
from suar.detect.zawgyi import _build, convert_segments, zawgyi_to_unicode
from suar.errors import DataError

# (Zawgyi as typed, the same word in Unicode)
WORDS: list[tuple[str, str]] = [
    ("ျမန္မာ", "မြန်မာ"),  # Myanmar: medial RA typed before the consonant
    ("ေက်ာင္း", "ကျောင်း"),  # school: vowel E typed first, asat U+1039
    ("အလုပ္", "အလုပ်"),  # work
    ("လစာ", "လစာ"),  # salary: the same in both encodings
    ("ေငြ", "ငွေ"),  # money: Zawgyi U+103C is medial WA
    ("ထိုင္းႏိုင္ငံ", "ထိုင်းနိုင်ငံ"),  # Thailand: short NA U+108F
    ("ကၽြန္ေတာ္", "ကျွန်တော်"),  # I: short medial YA U+107D
    ("လူ႔အခြင့္အေရး", "လူ့အခွင့်အရေး"),  # human rights: dot below U+1094
    ("ေၾကညာ", "ကြေညာ"),  # announce: E and a variant RA U+107E before the consonant
    ("ကေမၻာဒီးယား", "ကမ္ဘောဒီးယား"),  # Cambodia: stacked BHA U+107B
    ("သခၤ်ာ", "သင်္ချာ"),  # mathematics: kinzi U+1064 moves before its consonant
    ("အဂၤလိပ္", "အင်္ဂလိပ်"),  # English
    ("၀န္ထမ္း", "ဝန်ထမ်း"),  # staff: digit zero typed for the letter WA
    ("ၿမိဳ႕", "မြို့"),  # town: RA U+107F, U U+1033, dot U+1095
    ("ေပၚ", "ပေါ်"),  # on: tall AA with asat U+105A
    ("လွ်င္", "လျှင်"),  # if: HA typed before YA
    ("ေလယာဥ္", "လေယာဉ်"),  # aeroplane: U+1025 before asat is NYA
    ("ၫႊန္း", "ညွှန်း"),  # instruct: NNYA U+106B, WA+HA U+108A
    ("အဓိ႒ာန္", "အဓိဋ္ဌာန်"),  # resolve: TTA+TTHA U+1092
    ("၎င္း", "၎င်း"),  # the aforesaid
    ("ႏုုိင္ငံ", "နိုင်ငံ"),  # country typed with a doubled U and I after U
    ("ေ၇", "ရေ"),  # water: digit seven typed for RA after E
]

# Lure-like sentences, in Zawgyi as a recruiter would type them, and in Unicode.
SENTENCES: list[tuple[str, str]] = [
    (
        "ထိုင္းႏိုင္ငံ ျမ၀တီမွာ အလုပ္အကိုင္ ေကာင္းေကာင္း ရွိပါတယ္",
        "ထိုင်းနိုင်ငံ မြဝတီမှာ အလုပ်အကိုင် ကောင်းကောင်း ရှိပါတယ်",
    ),
    ("လစာ ေဒၚလာ ေထာင္ေက်ာ္ ရမယ္", "လစာ ဒေါ်လာ ထောင်ကျော် ရမယ်"),
    ("ေလယာဥ္လက္မွတ္ အခမဲ့ ေပးပါမယ္", "လေယာဉ်လက်မှတ် အခမဲ့ ပေးပါမယ်"),
    ("ကေမၻာဒီးယားမွာ ကြန္ပ်ဴတာ အလုပ္ လုပ္ရမယ္", "ကမ္ဘောဒီးယားမှာ ကွန်ပျူတာ အလုပ် လုပ်ရမယ်"),
    ("တယ္လီဂရမ္ကို ဆက္သြယ္ပါ", "တယ်လီဂရမ်ကို ဆက်သွယ်ပါ"),
    ("ပတ္စပို႔ မလိုပါဘူး ျမန္ျမန္ လာခဲ့ပါ", "ပတ်စပို့ မလိုပါဘူး မြန်မြန် လာခဲ့ပါ"),
]

_DETECTOR = ZawgyiDetector()


@pytest.mark.parametrize(("zawgyi", "unicode"), WORDS)
def test_common_zawgyi_words_read_as_their_unicode_spelling(zawgyi: str, unicode: str) -> None:
    assert zawgyi_to_unicode(zawgyi) == unicode
    # inside a post, the Unicode word maps back to exactly what was typed
    post = f"ျမန္မာ {zawgyi} ေက်ာင္း"
    nt = normalize(post)
    assert nt.zawgyi
    start = nt.text.index(unicode, len("မြန်မာ "))
    s, e = nt.to_original(start, start + len(unicode))
    assert post[s:e] == zawgyi


@pytest.mark.parametrize(("zawgyi", "unicode"), SENTENCES)
def test_converted_sentences_are_judged_unicode(zawgyi: str, unicode: str) -> None:
    assert _DETECTOR.get_zawgyi_probability(zawgyi) > 0.95
    converted = zawgyi_to_unicode(zawgyi)
    assert converted == unicode
    assert _DETECTOR.get_zawgyi_probability(converted) < 0.05
    nt = normalize(zawgyi)
    assert nt.text == unicode
    assert nt.evidence(0, len(nt.text)) == zawgyi


@pytest.mark.parametrize("unicode", [u for _, u in SENTENCES] + [u for _, u in WORDS[:12]])
def test_unicode_burmese_is_left_untouched(unicode: str) -> None:
    nt = normalize(unicode)
    assert not nt.zawgyi
    assert nt.text == unicode
    assert nt.evidence(0, len(nt.text)) == unicode


def test_digit_zero_is_a_letter_inside_words_and_a_digit_in_numbers() -> None:
    post = "၀န္ထမ္း ၁၀၀ ဦး လိုအပ္သည္"  # "100 staff needed"
    nt = normalize(post)
    assert nt.zawgyi
    assert nt.text.startswith("ဝန်ထမ်း 100 ")
    start = nt.text.index("100")
    s, e = nt.to_original(start, start + 3)
    assert post[s:e] == "၁၀၀"


def test_segments_are_clusters_so_a_match_inside_a_word_stays_small() -> None:
    run = "ေက်ာင္းသား"  # student
    segments = convert_segments(run)
    assert [run[s:e] for s, e, _ in segments] == ["ေက်ာ", "င္း", "သား"]
    assert [piece for _, _, piece in segments] == ["ကျော", "င်း", "သား"]


def test_the_shipped_table_rejects_rules_that_would_move_spans() -> None:
    bad = {
        "classes": {"prefix": "\u1031", "base": "\u1000-\u1021", "mark": "\u102b-\u1030"},
        "context": [{"name": "x", "target": "\u1040", "pattern": "\u1040", "replacement": "ab"}],
        "mapping": {},
        "order": {"kinzi": 0, "base": 1, "stack": 2},
        "rules": [],
    }
    with pytest.raises(DataError, match="one 'target' code point"):
        _build(bad)
    bad["context"] = []
    bad["order"] = {"base": 1}
    with pytest.raises(DataError, match="lacks ranks"):
        _build(bad)
    bad["order"] = {"kinzi": 0, "base": 1, "stack": 2}
    bad["rules"] = [{"name": "broken", "pattern": "(", "replacement": ""}]
    with pytest.raises(DataError, match="broken"):
        _build(bad)


_MYANMAR = st.characters(min_codepoint=0x1000, max_codepoint=0x109F)


@given(st.text(alphabet=_MYANMAR, max_size=40) | st.text(max_size=40))
def test_segments_cover_any_run_in_order(run: str) -> None:
    segments = convert_segments(run)
    position = 0
    for start, end, _ in segments:
        assert start == position and end > start
        position = end
    assert position == len(run)


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.sampled_from([" ", "။ ", " job "])
)
def test_every_converted_word_maps_back_to_the_zawgyi_typed(
    words: list[tuple[str, str]], separator: str
) -> None:
    words = [("ျမန္မာ", "မြန်မာ"), *words]  # one unmistakably Zawgyi word
    post = separator.join(z for z, _ in words)
    nt = normalize(post)
    if not nt.zawgyi:
        return  # too little text for the detector to be sure; nothing is converted
    assert nt.text == separator.join(u for _, u in words)
    offset = 0
    original = 0
    for zawgyi, unicode in words:
        s, e = nt.to_original(offset, offset + len(unicode))
        assert (s, e) == (original, original + len(zawgyi))
        assert post[s:e] == zawgyi
        offset += len(unicode) + len(separator)
        original += len(zawgyi) + len(separator)


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x1000, max_codepoint=0x109F)
        | st.sampled_from("ab 1\n\U0001f600")
    )
)
def test_the_array_zawgyi_model_gives_exactly_what_myanmartools_gives(text: str) -> None:
    from suar.detect.zawgyi import zawgyi_probability

    assert zawgyi_probability(text) == ZawgyiDetector().get_zawgyi_probability(text)
