"""The tunable numbers of campaigns and alerts, read from ``warn/data/rules.json``.

docs/campaigns.md and docs/alerts.md explain each value and why it was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from suar.datafiles import read_json
from suar.domain import Level
from suar.errors import DataError

_DATA_FILE: Final = "rules.json"


@dataclass(frozen=True, slots=True)
class CampaignRules:
    """How campaigns are formed."""

    #: posts kept per (band key, band) in the near-duplicate index
    bucket_cap: int
    #: unrelated posts a strong value may appear in before it stops linking
    unrelated_posts_cap: int
    #: longer values (long URLs) never link
    max_value_length: int
    #: money contexts counted in a campaign's salary range
    salary_contexts: frozenset[str]


@dataclass(frozen=True, slots=True)
class HighRiskRule:
    """When a campaign is a new high-risk campaign."""

    level: Level
    min_posts: int


@dataclass(frozen=True, slots=True)
class SpikeRule:
    """When a campaign's posting rate is a spike against its own baseline."""

    window_hours: int
    baseline_days: int
    min_history_days: int
    min_posts: int
    factor: float


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything in rules.json."""

    campaigns: CampaignRules
    high_risk: HighRiskRule
    spike: SpikeRule


def _section(data: Any, *path: str) -> dict[str, Any]:
    node = data
    for key in path:
        if not isinstance(node, dict) or not isinstance(node.get(key), dict):
            raise DataError(f"{_DATA_FILE}: missing object {'.'.join(path)}")
        node = node[key]
    return dict(node)


def _int(section: dict[str, Any], key: str, where: str, minimum: int = 1) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise DataError(f"{_DATA_FILE}: {where}.{key} must be an integer >= {minimum}")
    return value


def parse_rules(data: Any) -> Rules:
    """Validate the decoded rules.json; :class:`DataError` names the first bad value."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataError(f"{_DATA_FILE}: expected an object with version 1")
    camp = _section(data, "campaigns")
    contexts = camp.get("salary_contexts")
    if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
        raise DataError(f"{_DATA_FILE}: campaigns.salary_contexts must be a list of strings")
    high = _section(data, "alerts", "high_risk_campaign")
    try:
        level = Level(str(high.get("level")))
    except ValueError:
        raise DataError(f"{_DATA_FILE}: alerts.high_risk_campaign.level is not a level") from None
    spike = _section(data, "alerts", "spike")
    factor = spike.get("factor")
    if not isinstance(factor, int | float) or isinstance(factor, bool) or factor <= 1:
        raise DataError(f"{_DATA_FILE}: alerts.spike.factor must be a number above 1")
    return Rules(
        campaigns=CampaignRules(
            bucket_cap=_int(camp, "bucket_cap", "campaigns"),
            unrelated_posts_cap=_int(camp, "unrelated_posts_cap", "campaigns", minimum=2),
            max_value_length=_int(camp, "max_value_length", "campaigns"),
            salary_contexts=frozenset(contexts),
        ),
        high_risk=HighRiskRule(
            level=level, min_posts=_int(high, "min_posts", "alerts.high_risk_campaign")
        ),
        spike=SpikeRule(
            window_hours=_int(spike, "window_hours", "alerts.spike"),
            baseline_days=_int(spike, "baseline_days", "alerts.spike"),
            min_history_days=_int(spike, "min_history_days", "alerts.spike", minimum=0),
            min_posts=_int(spike, "min_posts", "alerts.spike"),
            factor=float(factor),
        ),
    )


def load_rules(path: Path | None = None) -> Rules:
    """Read and validate rules.json (the shipped one unless ``path`` is given)."""
    return parse_rules(read_json("suar.warn", _DATA_FILE, path=path))


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The shipped rules, read once."""
    return load_rules()
