"""One error shape for the API, and the handlers that map every error to it.

Every error under ``/api/v1`` answers with this JSON body, whatever raised it
(a :class:`SuarError`, a refused authorisation, a validation failure, an
unknown route or a bug)::

    {"error": {"code": "access_denied", "message": "user:bob may not user.list", "details": {}}}

``code`` is stable and machine-readable (a :class:`SuarError`'s ``code``, or
one of the HTTP codes below); ``message`` is for people; ``details`` is an
object, empty unless the code documents its fields. The UI shows the same
errors as HTML pages instead, and sends signed-out visitors to the login form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from suar.access import AccessDenied, DuplicateUser, UnknownToken, UnknownUser
from suar.errors import ConfigError, DataError, InputError, SuarError
from suar.store import Conflict, SchemaOutOfDate, StoreError

logger = logging.getLogger(__name__)

API_PREFIX: Final = "/api/"


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a message for people, and structured details."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    details: dict[str, Any]


class ErrorResponse(BaseModel):
    """The body of every API error response."""

    model_config = ConfigDict(frozen=True)

    error: ErrorDetail


class Unauthenticated(SuarError):
    """No valid credentials: API callers get 401, UI visitors the login form."""

    code = "unauthenticated"


class CsrfFailed(SuarError):
    """A form came without this session's CSRF token (or an expired one)."""

    code = "csrf_failed"


class RateLimited(SuarError):
    """Too many attempts; ``retry_after`` seconds must pass first."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class NotFound(SuarError):
    """The resource does not exist, or the caller may not know it does."""

    code = "not_found"


#: HTTP status of each error class; the nearest class in the error's MRO wins.
STATUS_BY_ERROR: Final[Sequence[tuple[type[SuarError], int]]] = (
    (Unauthenticated, 401),
    (AccessDenied, 403),
    (CsrfFailed, 403),
    (NotFound, 404),
    (UnknownUser, 404),
    (UnknownToken, 404),
    (DuplicateUser, 409),
    (Conflict, 409),
    (RateLimited, 429),
    (SchemaOutOfDate, 503),
    (StoreError, 503),
    (InputError, 400),
    (ConfigError, 500),
    (DataError, 500),
    (SuarError, 500),
)

#: Codes for HTTP errors raised by the framework itself.
HTTP_CODES: Final[Mapping[int, str]] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}

#: What the caller is told when the fault is the node's, not the request's.
_INTERNAL_MESSAGES: Final[Mapping[int, str]] = {
    500: "internal error: the node's log has the details",
    503: "the node's database is unavailable: try again later",
}

#: Renders an error page for the UI: (request, status, code, message) -> response.
PageRenderer = Callable[[Request, int, str, str], Response]
#: Records a refused action in the audit trail.
DenialRecorder = Callable[[AccessDenied], None]


def status_for(error: SuarError) -> int:
    """The HTTP status an error answers with."""
    for kind in type(error).__mro__:
        for cls, status in STATUS_BY_ERROR:
            if kind is cls:
                return status
    return 500


def error_body(code: str, message: str, details: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The pinned error body."""
    return {"error": {"code": code, "message": message, "details": dict(details or {})}}


def is_api(request: Request) -> bool:
    """True for requests to the JSON API (errors there are JSON, never pages)."""
    return request.url.path.startswith(API_PREFIX)


def api_error(
    status: int,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response in the pinned shape."""
    return JSONResponse(
        error_body(code, message, details), status_code=status, headers=dict(headers or {})
    )


def _headers_for(status: int, error: SuarError | None = None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="suar"'
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    return headers


def install_error_handlers(
    app: FastAPI, *, render_page: PageRenderer, record_denial: DenialRecorder
) -> None:
    """Map every error to the pinned JSON shape under /api, and to pages elsewhere."""

    async def suar_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SuarError)
        status = status_for(exc)
        if isinstance(exc, AccessDenied):
            await run_in_threadpool(record_denial, exc)
        message = exc.message
        if status >= 500:
            logger.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
            message = _INTERNAL_MESSAGES.get(status, _INTERNAL_MESSAGES[500])
        details: dict[str, Any] = {}
        if isinstance(exc, RateLimited):
            details["retry_after"] = exc.retry_after
        if is_api(request):
            return api_error(status, exc.code, message, details, _headers_for(status, exc))
        response = render_page(request, status, exc.code, message)
        response.headers.update(_headers_for(status, exc) if status != 401 else {})
        return response

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        headers = dict(exc.headers or {}) | _headers_for(exc.status_code)
        if is_api(request):
            return api_error(exc.status_code, code, message, None, headers)
        return render_page(request, exc.status_code, code, message)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        # Never echo the input back: it may hold a password.
        errors = [
            {"loc": [str(part) for part in error.get("loc", ())], "msg": error.get("msg", "")}
            for error in exc.errors()
        ]
        if is_api(request):
            return api_error(
                422, "validation_error", "the request is not valid", {"errors": errors}
            )
        return render_page(request, 400, "validation_error", "the form is not valid")

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        if is_api(request):
            return api_error(500, "internal_error", _INTERNAL_MESSAGES[500])
        return render_page(request, 500, "internal_error", _INTERNAL_MESSAGES[500])

    app.add_exception_handler(SuarError, suar_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
