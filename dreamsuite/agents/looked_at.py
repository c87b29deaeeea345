"""What an answer looked at, in words: one short line per tool call, shown under the answer
("Instagram followers, this week · Instagram posts ranked by likes, last 90 days").

Arguments come from a model (a configured LLM may send anything), so every value is read
defensively and an unexpected one falls back to plain words, never an error.
"""

from __future__ import annotations

import re
from datetime import date

from dreamsuite.platforms import platform_label
from dreamsuite.services import promotion_answers as pa

PERIODS = {"today": "today", "yesterday": "yesterday", "this_week": "this week", "last_week": "last week",
           "this_month": "this month", "last_month": "last month", "all": "all time",
           "since_release": "since your latest release"}
# What people and models call the platforms, beside their own names (as the tools accept them).
ALIASES = {"ig": "instagram", "insta": "instagram", "fb": "facebook", "yt": "youtube", "twitter": "x",
           "tik tok": "tiktok", "apple": "apple_music", "amazon": "amazon_music"}
METRICS = {"interactions": "interactions", "likes": "likes", "comments": "comments", "shares": "shares",
           "saves": "saves", "views": "views", "reach": "reach"}


def _platform(args: dict) -> str:
    """The platform's label, or "" for every platform."""
    raw = args.get("platform")
    if not isinstance(raw, str):
        return ""
    name = raw.strip().lower().replace("-", "_")
    if name in ("", "all", "total", "every", "none"):
        return ""
    return platform_label(ALIASES.get(name, name).replace(" ", "_"))


def _day(raw) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def _short(d: date, with_year: bool) -> str:
    return f"{d:%b} {d.day}, {d.year}" if with_year else f"{d:%b} {d.day}"


def window(args: dict, default: str = "last_30_days") -> str:
    """"last 30 days", "this week", "Oct 1 – Oct 31" (explicit dates win over a period's name)."""
    first, last = _day(args.get("start")), _day(args.get("end"))
    if first or last:
        years = first and last and first.year != last.year
        if first and last:
            return _short(first, years) if first == last else f"{_short(first, years)} – {_short(last, years)}"
        return f"since {_short(first, False)}" if first else f"until {_short(last, False)}"
    period = args.get("period") or default
    if not isinstance(period, str):
        return period_name(default)
    return period_name(period)


def period_name(period: str) -> str:
    if period in PERIODS:
        return PERIODS[period]
    if m := re.fullmatch(r"last_(\d+)_days", period):
        return f"last {m.group(1)} days"
    return period.replace("_", " ").strip()


def _int(raw, default: int) -> int:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else default


def _on(platform: str, what: str, across: bool = False) -> str:
    """"Instagram followers" for one platform; "Followers across platforms" (with `across`, where a
    sum over platforms is worth saying) or "Posts ranked by likes" for all."""
    if platform:
        return f"{platform} {what}"
    return f"{what[0].upper()}{what[1:]}" + (" across platforms" if across else "")


def _ranked(args: dict) -> str:
    metric = METRICS.get(str(args.get("metric") or "interactions"), "interactions")
    kind = str(args.get("post_type") or "").strip().lower()
    kind = f"{kind.rstrip('s')}s" if kind and kind.isalpha() else "posts"
    what = f"{kind} ranked by {metric}" + (" (lowest first)" if args.get("order") == "bottom" else "")
    return f"{_on(_platform(args), what)}, {window(args, 'last_90_days')}"


def _forecast(args: dict) -> str:
    days, target = _int(args.get("days"), 30), _int(args.get("target"), 0)
    text = _on(_platform(args), "follower forecast", across=True) + f", next {days} days"
    return text + (f", to {target:,} followers" if target > 0 else "")


def _metric(args: dict) -> str:
    name = str(args.get("metric") or "numbers").replace("_", " ").strip() or "numbers"
    return f"{_on(_platform(args), name, across=True)}, {window(args)}"


def _channel(args: dict) -> str:
    """The ad channel's label ("TikTok ads"), or "" for every channel."""
    raw = args.get("channel")
    try:
        kind = pa.channel_kind(raw) if isinstance(raw, str) else None
    except pa.UnknownChannel:
        kind = None
    return pa.LABELS[kind] if kind else ""


def _ads(args: dict) -> str:
    level = args.get("level") if args.get("level") in ("campaign", "creative") else "channel"
    return f"{_channel(args) or 'Ads'}: spend and returns by {level}, {window(args)}"


def _worth_it(args: dict) -> str:
    creative = args.get("creative")
    named = f" ({creative.strip()[:60]})" if isinstance(creative, str) and creative.strip() else ""
    return f"{_channel(args) or 'Ads'}{named}: worth the money? Last 28 days"


DESCRIBE = {
    "data_inventory": lambda a: "Connected platforms and their data",
    "compare_platforms": lambda a: f"Every platform compared, last {_int(a.get('days'), 30)} days",
    "platform_metric": _metric,
    "follower_growth": lambda a: f"{_on(_platform(a), 'followers', across=True)}, {window(a)}",
    "top_posts": lambda a: f"Top {_int(a.get('limit'), 5)} posts by interactions, last 90 days",
    "engagement_summary": lambda a: "Engagement, last 7 and 30 days",
    "ranked_posts": _ranked,
    "content_performance": lambda a: (_on(_platform(a), "engagement by " + (
        "hashtag" if a.get("by") == "hashtag" else "content type")) + f", {window(a, 'last_90_days')}"),
    "best_times": lambda a: f"{_on(_platform(a), 'best times to post')}, last 90 days",
    "goals_progress": lambda a: "Your goals",
    "forecast": _forecast,
    "unusual_days": lambda a: f"{_on(_platform(a), 'unusual follower days')}, {window(a)}",
    "recent_insights": lambda a: f"Your latest {_int(a.get('limit'), 5)} insights",
    "upcoming_posts": lambda a: f"{_on(_platform(a), 'scheduled posts')}, next {_int(a.get('days'), 7)} days",
    "ad_performance": _ads,
    "ad_worth_it": _worth_it,
    "merch_sales": lambda a: f"Merch sales, {window(a)}",
    "promotion_advice": lambda a: "The promotion brain's " + (
        f"{a['status']} actions" if a.get("status") in ("accepted", "dismissed", "expired") else "next actions"),
}


def describe(tool_name: str, args: dict) -> str:
    """One tool call in words; an unknown tool or odd arguments give plain words, never an error."""
    fallback = (str(tool_name or "data").replace("_", " ").strip() or "data").capitalize()
    fn = DESCRIBE.get(tool_name)
    if fn is None:
        return fallback
    try:
        return fn(args if isinstance(args, dict) else {})
    except Exception:  # a model's odd arguments must not break the page
        return fallback


def describe_all(calls: list[dict]) -> list[str]:
    """Each call of a turn ({"tool", "args"}) in words, each description once, in order."""
    out: list[str] = []
    for call in calls if isinstance(calls, list) else []:
        tool = call.get("tool") if isinstance(call, dict) else None
        if isinstance(tool, str) and tool and (text := describe(tool, call.get("args") or {})) not in out:
            out.append(text)
    return out
