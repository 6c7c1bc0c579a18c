"""API latency under load: wrk, in a second process, against a real ``suar serve``.

Builds a node filled with the demo set (``--copies`` times, as distinct
posts), serves it with ``suar serve`` on a free port of 127.0.0.1, and runs
wrk on two routes: the alert list (``GET /api/v1/alerts?limit=50``) and a
campaign (``GET /api/v1/campaigns/{ref}``), then its posts page
(``GET /api/v1/campaigns/{ref}/posts?limit=20``). wrk reports p50/p90/p95/p99
through a small Lua script. Traffic stays on 127.0.0.1 and is bounded by
``--duration`` and ``--connections``.

    .venv/bin/python benchmarks/load_bench.py --backend sqlite --backend postgresql

PostgreSQL runs in a fresh database created on the server of ``--pg-url``
and dropped afterwards. See docs/load.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suar.access import Actor, Role, add_user, create_token
from suar.demo import write_shifted
from suar.ingest import Ingest, IngestOptions
from suar.store import Database, upgrade
from suar.store.campaigns import CampaignRepository

logger = logging.getLogger(__name__)

LUA = """
done = function(summary, latency, requests)
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, '
    .. '"p50": %.3f, "p90": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _posts(path: Path, copies: int, now: datetime) -> None:
    shifted = path.with_suffix(".one.jsonl")
    write_shifted(shifted, now)
    records = [json.loads(line) for line in shifted.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as sink:
        for n in range(copies):
            for record in records:
                copy = dict(record, id=f"{record['id']}-copy{n}")
                if n:
                    copy["text"] = f"{record['text']} (#{n})"
                sink.write(json.dumps(copy, ensure_ascii=False) + "\n")


def fill(db: Database, work: Path, copies: int) -> tuple[str, str]:
    """Migrate and fill ``db``; return an API token of an analyst and the biggest campaign's ref."""
    upgrade(db)
    now = datetime.now(UTC)
    operator = Actor.operator("load-bench")
    path = work / "posts.jsonl"
    _posts(path, copies, now)
    started = time.perf_counter()
    stats = Ingest(db, operator, IngestOptions(source="demo", batch_size=200)).run([str(path)])
    logger.warning(
        "ingested %d posts in %.1f s: %d campaigns, %d alerts",
        stats.stored,
        time.perf_counter() - started,
        stats.campaigns_created,
        stats.alerts,
    )
    with db.write() as session:
        add_user(session, operator, "load", roles=[Role.ANALYST], now=now)
        _, token = create_token(session, operator, "load", name="load-bench", now=now)
    with db.read() as session:
        biggest = max(
            CampaignRepository(session).list_live(min_posts=2, limit=100),
            key=lambda c: c.post_count,
        )
    return token, biggest.ref


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """``suar serve`` on a free port until the block ends; yields its URL."""
    port = _free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "suar", "serve", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError as exc:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(
                        f"suar serve did not start: {log.read_text()[-2000:]}"
                    ) from exc
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(url: str, token: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run wrk on ``url`` and return its figures (latencies in milliseconds)."""
    script = work / "report.lua"
    script.write_text(LUA, encoding="utf-8")
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        "-H",
        f"Authorization: Bearer {token}",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600).stdout
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    figures: dict[str, Any] = json.loads(line.removeprefix("JSON "))
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def run_backend(backend: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Build, serve and load one backend's node; return one row per route."""
    with tempfile.TemporaryDirectory(prefix=f"suar-load-{backend}-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUAR_")}
        env |= {"SUAR_DATA_DIR": str(work / "data"), "SUAR_KEY_DIR": str(work / "keys")}
        created = None
        if backend == "postgresql":
            created = _create_pg(args.pg_url)
            env["SUAR_DATABASE_URL"] = created
        db = Database.open(env.get("SUAR_DATABASE_URL"), work / "data")
        try:
            token, ref = fill(db, work, args.copies)
        finally:
            db.dispose()
        rows = []
        try:
            with serving(env, work / "serve.log") as url:
                for name, path in (
                    ("alert list", "/api/v1/alerts?limit=50"),
                    ("campaign", f"/api/v1/campaigns/{ref}"),
                    ("campaign posts", f"/api/v1/campaigns/{ref}/posts?limit=20"),
                ):
                    figures = wrk(url + path, token, args, work)
                    rows.append({"backend": backend, "route": name, "path": path, **figures})
                    logger.warning("%s %s: %s", backend, name, figures)
        finally:
            if created is not None:
                _drop_pg(args.pg_url, created)
    return rows


def _pg_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _create_pg(url: str) -> str:
    name = f"suar_load_{os.getpid()}"
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def _drop_pg(url: str, created: str) -> None:
    name = created.rsplit("/", 1)[1]
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Parse the options, run each backend, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--copies", type=int, default=10, help="copies of the demo set")
    parser.add_argument("--duration", type=int, default=15, help="seconds per route")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    rows = [row for b in args.backend or ["sqlite"] for row in run_backend(b, args)]
    sys.stdout.write(
        "| backend | route | requests/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | non-2xx | errors |\n"
    )
    sys.stdout.write("|---|---|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        sys.stdout.write(
            f"| {r['backend']} | {r['route']} | {r['rps']} | {r['p50']:.1f} | {r['p90']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['non2xx']} | {r['errors']} |\n"
        )


if __name__ == "__main__":
    main()
