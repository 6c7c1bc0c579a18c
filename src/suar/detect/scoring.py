"""Risk from indicators alone, until the red-flag scorer lands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from suar.domain import Indicator, Level

DETECTOR_VERSION: Final = "0.1.0+indicators-only"

# Probability-like weight of each kind of evidence; combined as 1 - prod(1 - w).
_KIND_WEIGHTS: Final[dict[str, float]] = {
    "place": 0.35,
    "wallet": 0.25,
    "telegram": 0.15,
    "whatsapp": 0.08,
    "line": 0.08,
    "wechat": 0.08,
    "zalo": 0.08,
    "viber": 0.08,
    "kakaotalk": 0.08,
    "age": 0.08,
    "gender": 0.05,
}
_HIGH_SALARY_USD: Final = 800.0
_HIGH_SALARY_WEIGHT: Final = 0.2
_THRESHOLDS: Final[tuple[tuple[float, Level], ...]] = (
    (0.6, Level.HIGH),
    (0.4, Level.MEDIUM),
    (0.15, Level.LOW),
)


def level_for(risk: float) -> Level:
    for threshold, level in _THRESHOLDS:
        if risk >= threshold:
            return level
    return Level.NONE


def score_indicators(indicators: Sequence[Indicator]) -> tuple[float, Level, str]:
    """Risk, level and a one-sentence explanation from indicators alone."""
    kinds = {i.kind for i in indicators}
    weights = {k: _KIND_WEIGHTS[k] for k in kinds if k in _KIND_WEIGHTS}
    top_salary = max(
        (float(i.attrs.get("usd_per_month", 0.0)) for i in indicators if i.kind == "money"),
        default=0.0,
    )
    if top_salary >= _HIGH_SALARY_USD:
        weights["money"] = _HIGH_SALARY_WEIGHT
    remaining = 1.0
    for w in weights.values():
        remaining *= 1.0 - w
    risk = round(1.0 - remaining, 4)
    level = level_for(risk)
    if not weights:
        explanation = "No indicator of a recruitment lure was found."
    else:
        strongest = max(weights, key=lambda k: weights[k])
        explanation = (
            f"Indicators only (red flags not yet scored); strongest: {strongest}"
            f" among {len(indicators)} indicator(s)."
        )
    return risk, level, explanation
