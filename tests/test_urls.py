"""URLs, domains and e-mail addresses are found as written, also obfuscated, and only there."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText, normalize
from suar.detect.urls import extract_urls, load_vocabulary, parse_vocabulary
from suar.domain import Indicator
from suar.errors import DataError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHIPPED = Path(__file__).resolve().parents[1] / "src" / "suar" / "detect" / "data" / "urls.json"


def indicators(text: str) -> list[Indicator]:
    found = list(extract_urls(normalize(text), Hints()))
    for ind in found:
        start, end = ind.span
        assert 0 <= start < end <= len(text), (ind, text)
    return found


def found(text: str) -> list[tuple[str, str, str]]:
    """(kind, value, evidence) for every indicator in ``text``."""
    return [(i.kind, i.value, text[i.span[0] : i.span[1]]) for i in indicators(text)]


def one(text: str, kind: str) -> Indicator:
    matches = [i for i in indicators(text) if i.kind == kind]
    assert len(matches) == 1, (text, matches)
    return matches[0]


def evidence(text: str, ind: Indicator) -> str:
    return text[ind.span[0] : ind.span[1]]


# --- plain URLs and domains -------------------------------------------------------------


def test_url_with_scheme_gives_normalised_url_and_registrable_domain() -> None:
    text = "Apply now: HTTPS://Jobs.Asia-Careers.com/apply?ref=fb. Salary $1500"
    assert found(text) == [
        ("url", "https://jobs.asia-careers.com/apply?ref=fb", "HTTPS://Jobs.Asia-Careers.com/apply?ref=fb"),
        ("domain", "asia-careers.com", "Jobs.Asia-Careers.com"),
    ]  # fmt: skip
    url = one(text, "url")
    assert dict(url.attrs) == {
        "domain": "asia-careers.com",
        "host": "jobs.asia-careers.com",
        "obfuscated": False,
    }


def test_bare_domain_with_path_is_a_url() -> None:
    assert found("Daftar di jobs-cambodia.com/apply sekarang") == [
        ("url", "http://jobs-cambodia.com/apply", "jobs-cambodia.com/apply"),
        ("domain", "jobs-cambodia.com", "jobs-cambodia.com"),
    ]


def test_bare_domain_without_path_is_only_a_domain() -> None:
    assert found("Visit jobs-cambodia.com for details") == [
        ("domain", "jobs-cambodia.com", "jobs-cambodia.com"),
    ]
    assert found("Website: jobs-cambodia.com/") == [
        ("domain", "jobs-cambodia.com", "jobs-cambodia.com"),
    ]


def test_www_host_is_a_url_even_without_path() -> None:
    assert found("www.kerja-luar-negeri.com") == [
        ("url", "http://www.kerja-luar-negeri.com", "www.kerja-luar-negeri.com"),
        ("domain", "kerja-luar-negeri.com", "www.kerja-luar-negeri.com"),
    ]


def test_messaging_links_are_urls_too() -> None:
    assert found("t.me/hr_cambodia wa.me/855123456") == [
        ("url", "http://t.me/hr_cambodia", "t.me/hr_cambodia"),
        ("domain", "t.me", "t.me"),
        ("url", "http://wa.me/855123456", "wa.me/855123456"),
        ("domain", "wa.me", "wa.me"),
    ]


@pytest.mark.parametrize(
    ("text", "domain", "host"),
    [
        ("apply.jobs.example.co.uk/x", "example.co.uk", "apply.jobs.example.co.uk"),
        ("careers.sihanouk-casino.com.kh", "sihanouk-casino.com.kh", "careers.sihanouk-casino.com.kh"),
        ("https://scam-team.blogspot.com/p/job.html", "scam-team.blogspot.com", "scam-team.blogspot.com"),
        ("http://a.b.c.jobs-asia.co.th", "jobs-asia.co.th", "a.b.c.jobs-asia.co.th"),
    ],
)  # fmt: skip
def test_domain_is_the_registrable_part_with_the_host_as_evidence(
    text: str, domain: str, host: str
) -> None:
    ind = one(text, "domain")
    assert (ind.value, evidence(text, ind), ind.attrs["host"]) == (domain, host, host)


def test_sentence_punctuation_is_not_part_of_the_url() -> None:
    text = "Details (see https://jobs-asia.com/apply). Or https://x.com/a_(b)!"
    urls = [(i.value, evidence(text, i)) for i in indicators(text) if i.kind == "url"]
    assert urls == [
        ("https://jobs-asia.com/apply", "https://jobs-asia.com/apply"),
        ("https://x.com/a_(b)", "https://x.com/a_(b)"),
    ]


def test_default_port_and_lone_slash_are_dropped_but_other_ports_kept() -> None:
    url = one("https://jobs.com:443/", "url")
    assert (url.value, evidence("https://jobs.com:443/", url)) == (
        "https://jobs.com",
        "https://jobs.com:443/",
    )
    text = "http://jobs.com:8080/apply"
    url = one(text, "url")
    assert (url.value, evidence(text, url)) == ("http://jobs.com:8080/apply", text)


def test_ip_address_url_has_no_domain() -> None:
    text = "Login http://103.21.44.9/admin now"
    assert found(text) == [("url", "http://103.21.44.9/admin", "http://103.21.44.9/admin")]
    assert one(text, "url").attrs["domain"] is None


def test_userinfo_does_not_hide_the_real_host() -> None:
    text = "http://bank.com@evil-login.com/x"
    assert found(text) == [
        ("url", "http://bank.com@evil-login.com/x", text),
        ("domain", "evil-login.com", "evil-login.com"),
    ]


# --- obfuscations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "evidence_text"),
    [
        ("hxxps://jobs-asia[.]com/apply", "url", "https://jobs-asia.com/apply", "hxxps://jobs-asia[.]com/apply"),
        ("hXXp://jobs-asia.com/a", "url", "http://jobs-asia.com/a", "hXXp://jobs-asia.com/a"),
        ("h t t p s://jobs-asia.com/a", "url", "https://jobs-asia.com/a", "h t t p s://jobs-asia.com/a"),
        ("https[:]//jobs-asia.com/a", "url", "https://jobs-asia.com/a", "https[:]//jobs-asia.com/a"),
        ("go to jobs-asia[.]com now", "domain", "jobs-asia.com", "jobs-asia[.]com"),
        ("go to jobs-asia(.)com now", "domain", "jobs-asia.com", "jobs-asia(.)com"),
        ("go to jobs-asia{.}com now", "domain", "jobs-asia.com", "jobs-asia{.}com"),
        ("go to jobs-asia(dot)com now", "domain", "jobs-asia.com", "jobs-asia(dot)com"),
        ("go to jobs-asia [dot] com now", "domain", "jobs-asia.com", "jobs-asia [dot] com"),
        ("go to jobs-asia dot com now", "domain", "jobs-asia.com", "jobs-asia dot com"),
        ("go to example DOT com now", "domain", "example.com", "example DOT com"),
        ("go to jobs-asia . com now", "domain", "jobs-asia.com", "jobs-asia . com"),
        ("go to jobs-asia .com now", "domain", "jobs-asia.com", "jobs-asia .com"),
        ("go to jobs-asia . net now", "domain", "jobs-asia.net", "jobs-asia . net"),
        ("www dot kerja dot com", "url", "http://www.kerja.com", "www dot kerja dot com"),
        ("daftar di kerja titik com", "domain", "kerja.com", "kerja titik com"),
        ("vào vieclam chấm com", "domain", "vieclam.com", "vieclam chấm com"),
        ("สมัคร jobs ดอท คอม", "domain", "jobs.com", "jobs ดอท คอม"),
        ("สมัครjobsดอทcomด่วน", "domain", "jobs.com", "jobsดอทcom"),
        ("招聘jobs点com高薪", "domain", "jobs.com", "jobs点com"),
        ("招聘jobs。com高薪", "domain", "jobs.com", "jobs。com"),
        ("jobs-asia．com", "domain", "jobs-asia.com", "jobs-asia．com"),
    ],
)  # fmt: skip
def test_obfuscated_hosts_are_read_back(
    text: str, kind: str, value: str, evidence_text: str
) -> None:
    ind = one(text, kind)
    assert (ind.value, evidence(text, ind)) == (value, evidence_text)


@pytest.mark.parametrize(
    ("text", "kind", "obfuscated"),
    [
        ("jobs-asia[.]com", "domain", True),
        ("hxxp://jobs-asia.com/a", "url", True),
        ("jobs-asia.com", "domain", False),
        ("https://jobs-asia.com/a", "url", False),
    ],
)
def test_obfuscation_is_flagged(text: str, kind: str, obfuscated: bool) -> None:
    ind = one(text, kind)
    assert (evidence(text, ind), ind.attrs["obfuscated"]) == (text, obfuscated)


def test_a_host_written_twice_is_judged_by_how_each_is_written() -> None:
    text = "jobs-asia.com, jobs-asia[.]com, JOBS-ASIA.COM, Jobs-asia.Today"
    assert [(i.value, evidence(text, i), i.attrs["obfuscated"]) for i in indicators(text)] == [
        ("jobs-asia.com", "jobs-asia.com", False),
        ("jobs-asia.com", "jobs-asia[.]com", True),
        ("jobs-asia.com", "JOBS-ASIA.COM", False),
    ]


def test_obfuscated_url_keeps_its_path_and_host_span() -> None:
    text = "ลิงก์: hxxp://jobs-asia[.]com/form/apply?id=7 ติดต่อด่วน"
    assert found(text) == [
        ("url", "http://jobs-asia.com/form/apply?id=7", "hxxp://jobs-asia[.]com/form/apply?id=7"),
        ("domain", "jobs-asia.com", "jobs-asia[.]com"),
    ]


# --- every script -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "สมัครที่jobs-asia.comด่วน",
        "高薪招聘请访问jobs-asia.com马上联系",
        "အလုပ်ခေါ်စာjobs-asia.comမှာလျှောက်ပါ",
        "ការងារjobs-asia.comប្រាក់ខែខ្ពស់",
        "ສະໝັກjobs-asia.comດ່ວນ",
        "Tuyển dụng tại jobs-asia.com, lương cao",
        "求人はjobs-asia.comへ",
        "구인jobs-asia.com연락",
        "「jobs-asia.com」",
        "（jobs-asia.com）",
    ],
)
def test_domain_embedded_in_any_script_without_spaces(text: str) -> None:
    assert found(text) == [("domain", "jobs-asia.com", "jobs-asia.com")]


def test_url_path_stops_where_the_text_resumes() -> None:
    text = "สมัครที่jobs-asia.com/apply?id=12แล้วโทรมา"
    assert found(text) == [
        ("url", "http://jobs-asia.com/apply?id=12", "jobs-asia.com/apply?id=12"),
        ("domain", "jobs-asia.com", "jobs-asia.com"),
    ]


def test_url_path_in_thai_after_a_slash_is_kept() -> None:
    text = "เพจ https://facebook.com/หางานต่างประเทศ ครับ"
    url = one(text, "url")
    assert evidence(text, url) == "https://facebook.com/หางานต่างประเทศ"


def test_internationalised_domains_become_punycode() -> None:
    text = "ดูที่ https://สมัครงาน.com/a"
    assert found(text) == [
        ("url", "https://xn--42cg8c3al3bycl.com/a", "https://สมัครงาน.com/a"),
        ("domain", "xn--42cg8c3al3bycl.com", "สมัครงาน.com"),
    ]
    assert found("เว็บ ตัวอย่าง.ไทย") == [
        ("domain", "xn--72c1a1bt4awk9o.xn--o3cw4h", "ตัวอย่าง.ไทย"),
    ]
    assert found("网址 例子.中国") == [("domain", "xn--fsqu00a.xn--fiqs8s", "例子.中国")]


def test_invisible_characters_inside_a_domain_stay_in_the_evidence() -> None:
    text = "jobs\u200b-asia\u200b.com"
    ind = one(text, "domain")
    assert (ind.value, evidence(text, ind)) == ("jobs-asia.com", text)


# --- e-mail addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "evidence_text"),
    [
        ("CV ke HR.Asia@Gmail.com ya", "hr.asia@gmail.com", "HR.Asia@Gmail.com"),
        ("mail: name [at] gmail [dot] com", "name@gmail.com", "name [at] gmail [dot] com"),
        ("mail: name(at)gmail.com", "name@gmail.com", "name(at)gmail.com"),
        ("mail: name @ gmail . com", "name@gmail.com", "name @ gmail . com"),
        ("mail: name at yahoo dot com", "name@yahoo.com", "name at yahoo dot com"),
        ("mail: hr @ jobs-asia[.]com", "hr@jobs-asia.com", "hr @ jobs-asia[.]com"),
        ("ส่งประวัติที่hr.jobs@outlook.co.thด่วน", "hr.jobs@outlook.co.th", "hr.jobs@outlook.co.th"),
        ("ส่งมาที่ hr แอท gmail ดอท com", "hr@gmail.com", "hr แอท gmail ดอท com"),
        ("邮箱：zhaopin888@qq.com", "zhaopin888@qq.com", "zhaopin888@qq.com"),
        ("Email：ｈｒ＠ｊｏｂｓ．ｃｏｍ", "hr@jobs.com", "ｈｒ＠ｊｏｂｓ．ｃｏｍ"),
    ],
)  # fmt: skip
def test_email_addresses_plain_and_obfuscated(text: str, value: str, evidence_text: str) -> None:
    ind = one(text, "email")
    assert (ind.value, evidence(text, ind)) == (value, evidence_text)


def test_email_gives_no_separate_domain_or_url() -> None:
    text = "Send CV to recruit@jobs-asia.com"
    assert found(text) == [("email", "recruit@jobs-asia.com", "recruit@jobs-asia.com")]
    assert dict(one(text, "email").attrs) == {"domain": "jobs-asia.com", "obfuscated": False}


@pytest.mark.parametrize(
    "text",
    [
        "Follow @jobs_asia on Telegram",
        "DM @hr.asia now",
        "Contact us at gmail.com",
        "Apply @ jobs-asia.com today",
        "email me at jobs-asia.com",
    ],
)
def test_handles_and_loose_at_signs_are_not_email(text: str) -> None:
    assert not [i for i in indicators(text) if i.kind == "email"]


def test_at_word_before_a_site_leaves_the_site() -> None:
    assert found("Apply at jobs dot com") == [("domain", "jobs.com", "jobs dot com")]


def test_url_with_scheme_keeps_an_address_in_its_query() -> None:
    text = "https://jobs.com/form?to=hr@jobs.com"
    assert found(text) == [
        ("url", "https://jobs.com/form?to=hr@jobs.com", text),
        ("domain", "jobs.com", "jobs.com"),
    ]


# --- false positives --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "See file.txt and report.pdf, e.g. the U.S. list, i.e. all",
        "Version 3.5 and v1.2.3 released, Python 3.11.7",
        "Gaji Rp.5.000.000/bulan, bonus Rp.500.000",
        "Experience with ASP.NET, VB.NET, Node.js, Vue.js and .NET Core",
        "Senior .NET developer; using .Net 8; Development.NET team; using .net",
        "The .com era; a .com address; www.info",
        "Good salary.Join us.Today",
        "Gaji tinggi.info lanjut hubungi kami",
        "Degree: B.Com, M.Com or B.tech/M.TECH",
        "Pendidikan S.Si, A.Md/S1, S.Kom; lokasi Tp.HCM, TP.HCM",
        "Gaji USD1.000/month, 1.5k USD, Rp.8.000.000,-",
        "Co.Ltd, Pte.Ltd, Sdn.Bhd, PT.ABC",
        "the dot com bubble and the dot in the middle",
        "Dr.Smith, Mr.Lee, No.1 company, St.Peter",
        "Jam 8.30 sampai 17.00, tgl 1.5.2024",
        "hi.my name is Ana",
        "จ.สมุทรปราการ อ.เมือง ถ.สุขุมวิท",
        "พ.ศ.2568",
    ],
)
def test_words_numbers_and_file_names_are_not_domains(text: str) -> None:
    assert found(text) == []


# --- the data file ----------------------------------------------------------------------


def test_shipped_vocabulary_loads() -> None:
    vocab = load_vocabulary()
    assert "com" in vocab.bare_tlds
    assert "gmail" in vocab.mail_providers


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text("utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("bare_tlds"), "bare_tlds"),
        (lambda d: d["bare_tlds"].update(values=[]), "bare_tlds"),
        (lambda d: d["word_tlds"].update(values=["Info"]), "lower-case ASCII TLD"),
        (lambda d: d["dot_words"].update(latin=["dot", 3]), "dot_words.latin"),
        (lambda d: d["spelled_tlds"].update(values={"คอม": "COM"}), "spelled_tlds"),
    ],
)
def test_broken_vocabulary_is_refused_with_a_clear_error(change: Any, message: str) -> None:
    data = _shipped()
    change(data)
    with pytest.raises(DataError, match=message):
        parse_vocabulary(data)


def test_unreadable_vocabulary_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "urls.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(DataError, match="urls.json"):
        load_vocabulary(bad)
    with pytest.raises(DataError):
        load_vocabulary(tmp_path / "missing.json")


# --- properties -------------------------------------------------------------------------

LABEL = st.from_regex(r"[a-z][a-z0-9]{1,10}(-[a-z0-9]{1,8})?", fullmatch=True)
SEPARATORS = st.sampled_from([".", "[.]", "(.)", "{.}", " dot ", " [dot] ", "(dot)", " . ", "点"])
CONTEXT = st.sampled_from(["", " ", "สมัคร", "联系", "လျှောက်", "ដាក់ពាក្យ", "Daftar di ", "Tuyển "])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_indicators_that_index_the_original(text: str) -> None:
    # Any code point, straight to the extractor (the normaliser has its own tests).
    for ind in extract_urls(NormalizedText(original=text, text=text), Hints()):
        assert ind.kind in ("url", "domain", "email")
        assert 0 <= ind.span[0] < ind.span[1] <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0xFFFF), max_size=300))
def test_any_normalised_text_gives_indicators_that_index_the_original(text: str) -> None:
    for ind in indicators(text):
        assert ind.kind in ("url", "domain", "email")
        assert text[ind.span[0] : ind.span[1]]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abc.-/@:[]() \u200bกขไทย点。．＠")),
        max_size=80,
    )
)
def test_url_like_noise_never_breaks_the_extractor(text: str) -> None:
    indicators(text)


@settings(max_examples=200, deadline=None)
@given(LABEL, SEPARATORS, st.sampled_from(["com", "net", "org", "xyz", "top", "vip"]), CONTEXT)
def test_a_domain_written_any_way_is_found(label: str, sep: str, tld: str, before: str) -> None:
    # Words such as "an" or "the" are never read as the name of a loosely written domain.
    assume(label not in load_vocabulary().stop_labels)
    text = f"{before}{label}{sep}{tld} "
    ind = one(text, "domain")
    assert ind.value == f"{label}.{tld}"
    assert evidence(text, ind) == f"{label}{sep}{tld}".strip()


@settings(max_examples=200, deadline=None)
@given(LABEL, LABEL, st.sampled_from(["gmail.com", "yahoo.com", "jobs-asia.net"]), CONTEXT)
def test_an_email_embedded_anywhere_is_found(
    local: str, extra: str, host: str, before: str
) -> None:
    address = f"{local}.{extra}@{host}"
    text = f"{before}{address} "
    ind = one(text, "email")
    assert (ind.value, evidence(text, ind)) == (address, address)


# --- real posts -------------------------------------------------------------------------


def _real_texts() -> list[str]:
    texts: list[str] = []
    with gzip.open(DATA / "ph_job_ads" / "ph_jobs_union.jsonl.gz", "rt", encoding="utf-8") as f:
        texts += [json.loads(line).get("job_desc") or "" for line in f]
    with gzip.open(DATA / "itviec_vi" / "itviec-jobs.json.gz", "rt", encoding="utf-8") as f:
        texts += [
            (j.get("jobDescription") or "") + (j.get("requirements") or "") for j in json.load(f)
        ]
    return texts


@pytest.mark.data
@pytest.mark.skipif(
    not (DATA / "ph_job_ads").is_dir() or not (DATA / "itviec_vi").is_dir(),
    reason="../shared/data is not available",
)
def test_real_job_ads_give_clean_domains_and_no_dotnet() -> None:
    domains: set[str] = set()
    for text in _real_texts():
        for ind in indicators(text):
            assert text[ind.span[0] : ind.span[1]]
            if ind.kind == "domain":
                domains.add(ind.value)
    assert {"bit.ly", "facebook.com", "coins.ph", "draw.io"} <= domains
    # ".NET" written after a word is the framework, never a domain.
    assert not {d for d in domains if d.endswith(".net") and d.split(".")[0] in {
        "asp", "ado", "using", "senior", "junior", "modern", "legacy", "experienced"}}  # fmt: skip
