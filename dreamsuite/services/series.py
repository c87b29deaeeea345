"""Read a workspace's metrics and posts as plain data for analytics (always through a Scope).

The fast readers run their selects on the session's connection (Core, inside the session's
transaction): rows come back as tuples without passing through the ORM's loading machinery,
which on the dashboard cost more than the SQL itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import String, func, type_coerce
from sqlmodel import Session, select

from dreamsuite.analytics.growth import Point, Sorted
from dreamsuite.db import utcnow
from dreamsuite.models import AudienceSnapshot, ContentPost, DailyMetric, PlatformConnection, Workspace
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


def workspace_zone_name(session: Session, scope: Scope) -> str:
    """The artist's timezone name, "UTC" when unset or unknown (one column, no ORM row)."""
    return zone_name(session.connection().execute(
        select(Workspace.timezone).where(Workspace.id == scope.workspace_id)).scalar())


def zone_name(name: str | None) -> str:
    try:
        ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name or "UTC"


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
    """The workspace's posts since `since` (None: all), newest first, with their captions, read
    as tuples: a 90-day window of a heavy artist is thousands of posts, and building an ORM
    object for each cost more than the answer that needed them."""
    q = select(*POST_COLUMNS, ContentPost.caption, ContentPost.url).where(ContentPost.workspace_id == scope.workspace_id)
    if since is not None:
        q = q.where(ContentPost.posted_at >= _start_of(since))
    rows = session.connection().execute(q.order_by(ContentPost.posted_at.desc(), ContentPost.id.desc())).all()
    # the platform's own hashtag list too (YouTube's tags are not in the caption), as the insights read it
    return [{"id": r[0], "platform": r[1], "type": r[2], "caption": r[13], "url": r[14],
             "posted_at": _aware(r[3]).isoformat(), "likes": r[4], "comments": r[5], "shares": r[6], "saves": r[7],
             "views": r[8], "plays": r[9], "reach": r[10], "impressions": r[11], "hashtags": list(r[12] or [])}
            for r in rows]


def count_posts(session: Session, scope: Scope, since: date | None = None) -> int:
    q = scoped(scope, ContentPost)
    if since is not None:
        q = q.where(ContentPost.posted_at >= datetime.combine(since, time.min, tzinfo=timezone.utc))
    return int(session.exec(select(func.count()).select_from(q.subquery())).one())


def days_before(d: date, days: int) -> date:
    """First day of the `days`-day window that ends on `d`."""
    return d - timedelta(days=days - 1)


# ------------------------------------------------------------------ fast readers (tuples, SQL sums)
def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def platform_series(session: Session, scope: Scope, start: date, end: date) -> dict[str, list[Point]]:
    """Followers per platform and day in [start, end], accounts summed in SQL (no ORM rows)."""
    # The day as stored (SQLite: text), made a date here once per distinct day: SQLAlchemy's own
    # per-row date parsing on SQLite cost more than the query on a year of eleven accounts.
    day_col = type_coerce(DailyMetric.date, String) if session.get_bind().dialect.name == "sqlite" \
        else DailyMetric.date
    rows = session.connection().execute(
        select(DailyMetric.platform, day_col, func.sum(DailyMetric.follower_count))
        .where(DailyMetric.workspace_id == scope.workspace_id, DailyMetric.date >= start, DailyMetric.date <= end)
        .group_by(DailyMetric.platform, DailyMetric.date)
        .order_by(DailyMetric.platform, DailyMetric.date)).all()
    out: dict[str, list[Point]] = defaultdict(Sorted)  # grouped and ordered by date in SQL
    days: dict = {}
    for platform, day, followers in rows:
        if (known := days.get(day)) is None:
            known = days[day] = date.fromisoformat(day) if isinstance(day, str) else day
        out[platform].append((known, int(followers or 0)))
    return dict(out)


def metric_series(session: Session, scope: Scope, key: str, start: date, end: date) -> dict[str, list[Point]]:
    """One of the platforms' own daily numbers (e.g. "views") per platform and day, where given."""
    value = DailyMetric.metrics[key].as_float()
    rows = session.connection().execute(
        select(DailyMetric.platform, DailyMetric.date, func.sum(value))
        .where(DailyMetric.workspace_id == scope.workspace_id, DailyMetric.date >= start, DailyMetric.date <= end,
               value.is_not(None))
        .group_by(DailyMetric.platform, DailyMetric.date)
        .order_by(DailyMetric.platform, DailyMetric.date)).all()
    out: dict[str, list[Point]] = defaultdict(list)
    for platform, day, amount in rows:
        if amount is not None:
            out[platform].append((day, float(amount)))
    return dict(out)


POST_COLUMNS = (ContentPost.id, ContentPost.platform, ContentPost.post_type, ContentPost.posted_at,
                ContentPost.likes, ContentPost.comments, ContentPost.shares, ContentPost.saves,
                ContentPost.views, ContentPost.plays, ContentPost.reach, ContentPost.impressions,
                ContentPost.hashtags)


def post_rows(session: Session, scope: Scope, start: date, end: date) -> list[dict]:
    """The posts published in [start, end] as plain dicts for analytics (numbers, not captions)."""
    rows = session.connection().execute(
        select(*POST_COLUMNS)
        .where(ContentPost.workspace_id == scope.workspace_id, ContentPost.posted_at >= _start_of(start),
               ContentPost.posted_at < _start_of(end + timedelta(days=1)))).all()
    return [{"id": r[0], "platform": r[1], "type": r[2], "posted_at": _aware(r[3]), "likes": r[4],
             "comments": r[5], "shares": r[6], "saves": r[7], "views": r[8], "plays": r[9], "reach": r[10],
             "impressions": r[11], "hashtags": list(r[12] or [])} for r in rows]


def post_numbers(session: Session, scope: Scope, start: date, end: date) -> list[tuple]:
    """(platform, type, posted_at, interactions, reach) of the posts published in [start, end]:
    the few numbers engagement needs, interactions added up in SQL."""
    interactions = ContentPost.likes + ContentPost.comments + ContentPost.shares + ContentPost.saves
    return session.connection().execute(
        select(ContentPost.platform, ContentPost.post_type, ContentPost.posted_at, interactions, ContentPost.reach)
        .where(ContentPost.workspace_id == scope.workspace_id, ContentPost.posted_at >= _start_of(start),
               ContentPost.posted_at < _start_of(end + timedelta(days=1)))).all()


@dataclass(frozen=True)
class PostTallies:
    """The range's posts added up in SQL, per group: (group..., posts, rated posts, sum of their
    rates %, rated by reach, rated by followers, interactions). A post's rate is its
    interactions over its reach, or over its platform's followers (given) when it has none."""

    by_type: list[tuple]  # (type, ..., interactions in the range's last 7 days)
    by_platform_bucket: list[tuple]  # (platform, day or the Monday of its week, ...)
    by_slot: list[tuple]  # (local weekday 0 = Monday, local hour, ...)


def post_tallies(session: Session, scope: Scope, start: date, end: date, tz: str, weekly: bool,
                 followers: dict[str, int]) -> PostTallies:
    from sqlalchemy import Float, case, cast

    from dreamsuite.services import sql_time

    dialect = session.get_bind().dialect.name
    lo, hi = _start_of(start), _start_of(end + timedelta(days=1))
    interactions = ContentPost.likes + ContentPost.comments + ContentPost.shares + ContentPost.saves
    audience = {p: f for p, f in followers.items() if f and f > 0}
    by_reach = ContentPost.reach > 0
    if audience:
        known = case(audience, value=ContentPost.platform, else_=0)
        by_followers = (ContentPost.reach <= 0) & (known > 0)
        rate = case((by_reach, cast(interactions, Float) * 100 / ContentPost.reach),
                    (by_followers, cast(interactions, Float) * 100 / known))
    else:
        by_followers = None
        rate = case((by_reach, cast(interactions, Float) * 100 / ContentPost.reach))
    sums = (func.count(), func.count(rate), func.coalesce(func.sum(rate), 0.0),
            func.sum(case((by_reach, 1), else_=0)),
            func.sum(case((by_followers, 1), else_=0)) if by_followers is not None else literal_zero(),
            func.sum(interactions))
    where = (ContentPost.workspace_id == scope.workspace_id, ContentPost.posted_at >= lo, ContentPost.posted_at < hi)

    def grouped(*keys, extra=()):
        return session.connection().execute(select(*keys, *sums, *extra).where(*where).group_by(*keys)).all()

    recent = func.sum(case((ContentPost.posted_at >= _start_of(end - timedelta(days=6)), interactions), else_=0))
    bucket = (sql_time.utc_week if weekly else sql_time.utc_day)(dialect, ContentPost.posted_at)
    weekday, hour = sql_time.local_weekday_hour(dialect, ContentPost.posted_at, tz, lo, hi)
    return PostTallies(
        by_type=grouped(ContentPost.post_type, extra=(recent,)),
        by_platform_bucket=[(r[0], sql_time.as_date(r[1]), *r[2:]) for r in
                            grouped(ContentPost.platform, bucket.label("bucket"))],
        by_slot=grouped(weekday.label("weekday"), hour.label("hour")),
    )


def literal_zero():
    from sqlalchemy import literal

    return literal(0)


def top_post_rows(session: Session, scope: Scope, start: date, end: date, limit: int = 10) -> list[dict]:
    """The posts with the most interactions in [start, end], with what a card shows."""
    interactions = ContentPost.likes + ContentPost.comments + ContentPost.shares + ContentPost.saves
    rows = session.connection().execute(
        select(ContentPost.id, ContentPost.platform, ContentPost.post_type, ContentPost.caption, ContentPost.url,
               ContentPost.posted_at, ContentPost.likes, ContentPost.comments, ContentPost.shares,
               ContentPost.saves, ContentPost.views, ContentPost.reach, ContentPost.details, interactions)
        .where(ContentPost.workspace_id == scope.workspace_id, ContentPost.posted_at >= _start_of(start),
               ContentPost.posted_at < _start_of(end + timedelta(days=1)))
        .order_by(interactions.desc(), ContentPost.posted_at.desc()).limit(limit)).all()
    return [{"id": r[0], "platform": r[1], "type": r[2], "caption": r[3], "url": r[4],
             "posted_at": _aware(r[5]), "likes": r[6], "comments": r[7], "shares": r[8], "saves": r[9],
             "views": r[10], "reach": r[11], "thumbnail": _thumbnail(r[12] or {}), "interactions": int(r[13] or 0)}
            for r in rows]


def _thumbnail(details: dict) -> str:
    for key in ("thumbnail", "thumbnail_url", "cover_image_url", "artwork_url", "image_url", "picture"):
        value = details.get(key)
        if isinstance(value, str) and value.startswith("https://"):
            return value
    return ""


def latest_audience(session: Session, scope: Scope) -> dict[str, dict]:
    """Each platform's newest audience snapshot (the biggest account's when there are several)."""
    newest = (select(AudienceSnapshot.connection_id, func.max(AudienceSnapshot.date).label("d"))
              .where(AudienceSnapshot.workspace_id == scope.workspace_id)
              .group_by(AudienceSnapshot.connection_id).subquery())
    rows = session.connection().execute(
        select(AudienceSnapshot.platform, AudienceSnapshot.data, AudienceSnapshot.date)
        .join(newest, (newest.c.connection_id == AudienceSnapshot.connection_id) & (newest.c.d == AudienceSnapshot.date))
        .order_by(AudienceSnapshot.date)).all()
    return {platform: {"date": day.isoformat(), **(data or {})} for platform, data, day in rows}


def last_synced(session: Session, scope: Scope) -> datetime | None:
    value = session.connection().execute(select(func.max(PlatformConnection.last_synced_at))
                            .where(PlatformConnection.workspace_id == scope.workspace_id)).scalar()
    return _aware(value) if value else None
