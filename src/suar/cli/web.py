"""``suar serve`` and ``suar demo``: run the node's web app (API, UI) with uvicorn.

Thin: read the settings, check the database schema (or build the demo node
with :func:`suar.demo.build_demo`), build the app with
:func:`suar.web.create_app` and hand it to uvicorn.
"""

from __future__ import annotations

import ipaddress
import logging
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from suar import store
from suar.cli.context import fail as _fail
from suar.errors import SuarError
from suar.settings import load_settings

logger = logging.getLogger(__name__)

#: Exit status when the node cannot start.


def register(app: typer.Typer) -> None:
    """Add ``suar serve`` and ``suar demo`` to ``app``."""
    app.command("serve")(serve)
    app.command("demo")(demo)


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
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            metavar="N",
            help="Server processes. Login rate limits are counted per process.",
        ),
    ] = 1,
) -> None:
    """Serve the node: the web UI at /, the JSON API at /api/v1, OpenAPI at /openapi.json.

    The database must be at this version's schema (`suar db upgrade`). Listen
    on a non-loopback address only over HTTPS, here (--ssl-certfile) or behind
    a reverse proxy on the same host. With --workers above 1, each process
    builds its own app from the environment; sessions and API tokens work in
    any of them, login failures are counted per process.
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
        app = create_app(settings, database=db, freeze_heap=True)
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
    if workers > 1:
        # The app built above checked the settings and created the web secret
        # before the workers race for it; each worker builds its own.
        db.dispose()
    try:
        uvicorn.run(
            app if workers == 1 else "suar.web.app:app_from_environment",
            factory=workers > 1,
            workers=workers,
            host=host,
            port=port,
            ssl_certfile=None if ssl_certfile is None else str(ssl_certfile),
            ssl_keyfile=None if ssl_keyfile is None else str(ssl_keyfile),
            server_header=False,
            log_level=settings.log_level.lower(),
        )
    finally:
        db.dispose()


def demo(
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, metavar="PORT", help="Port to listen on.")
    ] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="Where to build the demo database (default: a new temporary directory). "
            "A directory holding another node's database is refused.",
        ),
    ] = None,
) -> None:
    """Start a demo node: a fresh database filled with invented posts, campaigns and alerts.

    Builds an embedded database (never the one SUAR_DATABASE_URL names),
    ingests the bundled demo data set with the real pipeline, leaves alerts in
    every state, adds the user "demo" (analyst and auditor) and prints its
    random password once; then serves it like `suar serve`.
    """
    import uvicorn

    from suar.demo import build_demo
    from suar.settings import Settings
    from suar.web import create_app

    base = data_dir if data_dir is not None else Path(tempfile.mkdtemp(prefix="suar-demo-"))
    folder = base.expanduser().resolve()
    settings = load_settings()
    # The demo always runs on its own embedded database and keys, whatever the environment says.
    settings = Settings(
        **(
            settings.model_dump()
            | {
                "data_dir": folder / "data",
                "key_dir": folder / "keys",
                "database_url": None,
                "actor": None,
            }
        )
    )
    typer.echo(f"suar: building a demo node in {folder} ...", err=True)
    try:
        node = build_demo(settings.data_dir)
    except SuarError as exc:
        raise _fail(str(exc)) from None
    try:
        app = create_app(settings, database=node.db, freeze_heap=True)
        app.state.demo = True
    except SuarError as exc:
        node.db.dispose()
        raise _fail(str(exc)) from None
    if not _is_loopback(host):
        logger.warning("serving the demo over plain HTTP on %s", host)
    alerts = ", ".join(f"{n} {status}" for status, n in sorted(node.alerts.items()))
    typer.echo(
        f"suar: demo node with {node.stats.stored} invented posts, "
        f"{node.stats.campaigns_created} campaigns, alerts: {alerts}",
        err=True,
    )
    typer.echo(f"Open http://{host}:{port}/ and sign in as {node.username!r} with the password")
    typer.echo(f"    {node.password}")
    typer.echo("(shown only now; run `suar demo` again for a new demo node)")
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            server_header=False,
            log_level=settings.log_level.lower(),
        )
    finally:
        node.db.dispose()
