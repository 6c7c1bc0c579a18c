"""The figures agree with scikit-learn's and their intervals are reproducible."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from suar.model.metrics import best_f1_threshold, figures_with_intervals, pr_auc, roc_auc


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auc_figures_match_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = (rng.random(300) < 0.2).astype(np.int64)
    score = np.round(rng.random(300) + y * 0.5, 2).astype(np.float64)  # rounded: ties on purpose
    none = np.zeros(0, dtype=np.bool_)
    assert roc_auc(y, none, score) == pytest.approx(roc_auc_score(y, score))
    assert pr_auc(y, none, score) == pytest.approx(average_precision_score(y, score))


def test_precision_recall_and_intervals_of_a_known_case() -> None:
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    flagged = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0], dtype=np.bool_)
    score = flagged.astype(float)
    result = figures_with_intervals(y, flagged, score, seed=3, resamples=300)
    assert result["precision"] == 0.75 and result["recall"] == 0.75
    assert result["false_positive_rate"] == round(1 / 6, 4)
    intervals = result["ci95"]
    assert isinstance(intervals, dict)
    low, high = intervals["recall"]
    assert 0.0 <= low <= 0.75 <= high <= 1.0
    again = figures_with_intervals(y, flagged, score, seed=3, resamples=300)
    assert again == result


def test_figures_without_lures_are_undefined_not_zero() -> None:
    y = np.zeros(5, dtype=np.int64)
    result = figures_with_intervals(y, np.zeros(5, dtype=np.bool_), np.zeros(5), seed=0)
    assert result["recall"] is None and result["roc_auc"] is None
    assert result["false_positive_rate"] == 0.0


def test_best_f1_threshold_separates_a_clean_split() -> None:
    y = np.array([0, 0, 0, 1, 1])
    assert best_f1_threshold(y, np.array([0.1, 0.2, 0.3, 0.8, 0.9])) == 0.8
