"""A real ``suar ingest`` killed with SIGKILL at random moments and run again loses nothing,
duplicates nothing, leaves campaigns consistent and an audit trail that verifies (both backends)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from suar.store import AuditLogRepository, Database, upgrade
from warn.records import AD, OTHER_AD, THIRD_AD, indicator, ingest, lure, post, write

BATCH = 40


def corpus(path: Path, count: int, seed: int) -> Path:
    """Families of near-duplicate lures, shared numbers that bridge them, and one-off posts."""
    rng = random.Random(seed)
    phones = [f"+85588{n:07d}" for n in range(count // 6)]
    records = []
    for n in range(count):
        phone = rng.choice(phones)
        template = rng.choice([AD, OTHER_AD, THIRD_AD, None, None])
        if template is None:
            words = " ".join(f"w{rng.randrange(10**6)}" for _ in range(12))
            body = f"{words} call {phone}"
            records.append(post(f"k{n:05d}", body, [indicator(body, "phone", phone)]))
        else:
            records.append(lure(f"k{n:05d}", f"h{rng.randrange(50)}", phone, template=template))
    return write(path, records)


def run_ingest(env: dict[str, str], path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "suar",
            "ingest",
            str(path),
            "--source",
            "feed",
            "--batch-size",
            str(BATCH),
            "--quiet",
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def count(db: Database, sql: str) -> int:
    with db.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def partition(db: Database, source: str) -> set[frozenset[str]]:
    with db.read() as session:
        rows = session.execute(
            text(
                "SELECT p.post_key, c.ref FROM posts p JOIN campaign_posts cp ON cp.post_id = p.id "
                "JOIN campaigns c ON c.id = cp.campaign_id WHERE p.source = :s"
            ),
            {"s": source},
        ).all()
    groups: dict[str, set[str]] = {}
    for key, ref in rows:
        groups.setdefault(ref, set()).add(key)
    return {frozenset(g) for g in groups.values()}


def kill_and_resume(node_env: dict[str, str], tmp_path: Path, *, posts: int, kills: int) -> None:
    seed = int(os.environ.get("SUAR_TEST_SEED") or random.randrange(10**6))
    rng = random.Random(seed)
    path = corpus(tmp_path / "posts.jsonl", posts, seed)
    db = Database.open(node_env["SUAR_DATABASE_URL"], Path(node_env["SUAR_DATA_DIR"]))
    done = subprocess.run(
        [sys.executable, "-m", "suar", "db", "upgrade"],
        env={**os.environ, **node_env},
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    interrupted = 0
    try:
        for _ in range(kills):
            before = count(db, "SELECT count(*) FROM posts")
            child = run_ingest(node_env, path)
            deadline = time.monotonic() + 120
            # Wait until this run has stored a random part of what is left (at most
            # half, so that it is still writing), then kill it at a random moment.
            target = before + rng.randint(1, max(1, (posts - before) // 2))
            while child.poll() is None and count(db, "SELECT count(*) FROM posts") < target:
                assert time.monotonic() < deadline, "ingest made no progress"
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.05))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                interrupted += 1
            child.wait()
        final = run_ingest(node_env, path)
        _, err = final.communicate(timeout=600)
        assert final.returncode == 0, err.decode()
        assert interrupted >= 1, f"no run was interrupted (seed {seed})"

        note = f"(seed {seed}, {interrupted} kills)"
        assert count(db, "SELECT count(*) FROM posts") == posts, note
        assert (
            count(
                db,
                "SELECT count(*) FROM (SELECT source, post_key FROM posts GROUP BY source, post_key HAVING count(*) > 1) d",
            )
            == 0
        )
        assert count(db, "SELECT count(*) FROM findings") == posts, note
        assert count(db, "SELECT count(*) FROM campaign_posts") == posts, note
        # Every post is in a live campaign, whose count is right; merged campaigns hold nothing.
        assert (
            count(
                db,
                "SELECT count(*) FROM campaign_posts cp JOIN campaigns c ON c.id = cp.campaign_id WHERE c.merged_into IS NOT NULL",
            )
            == 0
        )
        assert (
            count(
                db,
                "SELECT count(*) FROM campaigns c WHERE c.merged_into IS NULL AND c.post_count <> "
                "(SELECT count(*) FROM campaign_posts cp WHERE cp.campaign_id = c.id)",
            )
            == 0
        ), note
        assert (
            count(
                db,
                "SELECT count(*) FROM campaign_indicators ci JOIN campaigns c ON c.id = ci.campaign_id WHERE c.merged_into IS NOT NULL",
            )
            == 0
        )
        assert (
            count(
                db,
                "SELECT count(*) FROM campaigns m JOIN campaigns c ON c.id = m.merged_into WHERE c.merged_into IS NOT NULL",
            )
            == 0
        )
        assert (
            count(
                db,
                "SELECT count(*) FROM lsh_buckets b LEFT JOIN posts p ON p.id = b.post_id WHERE p.id IS NULL",
            )
            == 0
        )
        # The campaigns are exactly those of an uninterrupted run over the same posts.
        clean = Database.open(f"sqlite:///{tmp_path / 'clean.db'}", tmp_path)
        try:
            upgrade(clean)
            ingest(clean, path, source="feed", batch_size=BATCH)
            assert partition(db, "feed") == partition(clean, "feed"), note
        finally:
            clean.dispose()
        verify = subprocess.run(
            [sys.executable, "-m", "suar", "audit", "verify"],
            env={**os.environ, **node_env},
            capture_output=True,
        )
        assert verify.returncode == 0, verify.stderr.decode()
        with db.read() as session:
            ingested = sum(
                json.loads(row.entry)["details"]["posts"]
                for row in AuditLogRepository(session).iterate()
                if row.action == "post.ingest"
            )
        assert ingested == posts, "every stored post is accounted for by exactly one audit entry"
    finally:
        db.dispose()


def test_an_ingest_killed_once_and_run_again_stores_every_post_once(
    node_env: dict[str, str], tmp_path: Path
) -> None:
    kill_and_resume(node_env, tmp_path, posts=600, kills=1)


@pytest.mark.slow
def test_an_ingest_killed_at_random_moments_and_run_again_stores_every_post_once(
    node_env: dict[str, str], tmp_path: Path
) -> None:
    kill_and_resume(node_env, tmp_path, posts=3000, kills=6)
