"""Alerts: new high-risk campaigns, spikes against a campaign's own baseline, watchlist hits,
and a lifecycle that records who, when and why (both backends)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from suar.access import AccessDenied, Actor, Role
from suar.store import AuditLogRepository, Database
from suar.store.alerts import AlertRecord
from suar.store.campaigns import CampaignRepository
from suar.warn.alerts import (
    AlertKind,
    AlertStatus,
    InvalidTransition,
    UnknownAlert,
    alert_history,
    list_alerts,
    move_alert,
)
from suar.warn.rules import rules
from suar.warn.spikes import spike_threshold
from suar.warn.watchlist import add_entry

from .records import AD, NOW, OPERATOR, indicator, ingest, lure, post, write

INVESTIGATOR = Actor(principal="user:ivan", roles=frozenset({Role.INVESTIGATOR}))


def alerts(db: Database, kind: AlertKind | None = None) -> list[AlertRecord]:
    with db.read() as session:
        return list_alerts(session, OPERATOR, kinds=None if kind is None else [kind])


def family(
    n: int, *, level: str = "high", risk: float = 0.95, start: int = 0
) -> list[dict[str, Any]]:
    return [
        lure(f"p{start + i}", f"h{start + i}", f"+8558862{start + i:05d}", level=level, risk=risk)
        for i in range(n)
    ]


def test_a_campaign_becoming_high_risk_raises_one_alert(db: Database, tmp_path: Path) -> None:
    ingest(db, write(tmp_path / "a.jsonl", family(2)))
    assert alerts(db) == [], "two posts are not yet a campaign worth an alert"
    ingest(db, write(tmp_path / "b.jsonl", family(1, start=2)))
    [alert] = alerts(db)
    assert alert.kind == "high_risk_campaign" and alert.status == "new"
    assert alert.details["posts"] == rules().high_risk.min_posts
    ingest(db, write(tmp_path / "c.jsonl", family(5, start=3)))
    assert len(alerts(db)) == 1


def test_low_risk_campaigns_raise_no_alert(db: Database, tmp_path: Path) -> None:
    ingest(db, write(tmp_path / "a.jsonl", family(6, level="low", risk=0.2)))
    assert alerts(db) == []


def test_a_campaign_posting_far_above_its_own_baseline_raises_a_spike(
    db: Database, tmp_path: Path
) -> None:
    steady = [
        lure(
            f"s{d}",
            f"h{d}",
            f"+85588600{d:04d}",
            level="low",
            risk=0.2,
            posted_at=NOW - timedelta(days=20 - d),
        )
        for d in range(14)
    ]
    burst = [
        lure(
            f"b{i}",
            f"b{i}",
            f"+85588700{i:04d}",
            level="low",
            risk=0.2,
            posted_at=NOW - timedelta(hours=i),
        )
        for i in range(12)
    ]
    ingest(db, write(tmp_path / "steady.jsonl", steady))
    assert alerts(db, AlertKind.SPIKE) == []
    ingest(db, write(tmp_path / "burst.jsonl", burst))
    [spike] = alerts(db, AlertKind.SPIKE)
    assert spike.details["posts_in_window"] == 12
    assert spike.details["posts_in_window"] >= spike.details["threshold"]
    ingest(
        db,
        write(tmp_path / "more.jsonl", [lure("b99", "b99", "+85588799999", level="low", risk=0.2)]),
    )
    assert len(alerts(db, AlertKind.SPIKE)) == 1, "one spike alert per window"


def test_a_steady_or_brand_new_campaign_is_no_spike(db: Database, tmp_path: Path) -> None:
    steady = [
        lure(
            f"s{h}",
            f"h{h}",
            f"+85588600{h:04d}",
            level="low",
            risk=0.2,
            posted_at=NOW - timedelta(hours=6 * h),
        )
        for h in range(80)
    ]
    ingest(db, write(tmp_path / "steady.jsonl", steady))
    text = "Kerja di Kamboja gaji besar, hubungi kami segera, tiket dan mess gratis untuk semua"
    young = [
        post(
            f"y{i}",
            text + f" +6281299{i:05d}",
            [indicator(text + f" +6281299{i:05d}", "phone", f"+6281299{i:05d}")],
            level="low",
            risk=0.2,
            posted_at=NOW - timedelta(hours=i),
        )
        for i in range(20)
    ]
    ingest(db, write(tmp_path / "young.jsonl", young))
    assert alerts(db, AlertKind.SPIKE) == []


def test_window_counts_match_the_posts_seen_in_each_half_open_window(
    db: Database, tmp_path: Path
) -> None:
    # Spikes count (start, end] windows of thousands of campaigns a few hundred
    # at a time: every count must be what counting the posts one by one gives.
    hours = [0, 1, 1, 2, 5, 8, 13, 21, 34, 35]
    posts = [
        lure(f"w{i}", "same_handle", f"+8558860{i:04d}", posted_at=NOW - timedelta(hours=h))
        for i, h in enumerate(hours)
    ]
    ingest(db, write(tmp_path / "w.jsonl", posts))
    with db.read() as session:
        [campaign] = CampaignRepository(session).list_live()
        seen = [NOW - timedelta(hours=h) for h in hours]
        windows = [
            (campaign.id, NOW - timedelta(hours=a), NOW - timedelta(hours=b))
            for a in range(37)
            for b in range(37)
        ]
        windows += [(campaign.id + 1000, NOW - timedelta(hours=40), NOW)]  # no such campaign
        counts = CampaignRepository(session).count_posts_in_windows(windows)
    expected = [sum(start < t <= end for t in seen) for cid, start, end in windows[:-1]] + [0]
    assert len(windows) > 1000 and counts == expected


def test_the_spike_threshold_scales_with_the_baseline() -> None:
    rule = rules().spike
    assert spike_threshold(0, 14, rule) == (0.0, float(rule.min_posts))
    expected, threshold = spike_threshold(140, 14, rule)
    assert expected == pytest.approx(10 * rule.window_hours / 24)
    assert threshold == pytest.approx(max(rule.min_posts, rule.factor * expected))


def test_a_watched_number_in_a_new_post_raises_one_hit_per_campaign(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        added = add_entry(session, OPERATOR, "whatsapp", "+855 88 624 6748", note="reported by TH")
    assert added.created and added.entry.value == "+855886246748" and added.alerts == ()
    records = [
        lure("w1", "hr_asia_jobs", "+855886246748", level="low", risk=0.1),
        lure("w2", "hr_asia_2", "+855886246748", level="low", risk=0.1),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records))
    [hit] = alerts(db, AlertKind.WATCHLIST_HIT)
    assert hit.watchlist_id == added.entry.id and hit.post_id is not None


def test_watching_a_value_seen_before_raises_a_hit_at_once(db: Database, tmp_path: Path) -> None:
    ingest(
        db,
        write(
            tmp_path / "p.jsonl",
            [lure("old", "golden_job_88", "+855976543210", level="low", risk=0.1)],
        ),
    )
    with db.write() as session:
        added = add_entry(session, OPERATOR, "telegram", "@Golden_Job_88")
    assert len(added.alerts) == 1
    [hit] = alerts(db, AlertKind.WATCHLIST_HIT)
    assert hit.id == added.alerts[0]


def test_an_alert_moves_new_acknowledged_escalated_with_who_when_why(
    db: Database, tmp_path: Path
) -> None:
    ingest(db, write(tmp_path / "p.jsonl", family(3)))
    [alert] = alerts(db)
    with db.write() as session:
        move_alert(session, OPERATOR, alert.id, AlertStatus.ACKNOWLEDGED, now=NOW)
    with db.write() as session:
        moved = move_alert(
            session,
            OPERATOR,
            alert.id,
            AlertStatus.ESCALATED,
            reason="sent to the TIP unit",
            now=NOW + timedelta(minutes=5),
        )
    assert (moved.status, moved.status_by, moved.reason) == (
        "escalated",
        OPERATOR.principal,
        "sent to the TIP unit",
    )
    with db.read() as session:
        history = alert_history(session, OPERATOR, alert.id)
        entries = [json.loads(r.entry) for r in AuditLogRepository(session).iterate()]
    assert [(e.status, e.reason) for e in history] == [
        ("new", ""),
        ("acknowledged", ""),
        ("escalated", "sent to the TIP unit"),
    ]
    assert history[2].at == NOW + timedelta(minutes=5)
    moves = [e for e in entries if e["action"].startswith("alert.")]
    assert [(e["action"], e["target"], e["details"]["to"]) for e in moves] == [
        ("alert.acknowledge", f"alert:{alert.id}", "acknowledged"),
        ("alert.escalate", f"alert:{alert.id}", "escalated"),
    ]
    assert moves[1]["details"]["reason"] == "sent to the TIP unit"


@pytest.mark.parametrize(
    ("steps", "to", "message"),
    [
        ([], AlertStatus.DISMISSED, "is new: acknowledge it before you dismiss it"),
        ([], AlertStatus.ESCALATED, "is new: acknowledge it before you escalate it"),
        (
            [AlertStatus.ACKNOWLEDGED],
            AlertStatus.ACKNOWLEDGED,
            "is acknowledged: it can only be dismissed or escalated",
        ),
        (
            [AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED],
            AlertStatus.ESCALATED,
            "is already dismissed",
        ),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(
    db: Database, tmp_path: Path, steps: list[AlertStatus], to: AlertStatus, message: str
) -> None:
    ingest(db, write(tmp_path / "p.jsonl", family(3)))
    [alert] = alerts(db)
    for step in steps:
        with db.write() as session:
            move_alert(session, OPERATOR, alert.id, step, reason="checked")
    with pytest.raises(InvalidTransition, match=message):
        with db.write() as session:
            move_alert(session, OPERATOR, alert.id, to, reason="why not")
    with db.read() as session:
        assert len(alert_history(session, OPERATOR, alert.id)) == 1 + len(steps)


def test_escalating_or_dismissing_needs_a_reason(db: Database, tmp_path: Path) -> None:
    ingest(db, write(tmp_path / "p.jsonl", family(3)))
    [alert] = alerts(db)
    with db.write() as session:
        move_alert(session, OPERATOR, alert.id, AlertStatus.ACKNOWLEDGED)
    with pytest.raises(Exception, match="give a reason to dismiss"):
        with db.write() as session:
            move_alert(session, OPERATOR, alert.id, AlertStatus.DISMISSED, reason="  ")


def test_an_unknown_alert_is_named(db: Database) -> None:
    with pytest.raises(UnknownAlert, match="no alert 999"):
        with db.write() as session:
            move_alert(session, OPERATOR, 999, AlertStatus.ACKNOWLEDGED)


def test_investigators_read_alerts_but_do_not_triage_them(db: Database, tmp_path: Path) -> None:
    ingest(db, write(tmp_path / "p.jsonl", family(3)))
    with db.read() as session:
        [alert] = list_alerts(session, INVESTIGATOR)
    with pytest.raises(AccessDenied):
        with db.write() as session:
            move_alert(session, INVESTIGATOR, alert.id, AlertStatus.ACKNOWLEDGED)


def test_an_alert_on_a_merged_campaign_shows_the_campaign_holding_it_now(
    db: Database, tmp_path: Path
) -> None:
    ingest(
        db,
        write(
            tmp_path / "a.jsonl",
            [
                lure(
                    f"a{i}",
                    f"a{i}",
                    "+855886246748",
                    template="Job offer abroad, contact {handle} or {phone}, salary high, free visa and flight for all",
                )
                for i in range(2)
            ],
        ),
    )
    ingest(db, write(tmp_path / "b.jsonl", family(3, start=10)), now=NOW + timedelta(hours=1))
    [alert] = alerts(db)
    bridge = [lure("x", "x", "+855886246748", template=AD)]
    ingest(db, write(tmp_path / "c.jsonl", bridge), now=NOW + timedelta(hours=2))
    [alert] = alerts(db)
    assert alert.campaign_ref != alert.live_campaign_ref
