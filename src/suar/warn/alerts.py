"""Alerts: raising them (new high-risk campaign, spike, watchlist hit) and their lifecycle.

Lifecycle: ``new`` → ``acknowledged`` → ``escalated`` | ``dismissed``. Every
step records who, when and why, on the alert and in its event history, and
is an audit entry in the same unit of work. Escalated and dismissed alerts
are closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy.orm import Session

from suar.access import Action, Actor, Resource, authorize
from suar.audit import record
from suar.domain import Level
from suar.errors import InputError
from suar.store.alerts import AlertEvent, AlertRecord, AlertRepository, NewAlert
from suar.store.campaigns import CampaignRecord, CampaignRepository
from suar.warn import spikes
from suar.warn.rules import rules


class AlertKind(StrEnum):
    """Why an alert was raised."""

    HIGH_RISK_CAMPAIGN = "high_risk_campaign"
    SPIKE = "spike"
    WATCHLIST_HIT = "watchlist_hit"


class AlertStatus(StrEnum):
    """Where an alert stands."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"
    DISMISSED = "dismissed"


#: The allowed moves; anything else is refused.
TRANSITIONS: Final[Mapping[AlertStatus, frozenset[AlertStatus]]] = {
    AlertStatus.NEW: frozenset({AlertStatus.ACKNOWLEDGED}),
    AlertStatus.ACKNOWLEDGED: frozenset({AlertStatus.ESCALATED, AlertStatus.DISMISSED}),
    AlertStatus.ESCALATED: frozenset(),
    AlertStatus.DISMISSED: frozenset(),
}
_VERBS: Final = {
    AlertStatus.ACKNOWLEDGED: "acknowledge",
    AlertStatus.ESCALATED: "escalate",
    AlertStatus.DISMISSED: "dismiss",
}
_LIFECYCLE: Final = "new → acknowledged → escalated | dismissed"
_MAX_REASON: Final = 2000


class UnknownAlert(InputError):
    """No alert has this id."""

    code = "unknown_alert"


class InvalidTransition(InputError):
    """The alert cannot move to the status asked for from where it stands."""

    code = "invalid_transition"


def _family_alerts(
    repo: AlertRepository, campaigns: CampaignRepository, kind: AlertKind, live_ids: Iterable[int]
) -> dict[int, list[AlertRecord]]:
    """Alerts of ``kind`` on each live campaign or on any campaign merged into it."""
    family = campaigns.family(live_ids)
    out: dict[int, list[AlertRecord]] = {}
    for alert in repo.of_campaigns(kind.value, family):
        if alert.campaign_id is not None:
            out.setdefault(family[alert.campaign_id], []).append(alert)
    return out


def raise_campaign_alerts(
    session: Session,
    actor: str,
    touched: Mapping[int, CampaignRecord],
    *,
    now: datetime,
) -> list[int]:
    """Raise high-risk and spike alerts for the live campaigns a batch touched; return new ids.

    A campaign gets one high-risk alert in its life (one raised on a
    campaign merged into it counts) and at most one spike alert per window.
    """
    config = rules()
    repo, campaigns = AlertRepository(session), CampaignRepository(session)
    new: list[NewAlert] = []
    risky = [
        c
        for c in touched.values()
        if c.post_count >= config.high_risk.min_posts
        and _rank(c.level) >= config.high_risk.level.rank
    ]
    if risky:
        alerted = _family_alerts(
            repo, campaigns, AlertKind.HIGH_RISK_CAMPAIGN, [c.id for c in risky]
        )
        new.extend(
            NewAlert(
                kind=AlertKind.HIGH_RISK_CAMPAIGN.value,
                dedupe_key=f"{AlertKind.HIGH_RISK_CAMPAIGN.value}:{c.id}",
                campaign_id=c.id,
                post_id=None,
                watchlist_id=None,
                created_at=now,
                actor=actor,
                tlp=c.tlp,
                details={"risk": c.risk, "level": c.level, "posts": c.post_count},
            )
            for c in risky
            if c.id not in alerted
        )
    measured = [
        s
        for s in spikes.measure_many(campaigns, list(touched.values()), config.spike)
        if s is not None and s.is_spike
    ]
    if measured:
        earlier = _family_alerts(
            repo, campaigns, AlertKind.SPIKE, [s.campaign_id for s in measured]
        )
        for spike in measured:
            if _cooling_down(earlier.get(spike.campaign_id, []), spike):
                continue
            campaign = touched[spike.campaign_id]
            new.append(
                NewAlert(
                    kind=AlertKind.SPIKE.value,
                    dedupe_key=f"{AlertKind.SPIKE.value}:{spike.campaign_id}:"
                    f"{spike.window_end:%Y%m%dT%H%M%S}",
                    campaign_id=spike.campaign_id,
                    post_id=None,
                    watchlist_id=None,
                    created_at=now,
                    actor=actor,
                    tlp=campaign.tlp,
                    details={
                        "window_start": _iso(spike.window_start),
                        "window_end": _iso(spike.window_end),
                        "posts_in_window": spike.posts_in_window,
                        "baseline_posts": spike.baseline_posts,
                        "baseline_days": round(spike.baseline_days, 2),
                        "expected": round(spike.expected, 2),
                        "threshold": round(spike.threshold, 2),
                    },
                )
            )
    return repo.raise_new(new)


def _cooling_down(earlier: Sequence[AlertRecord], spike: spikes.Spike) -> bool:
    """True when an earlier spike alert's window overlaps this one."""
    for alert in earlier:
        end = alert.details.get("window_end")
        if isinstance(end, str) and datetime.fromisoformat(end) > spike.window_start:
            return True
    return False


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _rank(level: str) -> int:
    return Level(level).rank


def raise_watchlist_alerts(
    session: Session,
    actor: str,
    hits: Sequence[tuple[int, int, int, str]],
    *,
    now: datetime,
) -> list[int]:
    """Raise one alert per (watchlist entry, live campaign) for hits (entry, post, campaign, tlp).

    A hit on a campaign already alerted for that entry (or on a campaign merged
    into it) raises nothing new.
    """
    if not hits:
        return []
    repo, campaigns = AlertRepository(session), CampaignRepository(session)
    alerted = _family_alerts(repo, campaigns, AlertKind.WATCHLIST_HIT, {c for _, _, c, _ in hits})
    done = {(a.watchlist_id, cid) for cid, alerts in alerted.items() for a in alerts}
    new: list[NewAlert] = []
    for entry_id, post_id, campaign_id, tlp in hits:
        if (entry_id, campaign_id) in done:
            continue
        done.add((entry_id, campaign_id))
        new.append(
            NewAlert(
                kind=AlertKind.WATCHLIST_HIT.value,
                dedupe_key=f"{AlertKind.WATCHLIST_HIT.value}:{entry_id}:{campaign_id}",
                campaign_id=campaign_id,
                post_id=post_id,
                watchlist_id=entry_id,
                created_at=now,
                actor=actor,
                tlp=tlp,
                details={"watchlist_entry": entry_id, "post": post_id},
            )
        )
    return repo.raise_new(new)


def list_alerts(
    session: Session,
    actor: Actor,
    *,
    statuses: Sequence[AlertStatus] | None = None,
    kinds: Sequence[AlertKind] | None = None,
    limit: int = 100,
) -> list[AlertRecord]:
    """Alerts, newest first, filtered by status and kind."""
    authorize(actor, Action.ALERT_READ)
    return AlertRepository(session).search(
        statuses=[s.value for s in statuses or ()] or None,
        kinds=[k.value for k in kinds or ()] or None,
        limit=limit,
    )


def alert_history(session: Session, actor: Actor, alert_id: int) -> list[AlertEvent]:
    """The alert's lifecycle events, oldest first."""
    authorize(actor, Action.ALERT_READ, Resource("alert", str(alert_id)))
    return AlertRepository(session).events(alert_id)


def move_alert(
    session: Session,
    actor: Actor,
    alert_id: int,
    to: AlertStatus,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> AlertRecord:
    """Move an alert along its lifecycle, recording who, when and why; audited.

    Raises :class:`UnknownAlert`, or :class:`InvalidTransition` naming where
    the alert stands and what it can do next. Escalating and dismissing need
    a reason.
    """
    authorize(actor, Action.ALERT_TRIAGE, Resource("alert", str(alert_id)))
    why = " ".join(reason.split())
    if len(why) > _MAX_REASON:
        raise InputError(f"the reason must have at most {_MAX_REASON} characters")
    repo = AlertRepository(session)
    alert = repo.get(alert_id)
    if alert is None:
        raise UnknownAlert(f"no alert {alert_id}")
    current = AlertStatus(alert.status)
    if to not in TRANSITIONS[current]:
        raise InvalidTransition(_refusal(alert_id, current, to))
    if to in (AlertStatus.ESCALATED, AlertStatus.DISMISSED) and not why:
        raise InputError(f"give a reason to {_VERBS[to]} alert {alert_id} (--reason)")
    moment = now or datetime.now(UTC)
    repo.move(alert_id, status=to.value, at=moment, actor=actor.principal, reason=why)
    record(
        session,
        actor=actor.principal,
        action=f"alert.{_VERBS[to]}",
        target=f"alert:{alert_id}",
        details={"from": current.value, "to": to.value, "reason": why, "kind": alert.kind},
        now=moment,
    )
    moved = repo.get(alert_id)
    assert moved is not None
    return moved


def _refusal(alert_id: int, current: AlertStatus, to: AlertStatus) -> str:
    verb = _VERBS.get(to, to.value)
    if not TRANSITIONS[current]:
        return (
            f"alert {alert_id} is already {current.value}: it cannot be {to.value} ({_LIFECYCLE})"
        )
    if current is AlertStatus.NEW:
        return f"alert {alert_id} is new: acknowledge it before you {verb} it ({_LIFECYCLE})"
    nexts = " or ".join(sorted(s.value for s in TRANSITIONS[current]))
    return f"alert {alert_id} is {current.value}: it can only be {nexts} now ({_LIFECYCLE})"
