"""``suar serve``: run the node's web app (API, UI) with uvicorn.

Thin: read the settings, check the database schema, build the app with
:func:`suar.web.create_app` and hand it to uvicorn.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from typing import Annotated

import typer

from suar import store
from suar.errors import SuarError
from suar.settings import load_settings

logger = logging.getLogger(__name__)

#: Exit status when the node cannot start.
EXIT_ERROR = 2


def register(app: typer.Typer) -> None:
    """Add ``suar serve`` to ``app``."""
    app.command("serve")(serve)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, metavar="PORT", help="Port to listen on.")
    ] = 8000,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(
            "--ssl-certfile", metavar="FILE", help="Serve HTTPS with this PEM certificate."
        ),
    ] = None,
    ssl_keyfile: Annotated[
        Path | None,
        typer.Option("--ssl-keyfile", metavar="FILE", help="The certificate's PEM private key."),
    ] = None,
) -> None:
    """Serve the node: the web UI at /, the JSON API at /api/v1, OpenAPI at /openapi.json.

    The database must be at this version's schema (`suar db upgrade`). Listen
    on a non-loopback address only over HTTPS, here (--ssl-certfile) or behind
    a reverse proxy on the same host.
    """
    import uvicorn

    from suar.web import create_app

    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise _fail("give both --ssl-certfile and --ssl-keyfile, or neither")
    settings = load_settings()
    db: store.Database | None = None
    try:
        db = store.open_database(settings)
        store.require_current_schema(db)
        app = create_app(settings, database=db)
    except SuarError as exc:
        if db is not None:
            db.dispose()
        raise _fail(str(exc)) from None
    if not _is_loopback(host) and ssl_certfile is None:
        logger.warning(
            "serving plain HTTP on %s: put an HTTPS reverse proxy in front of the node", host
        )
    scheme = "https" if ssl_certfile else "http"
    typer.echo(f"suar: serving {db.description} on {scheme}://{host}:{port}/", err=True)
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            ssl_certfile=None if ssl_certfile is None else str(ssl_certfile),
            ssl_keyfile=None if ssl_keyfile is None else str(ssl_keyfile),
            server_header=False,
            log_level=settings.log_level.lower(),
        )
    finally:
        db.dispose()


def _fail(message: str) -> typer.Exit:
    typer.echo(f"suar: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)
