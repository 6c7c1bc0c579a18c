"""Risk comes from combinations of red flags, and the explanation names the strongest."""

from __future__ import annotations

import io
from collections.abc import Sequence
from importlib import resources
from typing import Any

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.detect import scoring, vocabulary
from suar.detect.engine import Detector
from suar.detect.flags import find_hits
from suar.detect.normalize import normalize
from suar.detect.scoring import (
    Assessment,
    assess,
    catalogue_messages,
    catalogue_template,
    detector_version,
    explain,
    flag_label,
    level_for,
)
from suar.domain import Flag, Indicator, Level


def indicator(text: str, kind: str, evidence: str, value: str = "", **attrs: Any) -> Indicator:
    start = text.index(evidence)
    return Indicator(kind, value or evidence, (start, start + len(evidence)), attrs)  # type: ignore[arg-type]


def score(
    text: str, indicators: Sequence[Indicator] = (), lang: str = "en", country: str | None = None
) -> Assessment:
    result = assess(text, find_hits(normalize(text)), indicators, lang=lang, country=country)
    for flag in result.flags:
        assert text[flag.span[0] : flag.span[1]] == flag.evidence
    return result


def codes(result: Assessment) -> set[str]:
    return {f.code for f in result.flags}


def test_an_ordinary_customer_service_ad_stays_minimal() -> None:
    result = score("Customer service representative wanted for our Makati office.")
    assert result.level is Level.NONE
    assert codes(result) == {"job.generic_office_title"}


def test_customer_service_with_high_pay_cambodia_and_telegram_only_is_a_lure() -> None:
    text = "Customer service job in Cambodia, salary USD 1,500/month, Telegram only: @hr_kh"
    inds = [
        indicator(text, "money", "USD 1,500/month", usd_per_month=1500.0, period="month"),
        indicator(text, "telegram", "@hr_kh", "hr_kh"),
    ]
    result = score(text, inds)
    assert result.level is Level.HIGH
    assert {"job.generic_office_title", "location.risk_country", "salary.unrealistic"} <= codes(
        result
    )
    assert "contact.moves_to_dm" in codes(result)


def test_each_signal_alone_stays_below_medium() -> None:
    for text in (
        "Work in Cambodia",
        "No experience needed",
        "Free flight and free visa",
        "Telegram only",
        "Online casino dealer",
    ):
        assert score(text).level.rank < Level.MEDIUM.rank, text


def test_two_families_reach_medium_but_not_high() -> None:
    result = score("Customer service work in Cambodia")
    assert result.level is Level.MEDIUM


def test_without_a_sign_of_work_abroad_a_post_stays_below_medium() -> None:
    text = "Casino customer service, no experience needed, easy money, urgent hiring, DM only"
    result = score(text)
    assert len({f.code for f in result.flags}) >= 4
    assert result.level is Level.LOW


def test_a_salary_is_unrealistic_for_an_entry_job_but_not_for_a_skilled_one() -> None:
    entry = "Data entry staff, salary $1,500 a month, in Cambodia"
    skilled = "Senior software engineer, salary $1,500 a month, in Cambodia"
    for text, expected in ((entry, True), (skilled, False)):
        money = indicator(text, "money", "$1,500 a month", usd_per_month=1500.0, period="month")
        assert ("salary.unrealistic" in codes(score(text, [money]))) is expected, text


def test_a_salary_is_judged_against_the_home_country_and_the_destination() -> None:
    # 25 million rupiah is unrealistic for desk work in Cambodia and in Indonesia...
    text = "Kerja CS online di Kamboja, gaji 25 juta per bulan"
    money = indicator(text, "money", "25 juta per bulan", usd_per_month=1540.0, currency="IDR")
    assert "salary.unrealistic" in codes(score(text, [money], lang="id"))
    # ...while 3,000 dollars is not for an office job in Singapore
    text = "Admin assistant in Singapore, salary SGD 4,000 monthly"
    money = indicator(text, "money", "SGD 4,000 monthly", usd_per_month=3137.0, currency="SGD")
    assert "salary.unrealistic" not in codes(score(text, [money]))


def test_the_post_own_country_is_no_destination_abroad() -> None:
    text = "ត្រូវការបុគ្គលិកនៅកម្ពុជា"  # "staff needed in Cambodia", written in Khmer
    assert "location.risk_country" not in codes(score(text, lang="km"))
    assert "location.risk_country" in codes(score(text, lang="th"))
    assert "location.risk_country" not in codes(score("Job in Cambodia", country="KH"))


def test_a_reported_hub_is_strong_and_a_capital_full_of_ordinary_jobs_is_weak() -> None:
    text = "Office job in Sihanoukville or Phnom Penh"
    hub = indicator(text, "place", "Sihanoukville", "kh-sihanoukville", country="KH", role="hub")
    capital = indicator(text, "place", "Phnom Penh", "kh-phnom-penh", country="KH", role="hub")
    weights = {f.evidence: f.weight for f in score(text, [hub, capital]).flags}
    assert weights["Sihanoukville"] > weights["Phnom Penh"]
    assert score(text, [capital]).level.rank < score(text, [hub]).level.rank


def test_a_warning_against_lures_is_not_itself_a_lure() -> None:
    lure = "Customer service work in Cambodia, light work high pay, free visa"
    warning = "Beware of posts offering customer service work in Cambodia, light work high pay"
    assert score(lure).level is Level.HIGH
    assert score(warning).level.rank <= Level.LOW.rank


def test_flags_of_one_code_are_capped_and_do_not_overlap() -> None:
    text = "casino casino casino casino casino"
    result = score(text)
    spans = [f.span for f in result.flags]
    assert len(spans) == vocabulary.load_scoring().max_flags_per_code
    assert len(set(spans)) == len(spans)


def test_levels_follow_the_thresholds_of_the_data_file() -> None:
    t = vocabulary.load_scoring().thresholds
    assert level_for(0.0) is Level.NONE
    assert level_for(t.low) is Level.LOW
    assert level_for(t.medium) is Level.MEDIUM
    assert level_for(t.high) is Level.HIGH
    assert level_for(1.0) is Level.HIGH


def test_risk_is_always_between_zero_and_one() -> None:
    text = " ".join(
        p.text for p in vocabulary.all_phrases() if not p.is_context and p.lang in ("en", "id")
    )
    result = score(text)
    assert 0.0 <= result.risk <= 1.0
    assert result.level is Level.HIGH
    assert score("").risk == 0.0


def test_the_explanation_names_the_strongest_evidence_in_one_sentence() -> None:
    text = "Customer service job in Cambodia, free visa, Telegram only"
    result = score(text)
    strongest = max(result.flags, key=lambda f: f.weight)
    assert result.explanation.startswith(("High risk: ", "Medium risk: "))
    assert f"{strongest.label} (\u201c{strongest.evidence}\u201d)" in result.explanation
    assert result.explanation.count(".") == 1 and result.explanation.endswith(".")
    assert (
        score("Nothing to see here").explanation == "No red flag of a recruitment lure was found."
    )


def test_the_explanation_and_labels_translate_to_indonesian() -> None:
    text = "Customer service job in Cambodia, free visa, Telegram only"
    result = score(text)
    translated = explain(result.level, result.flags, "id")
    assert translated.startswith("Risiko ")
    assert "Pekerjaan di negara kompleks penipuan (\u201cCambodia\u201d)" in translated
    assert (
        flag_label("perks.travel_paid", "id") == "Tiket pesawat, visa atau pengurusan paspor gratis"
    )
    assert flag_label("perks.travel_paid", "fr") == "Free flight, visa or passport processing"
    assert flag_label("unknown.code", "id", default="Something") == "Something"


def test_explain_works_on_flags_from_a_stored_finding() -> None:
    flags = (
        Flag(
            "location.risk_country", "Job in a country of the scam compounds", "Laos", (0, 4), 0.3
        ),
        Flag("cost.fee_or_debt", "Fees or deposits to pay", "deposit", (10, 17), 0.1),
        Flag("skill.none_required", "No experience or education needed", "easy job", (20, 28), 0.1),
        Flag("perks.board_paid", "Free food or housing", "free food", (30, 39), 0.04),
    )
    text = explain(Level.MEDIUM, flags)
    assert text.startswith(
        "Medium risk: Job in a country of the scam compounds (\u201cLaos\u201d), with "
    )
    assert text.endswith("and 2 more red flags.")


def _msgids(catalog_bytes: bytes) -> set[str | tuple[str, str]]:
    catalog = read_po(io.BytesIO(catalog_bytes))
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}  # type: ignore[misc]


def test_the_babel_template_holds_exactly_the_messages_to_translate() -> None:
    shipped = resources.files("suar").joinpath("locale", "flags.pot").read_bytes()
    expected = set(catalogue_messages())
    assert _msgids(shipped) == expected
    assert _msgids(catalogue_template()) == expected


def test_the_indonesian_catalogue_is_complete_and_compiled() -> None:
    folder = resources.files("suar").joinpath("locale", "id", "LC_MESSAGES")
    po = read_po(io.BytesIO(folder.joinpath("flags.po").read_bytes()))
    mo = read_mo(io.BytesIO(folder.joinpath("flags.mo").read_bytes()))

    def messages(catalog: Any) -> dict[Any, Any]:
        return {_key(m.id): _key(m.string) for m in catalog if m.id and not m.fuzzy}

    translated = messages(po)
    assert len(translated) == len(catalogue_messages())
    assert all(translated.values())
    assert messages(mo) == translated


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_detector_version_changes_when_the_scoring_data_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version = detector_version()
    assert version == scoring.DETECTOR_VERSION == Detector(use_model=False).version
    assert Detector().version.startswith(version + ".lure-")
    assert version.startswith(vocabulary.load_scoring().version + "+")
    raw, config = vocabulary.scoring_document()
    changed = raw.replace(b'"medium": 0.4', b'"medium": 0.45')
    assert changed != raw
    monkeypatch.setattr(vocabulary, "scoring_document", lambda: (changed, config))
    monkeypatch.setattr(scoring, "scoring_document", lambda: (changed, config))
    detector_version.cache_clear()
    try:
        assert detector_version() != version
    finally:
        monkeypatch.undo()
        detector_version.cache_clear()
    assert detector_version() == version


def test_the_detector_reports_each_stage() -> None:
    detector = Detector(profile=True)
    finding = detector.detect("Customer service job in Cambodia, free visa, Telegram only @abc_hr")
    assert finding.level.rank >= Level.MEDIUM.rank
    assert finding.lang == "en"
    assert finding.flags and finding.explanation
    stages = set(detector.stage_seconds)
    assert {"normalize", "language", "flags", "score"} <= stages
    assert {name for name, _ in detector.extractors} <= stages


_DETECTOR = Detector()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_post_gets_a_risk_and_flags_whose_evidence_is_exact(text: str) -> None:
    finding = _DETECTOR.detect(text)
    assert 0.0 <= finding.risk <= 1.0
    assert finding.explanation.endswith(".")
    for flag in finding.flags:
        assert text[flag.span[0] : flag.span[1]] == flag.evidence
