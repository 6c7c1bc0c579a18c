"""``suar model eval``: how well the detector (red flags plus model) does on labelled posts.

Every post goes through the red-flag detector and the lure model, as a scan
would run them once the model is wired in. The figures, each with a
bootstrap 95% interval (:mod:`suar.model.metrics`):

- the detector as shipped: a post counts as flagged at level medium or above,
  ranked by its combined risk (the top-level figures);
- ``flags_only``: the red flags alone, as before the model;
- ``model_only``: the model's probability alone, flagged at the threshold
  chosen on the training data (its best F1 out of fold), in every language,
  including those it abstains on in the combined risk;

then the confusion of levels against labels, and the same figures per
language and per data set.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from suar.domain import Finding, Level
from suar.model.corpus import Example
from suar.model.lure_model import LureModel
from suar.model.metrics import FIGURES, figures_with_intervals

#: Published reference point, quoted beside the test-split figures (see docs/model-card.md).
PUBLISHED_ANCHOR: Final = {
    "f1": 0.93,
    "model": "Fraud-BERT (2025)",
    "data": "EMSCAD, fraud class",
    "trained_on": "about 11,000 ads (the DIFrauD/EMSCAD train split, not available here)",
}
_SNIPPET: Final = 240
_EXAMPLES: Final = 5


@dataclass(frozen=True, slots=True)
class ScoredPost:
    """One labelled post with what the flags, the model and the two combined say."""

    label: int
    source: str
    lang: str
    flag_risk: float
    flag_level: Level
    probability: float
    applies: bool
    risk: float
    level: Level
    snippet: str
    flags: tuple[str, ...]


def score_posts(
    examples: Iterable[Example], model: LureModel, detect: Callable[[str, str | None], Finding]
) -> list[ScoredPost]:
    """Run ``detect(text, lang)`` (the red flags alone) and the model on every example."""
    scored: list[ScoredPost] = []
    for example in examples:
        finding = detect(example.text, example.lang)
        assessment = model.assess(example.text, finding)
        probability = (
            assessment.probability
            if assessment.probability is not None
            else model.probability(example.text, finding)
        )
        scored.append(
            ScoredPost(
                label=example.label,
                source=example.source,
                lang=(example.lang or finding.lang or "und").split("-")[0].lower(),
                flag_risk=finding.risk,
                flag_level=finding.level,
                probability=probability,
                applies=assessment.probability is not None,
                risk=assessment.risk,
                level=assessment.level,
                snippet=" ".join(example.text[:_SNIPPET].split()),
                flags=tuple(sorted({f.code for f in finding.flags})),
            )
        )
    return scored


def _alerted(levels: Iterable[Level]) -> np.ndarray:
    return np.array([level.rank >= Level.MEDIUM.rank for level in levels], dtype=np.bool_)


def _figures(
    posts: Sequence[ScoredPost], model_threshold: float, *, seed: int, resamples: int
) -> dict[str, Any]:
    y = np.array([p.label for p in posts], dtype=np.int64)
    risk = np.array([p.risk for p in posts])
    result = figures_with_intervals(
        y, _alerted(p.level for p in posts), risk, seed=seed, resamples=resamples
    )
    result["flags_only"] = figures_with_intervals(
        y,
        _alerted(p.flag_level for p in posts),
        np.array([p.flag_risk for p in posts]),
        seed=seed,
        resamples=resamples,
    )
    probability = np.array([p.probability for p in posts])
    model_only = figures_with_intervals(
        y, probability >= model_threshold, probability, seed=seed, resamples=resamples
    )
    model_only["threshold"] = round(model_threshold, 5)
    result["model_only"] = model_only
    return result


def confusion_by_level(posts: Sequence[ScoredPost], *, flags_only: bool = False) -> dict[str, Any]:
    """For each level: how many lures and how many legitimate posts got it."""
    counts: dict[str, Counter[str]] = {level.value: Counter() for level in Level}
    for post in posts:
        level = post.flag_level if flags_only else post.level
        counts[level.value]["lures" if post.label == 1 else "legitimate"] += 1
    return {
        level: {"lures": c.get("lures", 0), "legitimate": c.get("legitimate", 0)}
        for level, c in counts.items()
    }


def _examples(posts: Sequence[ScoredPost]) -> dict[str, list[dict[str, Any]]]:
    def show(p: ScoredPost) -> dict[str, Any]:
        return {
            "source": p.source,
            "lang": p.lang,
            "level": p.level.value,
            "risk": p.risk,
            "probability": round(p.probability, 4),
            "flags": list(p.flags),
            "text": p.snippet,
        }

    missed = sorted((p for p in posts if p.label == 1 and p.level.rank < 2), key=lambda p: p.risk)
    alarms = sorted((p for p in posts if p.label == 0 and p.level.rank >= 2), key=lambda p: -p.risk)
    near = sorted((p for p in posts if p.label == 0), key=lambda p: -p.probability)
    return {
        "missed_lures": [show(p) for p in missed[:_EXAMPLES]],
        "false_alarms": [show(p) for p in alarms[:_EXAMPLES]],
        "legitimate_the_model_likes_most": [show(p) for p in near[:_EXAMPLES]],
    }


def evaluate(
    posts: Sequence[ScoredPost], model: LureModel, *, seed: int = 0, resamples: int = 1000
) -> dict[str, Any]:
    """All figures of the module docstring as one JSON-ready mapping.

    Top-level keys: ``precision``, ``recall``, ``f1``, ``false_positive_rate``,
    ``roc_auc``, ``pr_auc`` (``None`` where undefined), ``ci95`` (each figure's
    interval), the counts, ``flags_only``, ``model_only``, ``confusion_by_level``,
    ``per_language``, ``per_source``, ``examples`` and ``model``.
    """
    if not posts:
        raise ValueError("no posts to evaluate")
    threshold = float(model.metadata.get("training", {}).get("model_only_threshold", 0.5))
    result: dict[str, Any] = {"operating_point": "level >= medium"}
    result.update(_figures(posts, threshold, seed=seed, resamples=resamples))
    result["confusion_by_level"] = confusion_by_level(posts)
    result["confusion_by_level_flags_only"] = confusion_by_level(posts, flags_only=True)
    for key, attribute in (("per_language", "lang"), ("per_source", "source")):
        groups: dict[str, list[ScoredPost]] = defaultdict(list)
        for post in posts:
            groups[str(getattr(post, attribute))].append(post)
        result[key] = {
            name: _figures(members, threshold, seed=seed, resamples=resamples)
            for name, members in sorted(groups.items())
        }
    result["examples"] = _examples(posts)
    result["model"] = {
        "version": model.version,
        "languages": list(model.languages),
        "abstained": sum(1 for p in posts if not p.applies),
        "alert_probability": model.combination.alert,
        "alert_needs_flags": model.combination.needs_flags,
        "alert_rule": model.metadata.get("training", {}).get("alert_rule", {}).get("chosen"),
    }
    result["figures"] = list(FIGURES)
    result["published_anchor"] = PUBLISHED_ANCHOR
    return result
