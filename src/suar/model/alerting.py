"""When the model alone may raise a post to an alert: the rule, chosen by cross-validation.

While the red flags keep a post below medium, the model may lift it into
level low freely, but to medium or above only under a rule (the ``alert``
probability and the ``needs_flags`` switch of
:class:`~suar.model.lure_model.Combination`). The candidate rules:

- ``probability``: the model alone alerts from probability ``alert`` on;
- ``with_flags``: the same, but only on posts the red flags already gave
  some risk (at least one family of red flags counted);
- ``never``: the model alone never alerts (``alert`` = 1); it can still lift
  a post the flags put at medium to high.

``alert`` is the lowest probability above every legitimate training ad the
rule would let the model alert on. Picked on the same out-of-fold scores it
is judged on, it raises no legitimate training ad by construction; so each
rule is judged with ``alert`` picked on the other folds only, which gives
the false-alarm rate an unseen legitimate ad meets. The rule chosen is the one
with the best cross-validated F1 on the selection sets among those whose
cross-validated false alarms on legitimate training ads are no more than the
red flags' own; ties go to the stricter rule (fewer false alarms, then the
later rule of :data:`RULES`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from suar.model.lure_model import Combination, Thresholds
from suar.model.metrics import f1, precision, recall

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Steps of the alert probability per unit (0.0001).
ALERT_GRID: Final = 10_000
#: The candidate rules, from the most permissive to the strictest.
RULES: Final = ("probability", "with_flags", "never")


@dataclass(frozen=True, slots=True)
class RuleData:
    """The out-of-fold evidence the rules are judged on, one entry per training post."""

    probability: FloatArray
    flag_risk: FloatArray
    y: IntArray
    sources: npt.NDArray[np.str_]
    #: whether the model speaks for the post's language
    applies: BoolArray
    #: the cross-validation fold the post was scored in
    fold: IntArray
    #: the posts whose precision, recall and F1 pick the rule
    selection: BoolArray


@dataclass(frozen=True, slots=True)
class RuleChoice:
    """The chosen rule, its alert probability on all training posts, and the search table."""

    rule: str
    alert: float
    table: list[dict[str, Any]]


def _uncapped_alert(data: RuleData, uncapped: Combination, thresholds: Thresholds) -> BoolArray:
    """Posts the flags keep below medium that the model would raise to medium with no rule."""
    would = np.array(
        [
            use and r < thresholds.medium and uncapped.combine(p, r) >= thresholds.medium
            for p, r, use in zip(data.probability, data.flag_risk, data.applies, strict=True)
        ],
        dtype=np.bool_,
    )
    return would


def _eligible(rule: str, data: RuleData) -> BoolArray:
    if rule == "probability":
        return np.ones(len(data.y), dtype=np.bool_)
    if rule == "with_flags":
        return data.flag_risk > 0
    return np.zeros(len(data.y), dtype=np.bool_)


def pick_alert(probability: FloatArray, candidates: BoolArray, y: IntArray) -> float:
    """The lowest probability on a grid of 0.0001 above every legitimate post among
    ``candidates`` (0 when there is none).

    The grid keeps the value, and so the model's content hash, the same when a
    retraining moves the probabilities in their last bits.
    """
    legit = candidates & (y == 0)
    if not legit.any():
        return 0.0
    highest = float(probability[legit].max())
    alert = math.floor(highest * ALERT_GRID + 1.0) / ALERT_GRID
    return min(1.0, round(alert, 4))


def _judge(data: RuleData, raised: BoolArray, flag_alert: BoolArray) -> dict[str, Any]:
    rows = data.selection
    y, flagged, none = data.y[rows], raised[rows], np.zeros(0)
    legit = data.y == 0
    return {
        "precision": _rounded(precision(y, flagged, none)),
        "recall": _rounded(recall(y, flagged, none)),
        "f1": _rounded(f1(y, flagged, none)),
        "lures_raised": int(np.sum(flagged & (y == 1))),
        "legitimate_raised": int(np.sum(raised & legit)),
        "legitimate_raised_by_flags": int(np.sum(flag_alert & legit)),
        "legitimate_posts": int(np.sum(legit)),
        "legitimate_raised_by_source": {
            str(s): int(np.sum(raised & legit & (data.sources == s)))
            for s in np.unique(data.sources)
        },
    }


def _rounded(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def choose_rule(
    data: RuleData,
    *,
    uncapped: Combination,
    thresholds: Thresholds,
    rules: Sequence[str] = RULES,
) -> RuleChoice:
    """Judge every rule by cross-validation and pick one, as the module docstring says."""
    flag_alert = data.flag_risk >= thresholds.medium
    by_model = _uncapped_alert(data, uncapped, thresholds)
    table: list[dict[str, Any]] = []
    for rule in rules:
        candidates = by_model & _eligible(rule, data)
        cross = np.zeros(len(data.y), dtype=np.bool_)
        fold_alerts: list[float] = []
        for k in np.unique(data.fold):
            held = data.fold == k
            alert = (
                1.0 if rule == "never" else pick_alert(data.probability, candidates & ~held, data.y)
            )
            fold_alerts.append(round(alert, 6))
            cross |= held & candidates & (data.probability >= alert)
        alert = 1.0 if rule == "never" else pick_alert(data.probability, candidates, data.y)
        in_sample = candidates & (data.probability >= alert)
        table.append(
            {
                "rule": rule,
                "alert": round(alert, 6),
                "fold_alerts": fold_alerts,
                "cross_validated": _judge(data, flag_alert | cross, flag_alert),
                "alert_picked_on_the_same_posts": _judge(data, flag_alert | in_sample, flag_alert),
            }
        )
    admissible = [
        row
        for row in table
        if row["cross_validated"]["legitimate_raised"]
        <= row["cross_validated"]["legitimate_raised_by_flags"]
    ] or table
    best = max(
        admissible,
        key=lambda row: (
            row["cross_validated"]["f1"] or 0.0,
            -row["cross_validated"]["legitimate_raised"],
            rules.index(row["rule"]),
        ),
    )
    for row in table:
        row["chosen"] = row is best
    return RuleChoice(rule=best["rule"], alert=best["alert"], table=table)
