"""What a running web app holds: settings, the database, keys, limiter and templates.

:func:`suar.web.create_app` builds one :class:`WebState` and keeps it on the
app; routes reach it through the :data:`StateDep` dependency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from suar.settings import Settings
from suar.store import Database
from suar.web.ratelimit import LoginLimiter
from suar.web.session import SessionCodec
from suar.web.templating import Templates


@dataclass(frozen=True, slots=True)
class WebState:
    """Everything a request handler needs from the app, built once by ``create_app``."""

    settings: Settings
    db: Database
    sessions: SessionCodec
    limiter: LoginLimiter
    templates: Templates
    languages: tuple[str, ...]
    clock: Callable[[], datetime]

    def now(self) -> datetime:
        """The current time (UTC, timezone-aware), from the app's clock."""
        return self.clock()


def state_of(request: Request) -> WebState:
    """The state of the app serving ``request``."""
    state = getattr(request.app.state, "suar", None)
    if not isinstance(state, WebState):
        raise RuntimeError("the app was not built by suar.web.create_app")
    return state


async def web_state(request: Request) -> WebState:
    """The app's state as a dependency (:func:`state_of`).

    A coroutine, so that FastAPI answers it on the event loop instead of
    sending every request through the thread pool once more.
    """
    return state_of(request)


#: The app's state, as a dependency.
StateDep = Annotated[WebState, Depends(web_state)]
