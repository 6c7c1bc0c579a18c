"""Translatable names of early-warning codes: alert kinds and statuses, indicator kinds, levels."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from suar.web.i18n import N_

#: Each alert kind's name in the UI.
ALERT_KINDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "high_risk_campaign": N_("High-risk campaign"),
        "spike": N_("Spike in posts"),
        "watchlist_hit": N_("Watchlist hit"),
    }
)

#: Each alert status's name in the UI.
ALERT_STATUSES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "new": N_("New"),
        "acknowledged": N_("Acknowledged"),
        "escalated": N_("Escalated"),
        "dismissed": N_("Dismissed"),
    }
)

#: The verb of the button that moves an alert to a status.
TRIAGE_VERBS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "acknowledged": N_("Acknowledge"),
        "escalated": N_("Escalate"),
        "dismissed": N_("Dismiss"),
    }
)

#: Risk levels.
LEVELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "none": N_("none"),
        "low": N_("low"),
        "medium": N_("medium"),
        "high": N_("high"),
    }
)
