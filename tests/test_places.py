"""Reported scam hubs are found by name in every covered script, and only there."""

from __future__ import annotations

import copy
import csv
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suar.detect.hints import Hints
from suar.detect.normalize import normalize
from suar.detect.places import _build, extract_places, fold, gazetteer
from suar.domain import Indicator
from suar.errors import DataError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def places(text: str) -> list[Indicator]:
    return list(extract_places(normalize(text), Hints()))


def found(text: str) -> list[tuple[str, str]]:
    """(place id, evidence) for every place named in ``text``."""
    return [(i.value, text[i.span[0] : i.span[1]]) for i in places(text)]


@pytest.mark.parametrize(
    ("text", "place", "evidence"),
    [
        (
            "Customer service job in Sihanoukville, salary $1200",
            "kh-sihanoukville",
            "Sihanoukville",
        ),
        ("Lowongan kerja admin di Phnom Penh, gaji besar", "kh-phnom-penh", "Phnom Penh"),
        ("Tuyển nhân viên tại Xi-ha-núc-vin, lương cao", "kh-sihanoukville", "Xi-ha-núc-vin"),
        ("Tuyen nhan vien tai Phnom Penh va Xi ha nuc vin", "kh-sihanoukville", "Xi ha nuc vin"),
        ("Việc nhẹ lương cao ở Phnôm Pênh", "kh-phnom-penh", "Phnôm Pênh"),
        ("Hiring agents for Bavet and Poi Pet casinos", "kh-poipet", "Poi Pet"),
        ("Work at O’Smach Resort", "kh-o-smach", "O’Smach Resort"),
        ("รับสมัครแอดมิน ทำงานที่สีหนุวิลล์ เงินเดือนสูง", "kh-sihanoukville", "สีหนุวิลล์"),
        ("งานคาสิโน ปอยเปต ไม่ต้องมีประสบการณ์", "kh-poipet", "ปอยเปต"),
        ("ทำงานที่เมียวดี รายได้ดี", "mm-myawaddy", "เมียวดี"),
        ("งานออนไลน์ ท่าขี้เหล็ก", "mm-tachileik", "ท่าขี้เหล็ก"),
        ("ทำงานใกล้สามเหลี่ยมทองคำ", "la-golden-triangle-sez", "สามเหลี่ยมทองคำ"),
        ("ការងារនៅក្រុងព្រះសីហនុ ប្រាក់ខែខ្ពស់", "kh-sihanoukville", "ក្រុងព្រះសីហនុ"),
        ("ត្រូវការបុគ្គលិកនៅប៉ោយប៉ែត", "kh-poipet", "ប៉ោយប៉ែត"),
        ("ធ្វើការនៅបាវិត", "kh-bavet", "បាវិត"),
        ("မြဝတီမှာ အလုပ်ရှိတယ်", "mm-myawaddy", "မြဝတီ"),
        ("မြ၀တီမှာ အလုပ်ရှိတယ်", "mm-myawaddy", "မြ၀တီ"),
        ("ရွှေကုက္ကိုမှာ အလုပ်", "mm-shwe-kokko", "ရွှေကုက္ကို"),
        ("တာချီလိတ်မြို့", "mm-tachileik", "တာချီလိတ်"),
        ("ວຽກຢູ່ແຂວງບໍ່ແກ້ວ", "la-bokeo", "ບໍ່ແກ້ວ"),
        ("ເຂດເສດຖະກິດພິເສດສາມຫຼ່ຽມຄຳ", "la-golden-triangle-sez", "ສາມຫຼ່ຽມຄຳ"),
        ("西港高薪招聘客服", "kh-sihanoukville", "西港"),
        ("金边招聘打字员，包吃包住", "kh-phnom-penh", "金边"),
        ("金邊高薪誠聘", "kh-phnom-penh", "金邊"),
        ("妙瓦底园区招人", "mm-myawaddy", "妙瓦底"),
        ("大其力高薪", "mm-tachileik", "大其力"),
        ("佤邦招聘", "mm-wa", "佤邦"),
        ("在KK园区工作", "mm-kk-park", "KK园区"),
        ("캄보디아 시하누크빌 고수익 알바", "kh-sihanoukville", "시하누크빌"),
        ("프놈펜 고액 알바 모집", "kh-phnom-penh", "프놈펜"),
        ("カンボジア・プノンペンで高収入", "kh-phnom-penh", "プノンペン"),
        ("Fly to Dubai first, then Bangkok", "ae-dubai", "Dubai"),
        ("Pick-up at Mae Sot bus station", "th-mae-sot", "Mae Sot"),
        ("BPO in Clark, Pampanga", "ph-clark", "Clark, Pampanga"),
        ("Offices in the Wa State", "mm-wa", "Wa State"),
        ("UWSA area, good pay", "mm-wa", "UWSA"),
    ],
)
def test_a_hub_is_found_by_any_of_its_spellings(text: str, place: str, evidence: str) -> None:
    assert (place, evidence) in found(text)


def test_zawgyi_burmese_names_are_found_and_point_at_what_was_typed() -> None:
    post = "ထိုင္းႏိုင္ငံ ျမ၀တီမွာ အလုပ္အကိုင္ ေကာင္းေကာင္း ရွိပါတယ္"
    assert ("mm-myawaddy", "ျမ၀တီ") in found(post)


@pytest.mark.parametrize(
    "text",
    [
        "Visit the museum on Sunday",  # "Muse" inside a word
        "Amused by the muse of poetry",  # lower-case common noun
        "Featured on The Muse career site",  # a job site, not the town
        "wa wa, we are hiring",  # "Wa" alone is never the Wa region
        "Clark Kent works at the Daily Planet",  # "Clark" alone is a name
        "Dubaiexpress and Phnompenhcity are one word each",
        "做事果敢，沉着冷静",  # 果敢 "decisive", not Kokang
        "配金边眼镜的经理",  # gold-rimmed glasses, not Phnom Penh
        "งานในเมืองลาว",  # "in Laos", not Mong La
        "Mongla Port in Bangladesh",
    ],
)
def test_common_words_that_contain_a_hub_name_are_not_places(text: str) -> None:
    assert found(text) == []


def test_transit_and_border_places_carry_their_role_and_country() -> None:
    by_id = {i.value: i.attrs for i in places("Dubai → Mae Sot → Mộc Bài → Sihanoukville")}
    assert by_id["ae-dubai"]["role"] == "transit" and by_id["ae-dubai"]["country"] == "AE"
    assert by_id["th-mae-sot"]["role"] == "transit" and by_id["th-mae-sot"]["country"] == "TH"
    assert by_id["vn-moc-bai"]["role"] == "border" and by_id["vn-moc-bai"]["country"] == "VN"
    assert by_id["kh-sihanoukville"]["role"] == "hub"
    assert by_id["kh-sihanoukville"]["name"] == "Sihanoukville"


def test_unconfirmed_places_and_spellings_say_so() -> None:
    text = "勐拉 and Mộc Bài, Bavet and 巴域"
    attrs = {text[i.span[0] : i.span[1]]: i.attrs for i in places(text)}
    assert attrs["勐拉"]["confirmed"] is False  # a spelling marked (u)
    assert attrs["Mộc Bài"]["confirmed"] is False  # a place no institution names
    assert attrs["Bavet"]["confirmed"] is True
    assert attrs["巴域"]["confirmed"] is False
    assert attrs["勐拉"]["lang"] == "zh-Hans"


def test_overlapping_names_give_the_longest_once() -> None:
    assert found("Clark Freeport Zone jobs") == [("ph-clark", "Clark Freeport Zone")]
    assert found("ทำงานเขตเศรษฐกิจพิเศษสามเหลี่ยมทองคำ") == [
        ("la-golden-triangle-sez", "เขตเศรษฐกิจพิเศษสามเหลี่ยมทองคำ")
    ]


def test_a_post_in_several_scripts_names_a_place_in_each() -> None:
    text = "金边招聘 Poipet ทำงานที่ปอยเปต 金边眼镜 ត្រូវការនៅបាវិត ဖာလူ 金边"
    assert found(text) == [
        ("kh-phnom-penh", "金边"),
        ("kh-poipet", "Poipet"),
        ("kh-poipet", "ปอยเปต"),
        ("kh-bavet", "បាវិត"),
        ("mm-hpa-lu", "ဖာလူ"),
        ("kh-phnom-penh", "金边"),
    ]


def test_disguised_names_map_back_to_the_original_characters() -> None:
    assert found("Job in Sihanouk\u200bville") == [("kh-sihanoukville", "Sihanouk\u200bville")]
    assert found("ＰＨＮＯＭ ＰＥＮＨ now") == [("kh-phnom-penh", "ＰＨＮＯＭ ＰＥＮＨ")]
    # "İ" lower-cases to two characters; positions after it must not shift
    assert found("İİİ Poipet İ") == [("kh-poipet", "Poipet")]


def test_fold_keeps_the_length_of_any_text() -> None:
    for text in ("İstanbul", "ẞtraße", "O’Smach–Resort", "ﬁ Dubai"):
        assert len(fold(text)) == len(text)


def test_every_reported_hub_is_in_the_gazetteer_with_a_source() -> None:
    g = gazetteer()
    ids = {p.id for p in g.places}
    for pid in (
        "kh-sihanoukville", "kh-phnom-penh", "kh-bavet", "kh-poipet", "kh-o-smach",
        "kh-koh-kong", "kh-dara-sakor", "kh-bokor", "kh-kandal", "kh-pursat", "kh-siem-reap",
        "mm-myawaddy", "mm-shwe-kokko", "mm-kk-park", "mm-hpa-lu", "mm-payathonzu",
        "mm-tachileik", "mm-laukkaing", "mm-mong-la", "mm-wa", "mm-muse", "mm-tangyan",
        "la-golden-triangle-sez", "la-bokeo", "la-ton-pheung", "ph-bamban", "ph-porac",
        "ph-clark", "th-mae-sot", "ae-dubai",
    ):  # fmt: skip
        assert pid in ids
    for place in g.places:
        assert place.sources or not place.confirmed
    assert g.place("mm-payathonzu").confirmed is False


_GOOD: dict[str, Any] = {
    "sources": {"OHCHR23": "report"},
    "places": [
        {
            "id": "kh-test",
            "name": "Test",
            "country": "KH",
            "role": "hub",
            "sources": ["OHCHR23"],
            "confirmed": True,
            "names": {"en": ["Testville"]},
        }
    ],
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("role", "compound", "'role' must be one of"),
        ("country", "Cambodia", "ISO 3166-1"),
        ("sources", ["NOPE"], "unknown source keys"),
        ("names", {"xx": ["Testville"]}, "unknown language"),
        ("names", {"en": ["Wa"]}, "too short"),
        ("id", "Test Place", "must look like"),
        ("unconfirmed", ["Elsewhere"], "not among its names"),
    ],
)
def test_a_malformed_gazetteer_is_refused_with_the_reason(
    field: str, value: Any, message: str
) -> None:
    raw = copy.deepcopy(_GOOD)
    raw["places"][0][field] = value
    with pytest.raises(DataError, match=message):
        _build(raw)


def test_a_spelling_claimed_by_two_places_is_refused() -> None:
    raw = copy.deepcopy(_GOOD)
    raw["places"].append({**raw["places"][0], "id": "kh-other"})
    with pytest.raises(DataError, match="already belongs to kh-test"):
        _build(raw)


@given(st.text(max_size=300))
def test_any_text_gives_spans_inside_the_original(text: str) -> None:
    for ind in places(text):
        s, e = ind.span
        assert 0 <= s < e <= len(text)
        assert ind.attrs["country"]


_SPELLINGS = [
    "Sihanoukville",
    "西港",
    "เมียวดี",
    "ភ្នំពេញ",
    "မြဝတီ",
    "ບໍ່ແກ້ວ",
    "프놈펜",
    "ドバイ",
    "Dubai",
]


# Burmese noise is left out: enough of it would make the post read as Zawgyi.
_NOT_MYANMAR = st.characters(max_codepoint=0xFFF) | st.characters(min_codepoint=0x10A0)


@given(
    st.text(alphabet=_NOT_MYANMAR, max_size=40),
    st.sampled_from(_SPELLINGS),
    st.text(alphabet=_NOT_MYANMAR, max_size=40),
)
def test_a_name_between_spaces_is_always_found(before: str, name: str, after: str) -> None:
    text = f"{before} {name} {after}"
    start = len(before) + 1
    spans = [(i.span, text[i.span[0] : i.span[1]]) for i in places(text)]
    assert any(s <= start and start + len(name) <= e and name in ev for (s, e), ev in spans), spans


def _legit_ads() -> Iterator[tuple[str, list[str]]]:
    csv.field_size_limit(10**9)
    with gzip.open(DATA / "ph_job_ads" / "ph_jobs_union.jsonl.gz", "rt", encoding="utf-8") as f:
        ads = [json.loads(line) for line in f]
        yield "ph_job_ads", [(a.get("title") or "") + "\n" + (a.get("job_desc") or "") for a in ads]
    with gzip.open(
        DATA / "loker_id_jobs" / "job_postings_processed.csv.gz", "rt", encoding="utf-8"
    ) as f:
        yield "loker_id_jobs", [r["Title"] + "\n" + r["Description"] for r in csv.DictReader(f)]
    with gzip.open(DATA / "jobthai_th" / "jobthai_jobs.json.gz", "rt", encoding="utf-8") as f:
        jobs = json.load(f)["jobs"]
        yield (
            "jobthai_th",
            [
                "\n".join(str(j.get(k) or "") for k in ("title", "description", "benefits"))
                for j in jobs
            ],
        )
    with gzip.open(DATA / "itviec_vi" / "itviec-jobs.json.gz", "rt", encoding="utf-8") as f:
        yield (
            "itviec_vi",
            [
                "\n".join(str(j.get(k) or "") for k in ("title", "jobDescription", "requirements"))
                for j in json.load(f)
            ],
        )


@pytest.mark.data
@pytest.mark.skipif(not (DATA / "ph_job_ads").is_dir(), reason="../shared/data is not available")
def test_legitimate_job_ads_rarely_name_a_compound_hub() -> None:
    # Dubai, Clark and Mae Sot are real job locations; true hubs should almost never appear.
    transit_or_job_hubs = {
        "ae-dubai",
        "ph-clark",
        "th-mae-sot",
        "th-aranyaprathet",
        "kh-phnom-penh",
    }
    for name, ads in _legit_ads():
        hits = [{i.value for i in places(ad)} for ad in ads]
        with_place = sum(1 for h in hits if h)
        with_hub = sum(1 for h in hits if h - transit_or_job_hubs)
        assert with_place <= 0.03 * len(ads), name
        assert with_hub <= 0.002 * len(ads), name
