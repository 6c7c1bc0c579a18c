"""Normalisation folds disguises away and never moves a span off the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from suar.detect.normalize import normalize


def test_plain_text_takes_the_identity_path() -> None:
    for text in ("Hiring now, salary USD 1500", "Tuyển nhân viên lương cao", "รับสมัครพนักงาน"):
        nt = normalize(text)
        assert nt.is_identity and nt.text == text


def test_full_width_forms_become_ascii_and_map_back() -> None:
    nt = normalize("ＵＳＤ １５００ ｔ．ｍｅ")
    assert nt.text == "USD 1500 t.me"
    start = nt.text.index("1500")
    assert nt.evidence(start, start + 4) == "１５００"


def test_invisible_characters_are_removed_and_the_evidence_keeps_them() -> None:
    nt = normalize("tele\u200bgram @jobs\u2060kh")
    assert nt.text == "telegram @jobskh"
    start = nt.text.index("telegram")
    assert nt.evidence(start, start + 8) == "tele\u200bgram"


def test_digits_of_every_script_become_ascii() -> None:
    for native in ("๐๘๑๒", "០៨១២", "໐໘໑໒", "၀၈၁၂", "٠٨١٢", "𝟎𝟖𝟏𝟐", "⓪⑧①②"):
        nt = normalize(f"call {native} now")
        assert "0812" in nt.text, native
        start = nt.text.index("0812")
        assert nt.evidence(start, start + 4) == native


def test_digits_newer_than_the_unicode_database_do_not_crash() -> None:
    nt = normalize("call \U0001e4f0\U0001e4f1 now")  # Nag Mundari digits (Unicode 15)
    assert nt.text.startswith("call ")


def test_decomposed_vietnamese_is_composed() -> None:
    decomposed = "lu\u031bo\u031bng cao"  # "lương" typed with combining marks
    nt = normalize(decomposed)
    assert nt.text == "lương cao"
    assert nt.evidence(0, 5) == decomposed[:7]


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_every_normalised_span_maps_inside_the_original(text: str) -> None:
    nt = normalize(text)
    n = len(nt.text)
    for a in range(0, n, max(1, n // 7)):
        for b in range(a + 1, n + 1, max(1, n // 5)):
            s, e = nt.to_original(a, b)
            assert 0 <= s < e <= len(text)
            assert nt.evidence(a, b) == text[s:e]


@given(st.text())
def test_normalisation_is_idempotent_on_its_output(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_is_never_changed(text: str) -> None:
    nt = normalize(text)
    assert nt.text == text and nt.is_identity
