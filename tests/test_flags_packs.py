"""The shipped vocabulary packs and scoring data load, validate and cover every language."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from suar.detect import vocabulary
from suar.detect.flags import squeeze
from suar.detect.vocabulary import (
    PACK_LANGUAGES,
    load_packs,
    load_scoring,
    pack_for,
    parse_pack,
)
from suar.errors import DataError

#: Codes every language must be able to show: the heart of a lure.
CORE_CODES = (
    "salary.high_promise",
    "skill.none_required",
    "perks.travel_paid",
    "job.generic_office_title",
    "sector.gaming_crypto",
    "location.abroad",
    "location.vague_or_switched",
    "contact.moves_to_dm",
    "process.rushed_remote",
    "visa.tourist_for_work",
    "process.bypasses_official",
    "docs.passport_upfront",
    "cost.fee_or_debt",
)


def good_pack(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "lang": "xx",
        "name": "Test",
        "flags": {"skill.none_required": ["no experience", {"text": "easy job", "strong": True}]},
    }
    document.update(changes)
    return document


def test_every_covered_language_ships_a_valid_pack() -> None:
    packs = load_packs()
    assert [p.lang for p in packs] == list(PACK_LANGUAGES)
    assert {
        "en",
        "id",
        "ms",
        "tl",
        "vi",
        "th",
        "km",
        "my",
        "lo",
        "zh-Hans",
        "zh-Hant",
        "ko",
        "ja",
    } <= {p.lang for p in packs}
    for pack in packs:
        assert len(pack.phrases) >= 60, pack.lang


@pytest.mark.parametrize("lang", PACK_LANGUAGES)
def test_each_pack_covers_the_core_red_flags(lang: str) -> None:
    pack = pack_for(lang)
    assert pack is not None
    missing = [c for c in CORE_CODES if c not in pack.codes]
    assert not missing, f"{lang} has no phrase for {missing}"


def test_every_code_a_pack_uses_is_in_the_scoring_taxonomy() -> None:
    taxonomy = set(load_scoring().flags)
    for pack in load_packs():
        flags = {c for c in pack.codes if not c.startswith("context.")}
        assert flags <= taxonomy, (pack.lang, flags - taxonomy)


def test_every_phrase_squeezes_to_enough_letters_to_match() -> None:
    for pack in load_packs():
        for phrase in pack.phrases:
            assert len(squeeze(phrase.text)) >= 2, (pack.lang, phrase.text)


def test_shipped_files_are_the_schema_checked_documents() -> None:
    directory = resources.files("suar.detect").joinpath("data", "flags")
    schema = json.loads(directory.joinpath("schema.json").read_text("utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    for lang in PACK_LANGUAGES:
        document = json.loads(directory.joinpath(f"{lang}.json").read_text("utf-8"))
        assert parse_pack(document, f"{lang}.json").lang == lang


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        (good_pack(flags={"Skill": ["x y"]}), "Skill"),
        (good_pack(flags={"context.suppress": ["no fee"]}), "context.suppress"),
        (good_pack(context={"context.other": ["x y"]}), "context.other"),
        (good_pack(flags={"skill.none_required": []}), "skill.none_required"),
        (good_pack(flags={"skill.none_required": ["x"]}), "skill.none_required"),
        (good_pack(flags={"skill.none_required": [{"text": "abc", "loud": True}]}), "loud"),
        (good_pack(flags={"location.risk_country": [{"text": "Kamboja", "country": "kh"}]}), "kh"),
        (good_pack(lang="English"), "lang"),
        ({"name": "no lang", "flags": {}}, "lang"),
        (good_pack(extra=1), "extra"),
    ],
)
def test_a_bad_pack_is_refused_with_a_message_naming_the_problem(
    document: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(DataError) as caught:
        parse_pack(document, "xx.json")
    assert "xx.json" in str(caught.value)
    assert complaint in str(caught.value)


def test_a_phrase_listed_twice_under_one_code_is_refused() -> None:
    document = good_pack(flags={"skill.none_required": ["No experience", "no experience"]})
    with pytest.raises(DataError, match="listed twice"):
        parse_pack(document, "xx.json")


def test_a_good_pack_parses_into_phrases() -> None:
    pack = parse_pack(good_pack(markers=["abc"]), "xx.json")
    assert [(p.code, p.text, p.strong) for p in pack.phrases] == [
        ("skill.none_required", "no experience", False),
        ("skill.none_required", "easy job", True),
    ]
    assert pack.markers == frozenset({"abc"})


def test_a_missing_pack_file_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "PACK_LANGUAGES", ("en", "qq"))
    vocabulary._loaded.cache_clear()
    try:
        with pytest.raises(DataError, match=r"qq\.json"):
            load_packs()
    finally:
        monkeypatch.undo()
        vocabulary._loaded.cache_clear()


def test_scoring_data_is_consistent() -> None:
    config = load_scoring()
    assert 0 < config.thresholds.low < config.thresholds.medium < config.thresholds.high < 1
    for code, spec in config.flags.items():
        assert spec.family in config.families, code
        assert spec.weak <= spec.weight <= spec.strong, code
    assert "default" in config.salary.usd_per_month


def test_a_scoring_file_with_unknown_codes_is_refused() -> None:
    raw = resources.files("suar.detect").joinpath("data", "scoring.json").read_text("utf-8")
    document = json.loads(raw)
    document["combinations"][0]["require"][0].append("no.such_code")
    with pytest.raises(ValueError, match="no.such_code"):
        vocabulary.ScoringConfig.model_validate(document)


def test_the_red_flag_documentation_covers_every_code_rule_and_threshold() -> None:
    raw = (Path(__file__).resolve().parents[1] / "docs" / "red-flags.md").read_text("utf-8")
    docs = " ".join(raw.split())
    config = load_scoring()
    for code in config.flags:
        assert f"`{code}`" in docs, code
    for family in config.families:
        assert f"**{family}**" in docs, family
    for combo in config.combinations:
        assert combo.name in docs, combo.name
    t = config.thresholds
    assert f"`low` from {t.low}, `medium` from {t.medium}, `high` from {t.high}" in docs
    cap = config.max_risk_without_abroad
    assert f"at most {cap} (`max_risk_without_abroad`)" in docs
    assert f"`warning_factor` ({config.warning_factor})" in docs
    for lang in PACK_LANGUAGES:
        assert f"`{lang}`" in docs, lang
