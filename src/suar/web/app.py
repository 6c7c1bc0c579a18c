"""The app factory: ``create_app(settings)`` builds the node's web app; nothing is built at import.

The app serves the JSON API under /api/v1 (bearer tokens), the OpenAPI
document at /openapi.json, the UI at / (session cookies, CSRF-protected
forms), its assets under /static (no CDN), and /healthz.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from suar import __version__
from suar.access import AccessDenied
from suar.audit import record
from suar.errors import ConfigError, SuarError
from suar.settings import Settings, load_settings
from suar.store import Database, open_database
from suar.web import health
from suar.web.api import api_router
from suar.web.errors import install_error_handlers
from suar.web.headers import SecurityHeaders
from suar.web.i18n import available_languages
from suar.web.ratelimit import LoginLimiter
from suar.web.secret import load_or_create_secret
from suar.web.session import SessionCodec
from suar.web.state import WebState
from suar.web.templating import Templates
from suar.web.ui.pages import render_error_page
from suar.web.ui.router import ui_router

logger = logging.getLogger(__name__)

_DESCRIPTION = """\
The JSON API of a Suar node. Every route under `/api/v1` needs an API token
(`suar token create USERNAME`) sent as `Authorization: Bearer suar_...`; what
each token may do follows the node's access policy (the roles of its user).
Every error has the body `{"error": {"code", "message", "details"}}`.
Lists are paged with `limit` and the opaque `cursor` of the previous page's
`next_cursor`.
"""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _freeze_heap() -> None:
    """Leave the objects of start-up out of the collector's full passes.

    A serving process holds some 150,000 objects built at start-up (routes,
    models, templates, mappings) that live as long as it does. Python's full
    collection walks all of them every few hundred requests, stalling the
    process for about 85 ms each time: that was most of the API's p99. Frozen,
    they are never walked again; objects made later are collected as usual.
    """
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    clock: Callable[[], datetime] | None = None,
    freeze_heap: bool = False,
) -> FastAPI:
    """Build the web app of the node described by ``settings``.

    Opens the database (or uses ``database``, which the caller then owns) and
    loads or creates the web secret. ``clock`` replaces the current time, for
    tests. ``freeze_heap``: once started, move every object alive to the
    garbage collector's permanent generation (:func:`gc.freeze`), for a
    process that only serves this app (see :func:`_freeze_heap`). Raises
    :class:`ConfigError` for settings it cannot serve with.
    """
    languages = available_languages()
    if settings.default_language not in languages:
        raise ConfigError(
            f"SUAR_DEFAULT_LANGUAGE={settings.default_language!r}: the UI is translated into "
            + ", ".join(languages)
        )
    secret = load_or_create_secret(settings.secret_key_path())
    db = database if database is not None else open_database(settings)
    state = WebState(
        settings=settings,
        db=db,
        sessions=SessionCodec(
            secret,
            lifetime=settings.session_lifetime,
            idle_timeout=settings.session_idle_timeout,
        ),
        limiter=LoginLimiter(
            per_user_ip=settings.login_rate_limit,
            per_ip=settings.login_rate_limit_ip,
            window=settings.login_rate_window,
        ),
        templates=Templates(),
        languages=languages,
        clock=clock or _utc_now,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if freeze_heap:
            _freeze_heap()
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="Suar node API",
        version=__version__,
        description=_DESCRIPTION,
        openapi_url="/openapi.json",
        # The interactive docs pages load their scripts from a CDN: the node serves none.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.suar = state
    install_error_handlers(
        app, render_page=render_error_page, record_denial=_denial_recorder(state)
    )
    _add_routes(app)
    app.add_middleware(SecurityHeaders)
    return app


def _add_routes(app: FastAPI) -> None:
    app.include_router(api_router())
    app.include_router(health.router)
    app.include_router(ui_router())
    app.mount("/static", StaticFiles(packages=[("suar.web", "static")]), name="static")


def app_from_environment() -> FastAPI:
    """The app of the node the environment describes: the factory each ``suar serve`` worker calls."""
    return create_app(load_settings(), freeze_heap=True)


def route_skeleton() -> FastAPI:
    """An app with the node's routes and nothing else (no database, no secret): for listings."""
    app = FastAPI(docs_url=None, redoc_url=None)
    _add_routes(app)
    return app


def _denial_recorder(state: WebState) -> Callable[[AccessDenied], None]:
    def record_denial(denied: AccessDenied) -> None:
        # The refused request changed nothing; the refusal itself is worth keeping.
        resource = denied.resource
        try:
            with state.db.write() as session:
                record(
                    session,
                    actor=denied.actor.principal,
                    action="access.denied",
                    target=None if resource is None else f"{resource.kind}:{resource.id}",
                    details={"action": denied.action.value, "via": "web"},
                    now=state.now(),
                )
        except SuarError as exc:
            logger.warning("could not record a refused request in the audit trail: %s", exc)

    return record_denial
