"""Reading YouTube's resources into our plain data: videos, comments, Analytics result tables,
and Google's error envelope. Pure functions, no HTTP."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dreamsuite.platforms.base import CommentData, MetricDay, PostData

PACIFIC = ZoneInfo("America/Los_Angeles")
# A Short is decided by duration: at most 60 s. (Since 15 Oct 2024 vertical uploads of up to
# 180 s can be Shorts too, but the Data API says nothing about orientation or Shorts, and most
# 61-180 s uploads are ordinary videos; `duration_s` is kept so the rule can be revisited.)
SHORT_MAX_SECONDS = 60
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_AGES = {"age13-17": "13-17", "age18-24": "18-24", "age25-34": "25-34", "age35-44": "35-44", "age45-54": "45-54",
         "age55-64": "55-64", "age65-": "65+"}
_GENDERS = {"female": "F", "male": "M", "user_specified": "U"}
DAY_METRICS = ("views", "estimatedMinutesWatched", "averageViewDuration", "averageViewPercentage",
               "subscribersGained", "subscribersLost", "likes", "comments", "shares")


def seconds(iso_duration: str | None) -> int | None:
    """ISO 8601 duration ("PT1M5S", "P1DT2H") in seconds; None when absent or unreadable."""
    m = _DURATION.match(iso_duration or "")
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (int(x or 0) for x in m.groups())
    return ((d * 24 + h) * 60 + mi) * 60 + s


def timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def pacific_today() -> date:
    return datetime.now(PACIFIC).date()


def seconds_to_pacific_midnight() -> float:
    now = datetime.now(PACIFIC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return max(1.0, (midnight - now).total_seconds())


def error_reasons(body: Any) -> set[str]:
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return set()
    reasons = {str(e.get("reason")) for e in err.get("errors") or [] if isinstance(e, dict)}
    reasons |= {str(d.get("reason")) for d in err.get("details") or [] if isinstance(d, dict) and d.get("reason")}
    return reasons


def _count(stats: dict, key: str) -> int | None:
    value = stats.get(key)
    return int(value) if value is not None else None


def video(v: dict, owner_comments: list[str]) -> PostData:
    """One video resource (snippet, contentDetails, statistics, status). Counts the owner turned
    off (comments, ratings) are absent on YouTube: they are listed in details, not invented."""
    snippet, stats = v["snippet"], v.get("statistics") or {}
    length = seconds((v.get("contentDetails") or {}).get("duration"))
    counts = {"views": _count(stats, "viewCount"), "likes": _count(stats, "likeCount"),
              "comments": _count(stats, "commentCount")}
    thumbs = snippet.get("thumbnails") or {}
    best = next((thumbs[k]["url"] for k in ("maxres", "standard", "high", "medium", "default")
                 if isinstance(thumbs.get(k), dict) and thumbs[k].get("url")), None)
    status = v.get("status") or {}
    details = {"title": snippet.get("title", ""), "description": snippet.get("description", ""),
               "thumbnail": best, "duration_s": length or None, "category_id": snippet.get("categoryId"),
               "privacy": status.get("privacyStatus"), "upload_status": status.get("uploadStatus"),
               "not_given": [k for k, n in counts.items() if n is None], "owner_comment_ids": owner_comments}
    return PostData(
        platform_post_id=str(v["id"]), posted_at=timestamp(snippet["publishedAt"]),
        post_type="short" if length and length <= SHORT_MAX_SECONDS else "video",
        caption=snippet.get("title", ""), url=f"https://www.youtube.com/watch?v={v['id']}",
        views=counts["views"] or 0, likes=counts["likes"] or 0, comments=counts["comments"] or 0,
        hashtags=[str(t) for t in snippet.get("tags") or []],
        details={k: val for k, val in details.items() if val not in (None, [], "")},
    )


def comment(c: dict, video_id: str, parent: str = "") -> CommentData:
    s = c["snippet"]
    return CommentData(
        platform_comment_id=str(c["id"]), platform_post_id=video_id, posted_at=timestamp(s["publishedAt"]),
        author=str(s.get("authorDisplayName", "")), text=str(s.get("textOriginal") or s.get("textDisplay") or ""),
        likes=int(s.get("likeCount") or 0), parent_platform_id=parent or str(s.get("parentId") or ""),
        hidden=s.get("moderationStatus", "published") != "published",
    )


def author_channel(c: dict) -> str:
    return str(((c.get("snippet") or {}).get("authorChannelId") or {}).get("value", ""))


def table(result: dict) -> list[dict[str, Any]]:
    """An Analytics result table as one dict per row (no `rows`: no data)."""
    names = [h["name"] for h in result["columnHeaders"]]
    return [dict(zip(names, row, strict=True)) for row in result.get("rows") or []]


def days(rows: list[dict], subscribers: int | None, total_views: int | None, video_count: int | None,
         published: list[date], today: date) -> list[MetricDay]:
    """Daily rows from Analytics, subscribers rebuilt backwards from today's total with each day's
    gained − lost; today's row from the channel's statistics. Without a total (the channel hides
    it) there is no subscriber count to report: no rows rather than zeros."""
    if subscribers is None:
        return []
    by_day: dict[date, dict] = {date.fromisoformat(str(r["day"])): r for r in rows}
    running = subscribers
    out: dict[date, MetricDay] = {}
    for d in sorted(by_day, reverse=True):
        r = by_day[d]
        metrics = {m: r[m] for m in DAY_METRICS if r.get(m) is not None}
        engagement = sum(int(r.get(m) or 0) for m in ("likes", "comments", "shares"))
        content = video_count - sum(1 for p in published if p > d) if video_count is not None else 0
        out[d] = MetricDay(date=d, follower_count=running, engagement_total=engagement,
                           content_count=max(0, content), metrics=metrics)
        running -= int(r.get("subscribersGained") or 0) - int(r.get("subscribersLost") or 0)
    extra = {"total_views": total_views, "subscriber_count_rounded": True}
    if today in out:
        out[today].metrics.update({k: v for k, v in extra.items() if v is not None})
    else:
        out[today] = MetricDay(date=today, follower_count=subscribers, content_count=video_count or 0,
                               metrics={k: v for k, v in extra.items() if v is not None})
    return sorted(out.values(), key=lambda m: m.date)


def shares(rows: list[dict], key: str, metric: str = "views", names: dict[str, str] | None = None) -> dict[str, float]:
    total = sum(float(r.get(metric) or 0) for r in rows)
    if not total:
        return {}
    out: dict[str, float] = {}
    for r in rows:
        name = (names or {}).get(str(r[key]), str(r[key]))
        out[name] = out.get(name, 0.0) + float(r.get(metric) or 0) / total
    return {k: round(v, 4) for k, v in out.items()}


def demographics(rows: list[dict]) -> dict[str, dict[str, float]]:
    """ageGroup × gender viewerPercentage cells, as age and gender shares."""
    return {"age": shares(rows, "ageGroup", "viewerPercentage", _AGES),
            "gender": shares(rows, "gender", "viewerPercentage", _GENDERS)}
