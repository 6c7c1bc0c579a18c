"""Benchmark campaign assignment at scale: a million posts into one node (``make bench``).

Generated posts (:func:`generate`) imitate what a national unit receives:
families of near-identical recruitment ads from one recruiter each (a
template edited from copy to copy, rotating phone numbers and accounts, some
copies rewritten by half so that only their contacts tie them to the family),
family sizes from a heavy-tailed distribution, a few families posting in
bursts, and as many one-off posts, lures and ordinary ads alike. Every post
carries a precomputed finding (its contacts, destination and salary), so the
benchmark measures ingest and campaign assignment, not detection. Texts come
from ``corpus.py``: twelve languages, eight scripts, 100 to 2,000 characters.

Each measurement runs in its own process, so that its peak memory is its own:

1. **load**: ``suar ingest``'s code path over all posts into a fresh database
   (SQLite by default): total time, posts/s, CPU time, peak RSS, time by stage,
   and the time per post of each batch;
2. **single**: 1,000 more posts (near-copies of stored posts and new ones), each
   in its own unit of work, as posts arrive one by one from an API: per-post
   assignment latency and whole unit-of-work latency (commit included), p50/p99;
3. **reopen**: a fresh process opens the database and assigns one post: the time
   to have a working index after a restart;
4. **quality**: pairwise precision and recall of campaigns against the
   generator's families.

Run ``python benchmarks/campaign_bench.py --posts 20000`` first; the default is
1,000,000 posts. The corpus is cached under ``--cache`` (default /tmp/suar-bench).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any, Final

import corpus

log = logging.getLogger("campaign_bench")

RESULTS_DIR: Final = Path(__file__).resolve().parent / "results"
GENERATOR_VERSION: Final = 2
FAMILY_SHARE: Final = 0.5
SINGLE_POSTS: Final = 1000
EPOCH: Final = datetime(2025, 1, 1, tzinfo=UTC)
HUBS: Final = (
    "kh-sihanoukville",
    "kh-poipet",
    "mm-myawaddy",
    "la-bokeo",
    "kh-bavet",
    "mm-shwe-kokko",
)
_PREFIXES: Final = ("", "", "URGENT! ", "🔥 ", "Update: ", "✅ ", "Still hiring: ", "📌 ")
_SHARED_NUMBERS: Final = ("+6620001234", "+85523999000", "+6221500123")


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


# --- Generating posts -------------------------------------------------------


class _Family:
    def __init__(self, rng: Random, index: int, base: str) -> None:
        self.label = f"f{index}"
        template = distinct(base, rng)
        self.paragraphs = [p for p in template.split("\n\n") if p.strip()] or [template]
        self.phones = [_phone(rng) for _ in range(rng.randint(1, 3))]
        self.handle = f"{rng.choice(corpus._HANDLE_WORDS)}_{rng.randrange(10**5)}"
        self.handle_kind = rng.choice(("telegram", "telegram", "line"))
        self.hub = rng.choice(HUBS)
        self.salary = rng.choice((800, 1000, 1200, 1500, 1800, 2000, 2500, 3000))


def distinct(text: str, rng: Random) -> str:
    """The text with the words of each paragraph shuffled (scripts without spaces: 2-4
    character pieces): same language, length and vocabulary, but no longer a near-copy
    of other posts that ``corpus.py`` built from the same sentence templates.

    Real job ads by different authors rarely reach a Jaccard similarity of 0.7
    (measured on ../shared/data: about one pair in 10,000, mostly one employer's
    reposts); unshuffled ``corpus.py`` posts reach it a hundred times as often.
    """
    out = []
    for para in text.split("\n\n"):
        words = para.split()
        if len(words) < max(4, len(para) / 15):
            pieces = []
            for word in words:
                i = 0
                while i < len(word):
                    n = rng.randint(2, 4)
                    pieces.append(word[i : i + n])
                    i += n
            words = pieces
        rng.shuffle(words)
        out.append(" ".join(words))
    return "\n\n".join(out)


def _phone(rng: Random) -> str:
    prefix = rng.choice(("+85588", "+85597", "+66", "+6281", "+6391", "+8490", "+95979"))
    return prefix + "".join(str(rng.randrange(10)) for _ in range(12 - len(prefix) + 1))


def _contact_line(rng: Random, phone: str, handle: str | None, handle_kind: str) -> str:
    parts = [f"WhatsApp {phone}" if rng.random() < 0.5 else f"Call {phone}"]
    if handle:
        parts.append(("Telegram @" if handle_kind == "telegram" else "LINE ID: ") + handle)
    return " | ".join(parts)


def _finding(
    text: str,
    items: list[tuple[str, str, str, dict[str, Any]]],
    *,
    lure: bool,
    rng: Random,
    version: str,
) -> dict[str, Any]:
    indicators = []
    for kind, value, evidence, attrs in items:
        start = text.rfind(evidence)
        if start >= 0:
            span = [start, start + len(evidence)]
            indicators.append(
                {"kind": kind, "value": value, "span": span, "evidence": evidence, **attrs}
            )
    risk = rng.uniform(0.85, 0.99) if lure else rng.uniform(0.05, 0.3)
    return {
        "type": "finding",
        "risk": round(risk, 4),
        "level": "high" if lure else "low",
        "lang": "und",
        "detector_version": version,
        "indicators": indicators,
        "flags": [],
        "explanation": "generated",
    }


def _family_post(
    rng: Random, fam: _Family, other: str
) -> tuple[str, list[tuple[str, str, str, dict[str, Any]]]]:
    paragraphs = list(fam.paragraphs)
    if len(paragraphs) > 2 and rng.random() < 0.3:
        paragraphs.pop(rng.randrange(len(paragraphs)))
    if len(paragraphs) > 2 and rng.random() < 0.2:
        i, j = rng.sample(range(len(paragraphs)), 2)
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    if rng.random() < 0.1:
        # Rewritten by half: only the contacts still tie it to the family.
        borrowed = [p for p in other.split("\n\n") if p.strip()]
        half = len(paragraphs) // 2
        paragraphs = paragraphs[:half] + borrowed[: max(1, len(borrowed) - half)]
    if rng.random() < 0.05:
        fam.phones.append(_phone(rng))  # the recruiter changes numbers now and then
    phone = rng.choice(fam.phones[-3:])
    handle = fam.handle if rng.random() < 0.6 else None
    salary = f"Salary {fam.salary} USD per month"
    place = fam.hub.split("-", 1)[1].replace("-", " ").title()
    text = (
        rng.choice(_PREFIXES)
        + "\n\n".join(paragraphs)
        + f"\n\n{salary}, work in {place}.\n"
        + _contact_line(rng, phone, handle, fam.handle_kind)
    )
    items: list[tuple[str, str, str, dict[str, Any]]] = [
        ("phone", phone, phone, {"country": "KH"}),
        (
            "money",
            f"USD {fam.salary}/month",
            f"{fam.salary} USD",
            {"usd_per_month": float(fam.salary), "context": "pay"},
        ),
        ("place", fam.hub, place, {"name": place, "country": fam.hub[:2].upper(), "role": "hub"}),
    ]
    if handle:
        items.append((fam.handle_kind, handle.lower(), handle, {}))
    return text, items


def _single_post(rng: Random, text: str) -> tuple[str, list[tuple[str, str, str, dict[str, Any]]]]:
    phone = _phone(rng) if rng.random() > 0.005 else rng.choice(_SHARED_NUMBERS)
    items: list[tuple[str, str, str, dict[str, Any]]] = [("phone", phone, phone, {})]
    tail = f"\n\nCall {phone}"
    if rng.random() < 0.1:
        tail += " or see t.me and facebook.com"
        items += [("domain", "t.me", "t.me", {}), ("domain", "facebook.com", "facebook.com", {})]
    return text + tail, items


def generate(count: int, seed: int, version: str) -> Iterator[dict[str, Any]]:
    """``count`` posts in time order, each labelled with its ``family`` (``s...`` for one-offs)."""
    rng = Random(seed)
    texts = corpus.generate_posts(count * 2, seed)
    families: list[_Family] = []
    order: list[int] = []
    target = int(count * FAMILY_SHARE)
    while len(order) < target:
        size = min(5000, max(2, int(rng.paretovariate(1.1) * 2)))
        fam = _Family(rng, len(families), next(texts)["text"])
        order.extend([len(families)] * size)
        families.append(fam)
    del order[target:]
    rng.shuffle(order)
    order += [-1] * (count - len(order))
    rng.shuffle(order)
    # A few large families post in one burst rather than over the year.
    sizes = Counter(order)
    bursty = {i for i, n in sorted(sizes.items()) if i >= 0 and n >= 30 and rng.random() < 0.05}
    if bursty:
        order = [x for x in order if x not in bursty]
        for i in sorted(bursty):
            at = rng.randrange(len(order))
            order[at:at] = [i] * sizes[i]
    step = 365 * 86_400 / max(1, count)
    for n, fam_index in enumerate(order):
        posted = EPOCH + timedelta(seconds=n * step + rng.uniform(0, step))
        if fam_index < 0:
            text, items = _single_post(rng, distinct(next(texts)["text"], rng))
            lure = rng.random() < corpus.LURE_SHARE
            label = f"s{n}"
        else:
            fam = families[fam_index]
            text, items = _family_post(rng, fam, distinct(next(texts)["text"], rng))
            lure = True
            label = fam.label
        yield {
            "id": f"b{n:07d}",
            "posted_at": posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "text": text,
            "family": label,
            "finding": _finding(text, items, lure=lure, rng=rng, version=version),
        }


def corpus_file(cache: Path, count: int, seed: int, version: str) -> Path:
    """The cached corpus for (count, seed, detector version), generated when missing."""
    safe = version.replace("+", "_")
    path = cache / f"campaign-corpus-v{GENERATOR_VERSION}-{safe}-seed{seed}-{count}.jsonl"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with partial.open("w", encoding="utf-8") as out:
        for n, record in enumerate(generate(count, seed, version), start=1):
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
            if n % 100_000 == 0:
                log.info("generated %d posts", n)
    partial.rename(path)
    log.info("generated %s in %.0f s", path, time.perf_counter() - started)
    return path


# --- Phases (each in its own process) ---------------------------------------


def _open(url: str | None, data_dir: Path) -> Any:
    from suar.store import Database

    return Database.open(url, data_dir)


def phase_load(path: str, url: str | None, data_dir: str, jobs: int = 0) -> dict[str, Any]:
    """Ingest every post of ``path`` into a fresh database; time, memory, stages.

    ``jobs``: worker processes that fingerprint posts while this one stores
    and assigns them (``suar ingest --jobs``).
    """
    from suar.access import Actor
    from suar.ingest import Ingest, IngestOptions, IngestStats
    from suar.store import upgrade

    db = _open(url, Path(data_dir))
    upgrade(db)
    per_batch: list[float] = []
    last = {"t": time.perf_counter(), "n": 0}

    def on_batch(stats: IngestStats) -> None:
        now = time.perf_counter()
        per_batch.append((now - last["t"]) / max(1, stats.stored - last["n"]))
        if stats.stored // 50_000 != last["n"] // 50_000:
            log.info(
                "%d posts, %.0f posts/s, RSS %.0f MB",
                stats.stored,
                stats.stored / stats.seconds,
                peak_rss_mb(),
            )
        last.update(t=now, n=stats.stored)

    options = IngestOptions(source="bench", jobs=jobs)
    job = Ingest(db, Actor.operator("bench"), options, on_batch=on_batch)
    cpu = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = job.run([path])
    cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    db.dispose()
    ordered = sorted(per_batch)
    return {
        "posts": stats.stored,
        "jobs": jobs,
        "seconds": round(stats.seconds, 1),
        "posts_per_second": round(stats.stored / stats.seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "worker_cpu_seconds": round(workers_cpu, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "campaigns_created": stats.campaigns_created,
        "merges": stats.merges,
        "alerts": stats.alerts,
        "stage_seconds": {k: round(v, 1) for k, v in stats.stage_seconds.items()},
        "batch_ms_per_post_p50": round(1000 * ordered[len(ordered) // 2], 3) if ordered else None,
        "batch_ms_per_post_p99": round(1000 * ordered[int(len(ordered) * 0.99)], 3)
        if ordered
        else None,
    }


def _extra_posts(path: str, count: int, seed: int, version: str) -> list[dict[str, Any]]:
    """New posts: edited copies of stored posts (7 in 10) and new one-offs."""
    rng = Random(seed)
    with open(path, encoding="utf-8") as source:
        sample = [json.loads(line) for _, line in zip(range(count * 20), source, strict=False)]
    picked = rng.sample(sample, count)
    out = []
    for n, record in enumerate(picked):
        record = dict(record)
        record["id"] = f"x{n:05d}"
        record.pop("posted_at", None)
        if rng.random() < 0.3:
            words = record["text"].split(" ")
            rng.shuffle(words)
            record["text"] = " ".join(words)
            record["finding"] = _finding(record["text"], [], lure=False, rng=rng, version=version)
        else:
            record["text"] = record["text"] + " !"
        out.append(record)
    return out


def phase_single(path: str, url: str | None, data_dir: str, count: int) -> dict[str, Any]:
    """``count`` posts, each in its own unit of work: assignment and unit latency."""
    from suar.access import Actor
    from suar.detect import Detector
    from suar.domain import Post
    from suar.ingest import Ingest, IngestOptions
    from suar.reader import ReadPost

    db = _open(url, Path(data_dir))
    extra = _extra_posts(path, count, 99, Detector().version)
    assign: list[float] = []
    unit: list[float] = []
    job = Ingest(db, Actor.operator("bench"), IngestOptions(source="single", batch_size=1))
    for n, record in enumerate(extra):
        post = Post(text=record["text"], id=record["id"], extra={"finding": record["finding"]})
        before = dict(job.stats.stage_seconds)
        job.run_items([ReadPost("single", n + 1, post)])
        after = job.stats.stage_seconds
        assign.append(after["assign"] - before.get("assign", 0.0))
        unit.append(
            sum(
                after[k] - before.get(k, 0.0) for k in ("store", "assign", "alerts_audit", "commit")
            )
        )
    db.dispose()

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)

    return {
        "posts": len(extra),
        "assign_ms_p50": pct(assign, 0.5),
        "assign_ms_p99": pct(assign, 0.99),
        "unit_ms_p50": pct(unit, 0.5),
        "unit_ms_p99": pct(unit, 0.99),
    }


def phase_reopen(path: str, url: str | None, data_dir: str) -> dict[str, Any]:
    """A fresh process: open the database and assign one post; the first time and the next."""
    started = time.perf_counter()
    from suar.access import Actor
    from suar.detect import Detector
    from suar.domain import Post
    from suar.ingest import Ingest, IngestOptions
    from suar.reader import ReadPost
    from suar.store import require_current_schema

    imported = time.perf_counter()
    db = _open(url, Path(data_dir))
    require_current_schema(db)
    job = Ingest(db, Actor.operator("bench"), IngestOptions(source="reopen", batch_size=1))
    opened = time.perf_counter()
    extra = _extra_posts(path, 2, 7, Detector().version)
    times = []
    for n, record in enumerate(extra):
        t0 = time.perf_counter()
        post = Post(text=record["text"], id=f"r{n}", extra={"finding": record["finding"]})
        job.run_items([ReadPost("reopen", n + 1, post)])
        times.append(time.perf_counter() - t0)
    db.dispose()
    return {
        "import_s": round(imported - started, 3),
        "open_s": round(opened - imported, 3),
        "first_post_ms": round(1000 * times[0], 1),
        "second_post_ms": round(1000 * times[1], 1),
    }


def phase_quality(path: str, url: str | None, data_dir: str) -> dict[str, Any]:
    """Pairwise precision and recall of the campaigns against the generator's families."""
    from sqlalchemy import text

    labels: dict[str, str] = {}
    with open(path, encoding="utf-8") as source:
        for line in source:
            record = json.loads(line)
            labels[record["id"]] = record["family"]
    db = _open(url, Path(data_dir))
    pairs: Counter[tuple[str, str]] = Counter()
    with db.read() as session:
        rows = session.execute(
            text(
                "SELECT p.post_key, cp.campaign_id FROM posts p JOIN campaign_posts cp "
                "ON cp.post_id = p.id WHERE p.source = 'bench'"
            )
        )
        for key, campaign in rows:
            pairs[(labels[key], str(campaign))] += 1
        lsh = session.execute(text("SELECT count(*) FROM lsh_buckets")).scalar_one()
        live = session.execute(
            text("SELECT count(*) FROM campaigns WHERE merged_into IS NULL")
        ).scalar_one()
    db.dispose()
    by_family: Counter[str] = Counter()
    by_campaign: Counter[str] = Counter()
    for (family, campaign), n in pairs.items():
        by_family[family] += n
        by_campaign[campaign] += n

    def pairs_of(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs_of(pairs)
    same_campaign, same_family = pairs_of(by_campaign), pairs_of(by_family)
    largest = by_campaign.most_common(1)[0][1] if by_campaign else 0
    return {
        "pairwise_precision": round(together / same_campaign, 4) if same_campaign else None,
        "pairwise_recall": round(together / same_family, 4) if same_family else None,
        "live_campaigns": live,
        "families": sum(1 for f in by_family if f.startswith("f")),
        "largest_campaign": largest,
        "lsh_entries": lsh,
    }


PHASES: Final = {
    "load": phase_load,
    "single": phase_single,
    "reopen": phase_reopen,
    "quality": phase_quality,
}


def _run_phase(name: str, *args: Any) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", name, json.dumps(args)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"phase {name} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _database(args: argparse.Namespace, count: int) -> tuple[str | None, Path]:
    data_dir = args.cache / f"campaign-db-{count}"
    if args.database_url:
        return args.database_url, data_dir
    if data_dir.exists():
        for name in ("suar.db", "suar.db-wal", "suar.db-shm"):
            (data_dir / name).unlink(missing_ok=True)
    return None, data_dir


def main(argv: list[str] | None = None) -> int:
    """Run every phase and save the results under benchmarks/results/."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--posts", type=int, default=1_000_000, help="posts to load (default 1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cache", type=Path, default=Path("/tmp/suar-bench"), help="corpus and database directory"
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database instead of SQLite in --cache"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="worker processes fingerprinting posts during the load (suar ingest --jobs)",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("phase_args", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr
    )
    if args.phase:
        result = PHASES[args.phase](*json.loads(args.phase_args))
        print(json.dumps(result))
        return 0
    from suar.detect import Detector

    version = Detector().version
    path = corpus_file(args.cache, args.posts, args.seed, version)
    url, data_dir = _database(args, args.posts)
    log.info("loading %d posts from %s", args.posts, path)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "posts": args.posts,
        "backend": "postgresql" if url else "sqlite",
        "machine": {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
    }
    results["load"] = _run_phase("load", str(path), url, str(data_dir), args.jobs)
    results["single"] = _run_phase("single", str(path), url, str(data_dir), SINGLE_POSTS)
    results["reopen"] = _run_phase("reopen", str(path), url, str(data_dir))
    results["quality"] = _run_phase("quality", str(path), url, str(data_dir))
    if url is None:
        size = sum(f.stat().st_size for f in data_dir.glob("suar.db*"))
        results["database_mb"] = round(size / 1e6, 1)
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = results["date"].replace(":", "").replace("-", "")
    saved = RESULTS_DIR / f"campaign-bench-{args.posts}-{stamp}.json"
    saved.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    log.info("results saved to %s", saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
