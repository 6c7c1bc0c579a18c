"""The rule for when the model alone may raise an alert is chosen by cross-validation."""

from __future__ import annotations

import numpy as np

from suar.model.alerting import RuleData, choose_rule, pick_alert
from suar.model.lure_model import Combination, Thresholds

_THRESHOLDS = Thresholds(low=0.2, medium=0.4, high=0.7)
_UNCAPPED = Combination(base_rate=0.015, up=1.0, down=0.0, alert=0.0, low=0.2, medium=0.4)


def _data(rows: list[tuple[float, float, int]]) -> RuleData:
    """Posts as (model probability, flag risk, label), dealt round-robin into five folds."""
    n = len(rows)
    return RuleData(
        probability=np.array([r[0] for r in rows]),
        flag_risk=np.array([r[1] for r in rows]),
        y=np.array([r[2] for r in rows], dtype=np.int64),
        sources=np.array(["ads"] * n),
        applies=np.ones(n, dtype=np.bool_),
        fold=np.arange(n, dtype=np.int64) % 5,
        selection=np.ones(n, dtype=np.bool_),
    )


def test_the_alert_probability_sits_just_above_every_legitimate_post_on_a_fixed_grid() -> None:
    p = np.array([0.95, 0.88791, 0.3])
    y = np.array([1, 0, 0], dtype=np.int64)
    assert pick_alert(p, np.ones(3, dtype=np.bool_), y) == 0.888
    assert pick_alert(p, np.array([True, False, False]), y) == 0.0  # no legitimate candidate


def test_a_rule_that_lets_the_model_alone_alarm_an_unseen_legitimate_ad_is_not_chosen() -> None:
    # Sure lures with red flags; two legitimate ads without flags that the model is sure of,
    # in different folds: picked on the other folds, the alert lets each of them through.
    rows = [(0.99, 0.1, 1)] * 10 + [(0.97, 0.0, 0), (0.98, 0.0, 0)] + [(0.01, 0.0, 0)] * 48
    choice = choose_rule(_data(rows), uncapped=_UNCAPPED, thresholds=_THRESHOLDS)
    by_rule = {row["rule"]: row for row in choice.table}
    assert by_rule["probability"]["cross_validated"]["legitimate_raised"] == 1
    assert by_rule["probability"]["alert_picked_on_the_same_posts"]["legitimate_raised"] == 0
    assert by_rule["with_flags"]["cross_validated"]["legitimate_raised"] == 0
    assert by_rule["with_flags"]["cross_validated"]["recall"] == 1.0
    assert choice.rule == "with_flags"
    assert [row["rule"] for row in choice.table if row["chosen"]] == ["with_flags"]


def test_when_no_rule_keeps_false_alarms_down_by_itself_the_model_never_alerts_alone() -> None:
    rows = [(0.99, 0.1, 1)] * 5 + [(0.97, 0.1, 0), (0.98, 0.1, 0)] + [(0.01, 0.0, 0)] * 53
    choice = choose_rule(_data(rows), uncapped=_UNCAPPED, thresholds=_THRESHOLDS)
    assert choice.rule == "never" and choice.alert == 1.0
