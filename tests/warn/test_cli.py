"""``suar ingest``, ``suar campaigns``, ``suar alerts`` and ``suar watchlist`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from suar.cli import app
from suar.store import AuditLogRepository, Database

from .records import lure, write

PASSWORD = "correct horse battery staple"


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def node(node_env: dict[str, str]) -> dict[str, str]:
    assert run(node_env, "db", "upgrade").exit_code == 0
    return node_env


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    records = [lure(f"p{n}", f"h{n}", f"+8558862467{n:02d}") for n in range(4)]
    path = write(tmp_path / "posts.jsonl", records)
    with path.open("a", encoding="utf-8") as out:
        out.write("{broken json\n")
    return path


def actions(env: dict[str, str]) -> list[str]:
    db = Database.open(env["SUAR_DATABASE_URL"], Path(env["SUAR_DATA_DIR"]))
    try:
        with db.read() as session:
            return [r.action for r in AuditLogRepository(session).iterate()]
    finally:
        db.dispose()


def test_ingest_reports_bad_records_and_summarises(node: dict[str, str], posts: Path) -> None:
    result = run(node, "ingest", str(posts), "--source", "fb", "--tlp", "green", "--handling", "H2")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"suar: error: {posts}:5: invalid JSON: Expecting property name enclosed in double quotes at column 2"
    )
    assert "4 posts read, 4 stored, 0 already stored, 1 errors, 0 conflicts" in result.stderr
    again = run(node, "ingest", str(posts), "--source", "fb", "--quiet")
    assert again.exit_code == 0
    assert actions(node).count("post.ingest") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "missing.jsonl"], "cannot read missing.jsonl: no such file"),
        (["ingest", "{posts}", "--tlp", "white"], "unknown TLP label 'white'"),
        (["ingest", "{posts}", "--source", "a b"], "invalid source 'a b'"),
        (
            ["ingest", "{posts}", "--country", "Thailand"],
            "--country must be an ISO 3166-1 alpha-2 code",
        ),
    ],
)
def test_ingest_refuses_bad_arguments_in_one_line(
    node: dict[str, str], posts: Path, args: list[str], message: str
) -> None:
    result = run(node, *[a.replace("{posts}", str(posts)) for a in args])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_campaigns_list_show_and_assignments(node: dict[str, str], posts: Path) -> None:
    run(node, "ingest", str(posts), "--source", "fb", "--quiet")
    listed = run(node, "campaigns", "list", "--json")
    [campaign] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert campaign["posts"] == 4 and campaign["level"] == "high"
    shown = run(node, "campaigns", "show", campaign["campaign"])
    assert shown.exit_code == 0
    assert f"campaign {campaign['campaign']}: 4 posts, level high" in shown.stdout
    assert "phone      +855886246700  1 posts" in shown.stdout
    table = run(node, "campaigns", "assignments", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert list(rows[0]) == ["source", "id", "campaign"]
    assert {(r["source"], r["id"], r["campaign"]) for r in rows} == {
        ("fb", f"p{n}", campaign["campaign"]) for n in range(4)
    }
    missing = run(node, "campaigns", "show", "cmp_nothing")
    assert missing.exit_code == 2 and "no campaign 'cmp_nothing'" in missing.stderr


def test_alerts_are_triaged_and_invalid_moves_exit_2(node: dict[str, str], posts: Path) -> None:
    run(node, "ingest", str(posts), "--quiet")
    listed = run(node, "alerts", "list", "--json")
    [alert] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (alert["kind"], alert["status"]) == ("high_risk_campaign", "new")
    early = run(node, "alerts", "dismiss", str(alert["id"]), "--reason", "looks fine")
    assert early.exit_code == 2
    assert f"alert {alert['id']} is new: acknowledge it before you dismiss it" in early.stderr
    assert (
        run(node, "alerts", "ack", str(alert["id"])).stdout
        == f"alert {alert['id']} is acknowledged\n"
    )
    no_reason = run(node, "alerts", "escalate", str(alert["id"]))
    assert no_reason.exit_code == 2 and "give a reason to escalate" in no_reason.stderr
    done = run(node, "alerts", "escalate", str(alert["id"]), "--reason", "to the TIP task force")
    assert done.exit_code == 0
    history = run(node, "alerts", "show", str(alert["id"])).stdout.splitlines()
    assert [line.split()[1] for line in history] == ["new", "acknowledged", "escalated"]
    assert history[2].endswith("“to the TIP task force”")
    assert actions(node)[-2:] == ["alert.acknowledge", "alert.escalate"]


def test_a_user_without_the_role_cannot_triage(node: dict[str, str], posts: Path) -> None:
    run(node, "ingest", str(posts), "--quiet")
    added = run(node, "user", "add", "ivan", "--role", "investigator", "--no-password")
    assert added.exit_code == 0
    as_ivan = {**node, "SUAR_ACTOR": "ivan"}
    assert run(as_ivan, "alerts", "list").exit_code == 0
    refused = run(as_ivan, "alerts", "ack", "1")
    assert refused.exit_code == 2 and "user:ivan may not alert.triage" in refused.stderr
    assert actions(node)[-1] == "access.denied"


def test_watchlist_add_import_and_list(node: dict[str, str], posts: Path, tmp_path: Path) -> None:
    run(node, "ingest", str(posts), "--quiet")
    added = run(node, "watchlist", "add", "telegram", "@H1", "--note", "reported")
    assert added.exit_code == 0
    assert added.stdout.startswith("added: telegram h1 (entry 1)")
    assert "seen before: alerts" in added.stdout
    path = tmp_path / "watch.csv"
    path.write_text("kind,value\nphone,+66 81 234 5678\nnope,x\n", encoding="utf-8")
    imported = run(node, "watchlist", "import", str(path))
    assert imported.exit_code == 0
    assert "1 added, 0 already watched, 1 refused" in imported.stdout
    assert f"{path}:3: cannot watch 'nope' values" in imported.stderr
    listed = [
        json.loads(line) for line in run(node, "watchlist", "list", "--json").stdout.splitlines()
    ]
    assert [(e["kind"], e["value"]) for e in listed] == [
        ("phone", "+66812345678"),
        ("telegram", "h1"),
    ]
