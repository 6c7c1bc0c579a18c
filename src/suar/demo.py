"""``suar demo``: a fresh node filled with the bundled demo data set, ready to sign in to.

:func:`build_demo` makes an embedded (SQLite) database in a directory of its
own, migrates it, watches one of the demo phone numbers, ingests the demo set
(``src/suar/data/demo/posts.jsonl``, see :mod:`suar.demoset`) through the real
ingest pipeline with its dates shifted to end a few hours ago, moves alerts
into every lifecycle state as a demo colleague would, and adds the demo user
with a random password. It refuses a directory that holds a database it did
not make.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Final

from suar.access import Actor, Role, add_user
from suar.errors import InputError
from suar.ingest import Ingest, IngestOptions, IngestStats
from suar.store import Database, upgrade
from suar.store.alerts import AlertRecord
from suar.store.dashboard import alert_page
from suar.warn.alerts import AlertStatus, move_alert
from suar.warn.tlp import Tlp
from suar.warn.watchlist import add_entry

logger = logging.getLogger(__name__)

#: The file that marks a data directory as a demo node's (and so safe to rebuild).
MARKER: Final = "suar-demo.json"
#: The demo user, who may triage alerts and read the audit trail.
DEMO_USER: Final = "demo"
#: A second, password-less demo analyst: the one who already triaged some alerts.
COLLEAGUE: Final = "demo-colleague"
#: The source name of every demo post.
SOURCE: Final = "demo"
#: The watched demo number (Thai campaign): its posts raise watchlist-hit alerts.
WATCHED_PHONE: Final = "+66812345678"
_DB_FILES: Final = ("suar.db", "suar.db-wal", "suar.db-shm")


class NotADemoDirectory(InputError):
    """The directory holds a database that ``suar demo`` did not make."""

    code = "not_a_demo_directory"


@dataclass(frozen=True, slots=True)
class DemoNode:
    """What :func:`build_demo` made: the database, the demo user's password, the counts."""

    db: Database
    data_dir: Path
    username: str
    password: str
    stats: IngestStats
    alerts: dict[str, int]


def demo_records() -> Iterator[dict[str, Any]]:
    """The bundled demo records as stored (dates not yet shifted)."""
    path = resources.files("suar").joinpath("data/demo/posts.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if isinstance(record, dict):
                yield record


def prepare_directory(data_dir: Path) -> None:
    """Make ``data_dir`` ready for a fresh demo database; refuse one holding a real node.

    A directory made by ``suar demo`` before (it holds the marker file) loses its
    old demo database; any other directory holding a ``suar.db`` is refused.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / MARKER
    existing = [data_dir / name for name in _DB_FILES if (data_dir / name).exists()]
    if existing and not marker.exists():
        raise NotADemoDirectory(
            f"{data_dir} holds a database that suar demo did not make: give another --data-dir"
        )
    for path in existing:
        path.unlink()
    marker.write_text(
        json.dumps({"demo": True, "note": "a demo node: every post in it is invented"}) + "\n",
        encoding="utf-8",
    )


def is_demo_directory(data_dir: Path) -> bool:
    """True when ``data_dir`` was made by ``suar demo``."""
    return (data_dir / MARKER).exists()


def _shifted(record: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    posted = datetime.fromisoformat(str(record["posted_at"]).replace("Z", "+00:00"))
    moved = (posted + delta).astimezone(UTC)
    return record | {"posted_at": moved.isoformat().replace("+00:00", "Z")}


def write_shifted(path: Path, now: datetime) -> int:
    """Write the demo set to ``path`` with dates moved so the newest post is 3 hours old."""
    records = list(demo_records())
    newest = max(
        datetime.fromisoformat(str(r["posted_at"]).replace("Z", "+00:00")) for r in records
    )
    delta = (now - timedelta(hours=3)) - newest
    with path.open("w", encoding="utf-8") as sink:
        for record in records:
            sink.write(json.dumps(_shifted(record, delta), ensure_ascii=False) + "\n")
    return len(records)


def _triage(db: Database, colleague: Actor, now: datetime) -> None:
    # One alert in each closed state, one acknowledged, the rest left new.
    with db.read() as session:
        queue: list[AlertRecord] = alert_page(session, limit=1000)
    oldest_first = sorted(queue, key=lambda a: a.id)
    plan = [
        (AlertStatus.ESCALATED, "Same LINE account as a case reported by a returnee; escalated."),
        (AlertStatus.DISMISSED, "Demo: an awareness page quoting the lure, not a recruiter."),
        (AlertStatus.ACKNOWLEDGED, ""),
    ]
    for alert, (status, reason) in zip(oldest_first, plan, strict=False):
        with db.write() as session:
            move_alert(session, colleague, alert.id, AlertStatus.ACKNOWLEDGED, now=now)
            if status is not AlertStatus.ACKNOWLEDGED:
                move_alert(session, colleague, alert.id, status, reason=reason, now=now)


def build_demo(
    data_dir: Path,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    password: str | None = None,
) -> DemoNode:
    """Make a fresh demo node in ``data_dir`` and return it (the caller disposes of ``db``)."""
    prepare_directory(data_dir)
    db = Database.open(None, data_dir)
    try:
        upgrade(db)
        now = clock()
        operator = Actor.operator("suar-demo")
        with db.write() as session:
            add_entry(
                session,
                operator,
                "phone",
                WATCHED_PHONE,
                note="Demo: number named in a returnee's statement",
                source=SOURCE,
                now=now,
            )
            colleague = add_user(
                session,
                operator,
                COLLEAGUE,
                roles=[Role.ANALYST],
                display_name="Demo colleague",
                now=now,
            )
        posts = data_dir / "demo-posts.jsonl"
        write_shifted(posts, now)
        # Small batches: campaigns form, grow and merge over the weeks as on a live node.
        options = IngestOptions(source=SOURCE, tlp=Tlp.GREEN, batch_size=10)
        stats = Ingest(db, operator, options, clock=clock).run([str(posts)])
        _triage(db, Actor.for_user(colleague), clock())
        secret = password or secrets.token_urlsafe(12)
        with db.write() as session:
            add_user(
                session,
                operator,
                DEMO_USER,
                roles=[Role.ANALYST, Role.AUDITOR],
                display_name="Demo analyst",
                password=secret,
                now=clock(),
            )
        with db.read() as session:
            counts: dict[str, int] = {}
            for alert in alert_page(session, limit=1000):
                counts[alert.status] = counts.get(alert.status, 0) + 1
    except BaseException:
        db.dispose()
        raise
    logger.info("demo node in %s: %d posts, alerts %s", data_dir, stats.stored, counts)
    return DemoNode(db, data_dir, DEMO_USER, secret, stats, counts)
