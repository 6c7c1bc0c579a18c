"""`suar db`, `suar user` and `suar token` as a user runs them."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from suar.cli import app
from suar.store import AuditLogRepository, Database, UserRepository
from suar.store.migrate import head_revision

PASSWORD = "correct horse battery staple"


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


def assert_one_line_error(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"suar: error: {message}"]
    assert "Traceback" not in result.output


@pytest.fixture
def node(node_env: dict[str, str]) -> dict[str, str]:
    result = run(node_env, "db", "upgrade")
    assert result.exit_code == 0, result.output
    return node_env


def snapshot(env: dict[str, str]) -> tuple[list[str], list[str]]:
    """Users and audit actions: what a half-written command would change."""
    db = Database.open(env["SUAR_DATABASE_URL"], Path(env["SUAR_DATA_DIR"]))
    try:
        with db.read() as session:
            users = [u.username for u in UserRepository(session).list()]
            actions = [r.action for r in AuditLogRepository(session).iterate()]
    finally:
        db.dispose()
    return users, actions


def add(env: dict[str, str], name: str, *roles: str) -> Result:
    flags = [part for role in roles for part in ("--role", role)]
    return run(env, "user", "add", name, *flags, "--password-stdin", input=PASSWORD + "\n")


def test_db_upgrade_creates_the_schema_and_the_node_key(node_env: dict[str, str]) -> None:
    result = run(node_env, "db", "upgrade")
    assert result.exit_code == 0
    head = head_revision()
    assert f"at schema revision {head} (was empty)" in result.stdout
    assert "(new)" in result.stdout
    key = Path(node_env["SUAR_KEY_DIR"]) / "node-ed25519.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert snapshot(node_env) == ([], ["db.upgrade", "node.key.create"])
    again = run(node_env, "db", "upgrade")
    assert f"at schema revision {head} (was {head})" in again.stdout
    assert "(new)" not in again.stdout
    assert snapshot(node_env) == ([], ["db.upgrade", "node.key.create"])


def test_db_upgrade_of_a_new_database_runs_as_the_operator_only(
    node_env: dict[str, str],
) -> None:
    result = run({**node_env, "SUAR_ACTOR": "alice"}, "db", "upgrade")
    assert_one_line_error(result, "SUAR_ACTOR cannot be used before the database exists: unset it")


def test_only_admins_upgrade_an_existing_database(node: dict[str, str]) -> None:
    add(node, "alice", "analyst")
    result = run({**node, "SUAR_ACTOR": "alice"}, "db", "upgrade")
    assert_one_line_error(result, "user:alice may not db.upgrade")


def test_db_status_shows_the_schema_and_the_key(node: dict[str, str]) -> None:
    result = run(node, "db", "status")
    assert result.exit_code == 0
    head = head_revision()
    assert f"schema: {head} (this version: {head}; up to date)" in result.stdout
    assert "key: sha256:" in result.stdout


def test_commands_on_a_database_never_upgraded_say_what_to_run(
    node_env: dict[str, str],
) -> None:
    result = run(node_env, "user", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("suar: error: the database ")
    assert result.stderr.rstrip().endswith("is not initialised: run `suar db upgrade`")


def test_user_add_list_and_disable(node: dict[str, str]) -> None:
    assert add(node, "alice", "analyst", "liaison").stdout == (
        "added user alice with roles analyst, liaison\n"
    )
    prompted = run(
        node, "user", "add", "bob", "-r", "auditor", "--name", "บุญมี ศรีสุข",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert prompted.exit_code == 0, prompted.output
    assert run(node, "user", "add", "bot", "-r", "analyst", "--no-password").exit_code == 0
    listed = run(node, "user", "list").stdout.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["alice", "active", "analyst,liaison"],
        ["bob", "active", "auditor"],
        ["bot", "active", "analyst"],
    ]
    assert listed[1].endswith("บุญมี ศรีสุข")
    assert run(node, "user", "disable", "alice", "--reason", "left").stdout == (
        "disabled user alice\n"
    )
    records = [json.loads(line) for line in run(node, "user", "list", "--json").stdout.splitlines()]
    assert [(r["username"], r["status"], r["password"]) for r in records] == [
        ("alice", "disabled", True),
        ("bob", "active", True),
        ("bot", "active", False),
    ]
    assert snapshot(node)[1][2:] == ["user.add", "user.add", "user.add", "user.disable"]


def test_an_unknown_role_is_one_line_and_writes_nothing(node: dict[str, str]) -> None:
    before = snapshot(node)
    assert_one_line_error(
        add(node, "alice", "boss"),
        "unknown role 'boss' (choose from analyst, investigator, protection_officer, "
        "liaison, auditor, admin)",
    )
    assert snapshot(node) == before


def test_a_duplicate_user_is_one_line_and_writes_nothing(node: dict[str, str]) -> None:
    add(node, "alice", "analyst")
    before = snapshot(node)
    assert_one_line_error(add(node, "Alice", "admin"), "user 'alice' already exists")
    assert snapshot(node) == before


def test_a_short_password_is_one_line_and_writes_nothing(node: dict[str, str]) -> None:
    before = snapshot(node)
    result = run(node, "user", "add", "alice", "-r", "analyst", "--password-stdin", input="short\n")
    assert_one_line_error(result, "the password must have at least 12 characters")
    assert snapshot(node) == before


def test_disabling_an_unknown_user_is_one_line(node: dict[str, str]) -> None:
    assert_one_line_error(run(node, "user", "disable", "ghost"), "no user 'ghost'")


def test_a_token_is_printed_once_alone_on_stdout(node: dict[str, str]) -> None:
    add(node, "alice", "analyst")
    result = run(node, "token", "create", "alice", "--name", "laptop", "--expires-days", "30")
    assert result.exit_code == 0
    (secret,) = result.stdout.splitlines()
    assert secret.startswith("suar_")
    assert "shown only now" in result.stderr
    listed = run(node, "token", "list").stdout
    assert secret not in listed
    (line,) = listed.splitlines()
    public_id = line.split()[0]
    assert line.split()[1:3] == ["alice", "active"] and line.endswith("laptop")
    assert run(node, "token", "revoke", public_id).stdout == f"revoked token {public_id} of alice\n"
    assert run(node, "token", "list", "alice").stdout.split()[2] == "revoked"


def test_a_leaked_token_is_revoked_from_stdin(node: dict[str, str]) -> None:
    add(node, "alice", "analyst")
    secret = run(node, "token", "create", "alice").stdout.strip()
    result = run(node, "token", "revoke", "--stdin", "--reason", "pasted in chat", input=secret)
    assert result.exit_code == 0 and "revoked token" in result.stdout


def test_a_wrong_token_is_one_line_and_writes_nothing(node: dict[str, str]) -> None:
    add(node, "alice", "analyst")
    run(node, "token", "create", "alice")
    before = snapshot(node)
    assert_one_line_error(
        run(node, "token", "revoke", "0123456789ab"), "no such token '0123456789ab'"
    )
    assert_one_line_error(
        run(node, "token", "revoke", "--stdin", input="suar_wrong\n"), "no such token"
    )
    assert_one_line_error(run(node, "token", "revoke"), "give either a token id or --stdin")
    assert_one_line_error(run(node, "token", "create", "ghost"), "no user 'ghost'")
    assert snapshot(node) == before


def test_acting_as_a_user_applies_its_roles_and_records_a_refusal(node: dict[str, str]) -> None:
    add(node, "alice", "analyst")
    as_alice = {**node, "SUAR_ACTOR": "alice"}
    before = snapshot(node)
    assert_one_line_error(add(as_alice, "mallory", "admin"), "user:alice may not user.add")
    users, actions = snapshot(node)
    assert users == before[0]
    assert actions == [*before[1], "access.denied"]
    # Users manage their own tokens.
    assert run(as_alice, "token", "create", "alice").exit_code == 0


def test_acting_as_an_unknown_user_is_refused(node: dict[str, str]) -> None:
    result = run({**node, "SUAR_ACTOR": "ghost"}, "user", "list")
    assert_one_line_error(result, "SUAR_ACTOR: no active user 'ghost'")


def test_the_installed_command_reports_bad_input_without_a_traceback(
    node: dict[str, str],
) -> None:
    suar = Path(sys.executable).with_name("suar")
    if not suar.exists():
        pytest.skip(f"the suar console script is not installed next to {sys.executable}")
    completed = subprocess.run(
        [str(suar), "user", "add", "bob", "--role", "boss", "--no-password"],
        env={**node, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        "suar: error: unknown role 'boss' (choose from analyst, investigator, "
        "protection_officer, liaison, auditor, admin)"
    ]
    assert completed.stdout == ""
