"""Lures written for the tests score medium or high in every language; ordinary posts do not.

``tests/corpus/<lang>.json`` holds, per covered language, at least ten lures
(varied in style and length, some disguised) and ten ordinary job ads or posts
(hard negatives: honest ads with salaries, free meals, messaging contacts, a
licensed agency abroad, a warning against lures). All were written for Suar's
tests; none is a real ad.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from suar.detect.engine import Detector
from suar.detect.flags import find_hits
from suar.detect.normalize import normalize
from suar.detect.vocabulary import PACK_LANGUAGES
from suar.domain import Finding, Level

CORPUS = Path(__file__).parent / "corpus"
_ZERO_WIDTH = "\u200b"
_EMOJI = "\U0001f525"


def _load() -> dict[str, dict[str, Any]]:
    return {
        json.loads(p.read_text("utf-8"))["lang"]: json.loads(p.read_text("utf-8"))
        for p in sorted(CORPUS.glob("*.json"))
    }


CORPORA = _load()
LURES = [(lang, i, item) for lang, c in CORPORA.items() for i, item in enumerate(c["lures"])]
ORDINARY = [
    (lang, i, item["text"]) for lang, c in CORPORA.items() for i, item in enumerate(c["ordinary"])
]


@lru_cache(maxsize=1)
def detector() -> Detector:
    # The red flags alone: the lure model (English only) is measured by `suar model eval`.
    return Detector(use_model=False)


def detect(text: str) -> Finding:
    finding = detector().detect(text)
    for flag in finding.flags:
        assert text[flag.span[0] : flag.span[1]] == flag.evidence
    for ind in finding.indicators:
        assert 0 <= ind.span[0] < ind.span[1] <= len(text)
    return finding


def test_every_covered_language_has_ten_lures_and_ten_ordinary_posts() -> None:
    assert set(CORPORA) == set(PACK_LANGUAGES)
    for lang, corpus in CORPORA.items():
        assert len(corpus["lures"]) >= 10, lang
        assert len(corpus["ordinary"]) >= 10, lang
        lengths = [len(item["text"]) for item in corpus["lures"] + corpus["ordinary"]]
        assert max(lengths) >= 2 * min(lengths), f"{lang}: vary the length of the posts"


@pytest.mark.parametrize(("lang", "index", "item"), LURES, ids=lambda v: str(v)[:12])
def test_a_lure_scores_medium_or_high_with_its_evidence(
    lang: str, index: int, item: dict[str, Any]
) -> None:
    finding = detect(item["text"])
    assert finding.level.rank >= Level.MEDIUM.rank, (lang, index, finding.explanation)
    shown = {f.evidence for f in finding.flags}
    missing = [e for e in item.get("evidence", []) if e not in shown]
    assert not missing, (lang, index, missing)


@pytest.mark.parametrize(("lang", "index", "text"), ORDINARY, ids=lambda v: str(v)[:12])
def test_an_ordinary_post_stays_low_or_below(lang: str, index: int, text: str) -> None:
    finding = detect(text)
    assert finding.level.rank <= Level.LOW.rank, (lang, index, finding.explanation)


def zero_width_everywhere(text: str) -> str:
    return _ZERO_WIDTH.join(text)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# The money extractor reads the pay word before an amount ("thu nhập 40 triệu") in
# the normalised text, where an emoji stays; phrases that close are left alone.
_MONEY_CUE_WINDOW = 40


def emoji_inside_flagged_words(text: str, finding: Finding) -> str:
    """Put an emoji inside every red-flag phrase that no indicator depends on."""
    taken = [ind.span for ind in finding.indicators]
    taken += [
        (max(0, ind.span[0] - _MONEY_CUE_WINDOW), ind.span[0])
        for ind in finding.indicators
        if ind.kind == "money"
    ]
    spots: list[int] = []
    for hit in find_hits(normalize(text)):
        start, end = hit.span
        if hit.is_context or any(s < end and start < e for s, e in taken):
            continue
        inside = next(
            (i for i in range(start + 1, end) if text[i - 1].isalpha() and text[i].isalpha()),
            None,
        )
        if inside is not None:
            spots.append(inside)
    for spot in sorted(set(spots), reverse=True):
        text = text[:spot] + _EMOJI + text[spot:]
    return text


@pytest.mark.parametrize(("lang", "index", "item"), LURES, ids=lambda v: str(v)[:12])
def test_a_disguised_lure_scores_like_the_original(
    lang: str, index: int, item: dict[str, Any]
) -> None:
    original = detect(item["text"])
    for name, disguised in (
        ("zero-width", zero_width_everywhere(item["text"])),
        ("full-width", full_width(item["text"])),
        ("emoji", emoji_inside_flagged_words(item["text"], original)),
    ):
        if disguised == item["text"]:  # nothing to disguise (no ASCII to widen)
            continue
        finding = detect(disguised)
        assert finding.level is original.level, (lang, index, name, finding.explanation)
        assert abs(finding.risk - original.risk) <= 0.05, (lang, index, name)


@pytest.mark.parametrize(("lang", "index", "text"), ORDINARY[::3], ids=lambda v: str(v)[:12])
def test_a_disguised_ordinary_post_stays_ordinary(lang: str, index: int, text: str) -> None:
    for disguised in (zero_width_everywhere(text), full_width(text)):
        assert detect(disguised).level.rank <= Level.LOW.rank, (lang, index)
