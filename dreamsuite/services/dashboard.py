"""The dashboard's numbers: totals, 7-day change, engagement, per-platform latest and the chart series.

Windows end on the latest collected day (not the wall clock) so a workspace that has not
synced for a while still shows its last known picture; `last_synced_at` tells how fresh it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from dreamsuite.analytics import growth as g
from dreamsuite.analytics.engagement import engagement_rate
from dreamsuite.db import session
from dreamsuite.models import DailyMetric, PlatformConnection
from dreamsuite.services import series as sr
from dreamsuite.services.scope import Scope, scoped


@dataclass
class DashboardData:
    has_data: bool = False
    total_followers: int = 0
    change_7d: int | None = None
    change_7d_pct: float | None = None
    engagement_7d: int = 0
    engagement_rate: float | None = None  # last 7 days' engagement as % of total followers
    posts_count: int = 0  # posts published in the window
    # [{"platform", "followers", "change_7d", "date"}], biggest audience first
    platforms: list[dict] = field(default_factory=list)
    # [{"date": iso, "platform", "followers"}] for the chart, oldest first
    series: list[dict] = field(default_factory=list)
    last_synced_at: datetime | None = None
    as_of: str | None = None  # iso date of the latest collected day


def dashboard_data(scope: Scope, days: int = 90) -> DashboardData:
    days = max(1, min(int(days), 3650))
    with session() as s:
        latest = sr.latest_metric_date(s, scope)
        conns = scoped(scope, PlatformConnection).subquery()
        synced = s.exec(select(func.max(conns.c.last_synced_at))).one()
        if latest is None:
            return DashboardData(last_synced_at=synced)
        # One extra week before the window so the 7-day change has a baseline.
        start = sr.days_before(latest, days)
        rows = sr.metric_rows(s, scope, since=min(start, latest - timedelta(days=7)))
        posts = sr.count_posts(s, scope, since=start)
        if synced is None:
            synced = max(r.updated_at for r in rows)

    followers = sr.by_platform(rows)
    week_start = sr.days_before(latest, 7)
    platforms, growths = [], []
    for platform, pts in followers.items():
        last_date, last = pts[-1]
        gr = g.change_over_days(pts, 7, end=latest)
        growths.append(gr)
        # A platform whose history starts inside the week (it gives only today's numbers) has no
        # week-old baseline: "—", not a change of 0.
        platforms.append({"platform": platform, "followers": last, "date": last_date.isoformat(),
                          "change_7d": gr.change if gr and gr.complete else None})
    platforms.sort(key=lambda p: -p["followers"])
    total = sum(p["followers"] for p in platforms)
    week = g.combine_growth(growths)
    engagement = sum(r.engagement_total for r in rows if week_start <= r.date <= latest)
    return DashboardData(
        has_data=True,
        total_followers=total,
        change_7d=week.change if week else None,
        change_7d_pct=week.pct if week else None,
        engagement_7d=engagement,
        engagement_rate=engagement_rate(engagement, total),
        posts_count=posts,
        platforms=platforms,
        series=[{"date": r.date.isoformat(), "platform": r.platform, "followers": r.follower_count}
                for r in sorted(rows, key=lambda r: (r.date, r.platform)) if r.date >= start],
        last_synced_at=synced,
        as_of=latest.isoformat(),
    )
