"""Early-warning commands: ``suar ingest``, ``suar campaigns``, ``suar alerts``, ``suar watchlist``.

Thin: parse, open the node's database, ask the pillar, print. Every error
Suar raises on purpose becomes one line on stderr and exit status 2; a
refused action is also recorded in the audit trail.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from suar import store
from suar.cli.context import command_actor as _actor
from suar.cli.context import fail as _fail
from suar.cli.context import open_node as _node
from suar.domain import Level
from suar.errors import InputError
from suar.ingest import (
    DEFAULT_BATCH,
    DEFAULT_SOURCE,
    MAX_JOBS,
    Ingest,
    IngestOptions,
    IngestStats,
    Problem,
)
from suar.reader import ReadOptions, check_readable
from suar.settings import Settings
from suar.warn import alerts as alert_pillar
from suar.warn import campaigns as campaign_pillar
from suar.warn import watchlist as watch_pillar
from suar.warn.tlp import Tlp, parse_tlp

logger = logging.getLogger(__name__)

campaigns_app = typer.Typer(
    help="Campaigns: posts grouped by near-duplicate text or shared contacts.", no_args_is_help=True
)
alerts_app = typer.Typer(help="Early-warning alerts and their triage.", no_args_is_help=True)
watchlist_app = typer.Typer(
    help="Values that raise an alert when a post carries them.", no_args_is_help=True
)

#: Problems printed one by one on stderr before the rest are only counted.
SHOWN_PROBLEMS: Final = 20


class InputFormatChoice(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    text = "text"


class AssignmentFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and the ``campaigns``, ``alerts`` and ``watchlist`` groups to ``app``."""
    app.command("ingest")(ingest_command)
    app.add_typer(campaigns_app, name="campaigns")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(watchlist_app, name="watchlist")


# --- plumbing ---------------------------------------------------------------------------


def _country(given: str | None, settings: Settings) -> str | None:
    chosen = given or settings.default_country
    return chosen.upper() if chosen else None


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def _json_line(out: TextIO, obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, default=str))
    out.write("\n")


# --- ingest -----------------------------------------------------------------------------


def ingest_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...",
            help="Files of posts (JSONL, JSON, CSV or text, gzip read transparently); '-' is stdin.",
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            metavar="NAME",
            help="The feed the posts come from; posts are keyed by (source, id). Give each feed "
            "whose ids could collide its own name.",
        ),
    ] = DEFAULT_SOURCE,
    tlp: Annotated[
        str,
        typer.Option(
            "--tlp",
            metavar="LABEL",
            help="TLP 2.0 label: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.",
        ),
    ] = Tlp.AMBER.value,
    handling: Annotated[
        str, typer.Option("--handling", metavar="CODE", help="Handling code stamped on every post.")
    ] = "",
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="CC",
            help="ISO 3166-1 alpha-2 country for national phone numbers (a record's own country wins).",
            show_default=False,
        ),
    ] = None,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size", min=1, max=10_000, help="Posts committed together in one unit of work."
        ),
    ] = DEFAULT_BATCH,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            max=MAX_JOBS,
            help="Worker processes that detect and fingerprint while this one writes (0: "
            "none). Worth it when cores are free, most of all when records need detection.",
        ),
    ] = 0,
    text_fields: Annotated[
        list[str] | None,
        typer.Option(
            "--text-field",
            help="JSONL key or CSV column holding the text (default: text); repeat to join several.",
            show_default=False,
        ),
    ] = None,
    id_field: Annotated[
        str, typer.Option("--id-field", help="JSONL key or CSV column holding the post's id.")
    ] = "id",
    input_format: Annotated[
        InputFormatChoice,
        typer.Option("--input-format", help="Input format; auto decides by name, then content."),
    ] = InputFormatChoice.auto,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no summary.")] = False,
) -> None:
    """Store posts with their findings and provenance, group them into campaigns, raise alerts.

    Posts are keyed by (source, id), or by the SHA-256 of their text when they
    have no id: ingesting the same input again adds nothing. A record carrying a
    `finding` object (a `suar scan` record) of the current detector version is
    stored as it is, without detecting again. Batches commit one by one, so an
    interrupted ingest keeps every finished batch; run it again to finish.
    Unreadable records and reused ids are reported on stderr and not stored.
    Exit status 0 when the input could be read.
    """
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise _fail(
            f"--country must be an ISO 3166-1 alpha-2 code such as ID or KH, not {country!r}"
        )
    err = Console(stderr=True)
    shown: list[int] = [0]

    def report(problem: Problem) -> None:
        shown[0] += 1
        if shown[0] <= SHOWN_PROBLEMS:
            where = f"{problem.origin}:{problem.line}"
            err.print(
                f"suar: {problem.kind}: {where}: {problem.message}", highlight=False, soft_wrap=True
            )

    with _node() as (settings, db):
        check_readable(paths)
        options = IngestOptions(
            source=source,
            tlp=parse_tlp(tlp),
            handling=handling,
            country=_country(country, settings),
            batch_size=batch_size,
            jobs=jobs,
            read=ReadOptions(
                text_fields=tuple(text_fields or ["text"]),
                id_field=id_field,
                input_format=input_format.value,
            ),
        )
        with db.read() as session:
            actor = _actor(session, settings)
        job = Ingest(db, actor, options, on_problem=report)
        try:
            if err.is_terminal and paths != ["-"]:
                stats = _with_progress(job, paths, err)
            else:
                stats = job.run(paths)
        finally:
            job.close()
    if shown[0] > SHOWN_PROBLEMS:
        err.print(
            f"suar: … and {shown[0] - SHOWN_PROBLEMS} more records not stored", highlight=False
        )
    if not quiet:
        _ingest_summary(stats, err)


def _with_progress(job: Ingest, paths: list[str], err: Console) -> IngestStats:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def advance(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = progress.add_task(Path(name).name, total=total or None)
        progress.update(tasks[name], completed=done)

    with progress:
        return job.run(paths, on_progress=advance)


def _ingest_summary(stats: IngestStats, err: Console) -> None:
    rate = stats.stored / stats.seconds if stats.seconds > 0 else 0.0
    err.print(
        f"suar ingest: {stats.read} posts read, {stats.stored} stored, "
        f"{stats.duplicates} already stored, {stats.errors} errors, {stats.conflicts} conflicts; "
        f"{stats.precomputed} precomputed findings, {stats.detected} detected; "
        f"{stats.campaigns_created} new campaigns, {stats.merges} merged; {stats.alerts} alerts; "
        f"{stats.seconds:.1f} s, {rate:,.0f} posts/s",
        highlight=False,
        soft_wrap=True,
    )


# --- campaigns --------------------------------------------------------------------------


def _top(counts: Any, n: int = 3) -> str:
    if not isinstance(counts, dict):
        return ""
    items = sorted(
        counts.items(),
        key=lambda kv: -int(kv[1] if not isinstance(kv[1], dict) else kv[1].get("posts", 0)),
    )
    return ",".join(str(k) for k, _ in items[:n])


def _salary(c: store.campaigns.CampaignRecord) -> str:
    if c.salary_min_usd is None or c.salary_max_usd is None:
        return ""
    if round(c.salary_min_usd) == round(c.salary_max_usd):
        return f"${c.salary_min_usd:,.0f}"
    return f"${c.salary_min_usd:,.0f}-{c.salary_max_usd:,.0f}"


def _campaign_json(c: store.campaigns.CampaignRecord) -> dict[str, Any]:
    return {
        "campaign": c.ref,
        "posts": c.post_count,
        "level": c.level,
        "risk": c.risk,
        "first_seen": c.first_seen.isoformat(),
        "last_seen": c.last_seen.isoformat(),
        "languages": c.summary.get("languages", {}),
        "countries": c.summary.get("countries", {}),
        "destinations": c.summary.get("destinations", {}),
        "salary_usd_per_month": None
        if c.salary_min_usd is None
        else [c.salary_min_usd, c.salary_max_usd],
        "tlp": c.tlp,
        "merged_into": c.merged_into,
    }


@campaigns_app.command("list")
def campaigns_list(
    min_posts: Annotated[
        int,
        typer.Option("--min-posts", min=1, help="Only campaigns with at least this many posts."),
    ] = 2,
    level: Annotated[
        Level, typer.Option("--level", help="Only campaigns at or above this risk level.")
    ] = Level.NONE,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="At most this many, last seen first.")
    ] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List live campaigns: posts, level, first and last seen, languages, countries, destinations, pay."""
    with _node() as (settings, db), db.read() as session:
        found = campaign_pillar.list_campaigns(
            session, _actor(session, settings), min_posts=min_posts, min_level=level, limit=limit
        )
    for c in found:
        if as_json:
            _json_line(sys.stdout, _campaign_json(c))
            continue
        typer.echo(
            f"{c.ref}  {c.post_count:>6} posts  {c.level:<6} {c.risk:.2f}  "
            f"{_when(c.first_seen)} → {_when(c.last_seen)}  "
            f"lang {_top(c.summary.get('languages')):<12} country {_top(c.summary.get('countries')):<9} "
            f"to {_top(c.summary.get('destinations'), 2):<30} {_salary(c)}".rstrip()
        )


@campaigns_app.command("show")
def campaigns_show(
    ref: Annotated[str, typer.Argument(metavar="CAMPAIGN", help="The campaign's id (cmp_...).")],
    posts: Annotated[
        int, typer.Option("--posts", min=0, help="How many recent posts to show.")
    ] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Show one campaign: aggregates, strong indicators, merged campaigns, recent posts, alerts."""
    with _node() as (settings, db), db.read() as session:
        d = campaign_pillar.campaign_detail(session, _actor(session, settings), ref, posts=posts)
    live = d.live
    if as_json:
        obj = _campaign_json(live)
        obj["asked"] = d.campaign.ref
        obj["indicators"] = [
            {
                "kind": i.kind,
                "value": i.value,
                "posts": i.posts,
                "links": (i.kind, i.value) not in d.capped,
            }
            for i in d.indicators
        ]
        obj["merged_from"] = [m.ref for m in d.merged_from]
        obj["posts_shown"] = [
            {"source": p.source, "id": p.post_key, "seen_at": p.seen_at.isoformat()}
            for p in d.posts
        ]
        obj["alerts"] = [{"id": a.id, "kind": a.kind, "status": a.status} for a in d.alerts]
        _json_line(sys.stdout, obj)
        return
    out = typer.echo
    if d.campaign.id != live.id:
        out(f"{d.campaign.ref} was merged into {live.ref} on {_when(d.campaign.merged_at)}")
    out(
        f"campaign {live.ref}: {live.post_count} posts, level {live.level} (risk {live.risk:.2f}), TLP:{live.tlp}"
    )
    out(f"  seen {_when(live.first_seen)} → {_when(live.last_seen)}")
    for label, key in (("languages", "languages"), ("countries", "countries")):
        counts = live.summary.get(key) or {}
        out(f"  {label}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    dests = live.summary.get("destinations") or {}
    if dests:
        out(
            "  destinations: "
            + ", ".join(
                f"{v.get('name', k)} ({v.get('country', '')}) {v.get('posts', 0)}"
                for k, v in dests.items()
            )
        )
    if live.salary_min_usd is not None:
        out(f"  salary offered: {_salary(live)} USD a month")
    if d.indicators:
        out("  indicators:")
        for i in d.indicators:
            note = "  (too common: no longer links)" if (i.kind, i.value) in d.capped else ""
            out(f"    {i.kind:<10} {i.value}  {i.posts} posts{note}")
    if d.merged_from:
        out("  merged from: " + ", ".join(m.ref for m in d.merged_from))
    for p in d.posts:
        snippet = " ".join(p.text.split())[:100]
        out(f"  post {p.source}/{p.post_key}  {_when(p.seen_at)}  {snippet}")
    for a in d.alerts:
        out(f"  alert {a.id} {a.kind} {a.status}")


@campaigns_app.command("assignments")
def campaigns_assignments(
    output_format: Annotated[
        AssignmentFormat, typer.Option("--format", "-f", help="csv: columns source, id, campaign.")
    ] = AssignmentFormat.csv,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", metavar="NAME", help="Only posts of this source.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here instead of stdout.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write every post's source, id and campaign, for spreadsheets (CSV with a header row)."""
    with _node() as (settings, db), db.read() as session:
        rows = campaign_pillar.assignments(session, _actor(session, settings), source=source)
        if output is None or str(output) == "-":
            _write_assignments(rows, output_format, sys.stdout)
        else:
            try:
                with output.open("x", encoding="utf-8", newline="") as sink:
                    _write_assignments(rows, output_format, sink)
            except OSError as exc:
                raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc


def _write_assignments(rows: Iterator[Any], fmt: AssignmentFormat, out: TextIO) -> None:
    if fmt is AssignmentFormat.jsonl:
        for row in rows:
            _json_line(out, {"source": row.source, "id": row.post_id, "campaign": row.campaign})
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("source", "id", "campaign"))
    for row in rows:
        writer.writerow((row.source, row.post_id, row.campaign))


# --- alerts -----------------------------------------------------------------------------


@alerts_app.command("list")
def alerts_list(
    status: Annotated[
        list[alert_pillar.AlertStatus] | None,
        typer.Option(
            "--status", help="Only alerts in this status (repeatable).", show_default=False
        ),
    ] = None,
    kind: Annotated[
        list[alert_pillar.AlertKind] | None,
        typer.Option("--kind", help="Only alerts of this kind (repeatable).", show_default=False),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="At most this many, newest first.")
    ] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List alerts, newest first: id, kind, status, campaign, when, who moved it last and why."""
    with _node() as (settings, db), db.read() as session:
        found = alert_pillar.list_alerts(
            session, _actor(session, settings), statuses=status, kinds=kind, limit=limit
        )
    for a in found:
        if as_json:
            _json_line(
                sys.stdout,
                {
                    "id": a.id,
                    "kind": a.kind,
                    "status": a.status,
                    "campaign": a.live_campaign_ref,
                    "raised_on": a.campaign_ref,
                    "created_at": a.created_at.isoformat(),
                    "status_at": a.status_at.isoformat(),
                    "status_by": a.status_by,
                    "reason": a.reason,
                    "tlp": a.tlp,
                    "details": a.details,
                },
            )
            continue
        campaign = a.live_campaign_ref or ""
        if a.campaign_ref and a.campaign_ref != a.live_campaign_ref:
            campaign = f"{a.campaign_ref}→{a.live_campaign_ref}"
        why = f"  “{a.reason}”" if a.reason else ""
        typer.echo(
            f"{a.id:>6}  {a.kind:<18} {a.status:<12} {campaign:<22} {_when(a.created_at)}  "
            f"{a.status_by}{why}".rstrip()
        )


def _move(alert_id: int, to: alert_pillar.AlertStatus, reason: str) -> None:
    with _node() as (settings, db), db.write() as session:
        moved = alert_pillar.move_alert(
            session, _actor(session, settings), alert_id, to, reason=reason
        )
    typer.echo(f"alert {moved.id} is {moved.status}")


@alerts_app.command("ack")
def alerts_ack(
    alert_id: Annotated[int, typer.Argument(metavar="ALERT", help="The alert's number.")],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why, for the record.")
    ] = "",
) -> None:
    """Acknowledge a new alert: someone is looking at it."""
    _move(alert_id, alert_pillar.AlertStatus.ACKNOWLEDGED, reason)


@alerts_app.command("escalate")
def alerts_escalate(
    alert_id: Annotated[int, typer.Argument(metavar="ALERT", help="The alert's number.")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (required).")] = "",
) -> None:
    """Escalate an acknowledged alert (to investigators or partners); a reason is required."""
    _move(alert_id, alert_pillar.AlertStatus.ESCALATED, reason)


@alerts_app.command("dismiss")
def alerts_dismiss(
    alert_id: Annotated[int, typer.Argument(metavar="ALERT", help="The alert's number.")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (required).")] = "",
) -> None:
    """Dismiss an acknowledged alert as needing no action; a reason is required."""
    _move(alert_id, alert_pillar.AlertStatus.DISMISSED, reason)


@alerts_app.command("show")
def alerts_show(
    alert_id: Annotated[int, typer.Argument(metavar="ALERT", help="The alert's number.")],
) -> None:
    """Show an alert's lifecycle: each status, who set it, when and why."""
    with _node() as (settings, db), db.read() as session:
        actor = _actor(session, settings)
        history = alert_pillar.alert_history(session, actor, alert_id)
    if not history:
        raise _fail(f"no alert {alert_id}")
    for event in history:
        why = f"  “{event.reason}”" if event.reason else ""
        typer.echo(f"{event.seq}  {event.status:<12} {event.at.isoformat()}  {event.actor}{why}")


# --- watchlist --------------------------------------------------------------------------


def _tlp_option() -> Any:
    return typer.Option("--tlp", metavar="LABEL", help="TLP 2.0 label of the entry.")


@watchlist_app.command("add")
def watchlist_add(
    kind: Annotated[
        str, typer.Argument(metavar="KIND", help="One of: " + ", ".join(watch_pillar.WATCH_KINDS))
    ],
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="The value, as written anywhere (normalised).")
    ],
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="Why it is watched.")] = "",
    tlp: Annotated[str, _tlp_option()] = Tlp.AMBER.value,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="CC",
            help="Country of a phone number written without +CC.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Watch a value; posts already stored that carry it raise alerts at once."""
    with _node() as (settings, db), db.write() as session:
        result = watch_pillar.add_entry(
            session,
            _actor(session, settings),
            kind.strip().lower(),
            value,
            note=note,
            tlp=parse_tlp(tlp),
            country=_country(country, settings),
        )
    entry = result.entry
    state = "added" if result.created else "already watched"
    typer.echo(f"{state}: {entry.kind} {entry.value} (entry {entry.id})")
    if result.alerts:
        typer.echo(f"seen before: alerts {', '.join(str(a) for a in result.alerts)}")


@watchlist_app.command("import")
def watchlist_import(
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="CSV with kind,value[,note] columns, or JSON Lines."),
    ],
    tlp: Annotated[str, _tlp_option()] = Tlp.AMBER.value,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="CC",
            help="Country of phone numbers written without +CC.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Watch every value of a file; bad lines are reported and skipped, the rest added together."""
    with _node() as (settings, db):
        lines = list(watch_pillar.read_watchlist_file(path))
        with db.write() as session:
            added, refused = watch_pillar.import_entries(
                session,
                _actor(session, settings),
                lines,
                tlp=parse_tlp(tlp),
                country=_country(country, settings),
            )
    for line in refused:
        typer.echo(f"suar: {path}:{line.line}: {line.error}", err=True)
    new = sum(1 for a in added if a.created)
    hits = sum(len(a.alerts) for a in added)
    typer.echo(
        f"watchlist: {new} added, {len(added) - new} already watched, {len(refused)} refused; {hits} alerts"
    )


@watchlist_app.command("list")
def watchlist_list(
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="Only this kind.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List watched values, newest first."""
    with _node() as (settings, db), db.read() as session:
        entries = watch_pillar.list_entries(session, _actor(session, settings), kind=kind)
    for e in entries:
        if as_json:
            _json_line(
                sys.stdout,
                {
                    "id": e.id,
                    "kind": e.kind,
                    "value": e.value,
                    "source": e.source,
                    "added_by": e.added_by,
                    "added_at": e.added_at.isoformat(),
                    "note": e.note,
                    "tlp": e.tlp,
                },
            )
        else:
            typer.echo(
                f"{e.id:>5}  {e.kind:<10} {e.value:<40} {e.source:<10} {e.added_by}  {e.note}".rstrip()
            )
