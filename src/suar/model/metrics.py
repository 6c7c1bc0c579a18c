"""Classification figures with bootstrap 95% intervals.

Every figure comes with a percentile interval from resampling the posts with
replacement (a fixed seed, so the same data always gives the same interval).
A figure that a resample cannot define (a recall without positives, an AUC
with one class) is left out of that resample; with too few defined
resamples the interval is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Figures in the order they are reported.
FIGURES: Final = (
    "precision",
    "recall",
    "f1",
    "false_positive_rate",
    "roc_auc",
    "pr_auc",
)
_MIN_DEFINED: Final = 0.5


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else float("nan")


def precision(y: IntArray, flagged: BoolArray, _: FloatArray) -> float:
    """Share of flagged posts that are lures."""
    return _ratio(float(np.sum(flagged & (y == 1))), float(np.sum(flagged)))


def recall(y: IntArray, flagged: BoolArray, _: FloatArray) -> float:
    """Share of lures that are flagged."""
    return _ratio(float(np.sum(flagged & (y == 1))), float(np.sum(y == 1)))


def f1(y: IntArray, flagged: BoolArray, _: FloatArray) -> float:
    """Harmonic mean of precision and recall (0 when nothing right is flagged)."""
    tp = float(np.sum(flagged & (y == 1)))
    fp = float(np.sum(flagged & (y == 0)))
    fn = float(np.sum(~flagged & (y == 1)))
    if tp + fn == 0:
        return float("nan")
    return _ratio(2 * tp, 2 * tp + fp + fn)


def false_positive_rate(y: IntArray, flagged: BoolArray, _: FloatArray) -> float:
    """Share of legitimate posts that are flagged (the false-alarm rate)."""
    return _ratio(float(np.sum(flagged & (y == 0))), float(np.sum(y == 0)))


def roc_auc(y: IntArray, _: BoolArray, score: FloatArray) -> float:
    """Area under the ROC curve: the chance a lure outscores a legitimate post (ties count half)."""
    positives = int(np.sum(y == 1))
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score), dtype=np.float64)
    sorted_scores = score[order]
    # average ranks for ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(average, counts)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def pr_auc(y: IntArray, _: BoolArray, score: FloatArray) -> float:
    """Area under the precision-recall curve, as average precision (step-wise, no interpolation)."""
    positives = int(np.sum(y == 1))
    if positives == 0:
        return float("nan")
    order = np.argsort(-score, kind="mergesort")
    s = score[order]
    hits = (y[order] == 1).astype(np.float64)
    # one point per distinct score: the last index of each run of ties
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tp = np.cumsum(hits)[last]
    seen = last + 1.0
    prec = tp / seen
    rec = tp / positives
    previous = np.r_[0.0, rec[:-1]]
    return float(np.sum((rec - previous) * prec))


FIGURE_FUNCTIONS: Final[dict[str, Callable[[IntArray, BoolArray, FloatArray], float]]] = {
    "precision": precision,
    "recall": recall,
    "f1": f1,
    "false_positive_rate": false_positive_rate,
    "roc_auc": roc_auc,
    "pr_auc": pr_auc,
}


def _clean(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def figures_with_intervals(
    y: IntArray,
    flagged: BoolArray,
    score: FloatArray,
    *,
    seed: int,
    resamples: int = 1000,
) -> dict[str, object]:
    """Every figure of :data:`FIGURES` (``None`` when undefined) and ``ci95``: figure → [low, high].

    Also ``posts``, ``lures``, ``legitimate`` and ``flagged`` counts.
    """
    y = np.asarray(y, dtype=np.int64)
    flagged = np.asarray(flagged, dtype=np.bool_)
    score = np.asarray(score, dtype=np.float64)
    result: dict[str, object] = {
        "posts": len(y),
        "lures": int(np.sum(y == 1)),
        "legitimate": int(np.sum(y == 0)),
        "flagged": int(np.sum(flagged)),
    }
    for name in FIGURES:
        result[name] = _clean(FIGURE_FUNCTIONS[name](y, flagged, score))
    intervals: dict[str, list[float] | None] = {name: None for name in FIGURES}
    if len(y) > 1 and resamples > 0:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, len(y), size=(resamples, len(y)))
        values = {name: np.full(resamples, np.nan) for name in FIGURES}
        for i, idx in enumerate(draws):
            yy, ff, ss = y[idx], flagged[idx], score[idx]
            for name in FIGURES:
                if result[name] is not None:
                    values[name][i] = FIGURE_FUNCTIONS[name](yy, ff, ss)
        for name in FIGURES:
            defined = values[name][~np.isnan(values[name])]
            if result[name] is not None and len(defined) >= _MIN_DEFINED * resamples:
                low, high = np.percentile(defined, [2.5, 97.5])
                intervals[name] = [round(float(low), 4), round(float(high), 4)]
    result["ci95"] = intervals
    return result


def best_f1_threshold(y: IntArray, score: FloatArray) -> float:
    """The score threshold (flag when ``score >= t``) with the highest F1; ties go to the higher t."""
    order = np.argsort(-score, kind="mergesort")
    s = score[order]
    hits = (y[order] == 1).astype(np.float64)
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tp = np.cumsum(hits)[last]
    flagged = last + 1.0
    positives = float(np.sum(y == 1))
    f1_values = 2 * tp / (flagged + positives)
    best = int(np.argmax(f1_values))
    return float(s[last[best]])
