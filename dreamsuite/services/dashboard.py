"""Everything the dashboard shows for a date range, read in one pass as plain data.

The range ends on the latest collected day unless the artist picks another (a workspace that
has not synced for a while still shows its last known picture; `last_synced_at` says how
fresh it is). Hot paths read tuples, sum accounts in SQL and touch only the range (plus the
day before it, the baseline of every change); the analytics run on those plain numbers.
Forecasts are never computed here: the worker stores them after each sync.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from dreamsuite.analytics import crossplatform, timing
from dreamsuite.analytics import engagement as eng
from dreamsuite.analytics import growth as g
from dreamsuite.db import reading, session
from dreamsuite.models import (AudienceSnapshot, ContentPost, DailyMetric, FollowerAnomaly, PlatformConnection,
                               StoredForecast, Workspace)
from dreamsuite.services import series as sr
from dreamsuite.services.scope import Scope

MAX_DAYS = 3650
DEFAULT_DAYS = 90
TOP_POSTS = 6


@dataclass
class DashboardData:
    has_data: bool = False
    start: str | None = None  # iso, first day of the range
    end: str | None = None  # iso, last day of the range
    as_of: str | None = None  # iso date of the latest collected day
    last_synced_at: datetime | None = None
    timezone: str = "UTC"
    total_followers: int = 0  # every platform's latest count on or before the range's end
    change: int | None = None  # over the range, platforms each from their own baseline
    change_pct: float | None = None
    change_complete: bool = False  # False: some platform's history starts inside the range
    previous_change: int | None = None  # the equal period before (acceleration), when fully known
    change_24h: int | None = None
    change_7d: int | None = None
    change_7d_pct: float | None = None
    change_30d: int | None = None
    engagement_7d: int = 0
    engagement_rate: float | None = None  # the range's posts' average rate, %
    engagement_basis: str | None = None  # "reach" | "followers" | "mixed"
    posts_count: int = 0  # posts published in the range
    # [{"platform", "followers", "date", "change_7d", "change", "change_pct"}], biggest first
    platforms: list[dict] = field(default_factory=list)
    series: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # followers in the range
    engagement: list[tuple[str, str, float | None]] = field(default_factory=list)  # (iso, platform, rate %)
    engagement_step: str = "week"  # "day" | "week": the bucket of each engagement point
    comparison: list[dict] = field(default_factory=list)  # comparison_figure's rows
    top_engagement_platform: str | None = None
    top_posts: list[dict] = field(default_factory=list)
    content_types: list[dict] = field(default_factory=list)  # [{"key", "avg_rate", "posts", "basis"}]
    best_times: list[dict] = field(default_factory=list)  # the 168 slots, best first
    audience: dict[str, dict] = field(default_factory=dict)  # {platform: {"date", "age", ...}}
    anomalies: dict[str, list[tuple]] = field(default_factory=dict)  # {platform: [(iso, followers, kind, label)]}
    forecasts: dict[str, list[tuple]] = field(default_factory=dict)  # {platform: [(iso, mean, lo, hi)]}
    forecast_method: dict[str, str] = field(default_factory=dict)


def resolve_range(latest: date | None, start: date | None, end: date | None, days: int) -> tuple[date, date]:
    """The range asked for, clamped: ends on `end` or the latest day, spans at most MAX_DAYS."""
    end = end or latest or date.today()
    if start is None or start > end:
        start = end - timedelta(days=max(1, min(int(days), MAX_DAYS)) - 1)
    start = max(start, end - timedelta(days=MAX_DAYS - 1))
    return start, end


def dashboard_data(scope: Scope, days: int = DEFAULT_DAYS, start: date | None = None,
                   end: date | None = None) -> DashboardData:
    with session() as s:
        latest, synced, tz = _header(s, scope)
        if latest is None:
            return DashboardData(last_synced_at=synced, timezone=tz)
        start, end = resolve_range(latest, start, end, days)
        span = (end - start).days + 1
        # The range, the equal period before it (acceleration) and the last 31 days before `latest`
        # (the quick stats), in one read.
        read_from = min(start - timedelta(days=span + 1), latest - timedelta(days=31))
        followers = _followers(s, scope, read_from, end, latest)
        now = {p: v for p, v in ((p, _value_on(pts, end)) for p, pts in followers.items()) if v}
        daily = (end - start).days < 31  # engagement by day for a month or less, else by week
        tallies = sr.post_tallies(s, scope, start, end, tz, weekly=not daily, followers=now)
        top = sr.top_post_rows(s, scope, start, end, TOP_POSTS)
        marks = _anomalies(s, scope, start, end)
        audience = sr.latest_audience(s, scope)
        forecasts = _forecasts(s, scope) if end >= latest else {}
        if synced is None:
            synced = sr.last_synced(s, scope)

    d = DashboardData(has_data=True, start=start.isoformat(), end=end.isoformat(), as_of=latest.isoformat(),
                      last_synced_at=synced, timezone=tz, audience=audience)
    _growth(d, followers, start, end, latest)
    _engagement(d, tallies, daily)
    d.top_posts = [_top(p, now) for p in top]
    d.anomalies = marks
    d.forecasts = {p: [(day, m, lo, hi) for day, m, lo, hi in f["points"]] for p, f in forecasts.items()}
    d.forecast_method = {p: f["method"] for p, f in forecasts.items()}
    return d


def _header(s: Session, scope: Scope) -> tuple[date | None, datetime | None, str]:
    """The latest collected day, the last sync and the artist's timezone, in one statement."""
    ws = scope.workspace_id
    latest, synced, tz = s.connection().execute(select(
        select(func.max(DailyMetric.date)).where(DailyMetric.workspace_id == ws).scalar_subquery(),
        select(func.max(PlatformConnection.last_synced_at)).where(PlatformConnection.workspace_id == ws)
        .scalar_subquery(),
        select(Workspace.timezone).where(Workspace.id == ws).scalar_subquery())).one()
    if isinstance(latest, str):  # SQLite hands a scalar subquery's date back as text
        latest = date.fromisoformat(latest)
    if isinstance(synced, str):
        synced = datetime.fromisoformat(synced)
    return latest, sr._aware(synced) if synced else None, sr.zone_name(tz)


def _followers(s: Session, scope: Scope, start: date, end: date, latest: date) -> dict[str, list[g.Point]]:
    """Followers per platform and day over [start, max(end, latest)] — accounts summed in SQL."""
    return sr.platform_series(s, scope, start, max(end, latest))


def _value_on(pts: list[g.Point], day: date) -> int | None:
    value = None
    for d, v in pts:
        if d > day:
            break
        value = v
    return value


def _growth(d: DashboardData, followers: dict[str, list[g.Point]], start: date, end: date, latest: date) -> None:
    in_range, rows, growths, previous = {}, [], [], []
    last_day = {p: g.change_over_days(pts, 1, latest) for p, pts in followers.items()}
    week = {p: g.change_over_days(pts, 7, latest) for p, pts in followers.items()}
    month = {p: g.change_over_days(pts, 30, latest) for p, pts in followers.items()}
    span = (end - start).days + 1
    for platform, pts in followers.items():
        shown = [(day.isoformat(), v) for day, v in pts if start <= day <= end]
        value = _value_on(pts, end)
        if value is None:
            continue  # connected after the range
        if shown:
            in_range[platform] = shown
        gr = g.change_between(pts, start, end)
        prev = g.change_between(pts, start - timedelta(days=span), start - timedelta(days=1))
        growths.append(gr)
        previous.append(prev if prev and prev.complete else None)
        wk = week[platform]
        last = max(day for day, _ in pts if day <= end)
        rows.append({"platform": platform, "followers": value, "date": last.isoformat(),
                     "change_7d": wk.change if wk and wk.complete else None,
                     "change": gr.change if gr else None, "change_pct": gr.pct if gr else None})
    rows.sort(key=lambda r: -r["followers"])
    d.platforms, d.series = rows, in_range
    d.total_followers = sum(r["followers"] for r in rows)
    total = g.combine_growth(growths)
    if total:
        d.change, d.change_pct, d.change_complete = total.change, total.pct, total.complete
    if previous and all(p is not None for p in previous):
        d.previous_change = sum(p.change for p in previous)
    day_total, week_total = g.combine_growth(last_day.values()), g.combine_growth(week.values())
    month_total = g.combine_growth(month.values())
    d.change_24h = day_total.change if day_total else None
    if week_total:
        d.change_7d, d.change_7d_pct = week_total.change, week_total.pct
    # Thirty days are quoted only when every platform's history covers them.
    d.change_30d = month_total.change if month_total and month_total.complete else None


def _engagement(d: DashboardData, tallies: sr.PostTallies, daily: bool) -> None:
    """Every engagement view of the range's posts from the SQL tallies: by type, platform,
    local weekday-hour and day or week (weeks start on Monday)."""
    overall = eng.Tally()
    types: dict[str, eng.Tally] = defaultdict(eng.Tally)
    week_interactions = 0
    for kind, *sums, recent in tallies.by_type:
        for tally in (overall, types[(kind or "unknown").strip().lower() or "unknown"]):
            tally.add_sums(*_numbers(sums))
        week_interactions += int(recent or 0)
    platforms: dict[str, eng.Tally] = defaultdict(eng.Tally)
    buckets: dict[tuple[str, date], eng.Tally] = defaultdict(eng.Tally)
    for platform, day, *sums in tallies.by_platform_bucket:
        numbers = _numbers(sums)
        buckets[(platform, day)].add_sums(*numbers)
        platforms[platform].add_sums(*numbers)
    slots = {(int(weekday), int(hour)): _numbers(sums) for weekday, hour, *sums in tallies.by_slot}
    d.posts_count = overall.posts
    d.engagement_rate, d.engagement_basis = overall.avg_rate(), overall.basis()
    d.engagement_7d = week_interactions
    d.content_types = [{"key": gr.key, "avg_rate": gr.avg_rate, "posts": gr.posts, "basis": gr.basis}
                       for gr in eng.ranked(t.group(k) for k, t in types.items())]
    d.best_times = [s.as_dict() for s in timing.slots_from_counts({k: n[:3] for k, n in slots.items()})]
    d.engagement_step = "day" if daily else "week"
    d.engagement = sorted(((key.isoformat(), platform, t.avg_rate()) for (platform, key), t in buckets.items()),
                          key=lambda r: (r[0], r[1]))
    _comparison(d, platforms)


def _numbers(sums) -> tuple[int, int, float, int, int, int]:
    posts, rated, rate_sum, by_reach, by_followers, interactions = sums
    return (int(posts or 0), int(rated or 0), float(rate_sum or 0), int(by_reach or 0), int(by_followers or 0),
            int(interactions or 0))


def _comparison(d: DashboardData, tallies: dict[str, eng.Tally]) -> None:
    """Platforms side by side for the range, normalised for audience size (as analytics.crossplatform)."""
    total = sum(r["followers"] for r in d.platforms if r["followers"] > 0)
    rows = []
    for r in d.platforms:
        t = tallies.get(r["platform"]) or eng.Tally()
        enough = t.rated >= crossplatform.MIN_RATED
        rows.append({"platform": r["platform"], "audience": r["followers"], "growth_pct": r["change_pct"],
                     "engagement_rate": t.avg_rate() if enough else None, "basis": t.basis() if enough else None,
                     "posts": t.posts, "share": r["followers"] / total if total and r["followers"] > 0 else 0})
    d.comparison = rows
    rated = [r for r in rows if r["engagement_rate"] is not None]
    d.top_engagement_platform = max(rated, key=lambda r: (r["engagement_rate"], r["posts"]))["platform"] \
        if len(rated) >= 2 else None


def _top(p: dict, followers: dict[str, int]) -> dict[str, Any]:
    rate = eng.post_rate(p, followers.get(p["platform"]))
    return {**p, "posted_at": p["posted_at"].isoformat(), "rate": rate.value if rate else None,
            "basis": rate.basis if rate else None}


def _anomalies(s: Session, scope: Scope, start: date, end: date) -> dict[str, list[tuple]]:
    """The worker's unusual days in the range, drawn on the follower line."""
    rows = s.connection().execute(select(FollowerAnomaly.platform, FollowerAnomaly.date, FollowerAnomaly.followers,
                            FollowerAnomaly.kind, FollowerAnomaly.change, FollowerAnomaly.expected).where(
        FollowerAnomaly.workspace_id == scope.workspace_id, FollowerAnomaly.date >= start,
        FollowerAnomaly.date <= end).order_by(FollowerAnomaly.date)).all()
    out: dict[str, list[tuple]] = defaultdict(list)
    for platform, day, followers, kind, change, expected in rows:
        out[platform].append((day.isoformat(), followers, kind,
                              f"{change:+,.0f} in a day (a usual {day:%A}: {expected:+,.0f})"))
    return dict(out)


def _forecasts(s: Session, scope: Scope) -> dict[str, dict]:
    rows = s.connection().execute(select(StoredForecast.platform, StoredForecast.method, StoredForecast.points).where(
        StoredForecast.workspace_id == scope.workspace_id, StoredForecast.metric == "followers")).all()
    return {platform: {"method": method, "points": points or []} for platform, method, points in rows}


def data_mark(scope: Scope) -> tuple:
    """A fingerprint of everything `dashboard_data` reads for the workspace, in one statement
    over its own rows: equal marks, equal data (a shared read is reused only while its mark
    holds, even when a change was never announced)."""
    ws = scope.workspace_id

    def of(model, *cols):
        return [select(c).where(model.workspace_id == ws).scalar_subquery() for c in cols]

    with reading() as s:
        row = s.connection().execute(select(
            *of(DailyMetric, func.count(), func.max(DailyMetric.updated_at), func.sum(DailyMetric.follower_count),
                func.sum(DailyMetric.engagement_total)),
            *of(ContentPost, func.count(), func.max(ContentPost.updated_at)),
            *of(AudienceSnapshot, func.count(), func.max(AudienceSnapshot.updated_at)),
            *of(FollowerAnomaly, func.count(), func.max(FollowerAnomaly.id)),
            *of(StoredForecast, func.count(), func.max(StoredForecast.computed_at)),
            *of(PlatformConnection, func.count(), func.max(PlatformConnection.last_synced_at)),
            select(Workspace.timezone).where(Workspace.id == ws).scalar_subquery())).one()
    return tuple(str(v) for v in row)


def platforms_with_data(scope: Scope) -> list[str]:
    """Every platform the workspace has an account on (disconnected ones keep their history)."""
    with reading() as s:
        return sorted(set(s.connection().execute(select(PlatformConnection.platform).where(
            PlatformConnection.workspace_id == scope.workspace_id)).scalars().all()))
