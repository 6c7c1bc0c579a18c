"""The detector: text in, :class:`~suar.domain.Finding` out. Pure, no I/O."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from suar.detect.extractors import Extractor, load_extractors
from suar.detect.flags import find_hits
from suar.detect.hints import Hints
from suar.detect.language import identify_language
from suar.detect.normalize import normalize
from suar.detect.scoring import assess, detector_version, explain_model
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

    def __init__(
        self,
        *,
        default_country: str | None = None,
        profile: bool = False,
        use_model: bool = True,
    ) -> None:
        self.default_country = default_country
        self.profile = profile
        #: combine the red flags with the trained lure model (docs/model-card.md)
        self.use_model = use_model
        self.stage_seconds: dict[str, float] = defaultdict(float)
        self._extractors: list[tuple[str, Extractor]] | None = None

    @property
    def extractors(self) -> list[tuple[str, Extractor]]:
        if self._extractors is None:
            self._extractors = load_extractors()
        return self._extractors

    @property
    def version(self) -> str:
        """The detector version every finding records: the scoring data's, plus the model's."""
        if not self.use_model:
            return detector_version()
        from suar.model import load_lure_model

        return f"{detector_version()}.{load_lure_model().version}"

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
        finding = Finding(
            risk=result.risk,
            level=result.level,
            lang=found_lang,
            detector_version=self.version,
            indicators=unique,
            flags=result.flags,
            explanation=result.explanation,
        )
        t5 = clock()
        if self.use_model:
            finding = self._with_model(text, finding)
        if profile:
            self.stage_seconds["normalize"] += t1 - t0
            self.stage_seconds["language"] += t2 - t1
            self.stage_seconds["flags"] += t4 - t3
            self.stage_seconds["score"] += t5 - t4
            self.stage_seconds["model"] += clock() - t5
        return finding

    def _with_model(self, text: str, finding: Finding) -> Finding:
        """Combine the red-flag finding with the lure model; it never lowers the risk.

        The model reads the original text, as in training, and abstains in the
        languages it was not trained on (the finding is then unchanged).
        """
        from suar.model import load_lure_model

        verdict = load_lure_model().assess(text, finding)
        if verdict.probability is None:
            return finding
        explanation = finding.explanation
        if verdict.level is not finding.level:
            explanation = explain_model(verdict.level, finding.flags, verdict.probability)
        return replace(finding, risk=verdict.risk, level=verdict.level, explanation=explanation)
