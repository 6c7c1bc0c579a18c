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

from collections.abc import Sequence
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


def measure_many(
    repo: CampaignRepository, campaigns: Sequence[CampaignRecord], rule: SpikeRule
) -> list[Spike | None]:
    """Each campaign's latest window against its baseline, in order (``None``: too little).

    A campaign without enough history, or too few posts in its window, gets
    ``None``. All the windows are counted in a few statements.
    """
    spans: list[tuple[int, datetime, datetime, float]] = []  # (index, window start, end, days)
    for i, campaign in enumerate(campaigns):
        if campaign.post_count < rule.min_posts:
            continue  # cannot reach the floor: spare the queries
        end = campaign.last_seen
        start = end - timedelta(hours=rule.window_hours)
        history = (start - campaign.first_seen) / _DAY
        if history < rule.min_history_days or history <= 0:
            continue
        spans.append((i, start, end, min(float(rule.baseline_days), history)))
    in_window = repo.count_posts_in_windows([(campaigns[i].id, s, e) for i, s, e, _ in spans])
    busy = [(span, n) for span, n in zip(spans, in_window, strict=True) if n >= rule.min_posts]
    baselines = repo.count_posts_in_windows(
        [(campaigns[i].id, s - timedelta(days=days), s) for (i, s, _, days), _ in busy]
    )
    out: list[Spike | None] = [None] * len(campaigns)
    for ((i, start, end, days), posts), baseline in zip(busy, baselines, strict=True):
        expected, threshold = spike_threshold(baseline, days, rule)
        out[i] = Spike(campaigns[i].id, start, end, posts, baseline, days, expected, threshold)
    return out
