"""``suar scan`` end to end: the output contract, formats, filters and exit codes."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from suar.cli import app
from suar.scan import record_schema

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "posts.jsonl"
runner = CliRunner()


def run_scan(*args: str, stdin: str | None = None) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["scan", *args], input=stdin)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, records, result.stderr


def test_every_record_of_the_examples_validates_against_the_shipped_schema() -> None:
    code, records, _ = run_scan(str(EXAMPLES), "--format", "jsonl")
    assert code == 0
    assert len(records) == sum(1 for _ in EXAMPLES.open(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(record_schema())
    for record in records:
        validator.validate(record)


def test_spans_index_the_original_text_and_evidence_matches() -> None:
    posts = {
        json.loads(line)["id"]: json.loads(line)["text"] for line in EXAMPLES.open(encoding="utf-8")
    }
    _, records, _ = run_scan(str(EXAMPLES), "--format", "jsonl")
    for record in records:
        text = posts[record["id"]]
        for item in [*record["indicators"], *record["flags"]]:  # type: ignore[misc]
            start, end = item["span"]
            assert text[start:end] == item["evidence"]


def test_error_records_follow_the_schema_and_the_scan_goes_on() -> None:
    stdin = '{"text": "ok"}\n{broken\n{"id": "x"}\n{"text": "still read"}\n'
    code, records, stderr = run_scan("-", "--format", "jsonl", stdin=stdin)
    assert code == 0
    assert [r["type"] for r in records] == ["finding", "error", "error", "finding"]
    validator = jsonschema.Draft202012Validator(record_schema())
    for record in records:
        validator.validate(record)
    assert "2 posts" in stderr and "2 errors" in stderr and "posts/s" in stderr


def test_several_files_and_gzip_in_one_scan(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text('{"text": "one"}\n', encoding="utf-8")
    b = tmp_path / "b.txt.gz"
    b.write_bytes(gzip.compress(b"two\n\nthree\n"))
    code, records, _ = run_scan(str(a), str(b), "-f", "jsonl")
    assert code == 0
    assert [(r["source"], r["line"]) for r in records] == [(str(a), 1), (str(b), 1), (str(b), 3)]


def test_csv_output_has_one_row_per_record() -> None:
    result = runner.invoke(app, ["scan", str(EXAMPLES), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0
    assert len(rows) == sum(1 for _ in EXAMPLES.open(encoding="utf-8"))
    assert {"source", "line", "id", "risk", "level", "indicators", "flags"} <= set(rows[0])


def test_table_output_shows_the_posts_with_their_levels() -> None:
    result = runner.invoke(app, ["scan", str(EXAMPLES), "--format", "table", "--explain"])
    assert result.exit_code == 0
    assert "posts.jsonl" in result.stdout
    assert "Sihanoukville" in result.stdout
    assert "level" in result.stdout and "risk" in result.stdout


def test_min_level_filters_findings_but_never_errors() -> None:
    stdin = '{"text": "hello"}\n{broken\n'
    _, records, stderr = run_scan("-", "-f", "jsonl", "--min-level", "high", stdin=stdin)
    assert [r["type"] for r in records] == ["error"]
    assert "1 posts" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-file.jsonl"], "no such file"),
        (["--country", "Cambodia", "-"], "--country"),
        (["--format", "xml", "-"], "xml"),
        (["--min-level", "severe", "-"], "severe"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_no_traceback(args: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "suar", "scan", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_directory_argument_is_refused(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "suar", "scan", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("suar ")
    assert "scan" in runner.invoke(app, ["--help"]).stdout


def test_output_to_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    big = tmp_path / "many.jsonl"
    big.write_text(
        "".join(json.dumps({"text": f"post {i}"}) + "\n" for i in range(3000)), encoding="utf-8"
    )
    proc = subprocess.run(
        f"{sys.executable} -m suar scan -f jsonl {big} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_parallel_workers_give_the_same_records_in_the_same_order(tmp_path: Path) -> None:
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines() * 12
    lines.insert(7, "{broken")
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code1, one, _ = run_scan(str(path), "-f", "jsonl", "--workers", "1")
    code2, two, stderr = run_scan(str(path), "-f", "jsonl", "--workers", "2")
    assert code1 == code2 == 0
    assert one == two
    assert [r["type"] for r in two].count("error") == 1
    assert "1 errors" in stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_worker_processes_write_the_same_bytes_as_one_process(tmp_path: Path, fmt: str) -> None:
    # Workers send each record as its JSON line; the parent writes it as it came,
    # or reads it back for CSV and tables.
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines() * 4
    lines.insert(5, '{"id": "no-text"}')
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = runner.invoke(app, ["scan", str(path), "-f", fmt, "-q", "--workers", "1"])
    two = runner.invoke(app, ["scan", str(path), "-f", fmt, "-q", "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert one.stdout.count("no-text") == 1


def test_a_scanned_record_gives_its_dict_and_its_json_line_from_either() -> None:
    from suar.scan import Scanned, encode_record

    record = {"type": "finding", "level": "high", "lang": "th", "explanation": "งานสบาย ✓"}
    line = encode_record(record)
    assert "งานสบาย" in line  # as written, not escaped
    from_dict = Scanned.of(record, "text")
    from_line = Scanned(line=line, text="text", level="high")
    assert from_dict.line == from_line.line == line
    assert from_dict.record == from_line.record == record
    error = Scanned.of({"type": "error", "error": "invalid JSON"}, "ignored")
    assert error.text is None and error.level is None
    with pytest.raises(ValueError, match="needs its dict or its JSON line"):
        Scanned(text=None, level=None)


def test_automatic_workers_switch_to_the_pool_past_the_threshold_and_keep_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import suar.scan as scan_module
    from suar.detect import Detector
    from suar.reader import read_posts

    lines = EXAMPLES.read_text(encoding="utf-8").splitlines() * 6
    lines.insert(3, "{broken")
    lines.insert(40, "{broken too")
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(scan_module, "AUTO_SERIAL", 10)
    pools: list[int] = []
    real_parallel = scan_module._parallel

    def counting_parallel(*args: object) -> object:
        pools.append(1)
        return real_parallel(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scan_module, "_parallel", counting_parallel)
    monkeypatch.setattr(scan_module.os, "cpu_count", lambda: 2)

    def records(workers: int) -> list[dict[str, object]]:
        stats = scan_module.ScanStats()
        return [
            scanned.record
            for scanned in scan_module.scan(
                read_posts([str(path)]), Detector(), stats, workers=workers
            )
        ]

    serial = records(1)
    automatic = records(0)
    assert pools == [1]
    assert automatic == serial
    assert [r["line"] for r in automatic] == list(range(1, len(lines) + 1))
    assert [r["type"] for r in automatic].count("error") == 2


def test_automatic_workers_stay_in_one_process_for_a_small_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import suar.scan as scan_module
    from suar.detect import Detector
    from suar.reader import read_posts

    monkeypatch.setattr(
        scan_module, "_parallel", lambda *a: pytest.fail("a small input started a pool")
    )
    stats = scan_module.ScanStats()
    out = list(scan_module.scan(read_posts([str(EXAMPLES)]), Detector(), stats, workers=0))
    assert len(out) == stats.records + stats.errors > 0
