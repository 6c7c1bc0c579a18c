"""Posts group into campaigns by near-duplicate text or shared strong indicators (both backends)."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from suar.ingest import Ingest, IngestOptions
from suar.store import Database, upgrade
from suar.store.campaigns import CampaignRepository
from suar.warn.campaigns import assignments, campaign_detail, list_campaigns
from suar.warn.rules import rules
from suar.warn.tlp import Tlp

from .records import AD, NOW, OPERATOR, OTHER_AD, THIRD_AD, indicator, ingest, lure, post, write


def campaign_of(db: Database) -> dict[str, str]:
    """Post id → live campaign ref."""
    with db.read() as session:
        return {a.post_id: a.campaign for a in assignments(session, OPERATOR)}


def groups(db: Database) -> set[frozenset[str]]:
    """The partition of post ids into campaigns."""
    by_campaign: dict[str, set[str]] = {}
    for post_id, ref in campaign_of(db).items():
        by_campaign.setdefault(ref, set()).add(post_id)
    return {frozenset(ids) for ids in by_campaign.values()}


def words(rng: random.Random, n: int = 30) -> str:
    """An unrelated text: random pseudo-words, never a near-duplicate of another."""
    return " ".join(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(n)
    )


def test_copies_of_one_ad_with_new_contacts_join_one_campaign(db: Database, tmp_path: Path) -> None:
    records = [
        lure("a1", "hr_asia_jobs", "+855886246748"),
        lure("a2", "golden_job_88", "+855976543210"),
        lure("a3", "mekong_hr", "+66818765432"),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records))
    assert groups(db) == {frozenset({"a1", "a2", "a3"})}


def test_different_ads_sharing_a_phone_number_join_one_campaign(
    db: Database, tmp_path: Path
) -> None:
    records = [
        lure("en", "hr_asia_jobs", "+855886246748"),
        lure("id", "", "+855886246748", template=OTHER_AD),
        lure("th", "somchai88", "+66861234987", template=THIRD_AD),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records))
    assert groups(db) == {frozenset({"en", "id"}), frozenset({"th"})}


def test_a_number_given_for_whatsapp_links_the_same_number_written_as_a_phone(
    db: Database, tmp_path: Path
) -> None:
    text_a = "Apply today for a call centre job abroad, high salary, message WhatsApp +855886246748"
    text_b = "Kerja di luar negeri gaji besar tanpa pengalaman, telepon saja ke +855886246748 ya"
    records = [
        post("a", text_a, [indicator(text_a, "whatsapp", "+855886246748", type="phone")]),
        post("b", text_b, [indicator(text_b, "phone", "+855886246748", country="KH")]),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records))
    assert groups(db) == {frozenset({"a", "b"})}


def test_benign_values_never_link_unrelated_posts(db: Database, tmp_path: Path) -> None:
    rng = random.Random(5)
    records = []
    for n in range(4):
        text = (
            f"{words(rng)} see facebook.com and t.me, mail gmail.com, call 191 "
            f"or +6281234567890 or +66811111111"
        )
        records.append(
            post(
                f"p{n}",
                text,
                [
                    indicator(text, "domain", "facebook.com"),
                    indicator(text, "domain", "t.me"),
                    indicator(text, "domain", "gmail.com"),
                    indicator(text, "phone", "+6681191", evidence="191"),
                    indicator(text, "phone", "+6281234567890"),
                    indicator(text, "phone", "+66811111111"),
                ],
            )
        )
    ingest(db, write(tmp_path / "p.jsonl", records))
    assert groups(db) == {frozenset({f"p{n}"}) for n in range(4)}


def test_a_value_seen_in_too_many_unrelated_posts_stops_linking(
    db: Database, tmp_path: Path
) -> None:
    cap = rules().campaigns.unrelated_posts_cap
    rng = random.Random(7)
    records = []
    for n in range(cap + 3):
        text = f"{words(rng)} apply at careers-hub-asia.com today"
        records.append(post(f"p{n:02d}", text, [indicator(text, "domain", "careers-hub-asia.com")]))
    ingest(db, write(tmp_path / "p.jsonl", records), batch_size=10)
    first = campaign_of(db)
    linked = {first[f"p{n:02d}"] for n in range(cap)}
    assert len(linked) == 1, "the value links until it reaches the cap"
    later = [first[f"p{n:02d}"] for n in range(cap, cap + 3)]
    assert len(set(later)) == 3 and not set(later) & linked
    with db.read() as session:
        detail = campaign_detail(session, OPERATOR, linked.pop())
    assert ("domain", "careers-hub-asia.com") in detail.capped


def test_a_post_bridging_two_campaigns_merges_them_into_the_older(
    db: Database, tmp_path: Path
) -> None:
    older = [lure("a1", "hr_asia_jobs", "+855886246748"), lure("a2", "hr_asia_2", "+855886246748")]
    younger = [
        lure("b1", "", "+62812998877", template=OTHER_AD),
        lure("b2", "", "+62813776655", template=OTHER_AD),
    ]
    ingest(db, write(tmp_path / "a.jsonl", older))
    ingest(db, write(tmp_path / "b.jsonl", younger), now=NOW + timedelta(hours=1))
    before = campaign_of(db)
    ref_a, ref_b = before["a1"], before["b1"]
    assert ref_a != ref_b
    bridge = [lure("bridge", "", "+855886246748", template=OTHER_AD)]
    stats = ingest(db, write(tmp_path / "c.jsonl", bridge), now=NOW + timedelta(hours=2))
    assert stats.merges == 1
    after = campaign_of(db)
    assert set(after.values()) == {ref_a}, "every post, old and new, is in the older campaign"
    with db.read() as session:
        detail = campaign_detail(session, OPERATOR, ref_b)
        repo = CampaignRepository(session)
        merged, live = repo.by_ref(ref_b), repo.by_ref(ref_a)
    assert detail.live.ref == ref_a and [m.ref for m in detail.merged_from] == [ref_b]
    assert merged is not None and live is not None
    assert merged.merged_into == live.id and live.merged_into is None
    assert live.post_count == 5
    phones = {(i.kind, i.value): i.posts for i in detail.indicators}
    assert phones[("phone", "+855886246748")] == 3
    assert phones[("phone", "+62812998877")] == 1


def test_a_campaign_sums_up_its_posts(db: Database, tmp_path: Path) -> None:
    text1 = AD.format(handle="hr_asia_jobs", phone="+855886246748") + " Poipet, 1500 USD"
    text2 = AD.format(handle="hr_asia_jobs", phone="+855886246748") + " Poipet, USD 2,200 monthly"
    found1 = [
        indicator(text1, "phone", "+855886246748", country="KH"),
        indicator(text1, "place", "kh-poipet", "Poipet", name="Poipet", country="KH", role="hub"),
        indicator(
            text1, "money", "USD 1500/month", "1500 USD", usd_per_month=1500.0, context="pay"
        ),
    ]
    found2 = [
        indicator(text2, "phone", "+855886246748", country="KH"),
        indicator(text2, "place", "kh-poipet", "Poipet", name="Poipet", country="KH", role="hub"),
        indicator(
            text2, "money", "USD 2200/month", "USD 2,200", usd_per_month=2200.0, context="pay"
        ),
    ]
    records = [
        post(
            "p1",
            text1,
            found1,
            risk=0.7,
            level="medium",
            lang="en",
            posted_at=NOW - timedelta(days=3),
        ),
        post(
            "p2",
            text2,
            found2,
            risk=0.95,
            level="high",
            lang="km",
            posted_at=NOW - timedelta(days=1),
        ),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records), tlp=Tlp.GREEN)
    with db.read() as session:
        [campaign] = list_campaigns(session, OPERATOR)
    assert campaign.post_count == 2
    assert campaign.first_seen == NOW - timedelta(days=3)
    assert campaign.last_seen == NOW - timedelta(days=1)
    assert campaign.risk == 0.95 and campaign.level == "high"
    assert campaign.summary["languages"] == {"en": 1, "km": 1}
    assert campaign.summary["countries"] == {"KH": 2}
    assert campaign.summary["destinations"]["kh-poipet"]["posts"] == 2
    assert (campaign.salary_min_usd, campaign.salary_max_usd) == (1500.0, 2200.0)
    assert campaign.tlp == "GREEN"


def test_the_index_survives_a_restart(db: Database, db_url: str, tmp_path: Path) -> None:
    ingest(db, write(tmp_path / "a.jsonl", [lure("a1", "hr_asia_jobs", "+855886246748")]))
    db.dispose()
    reopened = Database.open(db_url, tmp_path / "data")
    try:
        ingest(reopened, write(tmp_path / "b.jsonl", [lure("a2", "other_handle", "+66812223344")]))
        assert groups(reopened) == {frozenset({"a1", "a2"})}
    finally:
        reopened.dispose()


def test_the_same_posts_give_the_same_campaigns_whatever_the_batches(
    db: Database, tmp_path: Path
) -> None:
    rng = random.Random(11)
    records = []
    phones = [f"+8558862{n:05d}" for n in range(30)]
    for n in range(40):
        template = rng.choice([AD, OTHER_AD, THIRD_AD, None, None, None])
        phone = rng.choice(phones)
        if template is None:
            text = f"{words(rng, 20)} call {phone}"
            records.append(post(f"p{n}", text, [indicator(text, "phone", phone)]))
        else:
            records.append(lure(f"p{n}", f"h{n}", phone, template=template))
    path = write(tmp_path / "p.jsonl", records)
    ingest(db, path, batch_size=1)
    other = Database.open(f"sqlite:///{tmp_path / 'other.db'}", tmp_path)
    try:
        upgrade(other)
        ingest(other, path, batch_size=1000)
        assert groups(db) == groups(other)
    finally:
        other.dispose()
    assert len(groups(db)) >= 5


def test_short_posts_link_through_their_indicators_only(db: Database, tmp_path: Path) -> None:
    records = [
        post(
            "s1", "call +855886246748", [indicator("call +855886246748", "phone", "+855886246748")]
        ),
        post("s2", "tel +855886246748", [indicator("tel +855886246748", "phone", "+855886246748")]),
        post(
            "s3", "call +855886240000", [indicator("call +855886240000", "phone", "+855886240000")]
        ),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records))
    assert groups(db) == {frozenset({"s1", "s2"}), frozenset({"s3"})}


def test_a_long_running_ingest_sees_campaigns_merged_by_another_process_meanwhile(
    db: Database, tmp_path: Path
) -> None:
    """The ingesting process keeps the signatures it has seen, but reads campaigns afresh."""
    mine = Ingest(db, OPERATOR, IngestOptions(source="mine", batch_size=1), clock=lambda: NOW)
    theirs = Ingest(db, OPERATOR, IngestOptions(source="theirs"), clock=lambda: NOW)
    text = f"{words(random.Random(3))} call +66812223344"
    theirs.run(
        [
            str(
                write(
                    tmp_path / "b1.jsonl",
                    [post("b1", text, [indicator(text, "phone", "+66812223344")])],
                )
            )
        ]
    )
    mine.run([str(write(tmp_path / "a1.jsonl", [lure("a1", "h_one", "+855886246748")]))])
    # A copy of a1 sharing b1's number: a1's campaign is merged into b1's, the older.
    theirs.run([str(write(tmp_path / "b2.jsonl", [lure("b2", "h_two", "+66812223344")]))])
    mine.run([str(write(tmp_path / "a3.jsonl", [lure("a3", "h_three", "+85512345678")]))])
    assert groups(db) == {frozenset({"b1", "a1", "b2", "a3"})}
