"""The dashboard: the first page after sign-in, with what the user's roles can see.

Early-warning cards: new alerts, active campaigns, and posts per day by
language (a server-rendered SVG chart) and by country over the last 30 days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from suar.access import Action, list_users
from suar.audit import head
from suar.store.campaigns import CampaignRepository
from suar.store.dashboard import alert_counts, alert_page, posts_per_day
from suar.web.guards import SignedIn
from suar.web.i18n import language_name
from suar.web.ui.charts import stacked_bars, top_series
from suar.web.ui.context import UiContext
from suar.web.ui.labels import ROLE_LABELS
from suar.web.ui.names import ALERT_KINDS, LEVELS

router = APIRouter()

#: Days the posts chart covers.
CHART_DAYS = 30


def _language(code: str) -> str:
    return "?" if code == "und" else language_name(code)


def _posts_chart(ctx: UiContext, session: Any) -> dict[str, Any]:
    today = ctx.state.now().date()
    first = today - timedelta(days=CHART_DAYS - 1)
    rows = posts_per_day(session, ctx.state.now() - timedelta(days=CHART_DAYS))
    by_lang: dict[tuple[date, str], int] = {}
    by_country: dict[str, int] = {}
    for row in rows:
        if row.day < first:
            continue
        by_lang[(row.day, row.lang)] = by_lang.get((row.day, row.lang), 0) + row.posts
        by_country[row.country] = by_country.get(row.country, 0) + row.posts
    series = top_series(by_lang, keep=7, other="other")
    labels = {k: _language(k) for k in series} | {"other": ctx.gettext("other")}
    days = [first + timedelta(days=i) for i in range(CHART_DAYS)]
    return {
        "chart": stacked_bars(
            days,
            series,
            title=ctx.gettext("Posts per day by language, last 30 days"),
            labels=labels,
        ),
        "countries": sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
        "posts_total": sum(by_country.values()),
    }


@router.get("/", summary="Dashboard")
def dashboard(ctx: SignedIn) -> Response:
    """The dashboard: roles, and a card for each area the user's roles open."""
    assert ctx.actor is not None and ctx.user is not None
    trail_head: tuple[int, str] | None = None
    users: int | None = None
    alerts: dict[str, Any] | None = None
    campaigns: dict[str, Any] | None = None
    posts: dict[str, Any] | None = None
    with ctx.state.db.read() as session:
        if ctx.can(Action.AUDIT_EXPORT) or ctx.can(Action.AUDIT_VERIFY):
            trail_head = head(session)
        if ctx.can(Action.USER_LIST):
            users = len([user for user in list_users(session, ctx.actor) if user.active])
        if ctx.can(Action.ALERT_READ):
            alerts = {
                "counts": alert_counts(session),
                "newest": alert_page(session, statuses=["new"], limit=5),
            }
        if ctx.can(Action.CAMPAIGN_READ):
            repo = CampaignRepository(session)
            campaigns = {
                "count": repo.count_live(min_posts=2),
                "newest": repo.list_live(min_posts=2, limit=5),
            }
        if ctx.can(Action.POST_READ):
            posts = _posts_chart(ctx, session)
    roles = [ctx.gettext(ROLE_LABELS.get(role, role)) for role in ctx.user.roles]
    return ctx.render(
        "dashboard.html",
        active="dashboard",
        roles=roles,
        trail_head=trail_head,
        users=users,
        alerts=alerts,
        campaigns=campaigns,
        posts=posts,
        kinds={k: ctx.gettext(v) for k, v in ALERT_KINDS.items()},
        levels={k: ctx.gettext(v) for k, v in LEVELS.items()},
    )
