"""Messaging accounts come out normalised, with the handle, number or link as written as evidence."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect.hints import Hints
from suar.detect.messaging import _parse_link, _parse_vocabulary, extract_messaging
from suar.detect.normalize import normalize
from suar.detect.script import script_language
from suar.domain import Indicator
from suar.errors import DataError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHIPPED = Path(__file__).resolve().parents[1] / "src" / "suar" / "detect" / "data"


def accounts(text: str, *, lang: str | None = None, country: str | None = None) -> list[Indicator]:
    """The messaging indicators of ``text``, with hints built the way the detector builds them."""
    nt = normalize(text)
    script = script_language(nt.text)
    hints = Hints.build(lang=lang or script, country=country, script_lang=script)
    found = list(extract_messaging(nt, hints))
    for ind in found:
        start, end = ind.span
        assert 0 <= start < end <= len(text), (ind, text)
        assert ind.attrs["via"] in ("link", "invite", "label")
    return found


def found(text: str, **kw: str) -> list[tuple[str, str, str]]:
    """(kind, value, evidence) for every account in ``text``."""
    return [(i.kind, i.value, text[i.span[0] : i.span[1]]) for i in accounts(text, **kw)]


# --- every covered script: a lure with an account ---------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Latin: Indonesian, English, Filipino, Malay
        ("Loker admin Kamboja gaji 15jt, minat chat WA 0812-3456-7890 (Bu Ani)", "id",
         [("whatsapp", "+6281234567890", "0812-3456-7890")]),
        ("Easy typing job abroad, DM our HR on Telegram: @Recruit_KH88", "en",
         [("telegram", "recruit_kh88", "@Recruit_KH88")]),
        ("Hiring CSR Cambodia, free visa! Viber: +63 917 123 4567", "tl",
         [("viber", "+639171234567", "+63 917 123 4567")]),
        ("Kerja di Myawaddy, whatsapp 012-345 6789", "ms",
         [("whatsapp", "+60123456789", "012-345 6789")]),
        # Vietnamese
        ("Tuyển nhân viên chăm sóc khách hàng tại Campuchia. Liên hệ Zalo 0912 345 678", "vi",
         [("zalo", "+84912345678", "0912 345 678")]),
        # Thai
        ("รับสมัครแอดมิน ทำงานต่างประเทศ รายได้ดี ติดต่อไลน์ไอดี: @jobthai88", None,
         [("line", "@jobthai88", "@jobthai88")]),
        ("งานด่วน เงินเดือนสูง ทักเทเลแกรม @th_jobs99 ได้เลย", None,
         [("telegram", "th_jobs99", "@th_jobs99")]),
        # Khmer
        ("ជ្រើសរើសបុគ្គលិក ប្រាក់ខែខ្ពស់ ទាក់ទង តេឡេក្រាម៖ @kh_jobs_2024", None,
         [("telegram", "kh_jobs_2024", "@kh_jobs_2024")]),
        # Burmese
        ("ထိုင်းမှာ အလုပ်ခေါ်နေပါသည် ဗိုင်ဘာ +95 9 781 234 567", None,
         [("viber", "+959781234567", "+95 9 781 234 567")]),
        ("အလုပ်အကိုင် တယ်လီဂရမ် @mm_jobs_01", None,
         [("telegram", "mm_jobs_01", "@mm_jobs_01")]),
        # Lao
        ("ຮັບສະໝັກພະນັກງານ ຕິດຕໍ່ WhatsApp: +856 20 5555 1234", None,
         [("whatsapp", "+8562055551234", "+856 20 5555 1234")]),
        ("ວຽກດີ ເງິນດີ ເທເລແກຣມ @la_jobs_01", None,
         [("telegram", "la_jobs_01", "@la_jobs_01")]),
        # Chinese
        ("高薪诚聘客服，包吃包住，加微信: abc_123", None,
         [("wechat", "abc_123", "abc_123")]),
        ("海外高薪 飞机: @cn_job_888", None,
         [("telegram", "cn_job_888", "@cn_job_888")]),
        # Korean
        ("해외 고수익 알바, 텔레그램 @kr_job_01 카톡 ID: kjob2024", None,
         [("telegram", "kr_job_01", "@kr_job_01"), ("kakaotalk", "kjob2024", "kjob2024")]),
        # Japanese (a full-width colon)
        ("高収入バイト募集中 テレグラム: @jp_baito777 LINE ID：jpwork_01", None,
         [("telegram", "jp_baito777", "@jp_baito777"), ("line", "jpwork_01", "jpwork_01")]),
    ],
)  # fmt: skip
def test_a_labelled_account_is_read_in_every_script(
    text: str, lang: str | None, expected: list[tuple[str, str, str]]
) -> None:
    assert found(text, **({"lang": lang} if lang else {})) == expected


# --- links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "kind", "value", "via"),
    [
        ("t.me/jobs_asia88", "telegram", "jobs_asia88", "link"),
        ("https://t.me/HR_Manager_KH", "telegram", "hr_manager_kh", "link"),
        ("telegram.me/s/kh_jobs_channel", "telegram", "kh_jobs_channel", "link"),
        ("https://t.me/+AbCdEf123456", "telegram", "t.me/+AbCdEf123456", "invite"),
        ("t.me/joinchat/AbCdEf123456", "telegram", "t.me/+AbCdEf123456", "invite"),
        ("tg://resolve?domain=jobs_asia88", "telegram", "jobs_asia88", "link"),
        ("wa.me/6281234567890", "whatsapp", "+6281234567890", "link"),
        ("https://wa.me/+855961234567", "whatsapp", "+855961234567", "link"),
        ("https://api.whatsapp.com/send?phone=6281234567890", "whatsapp", "+6281234567890", "link"),
        ("chat.whatsapp.com/AbCdEfGhIjKlMnOp", "whatsapp", "chat.whatsapp.com/AbCdEfGhIjKlMnOp",
         "invite"),
        ("line.me/ti/p/~jobhunter_th", "line", "jobhunter_th", "link"),
        ("https://line.me/R/ti/p/%40abc1234", "line", "@abc1234", "link"),
        ("lin.ee/Ab3dEfG", "line", "lin.ee/Ab3dEfG", "link"),
        ("zalo.me/0912345678", "zalo", "+84912345678", "link"),
        ("zalo.me/g/abcxyz123", "zalo", "zalo.me/g/abcxyz123", "invite"),
        ("viber://chat?number=%2B959423456789", "viber", "+959423456789", "link"),
        ("open.kakao.com/o/sAbCdEf1", "kakaotalk", "open.kakao.com/o/sAbCdEf1", "invite"),
        ("weixin.qq.com/r/AbCdEf123", "wechat", "weixin.qq.com/r/AbCdEf123", "link"),
        ("https://www.facebook.com/JobsAsia.Official", "facebook", "facebook.com/jobsasia.official",
         "link"),
        ("m.facebook.com/profile.php?id=100012345678", "facebook",
         "facebook.com/profile.php?id=100012345678", "link"),
        ("https://www.facebook.com/people/Cist%C3%A0-Clinic/61565711666765", "facebook",
         "facebook.com/profile.php?id=61565711666765", "link"),
        ("fb.com/groups/ofwjobs.cambodia", "facebook", "facebook.com/groups/ofwjobs.cambodia",
         "link"),
        ("fb.me/JobsAsia", "facebook", "facebook.com/jobsasia", "link"),
        ("m.me/jobsasia", "facebook", "facebook.com/jobsasia", "link"),
    ],
)  # fmt: skip
def test_app_links_give_a_normalised_value_and_the_link_as_evidence(
    link: str, kind: str, value: str, via: str
) -> None:
    text = f"Apply today, join {link} for details."
    (ind,) = accounts(text)
    assert (ind.kind, ind.value, text[ind.span[0] : ind.span[1]]) == (kind, value, link)
    assert ind.attrs["via"] == via


@pytest.mark.parametrize(
    "link",
    [
        "t . me / bkk_jobs99",
        "t[.]me/bkk_jobs99",
        "t dot me/bkk_jobs99",
        "ｔ．ｍｅ／ｂｋｋ＿ｊｏｂｓ９９",
    ],
)
def test_obfuscated_links_are_read_as_written(link: str) -> None:
    text = f"ติดต่อ {link} ด่วน"
    assert found(text) == [("telegram", "bkk_jobs99", link)]


def test_wa_me_spaced_out_is_read() -> None:
    assert found("klik wa . me / 6281234567890") == [
        ("whatsapp", "+6281234567890", "wa . me / 6281234567890")
    ]


def test_a_link_to_an_apps_own_page_is_no_account() -> None:
    text = (
        "Share: t.me/share/url?url=x, https://www.facebook.com/sharer.php?u=x, facebook.com/watch"
    )
    assert found(text) == []


def test_a_bot_is_marked_as_a_bot() -> None:
    (ind,) = accounts("Register with t.me/JobsAsiaBot")
    assert (ind.value, ind.attrs["type"]) == ("jobsasiabot", "bot")


# --- labels around numbers -------------------------------------------------------------


def test_a_number_labelled_after_it_is_that_apps() -> None:
    text = "Hub: ATY 082134976289(wa)/087822962111"
    assert found(text, lang="id") == [("whatsapp", "+6282134976289", "082134976289")]


def test_one_number_for_two_apps_gives_both() -> None:
    assert found("WA/Telegram: 0812 3456 7890", lang="id") == [
        ("whatsapp", "+6281234567890", "0812 3456 7890"),
        ("telegram", "+6281234567890", "0812 3456 7890"),
    ]


def test_a_number_glued_to_its_label_and_letters_for_digits_are_read() -> None:
    assert found("WA08123456789", lang="id") == [("whatsapp", "+628123456789", "08123456789")]
    assert found("Nhắn tin Zalo: O912 345 678", lang="vi") == [
        ("zalo", "+84912345678", "O912 345 678")
    ]


def test_a_line_id_that_is_a_phone_number_keeps_its_digits() -> None:
    (ind,) = accounts("โทรศัพท์ : 091-736-0075\nLINE ID: 0917360075")
    assert (ind.kind, ind.value, ind.attrs["e164"]) == ("line", "0917360075", "+66917360075")


# --- what is not an account ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Follow us @jobs_asia_official for more",  # an @handle with no app named
        "my email is john@gmail.com, telegram group link soon",
        "Telegram channel is great, join our telegram group",
        "Line: assembly line operator wanted",
        "Production line supervisor @company_th",
        "Work online from home, deadline Friday, guidelines apply",
        "call from a land line 09050000928, hot line: 0812345678",
        "เจ้าหน้าที่ขายออนไลน์ E-Retail (ยินดีรับนักศึกษาจบใหม่)",
        "온라인 상담 가능, 오프라인 매장 abc123",
        "买飞机票 abc_123456",
        "Lowongan: WA kami segera",
        "Zalo: chat now",
    ],
)
def test_words_that_only_look_like_accounts_are_not_read(text: str) -> None:
    assert found(text) == []


# --- data files -----------------------------------------------------------------------------


def test_the_shipped_vocabularies_load() -> None:
    labels = json.loads((SHIPPED / "messaging_labels.json").read_text(encoding="utf-8"))
    vocab = _parse_vocabulary(labels)
    assert vocab.kind_of["telegram"] == "telegram" and vocab.kind_of["ไลน์"] == "line"
    links = json.loads((SHIPPED / "messaging_links.json").read_text(encoding="utf-8"))
    for entry in links["links"]["values"]:
        hosts, link = _parse_link(entry)
        assert hosts and link.kind == entry["kind"]


def test_a_label_naming_two_apps_is_refused() -> None:
    labels = json.loads((SHIPPED / "messaging_labels.json").read_text(encoding="utf-8"))
    labels["labels"]["values"]["viber"].append("Telegram")
    with pytest.raises(DataError, match="names both"):
        _parse_vocabulary(labels)


def test_a_broken_link_pattern_is_refused() -> None:
    entry = {"kind": "telegram", "hosts": ["t"], "pattern": "t%DOT%me/(?P<code>[a-z", "value": "x"}
    with pytest.raises(DataError, match="bad pattern"):
        _parse_link(entry)
    entry = {"kind": "telegram", "hosts": ["t"], "pattern": "t%DOT%me/(?P<code>x)", "value": "{k}"}
    with pytest.raises(DataError, match="bad pattern or value"):
        _parse_link(entry)
    with pytest.raises(DataError, match="messaging kind"):
        _parse_link({"kind": "email", "hosts": ["t"], "pattern": "x", "value": "x"})


# --- properties -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_accounts_with_spans_into_the_original(text: str) -> None:
    for ind in accounts(text):
        start, end = ind.span
        assert text[start:end].strip()
        assert ind.value


_HANDLES = st.from_regex(r"[a-z][a-z0-9_]{4,17}[a-z0-9]", fullmatch=True)
_FILLER = st.text(alphabet=st.characters(categories=("L", "Zs")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(_HANDLES, _FILLER, _FILLER, st.sampled_from(["Telegram: @{}", "t.me/{}", "TG @{}"]))
def test_a_telegram_handle_is_found_between_any_words(
    handle: str, before: str, after: str, shape: str
) -> None:
    written = shape.format(handle)
    text = f"{before}\n{written}\n{after}"
    found_here = [(v, ev) for kind, v, ev in found(text) if kind == "telegram"]
    evidence = written if shape.startswith("t.me") else "@" + handle
    assert (handle, evidence) in found_here


@settings(max_examples=200, deadline=None)
@given(_HANDLES.map(str.upper), _FILLER)
def test_handles_are_lower_cased_and_evidence_keeps_the_case(handle: str, before: str) -> None:
    text = f"{before}\nLINE ID: {handle}"
    assert ("line", handle.lower(), handle) in found(text)


# --- real data ----------------------------------------------------------------------------


def test_real_thai_job_ads_give_line_accounts_and_no_online_false_positives() -> None:
    path = DATA / "jobthai_th" / "jobthai_jobs.json.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data sets are not on this machine)")
    jobs = json.loads(gzip.decompress(path.read_bytes()))["jobs"]
    fields = ("title", "description", "requirements", "benefits")
    texts = ["\n".join(str(job.get(k) or "") for k in fields) for job in jobs]
    lines = [ind for text in texts for ind in accounts(text) if ind.kind == "line"]
    # Employers give a LINE id in many ads; "ออนไลน์" (online) is everywhere and never counts.
    assert len(lines) > 100
    for text in texts:
        for ind in accounts(text):
            assert not text[: ind.span[0]].endswith("ออน"), (text, ind)
