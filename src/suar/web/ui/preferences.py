"""The language switcher (for everyone) and the preferences page (language and time zone)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Form
from fastapi.responses import Response

from suar.web.guards import SignedIn, Visitor
from suar.web.i18n import N_
from suar.web.localtime import BROWSER_COOKIE, zone, zone_names
from suar.web.ui.context import UiContext

router = APIRouter()

_SAVED = N_("Your preferences are saved.")
_UNKNOWN_ZONE = N_("“%(zone)s” is not a time zone this node knows.")


@router.post("/language", summary="Switch the UI language")
def switch_language(
    ctx: Visitor,
    lang: Annotated[str, Form(max_length=16)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Remember the language (if the node offers it) and go back to the page."""
    ctx.set_language(lang)
    return ctx.redirect(next_path)


@router.get("/preferences", summary="Preferences")
def preferences(ctx: SignedIn) -> Response:
    """The user's language and time zone."""
    return _page(ctx, message=None, error=None)


@router.post("/preferences", summary="Save preferences")
def save_preferences(
    ctx: SignedIn,
    lang: Annotated[str, Form(max_length=16)] = "",
    tz: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Save the language and the time zone (empty: the browser's)."""
    ctx.set_language(lang)
    if tz and zone(tz) is None:
        return _page(ctx, message=None, error=ctx.gettext(_UNKNOWN_ZONE, zone=tz), status=400)
    ctx.set_zone(tz or None)
    return _page(ctx, message=ctx.gettext(_SAVED), error=None)


def _page(ctx: UiContext, *, message: str | None, error: str | None, status: int = 200) -> Response:
    browser = ctx.request.cookies.get(BROWSER_COOKIE)
    detected = zone(None if browser is None else unquote(browser))
    return ctx.render(
        "preferences.html",
        status=status,
        active="preferences",
        zones=zone_names(),
        browser_zone=None if detected is None else detected.key,
        message=message,
        error=error,
    )
