"""Read a workspace's metrics and posts as plain data for analytics (always through a Scope)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlmodel import Session, select

from dreamsuite.analytics.growth import Point
from dreamsuite.db import utcnow
from dreamsuite.models import ContentPost, DailyMetric, Workspace
from dreamsuite.services.scope import Scope, scoped

POST_FIELDS = ("likes", "comments", "shares", "saves", "views", "plays", "reach", "impressions")


def workspace_today(session: Session, scope: Scope) -> date:
    """Today in the artist's timezone: "this month" starts at their midnight, not UTC's."""
    ws = session.get(Workspace, scope.workspace_id)
    try:
        tz = ZoneInfo(ws.timezone) if ws and ws.timezone else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        tz = timezone.utc
    return utcnow().astimezone(tz).date()


def latest_metric_date(session: Session, scope: Scope) -> date | None:
    row = session.exec(scoped(scope, DailyMetric).order_by(DailyMetric.date.desc()).limit(1)).first()
    return row.date if row else None


@dataclass(frozen=True)
class PlatformDay:
    """One platform's day, every connected account of it added up."""

    platform: str
    date: date
    follower_count: int
    follower_change_24h: int
    engagement_total: int
    content_count: int
    updated_at: datetime


def metric_rows(session: Session, scope: Scope, since: date | None = None) -> list[PlatformDay]:
    """Per platform and day, oldest first; several accounts on one platform are summed."""
    q = (select(DailyMetric.platform, DailyMetric.date, func.sum(DailyMetric.follower_count),
                func.sum(DailyMetric.follower_change_24h), func.sum(DailyMetric.engagement_total),
                func.sum(DailyMetric.content_count), func.max(DailyMetric.updated_at))
         .where(DailyMetric.workspace_id == scope.workspace_id)
         .group_by(DailyMetric.platform, DailyMetric.date)
         .order_by(DailyMetric.platform, DailyMetric.date))
    if since is not None:
        q = q.where(DailyMetric.date >= since)
    return [PlatformDay(p, d, int(f or 0), int(c or 0), int(e or 0), int(n or 0), _aware(u))
            for p, d, f, c, e, n, u in session.exec(q).all()]


def _aware(value: datetime) -> datetime:
    # MAX() hands back what the driver stores: naive on SQLite, aware on PostgreSQL.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def by_platform(rows: list[PlatformDay], field: str = "follower_count") -> dict[str, list[Point]]:
    out: dict[str, list[Point]] = defaultdict(list)
    for r in rows:
        out[r.platform].append((r.date, getattr(r, field)))
    return dict(out)


def post_dicts(session: Session, scope: Scope, since: date | None = None) -> list[dict]:
    q = scoped(scope, ContentPost)
    if since is not None:
        q = q.where(ContentPost.posted_at >= datetime.combine(since, time.min, tzinfo=timezone.utc))
    return [
        {"id": p.id, "platform": p.platform, "type": p.post_type, "caption": p.caption, "url": p.url,
         "posted_at": p.posted_at.isoformat(), **{k: getattr(p, k) for k in POST_FIELDS}}
        for p in session.exec(q.order_by(ContentPost.posted_at.desc())).all()
    ]


def count_posts(session: Session, scope: Scope, since: date | None = None) -> int:
    q = scoped(scope, ContentPost)
    if since is not None:
        q = q.where(ContentPost.posted_at >= datetime.combine(since, time.min, tzinfo=timezone.utc))
    return int(session.exec(select(func.count()).select_from(q.subquery())).one())


def days_before(d: date, days: int) -> date:
    """First day of the `days`-day window that ends on `d`."""
    return d - timedelta(days=days - 1)
