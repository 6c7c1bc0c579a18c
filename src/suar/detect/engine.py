"""The detector: text in, :class:`~suar.domain.Finding` out. Pure, no I/O."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from suar.detect.extractors import Extractor, load_extractors
from suar.detect.flags import find_hits
from suar.detect.hints import Hints
from suar.detect.language import identify_language
from suar.detect.normalize import normalize
from suar.detect.scoring import assess, detector_version
from suar.detect.script import script_language
from suar.domain import Finding, Indicator


def _dedupe(indicators: Iterable[Indicator]) -> tuple[Indicator, ...]:
    """Drop exact repeats (same kind, value and span), order by position."""
    seen: dict[tuple[str, str, tuple[int, int]], Indicator] = {}
    for ind in indicators:
        seen.setdefault((ind.kind, ind.value, ind.span), ind)
    return tuple(sorted(seen.values(), key=lambda i: (i.span, i.kind)))


class Detector:
    """Finds the language, indicators and red flags of posts, and scores them.

    Build one and reuse it: extractors, flag packs and the language model load
    their data on first use. With ``profile=True`` it adds up the time spent in
    each stage (:attr:`stage_seconds`: ``normalize``, ``language``, one per
    extractor, ``flags``, ``score``), for benchmarks.
    """

    def __init__(self, *, default_country: str | None = None, profile: bool = False) -> None:
        self.default_country = default_country
        self.profile = profile
        self.stage_seconds: dict[str, float] = defaultdict(float)
        self._extractors: list[tuple[str, Extractor]] | None = None

    @property
    def extractors(self) -> list[tuple[str, Extractor]]:
        if self._extractors is None:
            self._extractors = load_extractors()
        return self._extractors

    @property
    def version(self) -> str:
        """The detector version every finding records (see :func:`detector_version`)."""
        return detector_version()

    def detect(self, text: str, *, lang: str | None = None, country: str | None = None) -> Finding:
        """Detect the language, indicators and red flags in ``text`` and score them.

        ``lang`` (BCP-47) and ``country`` (ISO 3166-1 alpha-2) come from the
        record when it has them; a given ``lang`` is trusted and not identified
        again. They steer how national phone numbers are read and which
        destinations count as abroad.
        """
        clock = time.perf_counter
        profile = self.profile
        t0 = clock()
        nt = normalize(text)
        t1 = clock()
        script_lang = script_language(nt.text)
        found_lang = lang or identify_language(nt.text, script=script_lang)
        hints = Hints.build(
            lang=found_lang,
            country=country,
            default_country=self.default_country,
            script_lang=script_lang,
        )
        t2 = clock()
        indicators: list[Indicator] = []
        for stage, extract in self.extractors:
            start = clock()
            indicators.extend(extract(nt, hints))
            if profile:
                self.stage_seconds[stage] += clock() - start
        t3 = clock()
        hits = find_hits(nt)
        t4 = clock()
        unique = _dedupe(indicators)
        result = assess(text, hits, unique, lang=found_lang, country=hints.country)
        if profile:
            self.stage_seconds["normalize"] += t1 - t0
            self.stage_seconds["language"] += t2 - t1
            self.stage_seconds["flags"] += t4 - t3
            self.stage_seconds["score"] += clock() - t4
        return Finding(
            risk=result.risk,
            level=result.level,
            lang=found_lang,
            detector_version=detector_version(),
            indicators=unique,
            flags=result.flags,
            explanation=result.explanation,
        )
