"""API latency under load, measured from a second process against a real ``suar serve``.

Builds a node filled with the demo set (``--copies`` times, as distinct
posts), serves it with ``suar serve`` on a free port of 127.0.0.1, and loads
three routes: the alert list (``GET /api/v1/alerts?limit=50``), a campaign
(``GET /api/v1/campaigns/{ref}``) and its posts page
(``GET /api/v1/campaigns/{ref}/posts?limit=20``). Each route gets two runs:

- **paced** (open loop): a child process of this script sends requests at a
  fixed ``--rate`` whatever the answers do, and measures each latency from the
  request's *intended* send time, so a stalled server is charged for every
  request it delays (no coordinated omission);
- **saturation** (closed loop): wrk with ``--connections`` keep-alive
  connections, each sending its next request when the answer arrives; a Lua
  hook prints p50/p90/p95/p99.

Traffic stays on 127.0.0.1 and is bounded by ``--duration``, ``--rate`` and
``--connections``.

    .venv/bin/python benchmarks/load_bench.py --backend sqlite --backend postgresql

PostgreSQL runs in a fresh database created on the server of ``--pg-url``
and dropped afterwards. See docs/load.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Final

from suar.access import Actor, Role, add_user, create_token
from suar.demo import write_shifted
from suar.ingest import Ingest, IngestOptions
from suar.store import Database, upgrade
from suar.store.campaigns import CampaignRepository

logger = logging.getLogger(__name__)

#: Environment variable handing the API token to the paced child (not its command line).
TOKEN_VARIABLE: Final = "SUAR_LOAD_TOKEN"
#: Most connections the paced client opens; past that a request waits for one, and the wait counts.
MAX_CONNECTIONS: Final = 64
#: A paced request not answered within this many seconds counts as an error.
PACED_TIMEOUT: Final = 5.0

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
def serving(env: dict[str, str], log: Path, workers: int) -> Iterator[str]:
    """``suar serve`` with ``workers`` processes on a free port until the block ends; yields its URL."""
    port = _free_port()
    command = [sys.executable, "-m", "suar", "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
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


def wrk(url: str, token: str, args: argparse.Namespace, *, work: Path) -> dict[str, Any]:
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


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _exchange(conn: Connection, request: bytes) -> tuple[int, bool]:
    """Send one GET on ``conn``; return the status and whether the connection stays open.

    Enough HTTP/1.1 for uvicorn's JSON answers, which carry a Content-Length.
    """
    reader, writer = conn
    writer.write(request)
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in head[1:] if line)
    }
    if "content-length" not in headers:
        raise ValueError(f"answer {status} without Content-Length")
    await reader.readexactly(int(headers["content-length"]))
    return status, headers.get("connection", "").lower() != "close"


class _Stale(Exception):
    """A reused keep-alive connection that the server had closed: nothing was answered."""


class _Connections:
    """Keep-alive connections to one server: an idle one is reused, else a new one is opened."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self.retried = 0
        self._idle: list[Connection] = []
        self._slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def get(self, request: bytes) -> int:
        """Send ``request``; return the answer's status.

        The server closes a keep-alive connection that stayed idle for a few
        seconds; a request sent on one just as it closes gets no answer at
        all. Like any HTTP client, this one then sends the (idempotent) GET
        again on a new connection; the time lost still counts.
        """
        async with self._slots:
            if self._idle:
                try:
                    return await self._send(self._idle.pop(), request)
                except _Stale:
                    self.retried += 1
            conn = await asyncio.open_connection(self._host, self._port)
            return await self._send(conn, request, fresh=True)

    async def _send(self, conn: Connection, request: bytes, *, fresh: bool = False) -> int:
        try:
            status, keep = await _exchange(conn, request)
        except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError) as exc:
            conn[1].close()
            answered = isinstance(exc, asyncio.IncompleteReadError) and exc.partial
            if fresh or answered:
                raise
            raise _Stale from exc
        except BaseException:
            conn[1].close()
            raise
        if keep:
            self._idle.append(conn)
        else:
            conn[1].close()
        return status


def _percentile(ordered: list[float], q: float) -> float:
    # Nearest rank: the smallest value with at least q% of the values at or below it.
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] if ordered else math.nan


async def paced(url: str, token: str, rate: float, duration: float) -> dict[str, Any]:
    """Send GET ``url`` at ``rate`` per second for ``duration`` seconds, open loop.

    Request *i* is due at ``start + i / rate`` and is sent then whether or not
    earlier ones were answered; its latency runs from that due time to the end
    of its answer, so time lost anywhere (server, queue, this client) counts.
    Latencies are in milliseconds; ``lag_p99`` is how late this client sent.
    """
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode("latin-1")
    connections = _Connections(parts.hostname or "127.0.0.1", parts.port or 80)
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    lags: list[float] = []
    failures = {"non2xx": 0, "errors": 0}

    async def one(due: float) -> None:
        lags.append(loop.time() - due)
        try:
            status = await asyncio.wait_for(connections.get(request), PACED_TIMEOUT)
        except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError):
            failures["errors"] += 1
            return
        latencies.append(loop.time() - due)
        if not 200 <= status < 300:
            failures["non2xx"] += 1

    total = max(1, round(rate * duration))
    start = loop.time() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(due)))
    await asyncio.gather(*tasks)
    seconds = loop.time() - start
    ordered = sorted(x * 1000 for x in latencies)
    return {
        "offered": rate,
        "requests": len(latencies),
        "seconds": round(seconds, 3),
        "rps": round(len(latencies) / seconds, 1),
        **failures,
        "retried": connections.retried,
        **{f"p{q}": _percentile(ordered, q) for q in (50, 90, 95, 99)},
        "max": ordered[-1] if ordered else math.nan,
        "lag_p99": _percentile(sorted(x * 1000 for x in lags), 99),
    }


def run_paced(url: str, token: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run :func:`paced` on ``url`` in a child process; return its figures."""
    command = [
        sys.executable,
        __file__,
        "--pace",
        url,
        "--rate",
        str(args.rate),
        "--duration",
        str(args.duration),
    ]
    env = dict(os.environ, **{TOKEN_VARIABLE: token})
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True, timeout=args.duration + 120
    )
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def settle(url: str, token: str, *, quick: float = 0.5, patience: float = 180.0) -> float:
    """Wait until ``url`` answers within ``quick`` seconds; return how long that took.

    An overloaded paced run leaves requests queued in the server after its
    client gave up on them; the next run must not pay for them.
    """
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    while True:
        sent = time.monotonic()
        with urllib.request.urlopen(request, timeout=patience) as answer:
            answer.read()
        if time.monotonic() - sent < quick or time.monotonic() - started > patience:
            return time.monotonic() - started
        time.sleep(0.5)


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
            with serving(env, work / "serve.log", args.workers) as url:
                for name, path in (
                    ("alert list", "/api/v1/alerts?limit=50"),
                    ("campaign", f"/api/v1/campaigns/{ref}"),
                    ("campaign posts", f"/api/v1/campaigns/{ref}/posts?limit=20"),
                ):
                    runs = []
                    if args.rate > 0:
                        runs.append(("paced", run_paced))
                    if args.wrk:
                        runs.append(("saturation", partial(wrk, work=work)))
                    for mode, run in runs:
                        waited = settle(url + path, token)
                        load = os.getloadavg()[0]
                        figures = run(url + path, token, args)
                        row = {"backend": backend, "route": name, "mode": mode, **figures}
                        rows.append(row | {"load": load, "settled": waited})
                        logger.warning("%s %s %s: %s", backend, name, mode, rows[-1])
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


def _cell(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def main() -> None:
    """Parse the options, run each backend, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--copies", type=int, default=10, help="copies of the demo set")
    parser.add_argument("--duration", type=int, default=15, help="seconds per route and run")
    parser.add_argument(
        "--rate", type=float, default=100.0, help="requests/s of the paced run (0: no paced run)"
    )
    parser.add_argument(
        "--wrk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run wrk at saturation",
    )
    parser.add_argument("--connections", type=int, default=2, help="wrk's connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=1, help="suar serve --workers")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--pace",
        metavar="URL",
        help=f"only run the paced client on URL (token in ${TOKEN_VARIABLE}); print JSON",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.pace:
        figures = asyncio.run(
            paced(args.pace, os.environ[TOKEN_VARIABLE], args.rate, args.duration)
        )
        sys.stdout.write(json.dumps(figures) + "\n")
        return
    rows = [row for b in args.backend or ["sqlite"] for row in run_backend(b, args)]
    columns = ["backend", "route", "mode", "offered", "rps"]
    columns += ["p50", "p90", "p95", "p99", "max", "non2xx", "errors", "retried", "load"]
    sys.stdout.write(
        "| backend | route | run | offered req/s | achieved req/s | p50 ms | p90 ms | p95 ms "
        "| p99 ms | max ms | non-2xx | errors | resent on a closed connection | load avg |\n"
    )
    sys.stdout.write("|---" * len(columns) + "|\n")
    for r in rows:
        r.setdefault("offered", "max")
        r.setdefault("retried", "")
        sys.stdout.write("| " + " | ".join(_cell(r[c]) for c in columns) + " |\n")


if __name__ == "__main__":
    main()
