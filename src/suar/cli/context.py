"""What every node command shares: opening the node, who acts, one-line failures."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final, NamedTuple

import typer
from sqlalchemy.orm import Session

from suar import access, audit, store
from suar.errors import InputError, SuarError
from suar.settings import Settings, load_settings

logger = logging.getLogger(__name__)

#: Exit status for a refused, invalid or failed command.
EXIT_ERROR: Final = 2


class Node(NamedTuple):
    """The settings and the open database of one command."""

    settings: Settings
    db: store.Database


def fail(message: str) -> typer.Exit:
    """Print ``suar: error: message`` on stderr and return the exit to raise."""
    typer.echo(f"suar: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


@contextmanager
def open_node(*, require_schema: bool = True) -> Iterator[Node]:
    """Open the node's database for one command; errors become one line and exit 2.

    A refused action is rolled back with the command, then recorded as
    ``access.denied`` in the audit trail.
    """
    db: store.Database | None = None
    try:
        settings = load_settings()
        db = store.open_database(settings)
        if require_schema:
            store.require_current_schema(db)
        yield Node(settings, db)
    except access.AccessDenied as exc:
        if db is not None:
            _record_denial(db, exc)
        raise fail(str(exc)) from None
    except SuarError as exc:
        raise fail(str(exc)) from None
    finally:
        if db is not None:
            db.dispose()


def _record_denial(db: store.Database, denied: access.AccessDenied) -> None:
    resource = denied.resource
    try:
        with db.write() as session:
            audit.record(
                session,
                actor=denied.actor.principal,
                action="access.denied",
                target=None if resource is None else f"{resource.kind}:{resource.id}",
                details={"action": denied.action.value},
            )
    except SuarError as exc:
        logger.warning("could not record the refused action in the audit trail: %s", exc)


def login_name() -> str:
    """The operating-system login of whoever runs the command."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def command_actor(session: Session, settings: Settings) -> access.Actor:
    """The user named by SUAR_ACTOR, or the local operator."""
    if settings.actor is None or not settings.actor.strip():
        return access.Actor.operator(login_name())
    try:
        return access.actor_for(session, settings.actor)
    except InputError as exc:
        raise InputError(f"SUAR_ACTOR: {exc}") from exc
