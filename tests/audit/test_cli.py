"""`suar audit verify|checkpoint|export` as an auditor runs them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from suar.cli import app
from suar.store import Database

from .tampering import Attacker

PASSWORD = "correct horse battery staple"


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def node(node_env: dict[str, str]) -> dict[str, str]:
    assert run(node_env, "db", "upgrade").exit_code == 0
    for name, role in (("alice", "auditor"), ("bob", "analyst")):
        result = run(node_env, "user", "add", name, "-r", role, "--password-stdin", input=PASSWORD)
        assert result.exit_code == 0, result.output
    return node_env


@pytest.fixture
def auditor(node: dict[str, str]) -> dict[str, str]:
    return {**node, "SUAR_ACTOR": "alice"}


def _attacker(env: dict[str, str]) -> Attacker:
    return Attacker(Database.open(env["SUAR_DATABASE_URL"], Path(env["SUAR_DATA_DIR"])))


def test_verify_reports_an_intact_trail(auditor: dict[str, str]) -> None:
    result = run(auditor, "audit", "verify")
    assert result.exit_code == 0
    assert result.stdout.startswith("audit trail intact: 4 entries, head entry 4 sha256:")


def test_checkpoint_then_verify_against_it(auditor: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "cp.json"
    result = run(auditor, "audit", "checkpoint", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote checkpoint of entry 4 signed ")
    document = json.loads(target.read_text())
    assert (document["seq"], document["purpose"]) == (4, "suar/audit-checkpoint/v1")
    verified = run(auditor, "audit", "verify", "--checkpoint", str(target))
    assert verified.exit_code == 0
    assert "matches the checkpoint of entry 4" in verified.stdout


def test_checkpoint_writes_a_default_file_and_never_overwrites(
    auditor: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(auditor, "audit", "checkpoint").exit_code == 0
    assert (tmp_path / "suar-audit-checkpoint-4.json").exists()
    (tmp_path / "suar-audit-checkpoint-5.json").write_text("keep me")
    result = run(auditor, "audit", "checkpoint")
    assert result.exit_code == 2
    assert result.stderr.startswith("suar: error: cannot create suar-audit-checkpoint-5.json")
    assert (tmp_path / "suar-audit-checkpoint-5.json").read_text() == "keep me"
    # Nothing half-written: the refused checkpoint left no entry behind.
    assert "head entry 5 " in run(auditor, "audit", "verify").stdout


def test_checkpoint_to_stdout(auditor: dict[str, str]) -> None:
    result = run(auditor, "audit", "checkpoint", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "suar-audit-checkpoint"


def test_verify_exits_1_and_names_an_altered_entry(auditor: dict[str, str]) -> None:
    attacker = _attacker(auditor)
    try:
        body = attacker.entry(3)
        body["details"] = {"roles": ["admin"], "password": True}
        attacker.set_entry(3, body, fix_hash=False)
    finally:
        attacker.db.dispose()
    result = run(auditor, "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr == (
        "suar: audit trail NOT intact: entry 3 was altered: "
        "its content no longer matches its recorded hash\n"
    )


def test_verify_catches_a_truncated_tail_against_the_checkpoint(
    auditor: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "cp.json"
    run(auditor, "audit", "checkpoint", "-o", str(target))
    attacker = _attacker(auditor)
    try:
        attacker.delete_from(3)
    finally:
        attacker.db.dispose()
    result = run(auditor, "audit", "verify", "-c", str(target))
    assert result.exit_code == 1
    assert "the trail was truncated: it ends at entry 2 but the checkpoint of entry 4" in (
        result.stderr
    )


def test_verify_with_an_unreadable_checkpoint_is_one_line(
    auditor: dict[str, str], tmp_path: Path
) -> None:
    result = run(auditor, "audit", "verify", "-c", str(tmp_path / "missing.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("suar: error: cannot read checkpoint ")
    assert len(result.stderr.splitlines()) == 1


def test_an_analyst_may_not_verify(node: dict[str, str]) -> None:
    result = run({**node, "SUAR_ACTOR": "bob"}, "audit", "verify")
    assert result.exit_code == 2
    assert result.stderr == "suar: error: user:bob may not audit.verify\n"


def test_export_writes_entries_an_auditor_can_check_offline(auditor: dict[str, str]) -> None:
    result = run(auditor, "audit", "export")
    assert result.exit_code == 0
    lines = result.stdout_bytes.splitlines()
    assert len(lines) == 4
    prev = "0" * 64
    for number, line in enumerate(lines, start=1):
        entry = json.loads(line)
        assert (entry["seq"], entry["prev"]) == (number, prev)
        prev = hashlib.sha256(line).hexdigest()
    assert result.stderr == "exported 4 entries\n"
    # The export itself is recorded.
    again = run(auditor, "audit", "export", "--after", "4").stdout_bytes.splitlines()
    assert [json.loads(line)["action"] for line in again] == ["audit.export"]


def test_export_to_a_file(auditor: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "trail.jsonl"
    assert run(auditor, "audit", "export", "-o", str(target)).exit_code == 0
    assert len(target.read_bytes().splitlines()) == 4
    refused = run(auditor, "audit", "export", "-o", str(target))
    assert refused.exit_code == 2 and "cannot write" in refused.stderr


def test_the_local_operator_may_not_export(node: dict[str, str]) -> None:
    result = run(node, "audit", "export")
    assert result.exit_code == 2
    assert result.stderr.startswith("suar: error: operator:")
    assert result.stderr.rstrip().endswith("may not audit.export")
