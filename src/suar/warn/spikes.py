"""Spikes: a campaign posting far faster than its own baseline.

The rule (numbers in ``warn/data/rules.json``, reasons in docs/alerts.md):
count the campaign's posts in the window of ``window_hours`` ending at its
last post, and its posts in the ``baseline_days`` before that window (fewer
when the campaign is younger, but at least ``min_history_days``, otherwise
there is no baseline to compare with and no spike). The baseline's rate,
scaled to the window, is the expected count; the window is a spike when its
count reaches both ``min_posts`` and ``factor`` times the expected count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from suar.store.campaigns import CampaignRecord, CampaignRepository
from suar.warn.rules import SpikeRule

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Spike:
    """A campaign's window of posts against its baseline, and whether it is a spike."""

    campaign_id: int
    window_start: datetime
    window_end: datetime
    posts_in_window: int
    baseline_posts: int
    baseline_days: float
    expected: float
    threshold: float

    @property
    def is_spike(self) -> bool:
        """The window reached the threshold."""
        return self.posts_in_window >= self.threshold


def spike_threshold(
    baseline_posts: int, baseline_days: float, rule: SpikeRule
) -> tuple[float, float]:
    """(expected posts in a window, posts needed for a spike) for this baseline."""
    expected = baseline_posts / baseline_days * (rule.window_hours / 24) if baseline_days else 0.0
    return expected, max(float(rule.min_posts), rule.factor * expected)


def measure(repo: CampaignRepository, campaign: CampaignRecord, rule: SpikeRule) -> Spike | None:
    """The campaign's latest window against its baseline; ``None`` without enough history."""
    if campaign.post_count < rule.min_posts:
        return None  # cannot reach the floor: spare the queries
    end = campaign.last_seen
    start = end - timedelta(hours=rule.window_hours)
    history = (start - campaign.first_seen) / _DAY
    if history < rule.min_history_days or history <= 0:
        return None
    days = min(float(rule.baseline_days), history)
    in_window = repo.count_posts_between(campaign.id, start, end)
    if in_window < rule.min_posts:
        return None
    baseline = repo.count_posts_between(campaign.id, start - timedelta(days=days), start)
    expected, threshold = spike_threshold(baseline, days, rule)
    return Spike(campaign.id, start, end, in_window, baseline, days, expected, threshold)
