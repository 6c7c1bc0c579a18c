"""Benchmark ``suar ingest`` throughput into SQLite and PostgreSQL (``make bench``).

Posts come from ``corpus.py`` (twelve languages, 100 to 2,000 characters,
about a third of them lures). Two inputs are measured:

- **precomputed**: every record carries the ``finding`` that ``suar scan``
  gives it (computed once, untimed, and cached), so ingest stores, fingerprints
  and assigns campaigns without detecting: the target is 2,000 posts/s into
  SQLite. Measured in one process (``--jobs 0``) and with one worker process
  fingerprinting while the ingesting process stores (``--jobs 1``);
- **detection**: plain records, detected during ingest, in the ingesting
  process (``--jobs 0``) and with worker processes (``--jobs 2``).

Each measurement runs in a fresh process on a fresh database (a new SQLite
file, or a new PostgreSQL schema dropped afterwards) and goes through the
command's code path: reader, :class:`suar.ingest.Ingest`, one unit of work per
batch (5,000 posts by default). Results are printed and saved under ``benchmarks/results/``.

    python benchmarks/ingest_bench.py --posts 20000 --detect-posts 3000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import corpus

log = logging.getLogger("ingest_bench")

RESULTS_DIR: Final = Path(__file__).resolve().parent / "results"
DEFAULT_POSTGRES: Final = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def corpus_files(cache: Path, posts: int, seed: int) -> tuple[Path, Path]:
    """(plain records, records with precomputed findings), generated once and cached."""
    from suar.detect import Detector
    from suar.scan import finding_record

    detector = Detector()
    version = detector.version.replace("+", "_")
    plain = cache / f"ingest-plain-v{corpus.CORPUS_VERSION}-seed{seed}-{posts}.jsonl"
    found = cache / f"ingest-findings-v{corpus.CORPUS_VERSION}-{version}-seed{seed}-{posts}.jsonl"
    cache.mkdir(parents=True, exist_ok=True)
    if not plain.exists():
        with plain.open("w", encoding="utf-8") as out:
            for record in corpus.generate_posts(posts, seed):
                out.write(
                    json.dumps(
                        {
                            "id": record["id"],
                            "posted_at": record["posted_at"],
                            "text": record["text"],
                        },
                        ensure_ascii=False,
                    )
                )
                out.write("\n")
    if not found.exists():
        started = time.perf_counter()
        partial = found.with_suffix(".partial")
        with plain.open(encoding="utf-8") as source, partial.open("w", encoding="utf-8") as out:
            for n, line in enumerate(source, start=1):
                record = json.loads(line)
                finding = detector.detect(record["text"])
                record["finding"] = finding_record(
                    finding, text=record["text"], source="bench", line=n, post_id=record["id"]
                )
                out.write(json.dumps(record, ensure_ascii=False))
                out.write("\n")
                if n % 5000 == 0:
                    log.info("detected %d posts for the precomputed corpus", n)
        partial.rename(found)
        log.info(
            "precomputed findings for %d posts in %.0f s", posts, time.perf_counter() - started
        )
    return plain, found


def _head(path: Path, count: int, cache: Path) -> Path:
    """The first ``count`` records of ``path`` (a cached file)."""
    out = cache / f"{path.stem}-head{count}.jsonl"
    if not out.exists():
        with path.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
            for _, line in zip(range(count), source, strict=False):
                sink.write(line)
    return out


# --- one measurement (its own process) --------------------------------------


def measure(path: str, url: str | None, data_dir: str, jobs: int) -> dict[str, Any]:
    """Ingest ``path`` into a fresh database; throughput, CPU time, memory, stages."""
    from suar.access import Actor
    from suar.ingest import Ingest, IngestOptions
    from suar.store import Database, upgrade

    db = Database.open(url, Path(data_dir))
    upgrade(db)
    job = Ingest(db, Actor.operator("bench"), IngestOptions(source="bench", jobs=jobs))
    cpu = time.process_time()
    started = time.perf_counter()
    stats = job.run([path])
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    db.dispose()
    return {
        "posts": stats.stored,
        "precomputed": stats.precomputed,
        "detected": stats.detected,
        "seconds": round(seconds, 2),
        "posts_per_second": round(stats.stored / seconds, 1),
        "main_process_cpu_seconds": round(cpu, 2),
        "posts_per_cpu_second": round(stats.stored / cpu, 1) if cpu else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "stage_seconds": {k: round(v, 2) for k, v in stats.stage_seconds.items()},
    }


def _postgres_schema(url: str) -> tuple[str, str]:
    """A fresh schema on ``url``: (url selecting it, schema name)."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url).set(drivername="postgresql")
    schema = f"suar_bench_{secrets.token_hex(4)}"
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    scoped = (
        make_url(url)
        .set(drivername="postgresql+psycopg")
        .update_query_dict({"options": f"-csearch_path={schema}"})
    )
    return scoped.render_as_string(hide_password=False), schema


def _drop_schema(url: str, schema: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url).set(drivername="postgresql")
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _run(path: Path, backend: str, jobs: int, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = args.cache / f"ingest-db-{secrets.token_hex(4)}"
    url: str | None = None
    schema = None
    if backend == "postgresql":
        url, schema = _postgres_schema(args.postgres_url)
    try:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                json.dumps([str(path), url, str(data_dir), jobs]),
            ],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"measurement failed: {backend} {path.name}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if schema is not None:
            _drop_schema(args.postgres_url, schema)
        for name in ("suar.db", "suar.db-wal", "suar.db-shm"):
            (data_dir / name).unlink(missing_ok=True)
        if data_dir.exists():
            data_dir.rmdir()
    result.update(backend=backend, jobs=jobs, input=path.name)
    log.info(
        "%s %s jobs=%d: %.0f posts/s (%.0f per CPU-second of the ingesting process)",
        backend,
        "precomputed" if result["precomputed"] else "detection",
        jobs,
        result["posts_per_second"],
        result["posts_per_cpu_second"] or 0,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and save them under benchmarks/results/."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--posts", type=int, default=20_000, help="posts ingested with precomputed findings"
    )
    parser.add_argument(
        "--detect-posts", type=int, default=3000, help="posts ingested with detection"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("SUAR_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/suar-bench"))
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr
    )
    if args.measure:
        print(json.dumps(measure(*json.loads(args.measure))))
        return 0
    plain, found = corpus_files(args.cache, args.posts, args.seed)
    detect_input = _head(plain, args.detect_posts, args.cache)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
        "runs": [],
    }
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        results["runs"].append(_run(found, backend, 0, args))
        # One worker process fingerprinting while the ingesting process stores.
        results["runs"].append(_run(found, backend, 1, args))
        if args.detect_posts:
            results["runs"].append(_run(detect_input, backend, 0, args))
            results["runs"].append(_run(detect_input, backend, 2, args))
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = results["date"].replace(":", "").replace("-", "")
    saved = RESULTS_DIR / f"ingest-bench-{stamp}.json"
    saved.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    log.info("results saved to %s", saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
