"""``suar scan``: read posts, detect indicators and red flags, print one record per post."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from suar.detect import Detector
from suar.domain import Level
from suar.errors import InputError
from suar.reader import ReadOptions, check_readable, read_posts
from suar.scan import Scanned, ScanStats, scan
from suar.settings import load_settings


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


class InputFormatChoice(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    text = "text"


CSV_COLUMNS = (
    "type",
    "source",
    "line",
    "id",
    "risk",
    "level",
    "lang",
    "detector_version",
    "indicators",
    "flags",
    "explanation",
    "error",
)
_LEVEL_STYLE = {"none": "dim", "low": "cyan", "medium": "yellow", "high": "bold red"}
_TABLE_BATCH = 100
_SNIPPET = 160


def _csv_row(record: dict[str, Any]) -> dict[str, Any]:
    if record["type"] == "error":
        return {k: record.get(k, "") for k in ("type", "source", "line", "id", "error")}
    row = {k: record[k] for k in CSV_COLUMNS if k in record}
    row["indicators"] = "; ".join(f"{i['kind']}:{i['value']}" for i in record["indicators"])
    row["flags"] = "; ".join(f["code"] for f in record["flags"])
    return row


def _highlighted(text: str, record: dict[str, Any]) -> Text:
    """The post's text with every span of evidence highlighted, cut around the first one."""
    spans = [(i["span"][0], i["span"][1], "bold magenta") for i in record["indicators"]]
    spans += [(f["span"][0], f["span"][1], "bold yellow") for f in record["flags"]]
    first = min((s for s, _, _ in spans), default=0)
    start = max(0, first - 40)
    end = min(len(text), start + _SNIPPET)
    out = Text(
        ("…" if start else "")
        + text[start:end].replace("\n", " ")
        + ("…" if end < len(text) else "")
    )
    offset = 1 if start else 0
    for s, e, style in spans:
        s2, e2 = max(s, start), min(e, end)
        if s2 < e2:
            out.stylize(style, s2 - start + offset, e2 - start + offset)
    return out


def _table(rows: list[tuple[dict[str, Any], str | None]], explain: bool) -> Table:
    table = Table(show_lines=True, expand=True)
    table.add_column("post", overflow="fold", min_width=14)
    table.add_column("level", no_wrap=True)
    table.add_column("risk", justify="right")
    table.add_column("lang")
    table.add_column("post (evidence highlighted)", ratio=4)
    table.add_column("indicators / error", ratio=3)
    for record, text in rows:
        where = f"{Path(record['source']).name}:{record['line']}"
        if record.get("id"):
            where += f"\n{record['id']}"
        if record["type"] == "error":
            table.add_row(
                where, Text("error", "bold red"), "", "", "", Text(record["error"], "red")
            )
            continue
        level = record["level"]
        details = Text()
        for ind in record["indicators"]:
            details.append(f"{ind['kind']}", "magenta")
            details.append(f" {ind['value']}\n")
        for flag in record["flags"]:
            details.append(f"{flag['code']}", "yellow")
            details.append(f" “{flag['evidence']}”\n")
        if explain:
            details.append(record["explanation"], "italic")
        table.add_row(
            where,
            Text(level, _LEVEL_STYLE[level]),
            f"{record['risk']:.2f}",
            record["lang"],
            _highlighted(text or "", record),
            details,
        )
    return table


def _write(records: Iterable[Scanned], fmt: OutputFormat, explain: bool, out: TextIO) -> None:
    if fmt is OutputFormat.jsonl:
        for scanned in records:
            out.write(scanned.line)
            out.write("\n")
    elif fmt is OutputFormat.csv:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for scanned in records:
            writer.writerow(_csv_row(scanned.record))
    else:
        console = Console(file=out)
        batch: list[tuple[dict[str, Any], str | None]] = []
        for scanned in records:
            batch.append((scanned.record, scanned.text))
            if len(batch) >= _TABLE_BATCH:
                console.print(_table(batch, explain))
                batch = []
        if batch:
            console.print(_table(batch, explain))


def _summary(stats: ScanStats, err: Console) -> None:
    levels = ", ".join(f"{lvl.value} {stats.levels.get(lvl.value, 0)}" for lvl in Level)
    err.print(
        f"suar scan: {stats.records} posts ({levels}), {stats.errors} errors,"
        f" {stats.seconds:.1f} s, {stats.posts_per_second:,.0f} posts/s",
        highlight=False,
        soft_wrap=True,
    )


def scan_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files to scan (JSONL, CSV or text, gzip read transparently); '-' or nothing reads stdin.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: table on a terminal, jsonl otherwise.",
            show_default=False,
        ),
    ] = None,
    min_level: Annotated[
        Level, typer.Option("--min-level", help="Only print findings at or above this level.")
    ] = Level.NONE,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Add the explanation and the evidence of each flag to table output."
        ),
    ] = False,
    text_fields: Annotated[
        list[str] | None,
        typer.Option(
            "--text-field",
            help="JSONL key or CSV column holding the post's text (default: text). Repeat it to"
            " join several fields, e.g. a title and a description, separated by a blank line.",
            show_default=False,
        ),
    ] = None,
    id_field: Annotated[
        str, typer.Option("--id-field", help="JSONL key or CSV column holding the post's id.")
    ] = "id",
    input_format: Annotated[
        InputFormatChoice,
        typer.Option(
            "--input-format", help="Input format; auto decides by file name, then by content."
        ),
    ] = InputFormatChoice.auto,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="ISO 3166-1 alpha-2 country for national phone numbers (overridden by a record's own country).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-j",
            min=0,
            help="Processes that detect in parallel. 0: one for a small input, every core"
            " once it has more than 200 posts. Output order is kept.",
        ),
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Do not print the summary on stderr.")
    ] = False,
) -> None:
    """Scan posts for trafficking-lure indicators and red flags; one record per post.

    Bad records never stop a scan: each becomes an error record and the scan
    goes on. Exit status 0 when the input could be read, 2 for bad arguments or
    a file that cannot be opened.
    """
    settings = load_settings()
    files = paths or ["-"]
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise InputError(
            f"--country must be an ISO 3166-1 alpha-2 code such as ID or KH, not {country!r}"
        )
    check_readable(files)
    fmt = output_format or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.jsonl)
    err = Console(stderr=True)
    progress: Progress | None = None
    tasks: dict[str, Any] = {}
    if err.is_terminal and files != ["-"]:
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )

    def report(source: str, done: int, total: int) -> None:
        assert progress is not None
        if source not in tasks:
            tasks[source] = progress.add_task(source, total=total or None)
        progress.update(tasks[source], completed=done)

    options = ReadOptions(
        text_fields=tuple(text_fields or ["text"]),
        id_field=id_field,
        input_format=input_format.value,
    )
    items = read_posts(files, options, on_progress=report if progress is not None else None)
    detector = Detector(default_country=(country or settings.default_country))
    stats = ScanStats()
    records = scan(
        items,
        detector,
        stats,
        country=country and country.upper(),
        min_level=min_level,
        workers=workers,
    )
    try:
        if progress is not None:
            with progress:
                _write(records, fmt, explain, sys.stdout)
        else:
            _write(records, fmt, explain, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``suar scan ... | head``): stop quietly.
        sys.stderr.close()
        raise typer.Exit(0) from None
    if not quiet:
        _summary(stats, err)


def register(app: typer.Typer) -> None:
    """Add ``scan`` to the root command."""
    app.command("scan")(scan_command)
