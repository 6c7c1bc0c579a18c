"""Near-duplicate fingerprints find copies of one ad across edits, scripts and disguises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from suar.warn.similarity import (
    BANDS,
    JACCARD_THRESHOLD,
    Fingerprint,
    fingerprint,
    fingerprints,
    shingle_hashes,
)

AD = (
    "URGENT hiring customer service staff in Sihanoukville, salary USD 1,500 per month, "
    "free flight, visa and accommodation, no experience needed. Contact Telegram @hr_asia_jobs"
)
THAI_AD = "รับสมัครพนักงานแอดมินออนไลน์ ทำงานที่เมียวดี เงินเดือน 50,000 บาท มีที่พักฟรี อาหารฟรี ไม่ต้องมีประสบการณ์"


def shares_a_band(a: Fingerprint, b: Fingerprint) -> bool:
    return any(x == y for x, y in zip(a.bands, b.bands, strict=True))


def test_a_copy_with_a_new_phone_number_and_salary_is_a_near_duplicate() -> None:
    a = fingerprint(AD + " or call 0812-3456-7890")
    b = fingerprint(AD.replace("1,500", "2,000") + " or call 0899-1111-2222")
    assert a is not None and b is not None
    assert a.similarity(b) >= 0.9
    assert shares_a_band(a, b)


def test_disguised_copies_fingerprint_like_the_original() -> None:
    disguised = "ＵＲＧＥＮＴ" + AD[6:].replace("customer", "cus\u200btomer")
    a, b = fingerprint(AD), fingerprint(disguised)
    assert a is not None and b is not None
    assert a.similarity(b) >= 0.85


def test_scripts_without_spaces_are_compared_too() -> None:
    a = fingerprint(THAI_AD)
    b = fingerprint(THAI_AD.replace("เมียวดี", "ปอยเปต"))
    assert a is not None and b is not None
    assert a.similarity(b) >= JACCARD_THRESHOLD


def test_unrelated_ads_are_not_near_duplicates() -> None:
    other = (
        "We are hiring a junior accountant for our Makati office. Requirements: bachelor's "
        "degree in accountancy, one to two years of experience, competitive salary and HMO."
    )
    a, b = fingerprint(AD), fingerprint(other)
    assert a is not None and b is not None
    assert a.similarity(b) < 0.2
    assert not shares_a_band(a, b)


def test_short_posts_get_no_fingerprint() -> None:
    assert fingerprint("call me") is None
    assert len(shingle_hashes("abc")) == 0


def test_fingerprints_round_trip_through_bytes() -> None:
    a = fingerprint(AD)
    assert a is not None
    b = Fingerprint.from_bytes(a.to_bytes())
    assert b.similarity(a) == 1.0 and b.bands == a.bands and len(b.bands) == BANDS


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_any_text_fingerprints_deterministically(text: str) -> None:
    a, b = fingerprint(text), fingerprint(text)
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert a.similarity(b) == 1.0 and a.bands == b.bands


def test_a_fingerprint_is_still_what_stored_signatures_were_made_with() -> None:
    """Signatures already in a database stay comparable (else bump FINGERPRINT_VERSION)."""
    a = fingerprint(AD)
    assert a is not None
    assert a.signature[:4].tolist() == [3661514, 81560151, 11720637, 25001770]
    assert a.bands[:3] == (4229861225308624423, 2138196168910245453, 5904755880221885055)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([AD, THAI_AD, "call me", "x" * 5000, ""]) | st.text(), max_size=8))
def test_a_batch_fingerprints_each_text_as_alone(texts: list[str]) -> None:
    together = fingerprints(texts)
    assert len(together) == len(texts)
    for text, got in zip(texts, together, strict=True):
        alone = fingerprint(text)
        assert (got is None) == (alone is None)
        if got is not None and alone is not None:
            assert got.signature.tolist() == alone.signature.tolist() and got.bands == alone.bands
