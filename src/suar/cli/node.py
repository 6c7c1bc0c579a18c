"""Node commands: ``suar db``, ``suar user``, ``suar token`` and ``suar audit``.

Thin: parse, open the database, ask the pillar inside one unit of work,
print. Every error Suar raises on purpose becomes one line on stderr and exit
status 2; a refused action is also recorded in the audit trail.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from suar import access, audit, store
from suar.cli.context import command_actor as _actor
from suar.cli.context import fail as _fail
from suar.cli.context import open_node as _node
from suar.errors import InputError

logger = logging.getLogger(__name__)

db_app = typer.Typer(help="The node database: schema migrations.", no_args_is_help=True)
user_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (shown once, stored as SHA-256).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)

#: Exit status when ``suar audit verify`` finds the trail altered.
EXIT_NOT_INTACT = 1


def register(app: typer.Typer) -> None:
    """Add the ``db``, ``user``, ``token`` and ``audit`` command groups to ``app``."""
    app.add_typer(db_app, name="db")
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")


# --- db ---------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to this version's schema, and the node key if missing."""
    with _node(require_schema=False) as node:
        before = store.schema_state(node.db)
        if before.current is not None:
            with node.db.read() as session:
                access.authorize(_actor(session, node.settings), access.Action.DB_UPGRADE)
        elif node.settings.actor:
            raise InputError("SUAR_ACTOR cannot be used before the database exists: unset it")
        after = store.upgrade(node.db)
        key, created = audit.load_or_create_node_key(node.settings.keys_path())
        with node.db.write() as session:
            actor = _actor(session, node.settings)
            if before.current != after.current:
                audit.record(
                    session,
                    actor=actor.principal,
                    action="db.upgrade",
                    target="db:schema",
                    details={"from": before.current, "to": after.current},
                )
            if created:
                audit.record(
                    session,
                    actor=actor.principal,
                    action="node.key.create",
                    target=f"key:{key.fingerprint}",
                    details={"alg": "Ed25519"},
                )
    was = before.current or "empty"
    typer.echo(f"database {node.db.description} at schema revision {after.current} (was {was})")
    typer.echo(
        f"node key {key.fingerprint} in {node.settings.keys_path()}{' (new)' if created else ''}"
    )


@db_app.command("status")
def db_status() -> None:
    """Show the database, its schema revision against this version's, and the node key."""
    with _node(require_schema=False) as node:
        state = store.schema_state(node.db)
        key_dir = node.settings.keys_path()
        keys = audit.trusted_public_keys(key_dir) if key_dir.exists() else {}
    typer.echo(f"database: {node.db.description} ({node.db.backend})")
    verdict = "up to date" if state.up_to_date else "run `suar db upgrade`"
    typer.echo(f"schema: {state.current or 'none'} (this version: {state.head}; {verdict})")
    typer.echo(f"key directory: {key_dir}")
    for fp in keys:
        typer.echo(f"key: {fp}")


# --- user -------------------------------------------------------------------------------


def _read_password(password_stdin: bool, no_password: bool) -> str | None:
    if no_password:
        if password_stdin:
            raise InputError("--password-stdin and --no-password exclude each other")
        return None
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InputError("no password on standard input")
        return line.rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@user_app.command("add")
def user_add(
    username: Annotated[
        str, typer.Argument(metavar="USERNAME", help="Login name: lower-case ASCII, 2-64 chars.")
    ],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            "-r",
            metavar="ROLE",
            help="A role to grant (repeatable): " + ", ".join(access.Role),
        ),
    ],
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help="Display name, any script.")
    ] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="A token-only account that cannot sign in.")
    ] = False,
) -> None:
    """Add a user with one or more roles; asks for the password unless told otherwise."""
    with _node() as node:
        roles = access.parse_roles(role)
        with node.db.read() as session:
            # Refuse before asking for a password that would be thrown away.
            username = access.check_new_user(session, _actor(session, node.settings), username)
        password = _read_password(password_stdin, no_password)
        with node.db.write() as session:
            user = access.add_user(
                session,
                _actor(session, node.settings),
                username,
                roles=roles,
                display_name=name,
                password=password,
            )
    typer.echo(f"added user {user.username} with roles {', '.join(user.roles)}")


@user_app.command("list")
def user_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List users, their roles and whether they are active."""
    with _node() as node, node.db.read() as session:
        users = access.list_users(session, _actor(session, node.settings))
    for user in users:
        status = "active" if user.active else "disabled"
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "username": user.username,
                        "name": user.display_name,
                        "roles": list(user.roles),
                        "status": status,
                        "password": user.has_password,
                        "created_at": user.created_at.isoformat(),
                        "disabled_at": user.disabled_at and user.disabled_at.isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            roles = ",".join(user.roles)
            typer.echo(f"{user.username:<24} {status:<9} {roles:<40} {user.display_name}".rstrip())


@user_app.command("disable")
def user_disable(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="The user to disable.")],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why, for the audit trail.")
    ] = "",
) -> None:
    """Disable a user: no more sign-in, and its API tokens stop working."""
    with _node() as node, node.db.write() as session:
        user = access.disable_user(session, _actor(session, node.settings), username, reason=reason)
    typer.echo(f"disabled user {user.username}")


# --- token ------------------------------------------------------------------------------


@token_app.command("create")
def token_create(
    username: Annotated[
        str, typer.Argument(metavar="USERNAME", help="The user the token acts as.")
    ],
    name: Annotated[
        str, typer.Option("--name", metavar="NAME", help="What the token is for.")
    ] = "",
    expires_days: Annotated[
        int | None,
        typer.Option("--expires-days", min=1, metavar="DAYS", help="Expire after this many days."),
    ] = None,
) -> None:
    """Create an API token. The token is printed once, alone on stdout: store it now."""
    expires = None if expires_days is None else timedelta(days=expires_days)
    with _node() as node, node.db.write() as session:
        token, secret = access.create_token(
            session, _actor(session, node.settings), username, name=name, expires_in=expires
        )
    typer.echo(secret)
    typer.echo(
        f"token {token.public_id} for {token.username}: shown only now, it cannot be recovered",
        err=True,
    )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[
        str | None,
        typer.Argument(metavar="TOKEN_ID", help="The token's id (see `suar token list`)."),
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the token itself from stdin (a leaked token).")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why, for the audit trail.")
    ] = "",
) -> None:
    """Revoke an API token by its id, or by the token itself read from stdin."""
    if (token_id is None) == (not stdin):
        raise _fail("give either a token id or --stdin")
    secret = sys.stdin.readline().strip() if stdin else None
    with _node() as node, node.db.write() as session:
        token = access.revoke_token(
            session,
            _actor(session, node.settings),
            public_id=token_id,
            secret=secret,
            reason=reason,
        )
    typer.echo(f"revoked token {token.public_id} of {token.username}")


@token_app.command("list")
def token_list(
    username: Annotated[
        str | None, typer.Argument(metavar="USERNAME", help="Only this user's tokens.")
    ] = None,
) -> None:
    """List API tokens: id, user, name, created, expiry and state (never secrets)."""
    with _node() as node, node.db.read() as session:
        tokens = access.list_tokens(session, _actor(session, node.settings), username)
    for token in tokens:
        state = "revoked" if token.revoked_at else "active"
        expires = token.expires_at.date().isoformat() if token.expires_at else "never"
        typer.echo(
            f"{token.public_id}  {token.username:<24} {state:<8} expires {expires:<10} "
            f"created {token.created_at.date().isoformat()}  {token.name}".rstrip()
        )


# --- audit ------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            "-c",
            metavar="FILE",
            help="A checkpoint file to check the trail against.",
        ),
    ] = None,
) -> None:
    """Verify the hash chain (and a checkpoint); exit 1 naming the first problem found."""
    with _node() as node:
        signed = None if checkpoint is None else audit.read_checkpoint(checkpoint)
        trusted = audit.trusted_public_keys(node.settings.keys_path()) if signed else {}
        with node.db.read() as session:
            access.authorize(_actor(session, node.settings), access.Action.AUDIT_VERIFY)
            result = audit.verify_trail(session, signed, trusted)
    if not result.ok:
        typer.echo(f"suar: {result.summary()}", err=True)
        raise typer.Exit(EXIT_NOT_INTACT)
    typer.echo(result.summary())


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="File to write ('-' for stdout)."),
    ] = None,
) -> None:
    """Sign a checkpoint of the trail's head with the node key and write it for the auditor.

    Default file: suar-audit-checkpoint-<entry>.json in the current directory;
    an existing file is never overwritten.
    """
    with _node() as node:
        key = audit.load_node_key(node.settings.keys_path())
        with node.db.write() as session:
            actor = _actor(session, node.settings)
            access.authorize(actor, access.Action.AUDIT_CHECKPOINT)
            signed = audit.issue_checkpoint(session, key, actor=actor.principal)
            target = output or Path(f"suar-audit-checkpoint-{signed.seq}.json")
            _write_new(target, signed.to_bytes())
    if str(target) != "-":
        typer.echo(f"wrote {signed.describe()} to {target}")


def _write_new(path: Path, data: bytes) -> None:
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as exc:
        raise InputError(f"cannot create {path}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@audit_app.command("export")
def audit_export(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="File to write (default: stdout)."),
    ] = None,
    after: Annotated[
        int, typer.Option("--after", min=0, metavar="SEQ", help="Only entries numbered above this.")
    ] = 0,
) -> None:
    """Write the trail as JSON Lines: each line an entry's canonical JSON, hashable as is."""
    with _node() as node:
        with node.db.read() as session:
            actor = _actor(session, node.settings)
            access.authorize(actor, access.Action.AUDIT_EXPORT)
            if output is None or str(output) == "-":
                summary = audit.export_jsonl(session, sys.stdout.buffer, after=after)
                sys.stdout.buffer.flush()
            else:
                summary = _export_to_file(session, output, after)
        with node.db.write() as session:
            audit.record(
                session,
                actor=actor.principal,
                action="audit.export",
                target="audit",
                details={"after": after, "entries": summary.entries, "last": summary.last_seq},
            )
    typer.echo(f"exported {summary.entries} entries", err=True)


def _export_to_file(session: Session, output: Path, after: int) -> audit.ExportSummary:
    try:
        with output.open("xb") as sink:
            return audit.export_jsonl(session, sink, after=after)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
