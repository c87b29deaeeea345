"""Agent tools: small JSON-able dicts with real numbers from this workspace only.

The period and limit types are enums/bounded ints so a model sees the valid values in the
schema and pydantic rejects anything else with a retry message before our code runs.
"""

from __future__ import annotations

import re

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field
from pydantic_ai import ModelRetry, RunContext

from dreamsuite.agents.deps import AgentDeps
from dreamsuite.agents.reader import unavailable_metrics
from dreamsuite.analytics import crossplatform
from dreamsuite.analytics import engagement as eng
from dreamsuite.analytics import goals as goal_math
from dreamsuite.analytics import growth as g
from dreamsuite.analytics import timing
from dreamsuite.platforms import UnknownPlatform, get_adapter, platform_label
from dreamsuite.platforms.catalog import DECLARED
from dreamsuite.services import promotion_answers
from dreamsuite.services import series as sr

PERIOD_NAMES = ("today", "yesterday", "this_week", "last_week", "this_month", "last_month", "last_7_days",
                "last_14_days", "last_30_days", "last_90_days", "last_365_days", "all", "since_release")
# A named period, or the last N days for any N up to two years ("the past 3 weeks": last_21_days).
Period = Annotated[str, Field(pattern=r"^(" + "|".join(PERIOD_NAMES) + r"|last_[1-9]\d{0,2}_days)$")]
_LAST_N = re.compile(r"^last_(\d{1,3})_days$")
NO_DATA = "No numbers collected yet: connect a platform and run a sync."
# What people call the platforms, beside their own names.
ALIASES = {"ig": "instagram", "insta": "instagram", "fb": "facebook", "yt": "youtube", "twitter": "x",
           "tik tok": "tiktok", "apple": "apple_music", "amazon": "amazon_music"}


def _day(p: g.Point | None) -> dict | None:
    return {"date": p[0].isoformat(), "change": p[1]} if p else None


def _platform(deps: AgentDeps, platform: str | None) -> tuple[str | None, dict | None]:
    """(platform name or None for all, or an answer saying why it cannot be read)."""
    name = (platform or "").strip().lower().replace("-", "_")
    if name in ("", "all", "total", "every", "none"):
        return None, None
    name = ALIASES.get(name, name).replace(" ", "_")
    try:
        adapter = get_adapter(name)
    except UnknownPlatform:
        raise ModelRetry(f"Unknown platform {platform!r}; use one of: {', '.join(d.name for d in DECLARED)}, "
                         "or leave it out for every platform.") from None
    if not adapter.has_api:
        return None, {"has_data": False, "platform": name, "label": adapter.label, "no_public_api": True,
                      "message": f"{adapter.label} has no public API for artists yet, so Dream Suite cannot read "
                                 "its numbers."}
    connected = deps.reader.inventory()["connected"]
    if not any(c["platform"] == name for c in connected):
        return None, {"has_data": False, "platform": name, "label": adapter.label, "not_connected": True,
                      "connected": [c["label"] for c in connected]}
    return name, None


def _window(deps: AgentDeps, period: str, start: str | None, end: str | None) -> tuple[date | None, date, str]:
    """(start, end, what to call it): explicit ISO dates win over the period's name."""
    today = deps.reader.today()
    if start or end:
        try:
            first = date.fromisoformat(start) if start else None
            last = date.fromisoformat(end) if end else today
        except ValueError:
            raise ModelRetry("start and end must be dates written YYYY-MM-DD.") from None
        if first and first > last:
            raise ModelRetry("start must not be after end.")
        return first, min(last, today), "dates"
    if period not in PERIOD_NAMES and not (_LAST_N.match(period or "") and 1 <= int(period[5:-5]) <= g.MAX_DAYS):
        # direct calls bypass the schema
        raise ModelRetry(f"Unknown period {period!r}; use one of: {', '.join(PERIOD_NAMES)}, or last_N_days "
                         f"(N from 1 to {g.MAX_DAYS}).")
    monday = today - timedelta(days=today.weekday())
    named = {"today": (today, today), "yesterday": (today - timedelta(days=1),) * 2,
             "this_week": (monday, today),
             "last_week": (monday - timedelta(days=7), monday - timedelta(days=1))}
    if period in named:
        return (*named[period], period)
    if period == "since_release":
        release = deps.reader.latest_release()
        return (release, today, period) if release else (today, today, "no_release")
    first, last = g.period_range(period, today)  # type: ignore[misc]
    return first, last, period


def data_inventory(ctx: RunContext[AgentDeps]) -> dict:
    """What is connected, since when numbers exist per platform, what each platform cannot give
    (and why), which services have no public API at all, and the ad accounts and shop connected
    for promotion with the days their numbers cover."""
    return ctx.deps.reader.inventory() | {"promotion": promotion_answers.channels(ctx.deps.scope)}


def follower_growth(ctx: RunContext[AgentDeps], period: Period = "last_30_days", platform: str | None = None,
                    start: str | None = None, end: str | None = None) -> dict:
    """Follower growth over a period, on one platform or across all connected ones.

    Args:
        period: today, yesterday, this_week, last_week, this_month, last_month, last_7_days, last_14_days,
            last_30_days, last_90_days, last_365_days, all, or since_release (the latest single, EP or album).
        platform: instagram, youtube, tiktok, spotify, facebook, soundcloud, x, deezer; leave out for all.
        start: first day (YYYY-MM-DD) instead of the period, e.g. a month or a release day.
        end: last day (YYYY-MM-DD), default today.
    """
    first, last, label = _window(ctx.deps, period, start, end)
    name, refusal = _platform(ctx.deps, platform)
    out: dict = {"period": label, "from": first.isoformat() if first else None, "to": last.isoformat(),
                 "platform": name, "label": platform_label(name) if name else None}
    if refusal:
        return out | refusal
    if label == "no_release":
        return out | {"has_data": False, "no_release": True}
    # A month of slack before the window to find each platform's baseline.
    series = ctx.deps.reader.follower_series(since=first - timedelta(days=31) if first else None)
    any_rows = bool(series)
    if name:
        series = {name: series[name]} if name in series else {}
    if name and not series:
        return out | {"has_data": False, "not_synced": True}
    per = {p: g.growth_between(pts, first, last) for p, pts in series.items()}
    total = g.combine_growth(per.values())
    if total is None:
        latest = max((pts[-1][0] for pts in series.values() if pts), default=None)
        return out | {"has_data": False, "latest_date": latest.isoformat() if latest else None,
                      "message": NO_DATA if not any_rows else "No data in this period."}
    changes = g.sum_by_date(
        [c for c in g.daily_changes(pts) if (first is None or c[0] >= first) and c[0] <= last]
        for pts in series.values()
    )
    # Platforms whose numbers start inside the window: named, so the total is not misread.
    partial = sorted(({"label": platform_label(p), "start": gr.start_date.isoformat()} for p, gr in per.items()
                      if gr and not gr.complete), key=lambda d: d["label"])
    span = (total.end_date - total.start_date).days
    return out | {
        "has_data": True,
        **total.as_dict(),
        "avg_daily_change": round(total.change / span, 1) if span else None,
        "partial": partial,
        "best_day": _day(max(changes, key=lambda c: c[1], default=None)),
        "worst_day": _day(min(changes, key=lambda c: c[1], default=None)),
        "platforms": sorted(
            ({"platform": p, "label": platform_label(p), "start_followers": gr.start_followers,
              "end_followers": gr.end_followers, "change": gr.change, "pct": gr.pct} for p, gr in per.items() if gr),
            key=lambda d: -d["change"]),
    }


def top_posts(ctx: RunContext[AgentDeps], limit: Annotated[int, Field(ge=1, le=20)] = 5) -> dict:
    """The posts with the most interactions (likes + comments + shares + saves) in the last 90 days.

    Args:
        limit: how many posts, 1 to 20.
    """
    if not isinstance(limit, int) or not 1 <= limit <= 20:
        raise ModelRetry("limit must be a whole number from 1 to 20.")
    since = ctx.deps.reader.today() - timedelta(days=89)
    posts = ctx.deps.reader.posts(since=since)
    rows = ctx.deps.reader.metric_rows(since=since)
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
    reader = ctx.deps.reader
    latest = reader.latest_metric_date()
    if latest is None:
        return {"has_data": False, "message": NO_DATA}
    rows = reader.metric_rows(since=latest - timedelta(days=13))
    posts = reader.posts(since=latest - timedelta(days=29))
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


Metric = Literal["interactions", "likes", "comments", "shares", "saves", "views", "reach"]
Order = Literal["top", "bottom"]
CAPTION_CHARS = 80


def short_caption(text: str | None, limit: int = CAPTION_CHARS) -> str:
    """A caption on one line, cut at a word's end (never "#newsingl"), with "…" when cut."""
    words, out = (text or "").split(), ""
    for w in words:
        if len(out) + len(w) + (1 if out else 0) > limit:
            return (out or w[:limit]) + "…"
        out = f"{out} {w}" if out else w
    return out


def _posts_in(ctx: RunContext[AgentDeps], first: date | None, last: date, platform: str | None,
              post_type: str | None) -> list[dict]:
    kind = (post_type or "").strip().lower().rstrip("s") or None  # "reels" → "reel"
    out = []
    for p in ctx.deps.reader.posts(since=first):
        day = date.fromisoformat(p["posted_at"][:10])
        if day > last or (platform and p["platform"] != platform):
            continue
        if kind and (p["type"] or "").lower().rstrip("s") != kind:
            continue
        out.append(p)
    return out


def _value(p: dict, metric: str) -> int:
    if metric == "interactions":
        return eng.post_engagement(p)
    return int(p.get(metric) or 0)


def ranked_posts(ctx: RunContext[AgentDeps], metric: Metric = "interactions", order: Order = "top",
                 limit: Annotated[int, Field(ge=1, le=20)] = 5, period: Period = "last_90_days",
                 platform: str | None = None, post_type: str | None = None, start: str | None = None,
                 end: str | None = None) -> dict:
    """Posts ranked by a number in a window: the most (top) or least (bottom) liked, commented,
    shared, saved, viewed or reached, or by all interactions; with how many posts the window
    holds and their average.

    Args:
        metric: interactions (likes + comments + shares + saves), likes, comments, shares, saves, views or reach.
        order: top (most first) or bottom (least first).
        limit: how many posts, 1 to 20.
        period: as for follower_growth; start/end (YYYY-MM-DD) instead, for explicit dates.
        platform: one platform, or leave out for all.
        post_type: reel, photo, carousel, video, short, track… or leave out.
    """
    if metric not in Metric.__args__ or order not in Order.__args__:  # type: ignore[attr-defined]
        raise ModelRetry("metric must be one of interactions, likes, comments, shares, saves, views, reach; "
                         "order top or bottom.")
    if not isinstance(limit, int) or not 1 <= limit <= 20:
        raise ModelRetry("limit must be a whole number from 1 to 20.")
    first, last, label = _window(ctx.deps, period, start, end)
    name, refusal = _platform(ctx.deps, platform)
    out = {"metric": metric, "order": order, "period": label, "from": first.isoformat() if first else None,
           "to": last.isoformat(), "platform": name, "label": platform_label(name) if name else None,
           "post_type": post_type}
    if refusal:
        return out | refusal
    posts = _posts_in(ctx, first, last, name, post_type)
    ranked = sorted(posts, key=lambda p: p["posted_at"], reverse=True)
    ranked.sort(key=lambda p: _value(p, metric), reverse=order == "top")  # stable: newest first on ties
    values = [_value(p, metric) for p in posts]
    return out | {
        "has_data": bool(posts), "count": len(posts),
        "average": round(sum(values) / len(values), 1) if values else None,
        "posts": [{"caption": short_caption(p["caption"]), "platform": p["platform"],
                   "label": platform_label(p["platform"]), "type": p["type"], "posted_at": p["posted_at"][:10],
                   "url": p["url"], "value": _value(p, metric)} for p in ranked[:limit]],
    }


def content_performance(ctx: RunContext[AgentDeps], by: Literal["type", "hashtag"] = "type",
                        period: Period = "last_90_days", platform: str | None = None) -> dict:
    """Average engagement rate by content type (reel, photo, video, short…) or by hashtag: the rate
    is interactions over reach, or over followers where a post has no reach (`basis` says which).

    Args:
        by: type or hashtag.
        period: as for follower_growth.
        platform: one platform, or leave out for all.
    """
    if by not in ("type", "hashtag"):
        raise ModelRetry("by must be type or hashtag.")
    first, last, label = _window(ctx.deps, period, None, None)
    name, refusal = _platform(ctx.deps, platform)
    out = {"by": by, "period": label, "platform": name, "label": platform_label(name) if name else None}
    if refusal:
        return out | refusal
    posts = [{**p, "posted_at": p["posted_at"]} for p in _posts_in(ctx, first, last, name, None)]
    followers = ctx.deps.reader.followers_now()
    groups = eng.by_type(posts, followers) if by == "type" else eng.by_hashtag(posts, followers, min_posts=2)
    return out | {"has_data": any(gr.avg_rate is not None for gr in groups), "posts": len(posts),
                  "groups": [gr.as_dict() for gr in groups if gr.avg_rate is not None][:10]}


def best_times(ctx: RunContext[AgentDeps], platform: str | None = None) -> dict:
    """The artist's best weekday and hour to post, in their timezone, from the last 90 days'
    posts; a slot counts only with 3 rated posts or more. Also weekdays against weekends."""
    name, refusal = _platform(ctx.deps, platform)
    tz = ctx.deps.reader.timezone()
    out = {"timezone": tz, "platform": name, "label": platform_label(name) if name else None}
    if refusal:
        return out | refusal
    last = ctx.deps.reader.today()
    posts = _posts_in(ctx, last - timedelta(days=89), last, name, None)
    followers = ctx.deps.reader.followers_now()
    slots = [sl.as_dict() for sl in timing.best_times(posts, tz, followers) if sl.evidence == "ok"][:3]
    split = timing.weekday_vs_weekend(posts, tz, followers)
    return out | {"posts": len(posts), "slots": slots, "week": split.as_dict()}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def goals_progress(ctx: RunContext[AgentDeps]) -> dict:
    """Every open goal: target, current, % done, what is left, the pace it needs against the
    recent pace, and the date the forecast reaches it (with its band)."""
    goals = ctx.deps.reader.goals()
    return {"has_data": bool(goals), "goals": [_jsonable({**gl, "label": platform_label(gl["platform"])
                                                          if gl.get("platform") else "every platform"})
                                               for gl in goals]}


def forecast(ctx: RunContext[AgentDeps], platform: str | None = None,
             target: Annotated[int | None, Field(ge=1)] = None,
             days: Annotated[int, Field(ge=1, le=90)] = 30) -> dict:
    """Followers expected ahead, from the forecast the worker stores after each sync (with its
    80 % band), on one platform or all added up; with `target`, when the forecast reaches it.

    Args:
        platform: one platform, or leave out for all added up.
        target: a follower count to reach, e.g. 10000.
        days: how far ahead, 1 to 90 days.
    """
    if target is not None and (not isinstance(target, int) or target < 1):
        raise ModelRetry("target must be a whole number of followers, 1 or more.")
    if not isinstance(days, int) or not 1 <= days <= 90:
        raise ModelRetry("days must be a whole number from 1 to 90.")
    name, refusal = _platform(ctx.deps, platform)
    out = {"platform": name, "label": platform_label(name) if name else None, "target": target}
    if refusal:
        return out | refusal
    series = sr.by_platform(ctx.deps.reader.metric_rows(since=ctx.deps.reader.today() - timedelta(days=14)))
    result = _forecast_of(ctx.deps, name, series, days, target)
    if result is None and name is None:
        # No total yet (a platform with too little history): each platform that has its own.
        each = {c["platform"]: _forecast_of(ctx.deps, c["platform"], series, days, None)
                for c in ctx.deps.reader.inventory()["connected"]}
        found = [{"platform": p, "label": platform_label(p), **r} for p, r in each.items() if r]
        return out | {"has_data": bool(found), "per_platform": found,
                      "too_short": [platform_label(p) for p, r in each.items() if r is None]}
    return out | (result or {"has_data": False})


def _forecast_of(deps: AgentDeps, name: str | None, series: dict, days: int, target: int | None) -> dict | None:
    stored = deps.reader.forecast(name)
    fc = goal_math.as_forecast(stored["points"] if stored else None)
    if fc is None:
        return None
    current = sum(pts[-1][1] for p, pts in series.items() if pts and (name is None or p == name)) or None
    ahead = fc.points[min(days, len(fc.points)) - 1]
    result = {"has_data": True, "current": current, "level": fc.level, "method": stored["method"],
              "date": ahead[0].isoformat(), "expected": round(ahead[1]), "low": round(ahead[2]),
              "high": round(ahead[3]), "runs_to": fc.points[-1][0].isoformat()}
    if target:
        proj = goal_math.projection(goal_math.Goal(platform=name, target=target), fc, current=current)
        result["reaches"] = _jsonable(proj.as_dict()) if proj else None
    return result


def unusual_days(ctx: RunContext[AgentDeps], period: Period = "last_30_days", platform: str | None = None,
                 start: str | None = None, end: str | None = None) -> dict:
    """Days whose follower change was far from the artist's usual for that weekday (spikes and
    drops, found by the worker against a robust baseline), with the change and what was usual.

    Args:
        period: as for follower_growth; start/end (YYYY-MM-DD) instead, for explicit dates.
        platform: one platform, or leave out for all.
    """
    first, last, label = _window(ctx.deps, period, start, end)
    name, refusal = _platform(ctx.deps, platform)
    out = {"period": label, "from": first.isoformat() if first else None, "to": last.isoformat(),
           "platform": name, "label": platform_label(name) if name else None}
    if refusal:
        return out | refusal
    days = ctx.deps.reader.unusual_days(first, last, name)
    return out | {"has_data": True, "days": days}


def compare_platforms(ctx: RunContext[AgentDeps], days: Annotated[int, Field(ge=7, le=365)] = 30) -> dict:
    """Platforms side by side over the last `days` days: audience and its share, growth as a % of
    where each started (so a small platform is not judged by a big one's numbers), posts, and
    engagement rate with its basis; the fastest growing and the most engaging where two or
    more can be compared.

    Args:
        days: the window, 7 to 365 days.
    """
    if not isinstance(days, int) or not 7 <= days <= 365:
        raise ModelRetry("days must be a whole number from 7 to 365.")
    reader = ctx.deps.reader
    today = reader.today()
    series = sr.by_platform(reader.metric_rows(since=today - timedelta(days=days + 31)))
    posts = [p for p in reader.posts(since=today - timedelta(days=days - 1))
             if date.fromisoformat(p["posted_at"][:10]) <= today]
    result = crossplatform.compare(series, posts, days, end=today).as_dict()
    rated = [p for p in result["platforms"] if p["engagement_rate"] is not None]
    # Rates over reach and over followers are different measures: a "most engaging" only on one.
    if len({p["basis"] for p in rated}) > 1:
        result["top_engagement"] = None
    for p in result["platforms"]:
        p["label"] = platform_label(p["platform"])
    return {"has_data": bool(result["platforms"]), **result}


def platform_metric(ctx: RunContext[AgentDeps], metric: str, platform: str | None = None,
                    period: Period = "last_30_days", start: str | None = None, end: str | None = None) -> dict:
    """One of a platform's own daily numbers over a window (views, watch time, reach, profile
    views, popularity, plays…), added up, averaged or latest as the number means, with the same
    window before for comparison; or why the platform does not give it.

    Args:
        metric: the number's name or key, e.g. views, watch time, reach, profile views, popularity.
        platform: the platform; leave out to use every connected platform that gives it.
        period: as for follower_growth; start/end (YYYY-MM-DD) instead, for explicit dates.
    """
    wanted = (metric or "").strip().lower().replace("_", " ")
    if not wanted:
        raise ModelRetry("metric must name a number, e.g. views, watch time, reach or popularity.")
    first, last, label = _window(ctx.deps, period, start, end)
    name, refusal = _platform(ctx.deps, platform)
    out = {"metric": metric, "period": label, "from": first.isoformat() if first else None, "to": last.isoformat(),
           "platform": name, "label": platform_label(name) if name else None}
    if refusal:
        return out | refusal
    platforms = [name] if name else [c["platform"] for c in ctx.deps.reader.inventory()["connected"]]
    found = []
    for p in platforms:
        spec = next((m for m in ctx.deps.reader.platform_metrics(p)
                     if wanted in (m.key.lower().replace("_", " "), m.label.lower())
                     or m.label.lower().startswith(wanted)), None)
        if spec is None:
            continue
        first_day = first or last - timedelta(days=364)
        span = (last - first_day).days + 1
        points = ctx.deps.reader.metric_series(spec.key, first_day - timedelta(days=span), last).get(p, [])
        now = [v for d, v in points if d >= first_day]
        before = [v for d, v in points if d < first_day]
        if not now:
            found.append({"platform": p, "label": platform_label(p), "name": spec.label, "has_data": False})
            continue

        def agg(values: list[float]) -> float | None:
            if not values:
                return None
            value = sum(values) if spec.agg == "sum" else (
                sum(values) / len(values) if spec.agg == "mean" else values[-1])
            return round(value * spec.scale, 1)

        found.append({"platform": p, "label": platform_label(p), "name": spec.label, "unit": spec.unit,
                      "agg": spec.agg, "has_data": True, "value": agg(now), "days": len(now),
                      "previous": agg(before) if spec.agg != "last" and len(before) == span else None,
                      "as_of": max(d for d, _ in points).isoformat()})
    if not found:
        missing = {}
        for p in platforms:
            gone = {k.replace("_", " "): why for k, why in unavailable_metrics(p).items()}
            if wanted in gone:
                missing[p] = gone[wanted]
        givens = sorted({m.label for p in platforms for m in ctx.deps.reader.platform_metrics(p)})
        return out | {"has_data": False, "not_given": True, "unavailable": missing, "available": givens}
    return out | {"has_data": any(f["has_data"] for f in found), "results": found}


def recent_insights(ctx: RunContext[AgentDeps], limit: Annotated[int, Field(ge=1, le=10)] = 5) -> dict:
    """The artist's current insights (what Dream Suite noticed in their numbers), most urgent
    first: priority, title, message and the figures each rests on.

    Args:
        limit: how many, 1 to 10.
    """
    if not isinstance(limit, int) or not 1 <= limit <= 10:
        raise ModelRetry("limit must be a whole number from 1 to 10.")
    rows = ctx.deps.reader.insights(limit)
    return {"has_data": bool(rows), "insights": [
        {"priority": str(i["priority"]), "type": str(i["type"]), "title": i["title"], "message": i["message"],
         "created_at": _jsonable(i["created_at"]), "is_read": i["is_read"]} for i in rows]}


def upcoming_posts(ctx: RunContext[AgentDeps], days: Annotated[int, Field(ge=1, le=90)] = 7,
                   platform: str | None = None) -> dict:
    """Posts scheduled to go out in the next `days` days, soonest first, with their time in the
    artist's timezone and the platforms they go to.

    Args:
        days: how far ahead, 1 to 90 days.
        platform: only posts going to this platform, or leave out for all.
    """
    if not isinstance(days, int) or not 1 <= days <= 90:
        raise ModelRetry("days must be a whole number from 1 to 90.")
    name, refusal = _platform(ctx.deps, platform)
    out = {"days": days, "platform": name, "label": platform_label(name) if name else None}
    if refusal:
        return out | refusal
    until = datetime.now(UTC) + timedelta(days=days)
    posts = [p for p in ctx.deps.reader.upcoming_posts(until) if name is None or name in p["platforms"]]
    return out | {"has_data": bool(posts), "count": len(posts), "timezone": ctx.deps.reader.timezone(),
                  "posts": [{"caption": short_caption(p["content"]), "local": p["local"][:16],
                             "status": p["status"], "labels": [platform_label(x) for x in p["platforms"]]}
                            for p in posts[:10]]}


TOOLS = [data_inventory, compare_platforms, platform_metric, follower_growth, top_posts, engagement_summary,
         ranked_posts,
         content_performance, best_times, goals_progress, forecast, unusual_days, recent_insights, upcoming_posts]
