"""Ingest stores each post once, with its findings and provenance, batch by batch (both backends)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from suar.access import AccessDenied, Actor, Role
from suar.audit import verify_trail
from suar.errors import InputError
from suar.ingest import Ingest, IngestOptions, Problem, finding_from_record, images_of, parse_time
from suar.store import AuditLogRepository, Database
from suar.store.dashboard import posts_per_day
from suar.store.findings import FindingRepository
from suar.store.posts import PostRepository
from suar.warn import assignment
from warn.records import AD, NOW, OPERATOR, indicator, ingest, lure, post, version, write

HASH = "ab" * 32


def stored_post_count(db: Database) -> int:
    with db.read() as session:
        return PostRepository(session).count()


def audit_actions(db: Database) -> list[str]:
    with db.read() as session:
        return [row.action for row in AuditLogRepository(session).iterate()]


def test_posts_are_stored_with_their_finding_and_provenance(db: Database, tmp_path: Path) -> None:
    record = lure(
        "fb-1", "hr_asia_jobs", "+855886246748", posted_at=datetime(2025, 5, 2, 8, 0, tzinfo=UTC)
    )
    record.update(url="https://facebook.com/posts/1", author="Golden Job", country="kh")
    record["images"] = [HASH, "https://cdn.example/img.jpg", {"sha256": "sha256:" + "CD" * 32}]
    ingest(db, write(tmp_path / "p.jsonl", [record]), source="facebook", handling="H3")
    with db.read() as session:
        stored = PostRepository(session).get("facebook", "fb-1")
        assert stored is not None
        images = PostRepository(session).images(stored.id)
        finding = FindingRepository(session).latest_for_post(stored.id)
    assert (stored.source, stored.external_id, stored.tlp, stored.handling) == (
        "facebook",
        "fb-1",
        "AMBER",
        "H3",
    )
    assert stored.posted_at == datetime(2025, 5, 2, 8, 0, tzinfo=UTC) == stored.seen_at
    assert stored.url == "https://facebook.com/posts/1" and stored.author == "Golden Job"
    assert stored.country == "KH" and stored.origin.endswith("p.jsonl:1")
    assert [(i.sha256, i.url) for i in images] == [
        (HASH, None),
        (None, "https://cdn.example/img.jpg"),
        ("cd" * 32, None),
    ]
    assert finding is not None and finding.detector_version == version()
    assert finding.explanation == "precomputed for a test"
    evidence = {(i.kind, stored.text[i.start : i.end]) for i in finding.indicators}
    assert evidence == {("phone", "+855886246748"), ("telegram", "hr_asia_jobs")}


def test_ingesting_the_same_file_again_adds_nothing(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.jsonl", [lure(f"p{n}", f"h{n}", f"+8558862467{n:02d}") for n in range(12)]
    )
    first = ingest(db, path, batch_size=5)
    actions = audit_actions(db)
    again = ingest(db, path, batch_size=5)
    assert (first.stored, again.stored, again.duplicates) == (12, 0, 12)
    assert stored_post_count(db) == 12
    assert audit_actions(db) == actions == ["post.ingest"] * 3


def test_posts_without_an_id_are_keyed_by_their_text(db: Database, tmp_path: Path) -> None:
    text = AD.format(handle="x_handle", phone="+855886246748")
    path = write(tmp_path / "p.jsonl", [post(None, text), post(None, text), post(None, text + "!")])
    stats = ingest(db, path)
    assert (stats.stored, stats.duplicates) == (2, 1)
    with db.read() as session:
        digest = hashlib.sha256(text.encode()).hexdigest()
        assert PostRepository(session).get("test", f"sha256:{digest}") is not None


def test_an_id_reused_with_another_text_is_a_conflict_and_not_stored(
    db: Database, tmp_path: Path
) -> None:
    ingest(
        db,
        write(tmp_path / "a.jsonl", [post("42", "the first text of post forty-two, long enough")]),
    )
    problems: list[Problem] = []
    stats = ingest(
        db,
        write(
            tmp_path / "b.jsonl", [post("42", "a different text under the same id, long enough")]
        ),
        problems=problems,
    )
    assert (stats.stored, stats.conflicts) == (0, 1)
    assert problems[0].kind == "conflict" and "42" in problems[0].message
    with db.read() as session:
        kept = PostRepository(session).get("test", "42")
    assert kept is not None and kept.text.startswith("the first text")


def test_unreadable_records_are_reported_and_never_stored(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps(post("ok", "a perfectly readable post of some length")) + "\n"
        "{not json\n"
        '{"id": "no-text"}\n'
        "[1, 2]\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    stats = ingest(db, path, problems=problems)
    assert (stats.stored, stats.errors) == (1, 3)
    assert [(p.kind, p.line) for p in problems] == [("error", 2), ("error", 3), ("error", 4)]
    assert stored_post_count(db) == 1


def test_a_precomputed_finding_of_another_detector_version_is_detected_again(
    db: Database, tmp_path: Path
) -> None:
    record = post("old", "Call +855886246748 for a job abroad, salary 1500 USD a month")
    record["finding"]["detector_version"] = "0.0.1+stale"
    stats = ingest(db, write(tmp_path / "p.jsonl", [record]))
    assert (stats.precomputed, stats.detected) == (0, 1)
    with db.read() as session:
        stored = PostRepository(session).get("test", "old")
        assert stored is not None
        finding = FindingRepository(session).latest_for_post(stored.id)
    assert finding is not None and finding.detector_version == version()
    assert finding.explanation != "precomputed for a test"


def test_each_batch_commits_with_one_audit_entry_and_the_chain_verifies(
    db: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "p.jsonl", [lure(f"p{n}", f"h{n}", f"+8558862467{n:02d}") for n in range(7)]
    )
    ingest(db, path, batch_size=3)
    with db.read() as session:
        rows = list(AuditLogRepository(session).iterate())
        assert verify_trail(session).ok
    details = [json.loads(r.entry)["details"] for r in rows]
    assert [d["posts"] for d in details] == [3, 3, 1]
    assert [(d["first"], d["last"]) for d in details] == [("p0", "p2"), ("p3", "p5"), ("p6", "p6")]
    assert all(d["source"] == "test" and d["tlp"] == "AMBER" for d in details)


def test_a_failing_batch_keeps_nothing_of_itself_and_everything_before_it(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "p.jsonl", [lure(f"p{n}", f"h{n}", f"+8558862467{n:02d}") for n in range(6)]
    )
    real = assignment.assign_posts
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("suar.ingest.job.assign_posts", flaky)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest(db, path, batch_size=3)
    assert stored_post_count(db) == 3
    assert audit_actions(db) == ["post.ingest"]
    monkeypatch.setattr("suar.ingest.job.assign_posts", real)
    assert ingest(db, path, batch_size=3).stored == 3
    assert stored_post_count(db) == 6


def test_only_analysts_ingest(db: Database) -> None:
    investigator = Actor(principal="user:ivan", roles=frozenset({Role.INVESTIGATOR}))
    with pytest.raises(AccessDenied):
        Ingest(db, investigator, IngestOptions())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (IngestOptions(source=""), "invalid source"),
        (IngestOptions(source="bad source"), "invalid source"),
        (IngestOptions(handling="H 3"), "invalid handling"),
        (IngestOptions(batch_size=0), "batch size"),
    ],
)
def test_bad_options_are_refused(db: Database, options: IngestOptions, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Ingest(db, OPERATOR, options)


def test_record_times_are_read_as_utc() -> None:
    assert parse_time("2025-02-05T14:04:22Z") == datetime(2025, 2, 5, 14, 4, 22, tzinfo=UTC)
    assert parse_time("2025-02-05T21:04:22+07:00") == datetime(2025, 2, 5, 14, 4, 22, tzinfo=UTC)
    assert parse_time("2025-02-05") == datetime(2025, 2, 5, tzinfo=UTC)
    assert parse_time("1738764262") == datetime(2025, 2, 5, 14, 4, 22, tzinfo=UTC)
    assert parse_time("1738764262000") == datetime(2025, 2, 5, 14, 4, 22, tzinfo=UTC)
    assert parse_time("yesterday") is None and parse_time(None) is None


def test_images_are_kept_by_hash_or_url_and_never_fetched() -> None:
    refs = images_of(
        [
            HASH.upper(),
            "sha256:" + HASH,
            "https://x.test/a.png",
            {"url": "u", "sha256": "zz"},
            7,
            "",
        ]
    )
    assert [(r.sha256, r.url) for r in refs] == [
        (HASH, None),
        (HASH, None),
        (None, "https://x.test/a.png"),
        (None, "u"),
    ]
    assert images_of("not a list") == ()


def test_a_precomputed_finding_whose_spans_miss_the_text_is_refused() -> None:
    text = "call +855886246748 now"
    good = post("x", text, [indicator(text, "phone", "+855886246748")])["finding"]
    assert finding_from_record(good, text, version()) is not None
    bad = json.loads(json.dumps(good))
    bad["indicators"][0]["span"] = [0, 999]
    assert finding_from_record(bad, text, version()) is None
    odd = json.loads(json.dumps(good))
    odd["indicators"][0]["kind"] = "horoscope"
    assert finding_from_record(odd, text, version()) is None
    assert finding_from_record({"detector_version": version()}, text, version()) is None


def test_posted_at_in_the_future_is_not_believed(db: Database, tmp_path: Path) -> None:
    record = post(
        "f",
        "a post that claims to come from the far future, long text",
        posted_at=datetime(2031, 1, 1, tzinfo=UTC),
    )
    ingest(db, write(tmp_path / "p.jsonl", [record]))
    with db.read() as session:
        stored = PostRepository(session).get("test", "f")
    assert stored is not None and stored.posted_at == datetime(2031, 1, 1, tzinfo=UTC)
    assert stored.seen_at == NOW


def test_a_post_seen_exactly_at_midnight_counts_among_the_posts_since_midnight(
    db: Database, tmp_path: Path
) -> None:
    # Times are compared as text on SQLite: a bulk-inserted time must take the
    # form a bound time takes, or a post seen exactly at a bound falls outside it.
    midnight = datetime(2025, 5, 31, tzinfo=UTC)
    records = [
        post("at", "seen on the stroke of midnight, a long enough text", posted_at=midnight),
        post(
            "before",
            "seen a second before midnight, another long text",
            posted_at=datetime(2025, 5, 30, 23, 59, 59, tzinfo=UTC),
        ),
    ]
    ingest(db, write(tmp_path / "p.jsonl", records))
    with db.read() as session:
        days = posts_per_day(session, midnight)
        raw = session.execute(text("SELECT seen_at FROM posts WHERE post_key = 'at'")).scalar_one()
    assert [(d.day, d.posts) for d in days] == [(midnight.date(), 1)]
    if db.engine.dialect.name == "sqlite":
        assert raw == "2025-05-31 00:00:00.000000"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {"detector_version": st.just("v1")},
        optional={
            "risk": _JSON | st.floats(0, 1),
            "level": _JSON | st.sampled_from(["low", "high"]),
            "lang": _JSON,
            "indicators": _JSON
            | st.lists(
                st.fixed_dictionaries(
                    {
                        "kind": st.sampled_from(["phone", "url", "x"]),
                        "value": _JSON | st.text(max_size=5),
                    },
                    optional={"span": _JSON | st.tuples(st.integers(-2, 30), st.integers(-2, 30))},
                ),
                max_size=3,
            ),
            "flags": _JSON,
        },
    ),
    st.text(max_size=30),
)
def test_any_precomputed_finding_is_taken_or_refused_never_an_error(
    raw: dict[str, Any], text: str
) -> None:
    finding = finding_from_record(raw, text, "v1")
    if finding is not None:
        assert all(0 <= i.start < i.end <= len(text) for i in finding.indicators)


def test_worker_processes_store_what_a_single_process_stores(db: Database, tmp_path: Path) -> None:
    records = [lure(f"p{n}", f"h{n}", f"+8558862467{n:02d}") for n in range(9)]
    records.append(
        {"id": "raw", "text": "Call +855886246700 today for a job abroad, USD 1500 a month"}
    )
    path = write(tmp_path / "p.jsonl", records)
    job = Ingest(db, OPERATOR, IngestOptions(source="w", batch_size=4, jobs=1))
    stats = job.run([str(path)])
    assert (stats.stored, stats.precomputed, stats.detected) == (10, 9, 1)
    ingest(db, path, source="s", batch_size=4)
    with db.read() as session:
        rows = session.execute(
            text(
                "SELECT p.source, p.post_key, c.ref FROM posts p "
                "JOIN campaign_posts cp ON cp.post_id = p.id JOIN campaigns c ON c.id = cp.campaign_id"
            )
        ).all()
    by_source: dict[str, set[str]] = {}
    for source, _key, ref in rows:
        by_source.setdefault(source, set()).add(ref)
    assert by_source["w"] == by_source["s"], "both runs' posts are in the same campaigns"


def analysed_posts(db: Database) -> float:
    """The planner's row count of ``posts`` (-1: never analysed)."""
    with db.read() as session:
        found = session.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('posts')")
        )
    return float(found)


def test_a_large_ingest_leaves_postgresql_with_fresh_planner_statistics(
    pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without them the planner takes the tables for empty and a campaign page
    # reads every finding of the node until autovacuum catches up.
    db = pg_db
    monkeypatch.setattr("suar.ingest.job.ANALYZE_AFTER", 3)
    assert analysed_posts(db) == -1
    records = [lure(f"fb-{n}", f"hr_{n}_jobs", f"+85588624{n:04d}") for n in range(3)]
    ingest(db, write(tmp_path / "p.jsonl", records))
    assert analysed_posts(db) == 3


def test_a_small_ingest_leaves_the_statistics_to_autovacuum(
    pg_db: Database, tmp_path: Path
) -> None:
    db = pg_db
    ingest(db, write(tmp_path / "p.jsonl", [lure("fb-1", "hr_asia_jobs", "+855886246748")]))
    assert analysed_posts(db) == -1
