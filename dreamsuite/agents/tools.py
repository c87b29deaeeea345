"""Agent tools: small JSON-able dicts with real numbers from this workspace only.

The period and limit types are enums/bounded ints so a model sees the valid values in the
schema and pydantic rejects anything else with a retry message before our code runs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field
from pydantic_ai import ModelRetry, RunContext

from dreamsuite.agents.deps import AgentDeps
from dreamsuite.analytics import engagement as eng
from dreamsuite.analytics import growth as g
from dreamsuite.db import session
from dreamsuite.services import series as sr

Period = Literal["this_month", "last_month", "last_7_days", "last_30_days", "last_90_days", "last_365_days", "all"]
PERIOD_NAMES: tuple[str, ...] = Period.__args__  # type: ignore[attr-defined]
NO_DATA = "No numbers collected yet: connect a platform and run a sync."


def _today(deps: AgentDeps, s) -> date:
    return deps.today or sr.workspace_today(s, deps.scope)


def _day(p: g.Point | None) -> dict | None:
    return {"date": p[0].isoformat(), "change": p[1]} if p else None


def follower_growth(ctx: RunContext[AgentDeps], period: Period) -> dict:
    """Follower growth across all connected platforms over a period.

    Args:
        period: this_month, last_month, last_7_days, last_30_days, last_90_days, last_365_days or all.
    """
    if period not in PERIOD_NAMES:  # direct calls bypass the schema
        raise ModelRetry(f"Unknown period {period!r}; use one of: {', '.join(PERIOD_NAMES)}.")
    with session() as s:
        today = _today(ctx.deps, s)
        start, end = g.period_range(period, today)  # type: ignore[misc]
        # A month of slack before the window to find each platform's baseline.
        rows = sr.metric_rows(s, ctx.deps.scope, since=start - timedelta(days=31) if start else None)
    series = sr.by_platform(rows)
    per = {p: g.growth_between(pts, start, end) for p, pts in series.items()}
    total = g.combine_growth(per.values())
    out: dict = {"period": period, "from": start.isoformat() if start else None, "to": end.isoformat()}
    if total is None:
        latest = max((r.date for r in rows), default=None)
        return out | {"has_data": False, "latest_date": latest.isoformat() if latest else None,
                      "message": NO_DATA if not rows else "No data in this period."}
    changes = g.sum_by_date(
        [c for c in g.daily_changes(pts) if (start is None or c[0] >= start) and c[0] <= end]
        for pts in series.values()
    )
    span = (total.end_date - total.start_date).days
    return out | {
        "has_data": True,
        **total.as_dict(),
        "avg_daily_change": round(total.change / span, 1) if span else None,
        "best_day": _day(max(changes, key=lambda c: c[1], default=None)),
        "worst_day": _day(min(changes, key=lambda c: c[1], default=None)),
        "platforms": sorted(
            ({"platform": p, "start_followers": gr.start_followers, "end_followers": gr.end_followers,
              "change": gr.change, "pct": gr.pct} for p, gr in per.items() if gr),
            key=lambda d: -d["change"]),
    }


def top_posts(ctx: RunContext[AgentDeps], limit: Annotated[int, Field(ge=1, le=20)] = 5) -> dict:
    """The posts with the most interactions (likes + comments + shares + saves) in the last 90 days.

    Args:
        limit: how many posts, 1 to 20.
    """
    if not isinstance(limit, int) or not 1 <= limit <= 20:
        raise ModelRetry("limit must be a whole number from 1 to 20.")
    with session() as s:
        since = _today(ctx.deps, s) - timedelta(days=89)
        posts = sr.post_dicts(s, ctx.deps.scope, since=since)
        rows = sr.metric_rows(s, ctx.deps.scope, since=since)
    followers = sum(pts[-1][1] for pts in sr.by_platform(rows).values()) or None
    top = eng.top_posts(posts, limit=limit, followers=followers)
    return {
        "since": since.isoformat(),
        "posts_considered": len(posts),
        "posts": [{"caption": (p["caption"] or "")[:80], "platform": p["platform"], "type": p["type"],
                   "posted_at": p["posted_at"][:10], "url": p["url"], "engagement": p["engagement"],
                   "engagement_rate": p.get("engagement_rate"),
                   **{k: p[k] for k in ("likes", "comments", "shares", "saves", "views")}} for p in top],
    }


def engagement_summary(ctx: RunContext[AgentDeps]) -> dict:
    """Engagement of the last 7 days (vs the 7 before) and per-post averages over 30 days."""
    with session() as s:
        latest = sr.latest_metric_date(s, ctx.deps.scope)
        if latest is None:
            return {"has_data": False, "message": NO_DATA}
        rows = sr.metric_rows(s, ctx.deps.scope, since=latest - timedelta(days=13))
        posts = sr.post_dicts(s, ctx.deps.scope, since=latest - timedelta(days=29))
    week = sum(r.engagement_total for r in rows if r.date > latest - timedelta(days=7))
    prev = sum(r.engagement_total for r in rows if r.date <= latest - timedelta(days=7))
    followers = sum(pts[-1][1] for pts in sr.by_platform(rows).values())
    return {
        "has_data": True,
        "as_of": latest.isoformat(),
        "followers": followers,
        "engagement_7d": week,
        "engagement_prev_7d": prev,
        "rate_7d": eng.engagement_rate(week, followers),
        "rate_prev_7d": eng.engagement_rate(prev, followers),
        "posts_30d": len(posts),
        "per_post": eng.per_post_averages(posts),
    }


TOOLS = [follower_growth, top_posts, engagement_summary]
