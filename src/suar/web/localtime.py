"""Times as users see them: stored in UTC, shown in each user's time zone and language.

The zone comes from the user's choice on the preferences page, else from the
browser (a small script reports ``Intl.DateTimeFormat().resolvedOptions().timeZone``
in a cookie), else from ``SUAR_DEFAULT_TIMEZONE``. Only IANA names the
system's time-zone database knows are accepted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime

#: Cookie holding the zone the user chose; wins over the browser's.
CHOSEN_COOKIE = "suar_tz"
#: Cookie the page script sets to the browser's zone.
BROWSER_COOKIE = "suar_tz_auto"


@lru_cache(maxsize=1024)
def zone(name: str | None) -> ZoneInfo | None:
    """The time zone called ``name``, or None when it is not a known IANA name."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name the system knows, sorted, for the preferences form."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def pick_zone(chosen: str | None, browser: str | None, default: str) -> ZoneInfo:
    """The zone to show times in: the user's choice, else the browser's, else ``default``."""
    return zone(chosen) or zone(browser) or zone(default) or ZoneInfo("UTC")


def utc_iso(moment: datetime) -> str:
    """The moment as RFC 3339 UTC (``2025-01-31T09:30:00Z``), for ``<time datetime>``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_text(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """The moment in ``tz``, written the way ``lang`` writes dates, with the zone's short name."""
    return format_datetime(moment, "medium", tzinfo=tz, locale=lang) + format_datetime(
        moment, " zzz", tzinfo=tz, locale=lang
    )
