"""One platform's own page, read as plain data: its accounts, followers, its own daily numbers
(as platform_specs describes them), breakdowns, posts, content types and audience.

Pure reads through a Scope: every statement is filtered by the scope's workspace, so a
platform another workspace connected is "not connected" here. Hot paths read tuples (the
day rows' JSON once, the posts' columns), never ORM objects.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session

from dreamsuite.analytics import engagement as eng
from dreamsuite.analytics import growth as g
from dreamsuite.db import session, utcnow
from dreamsuite.models import AudienceSnapshot, ContentPost, DailyMetric, PlatformConnection
from dreamsuite.platforms import UnknownPlatform, get_adapter, handle
from dreamsuite.services import series as sr
from dreamsuite.services.platform_specs import Metric, PlatformSpec, spec_for
from dreamsuite.services.scope import Scope

DEFAULT_DAYS = 90
MAX_DAYS = 3650
WEEKLY_AFTER = 120  # a longer range is charted per week (a year of days is a blur at 360 px)
POSTS_SHOWN = 100
HASHTAGS_SHOWN = 10  # the best ten: a longer list of tags is not read
CAPTION_CHARS = 140
_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# The names connectors give numbers a post does not show (SoundCloud's are its API's own).
_HIDDEN_AS = {"playback_count": "plays", "reposts_count": "shares", "comment_count": "comments"}
POST_NUMBERS = ("likes", "comments", "shares", "saves", "views", "plays", "reach", "impressions")


@dataclass
class PlatformPage:
    platform: str
    label: str = ""
    # "ok" | "unknown" (no such platform) | "no_api" (Apple Music...) | "not_connected"
    status: str = "ok"
    message: str = ""
    history: bool = True  # the platform's API gives past days
    followers_word: str = "Followers"
    timezone: str = "UTC"
    start: str | None = None
    end: str | None = None
    step: str = "day"  # the charts' bucket: "day" | "week"
    first_day: str | None = None  # the first day stored for this platform (any range)
    days_stored: int = 0
    accounts: list[dict] = field(default_factory=list)
    last_synced_at: datetime | None = None
    followers: list[tuple[str, int]] = field(default_factory=list)  # the range, accounts summed
    followers_now: int | None = None
    followers_change: int | None = None  # over the range, from the day before it
    followers_change_pct: float | None = None
    stats: list[dict] = field(default_factory=list)  # {"key", "label", "value", "unit", "agg"}
    charts: list[dict] = field(default_factory=list)  # {"title", "unit", "series": {label: [(iso, v)]}}
    breakdowns: list[dict] = field(default_factory=list)  # {"title", "kind": share|count, "items": [(name, v)]}
    post_columns: list[tuple[str, str]] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    posts_total: int = 0
    content_types: list[dict] = field(default_factory=list)  # [{"key", "avg_rate", "posts", "basis"}]
    hashtags: list[dict] = field(default_factory=list)  # the same per hashtag (on 2 posts or more), best first
    audience: dict = field(default_factory=dict)  # {"date", "age", "gender", "countries", "cities", ...}
    unavailable: list[tuple[str, str]] = field(default_factory=list)  # (what, why)


def describe(platform: str) -> PlatformPage:
    """Who the platform is, before any read: unknown, no public API, or one we can show."""
    name = (platform or "").strip().lower()
    if not _NAME.match(name):
        return PlatformPage(platform="", status="unknown", message="There is no platform at this address.")
    try:
        adapter = get_adapter(name)
    except UnknownPlatform:
        return PlatformPage(platform=name, status="unknown",
                            message=f"Dream Suite does not know a platform called \u201c{name}\u201d.")
    page = PlatformPage(platform=name, label=adapter.label)
    if not adapter.has_api:
        page.status = "no_api"
        page.message = (f"{adapter.label} has no public API for artist statistics yet, so Dream Suite cannot "
                        "read your numbers there. We will add it when one exists.")
    spec = spec_for(name)
    page.history, page.followers_word = spec.history, spec.followers_word
    page.unavailable = [(k.replace("_", " ").capitalize(), why) for k, why in adapter.unavailable_metrics.items()]
    return page


def resolve_range(latest: date | None, start: date | None, end: date | None, days: int) -> tuple[date, date]:
    end = end or latest or utcnow().date()
    if start is None or start > end:
        start = end - timedelta(days=max(1, min(int(days), MAX_DAYS)) - 1)
    return max(start, end - timedelta(days=MAX_DAYS - 1)), end


def platform_page(scope: Scope, platform: str, *, days: int = DEFAULT_DAYS, start: date | None = None,
                  end: date | None = None) -> PlatformPage:
    page = describe(platform)
    if page.status != "ok":
        return page
    spec = spec_for(page.platform)
    with session() as s:
        page.timezone = sr.workspace_zone_name(s, scope)
        page.accounts = _accounts(s, scope, page.platform)
        if not page.accounts:
            page.status = "not_connected"
            page.message = (f"{page.label} is not connected to this workspace. Connect it and Dream Suite will "
                            "collect its numbers every day.")
            return page
        first, latest, stored = s.execute(
            select(func.min(DailyMetric.date), func.max(DailyMetric.date), func.count(func.distinct(DailyMetric.date)))
            .where(DailyMetric.workspace_id == scope.workspace_id, DailyMetric.platform == page.platform)).one()
        start, end = resolve_range(latest, start, end, days)
        rows = s.execute(
            select(DailyMetric.date, DailyMetric.follower_count, DailyMetric.metrics)
            .where(DailyMetric.workspace_id == scope.workspace_id, DailyMetric.platform == page.platform,
                   DailyMetric.date >= start - timedelta(days=1), DailyMetric.date <= end)
            .order_by(DailyMetric.date)).all()
        posts = _posts(s, scope, page.platform, spec, start, end)
        audience = _audience(s, scope, page.platform)
    synced = [a["last_synced_at"] for a in page.accounts if a["last_synced_at"]]
    page.last_synced_at = max(synced) if synced else None
    page.start, page.end = start.isoformat(), end.isoformat()
    page.first_day, page.days_stored = (first.isoformat() if first else None), int(stored or 0)
    page.step = "week" if (end - start).days + 1 > WEEKLY_AFTER else "day"
    _followers(page, rows, start, end)
    _numbers(page, spec, rows, start)
    _posts_view(page, spec, posts)
    _breakdowns(page, spec, rows, start, audience)
    page.audience = {k: v for k, v in audience.items() if k in ("date", "age", "gender", "countries", "cities")}
    return page


# ------------------------------------------------------------------ reads
def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _accounts(s: Session, scope: Scope, platform: str) -> list[dict]:
    rows = s.execute(
        select(PlatformConnection.id, PlatformConnection.username, PlatformConnection.display_name,
               PlatformConnection.status, PlatformConnection.last_synced_at, PlatformConnection.created_at)
        .where(PlatformConnection.workspace_id == scope.workspace_id, PlatformConnection.platform == platform)
        .order_by(PlatformConnection.id)).all()
    adapter = get_adapter(platform)
    return [{"id": cid, "username": user or "", "handle": handle(platform, user or "") or (name or ""),
             "display_name": name or "", "status": status, "last_synced_at": _aware(synced),
             "connected_at": _aware(created), "profile_url": _safe_url(adapter.profile_url(user or ""))}
            for cid, user, name, status, synced, created in rows]


def _posts(s: Session, scope: Scope, platform: str, spec: PlatformSpec, start: date, end: date) -> list[tuple]:
    q = (select(ContentPost.id, ContentPost.post_type, ContentPost.posted_at, ContentPost.caption, ContentPost.url,
                ContentPost.details, ContentPost.hashtags, *(getattr(ContentPost, k) for k in POST_NUMBERS))
         .where(ContentPost.workspace_id == scope.workspace_id, ContentPost.platform == platform))
    if not spec.catalogue:
        q = q.where(ContentPost.posted_at >= datetime.combine(start, time.min, tzinfo=timezone.utc),
                    ContentPost.posted_at < datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc))
    return s.execute(q.order_by(ContentPost.posted_at.desc(), ContentPost.id.desc())).all()


def _audience(s: Session, scope: Scope, platform: str) -> dict:
    """The newest snapshot of the platform's audience (the account with the newest one)."""
    row = s.execute(
        select(AudienceSnapshot.data, AudienceSnapshot.date)
        .where(AudienceSnapshot.workspace_id == scope.workspace_id, AudienceSnapshot.platform == platform)
        .order_by(AudienceSnapshot.date.desc(), AudienceSnapshot.id.desc()).limit(1)).first()
    return {"date": row[1].isoformat(), **(row[0] or {})} if row else {}


# ------------------------------------------------------------------ shaping
def _followers(page: PlatformPage, rows: list[tuple], start: date, end: date) -> None:
    per_day: dict[date, int] = defaultdict(int)
    for day, followers, _ in rows:
        per_day[day] += int(followers or 0)
    pts = sorted(per_day.items())
    page.followers = [(d.isoformat(), v) for d, v in pts if start <= d <= end]
    grown = g.growth_between(pts, start, end)
    if grown:
        page.followers_now = grown.end_followers
        if grown.end_date > grown.start_date:
            page.followers_change, page.followers_change_pct = grown.change, grown.pct


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return None
    return float(value) if value == value else None  # NaN is not a number we show


def _combine(values: list[float], agg: str) -> float:
    return sum(values) / len(values) if agg == "mean" else sum(values)


def _daily(rows: list[tuple], m: Metric, start: date) -> list[tuple[date, float]]:
    """One metric per day in the range, accounts combined (a day without it is left out)."""
    per_day: dict[date, list[float]] = defaultdict(list)
    for day, _, metrics in rows:
        v = _number((metrics or {}).get(m.key)) if day >= start else None
        if v is not None:
            per_day[day].append(v * m.scale)
    return [(d, _combine(vs, m.agg)) for d, vs in sorted(per_day.items())]


def _bucketed(points: list[tuple[date, float]], m: Metric, step: str) -> list[tuple[str, float]]:
    if step == "day":
        return [(d.isoformat(), round(v, 4)) for d, v in points]
    weeks: dict[date, list[float]] = defaultdict(list)
    for d, v in points:
        weeks[d - timedelta(days=d.weekday())].append(v)
    out = []
    for week, vs in sorted(weeks.items()):
        v = vs[-1] if m.agg == "last" else _combine(vs, m.agg)
        out.append((week.isoformat(), round(v, 4)))
    return out


def _summary(points: list[tuple[date, float]], m: Metric) -> float:
    values = [v for _, v in points]
    return values[-1] if m.agg == "last" else _combine(values, m.agg)


def _numbers(page: PlatformPage, spec: PlatformSpec, rows: list[tuple], start: date) -> None:
    """A stat per metric with data in the range; a chart per group with a line to draw (two
    points or more: a platform with only today's numbers shows them as stats)."""
    for chart in spec.charts:
        series, units = {}, set()
        for m in chart.metrics:
            pts = _daily(rows, m, start)
            if pts:
                page.stats.append({"key": m.key, "label": m.label, "value": round(_summary(pts, m), 4),
                                   "unit": m.unit, "agg": m.agg})
                series[m.label] = _bucketed(pts, m, page.step)
                units.add(m.unit)
        if any(len(v) >= 2 for v in series.values()):
            page.charts.append({"title": chart.title, "unit": next(iter(units)) if len(units) == 1 else "",
                                "series": series, "keys": [m.key for m in chart.metrics]})
    for m in spec.snapshot:
        pts = _daily(rows, m, start)
        if pts:
            page.stats.append({"key": m.key, "label": m.label, "value": _summary(pts, m), "unit": m.unit,
                               "agg": "last"})


def _safe_url(url: Any) -> str:
    """Only web links become links (a platform's `javascript:` or data URL never does)."""
    url = str(url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) and len(url) <= 1000 else ""


def plain_caption(text: Any, limit: int = CAPTION_CHARS) -> str:
    """A caption as one line of plain text (control characters out, whitespace collapsed)."""
    one = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    return one if len(one) <= limit else one[:limit - 1].rstrip() + "…"


def _posts_view(page: PlatformPage, spec: PlatformSpec, rows: list[tuple]) -> None:
    followers = page.followers_now
    page.post_columns = list(spec.post_columns) + list(spec.post_details)
    plain, out = [], []
    for pid, kind, at, caption, url, details, tags, *numbers in rows:
        counts = dict(zip(POST_NUMBERS, (int(n or 0) for n in numbers), strict=True))
        post = {"platform": page.platform, "type": (kind or "post").strip().lower() or "post", **counts,
                "hashtags": list(tags or [])}
        rate = eng.post_rate(post, followers)
        plain.append(post)
        if len(out) < POSTS_SHOWN:
            details = details or {}
            extra = {k: _number(details.get(k)) for k, _ in spec.post_details}
            title = details.get("title") if isinstance(details.get("title"), str) else ""
            hidden = {_HIDDEN_AS.get(str(k), str(k)) for key in ("not_given", "unavailable", "hidden_numbers")
                      for k in (details.get(key) or []) if isinstance(details.get(key), list)}
            if "likes" in hidden:  # hidden like counts: a rate from the rest would look like a flop
                rate = None
            out.append({"id": pid, "type": post["type"], "posted_at": _aware(at), "unknown": sorted(hidden),
                        "caption": plain_caption(caption or title), "full_caption": plain_caption(caption, 2000),
                        "url": _safe_url(url), **counts, **extra,
                        "rate": rate.value if rate else None, "basis": rate.basis if rate else None})
    page.posts, page.posts_total = out, len(rows)
    known = {page.platform: followers} if followers else None
    page.content_types = [{"key": gr.key, "avg_rate": gr.avg_rate, "posts": gr.posts, "basis": gr.basis}
                          for gr in eng.by_type(plain, known)]
    page.hashtags = [{"key": f"#{gr.key}", "avg_rate": gr.avg_rate, "posts": gr.posts, "basis": gr.basis}
                     for gr in eng.by_hashtag(plain, known, min_posts=2)
                     if gr.avg_rate is not None][:HASHTAGS_SHOWN]


def _breakdowns(page: PlatformPage, spec: PlatformSpec, rows: list[tuple], start: date, audience: dict) -> None:
    for b in spec.breakdowns:
        if b.metric_keys:
            totals = [(label, sum(v for _, v in _daily(rows, Metric(key, label), start))) for key, label in b.metric_keys]
            items = [(label, v) for label, v in totals if v > 0]
            if items:
                page.breakdowns.append({"title": b.title, "kind": "count", "items": items})
            continue
        found = audience.get(b.audience_key)
        if not isinstance(found, dict) or not found:
            continue
        values = {str(k): v for k, v in ((k, _number(v)) for k, v in found.items()) if v is not None and v > 0}
        if b.hours:
            items = _local_hours(values, page.timezone)
            title = f"{b.title} (hour, {page.timezone.replace('_', ' ')})"
        else:
            items = sorted(((b.names.get(k, k.replace("_", " ").capitalize()), v) for k, v in values.items()),
                           key=lambda kv: -kv[1])
            title = b.title
        if items:
            page.breakdowns.append({"title": title, "kind": "share", "items": items, "date": audience.get("date")})


def _local_hours(values: dict[str, float], tz: str) -> list[tuple[str, float]]:
    """UTC hours of the day as the artist's hours, 0 to 23 in order."""
    offset = datetime.now(ZoneInfo(tz)).utcoffset() or timedelta(0)
    shift = round(offset.total_seconds() / 3600)
    local: dict[int, float] = {}
    for k, v in values.items():
        if k.isdigit() and 0 <= int(k) <= 23:
            local[(int(k) + shift) % 24] = v
    return [(f"{h:02d}:00", local[h]) for h in sorted(local)]
