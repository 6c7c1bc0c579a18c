"""Turning the model's raw score into a probability: Platt scaling or isotonic regression.

Both are fitted on out-of-fold scores (scores of posts the model did not see
while fitting), and the one with the lower log loss under cross-validation
wins. Both are monotone: a higher raw score never gets a lower probability.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from suar.errors import DataError

FloatArray = npt.NDArray[np.float64]
Kind = Literal["platt", "isotonic"]

#: Probabilities are kept this far from 0 and 1, so that log-odds stay finite.
EPSILON: Final = 1e-4


@dataclass(frozen=True, slots=True)
class Calibrator:
    """A monotone map from raw score to probability.

    Platt: ``p = 1 / (1 + exp(-(a * score + b)))`` with ``a > 0``. Isotonic: a
    non-decreasing step function through ``(xs, ys)``, linear between steps.
    """

    kind: Kind
    a: float = 1.0
    b: float = 0.0
    xs: tuple[float, ...] = field(default=())
    ys: tuple[float, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind == "platt":
            if not (math.isfinite(self.a) and math.isfinite(self.b) and self.a > 0):
                raise ValueError("Platt scaling needs a finite slope a > 0 and a finite b")
        elif self.kind == "isotonic":
            xs, ys = np.asarray(self.xs), np.asarray(self.ys)
            if len(xs) < 2 or len(xs) != len(ys):
                raise ValueError("isotonic calibration needs at least two (x, y) points")
            if np.any(np.diff(xs) < 0) or np.any(np.diff(ys) < 0):
                raise ValueError("isotonic calibration points must be non-decreasing")
            if np.any((ys < 0) | (ys > 1)) or not np.all(np.isfinite(xs)):
                raise ValueError("isotonic calibration points must be finite, y in [0, 1]")
        else:
            raise ValueError(f"unknown calibration {self.kind!r}")

    def apply(self, scores: FloatArray) -> FloatArray:
        """Probabilities for an array of raw scores, clipped to [EPSILON, 1 - EPSILON]."""
        scores = np.asarray(scores, dtype=np.float64)
        if self.kind == "platt":
            z = np.clip(self.a * scores + self.b, -50.0, 50.0)
            p = 1.0 / (1.0 + np.exp(-z))
        else:
            p = np.interp(scores, np.asarray(self.xs), np.asarray(self.ys))
        return np.clip(p, EPSILON, 1.0 - EPSILON)

    def probability(self, score: float) -> float:
        """The probability of one raw score (the same as :meth:`apply`, without arrays for Platt)."""
        if self.kind == "platt":
            z = min(50.0, max(-50.0, self.a * score + self.b))
            return min(max(1.0 / (1.0 + math.exp(-z)), EPSILON), 1.0 - EPSILON)
        return float(self.apply(np.asarray([score]))[0])

    def rounded(self, digits: int) -> Calibrator:
        """The same calibration with its parameters rounded to ``digits`` decimals."""
        return Calibrator(
            self.kind,
            a=round(self.a, digits),
            b=round(self.b, digits),
            xs=tuple(round(x, digits) for x in self.xs),
            ys=tuple(round(y, digits) for y in self.ys),
        )

    def to_json(self) -> dict[str, Any]:
        """The calibrator as plain JSON values."""
        if self.kind == "platt":
            return {"kind": "platt", "a": self.a, "b": self.b}
        return {"kind": "isotonic", "xs": list(self.xs), "ys": list(self.ys)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Calibrator:
        """Read :meth:`to_json` output back; raises :class:`DataError` when it is malformed."""
        try:
            kind = data["kind"]
            if kind == "platt":
                return cls("platt", a=float(data["a"]), b=float(data["b"]))
            return cls(
                kind,
                xs=tuple(float(x) for x in data["xs"]),
                ys=tuple(float(y) for y in data["ys"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"lure model calibration is malformed: {exc}") from exc


def fit_platt(scores: FloatArray, labels: npt.NDArray[np.int64]) -> Calibrator:
    """Platt scaling fitted by maximum likelihood (with Platt's smoothed targets)."""
    from sklearn.linear_model import LogisticRegression

    positives = int(labels.sum())
    negatives = len(labels) - positives
    # Platt (1999): targets pulled off 0 and 1 so the fit does not overshoot on small sets.
    targets = np.where(labels == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    x = np.concatenate([scores, scores]).reshape(-1, 1)
    y = np.concatenate([np.ones(len(scores)), np.zeros(len(scores))])
    weights = np.concatenate([targets, 1 - targets])
    fitted = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    fitted.fit(x, y, sample_weight=weights)
    a = float(fitted.coef_[0, 0])
    b = float(fitted.intercept_[0])
    if a <= 0:
        raise ValueError("the raw score does not rank positives above negatives")
    return Calibrator("platt", a=a, b=b)


def fit_isotonic(scores: FloatArray, labels: npt.NDArray[np.int64]) -> Calibrator:
    """Isotonic regression of the label on the score, kept as its step points."""
    from sklearn.isotonic import IsotonicRegression

    fitted = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
    fitted.fit(scores, labels.astype(np.float64))
    xs = np.asarray(fitted.X_thresholds_, dtype=np.float64)
    ys = np.asarray(fitted.y_thresholds_, dtype=np.float64)
    if len(xs) < 2:
        xs = np.array([float(scores.min()), float(scores.max()) + 1e-9])
        ys = np.array([float(labels.mean())] * 2)
    return Calibrator("isotonic", xs=tuple(xs.tolist()), ys=tuple(ys.tolist()))


def log_loss(p: FloatArray, labels: npt.NDArray[np.int64]) -> float:
    """Mean negative log-likelihood of ``labels`` under ``p``."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))


def choose_calibration(
    scores: FloatArray, labels: npt.NDArray[np.int64], *, seed: int, folds: int = 5
) -> tuple[Calibrator, dict[str, float]]:
    """Fit Platt and isotonic calibration; keep the one with the lower cross-validated log loss.

    Returns the winner refitted on all the scores, and the cross-validated log
    loss of each kind.
    """
    from sklearn.model_selection import StratifiedKFold

    losses: dict[str, list[float]] = {"platt": [], "isotonic": []}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(scores.reshape(-1, 1), labels):
        for kind, fit in (("platt", fit_platt), ("isotonic", fit_isotonic)):
            try:
                calibrator = fit(scores[train], labels[train])
            except ValueError:
                losses[kind].append(math.inf)
                continue
            losses[kind].append(log_loss(calibrator.apply(scores[test]), labels[test]))
    means = {kind: float(np.mean(values)) for kind, values in losses.items()}
    best = min(means, key=lambda k: (means[k], k != "platt"))  # a tie goes to the simpler one
    chosen = fit_platt(scores, labels) if best == "platt" else fit_isotonic(scores, labels)
    return chosen, means
