"""An insight's "what this is based on", in words: each number it quotes with where it comes
from (the source kinds of `insights/sources.py`), and the tables it read."""

from __future__ import annotations

from datetime import date
from typing import Any

from dreamsuite.platforms import platform_label

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RATE_KINDS = ("avg_rate", "slot_rate")
DATE_KINDS = ("goal_deadline", "forecast_reaches", "release")


def _day(value: Any) -> str:
    try:
        d = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{d.day} {d:%b %Y}"


def _where(src: dict) -> str:
    p = src.get("platform")
    return "all platforms" if not p or p == "all" else platform_label(str(p))


def _span(src: dict) -> str:
    if src.get("from") and src.get("to"):
        return f"{_day(src['from'])} to {_day(src['to'])}"
    return ""


def _plural(kind: Any) -> str:
    k = str(kind or "post")
    return k if k.endswith("s") else k + "s"


def source_words(src: dict) -> str:
    """Where one figure comes from, e.g. "Instagram followers on 3 Mar 2026"."""
    kind = src.get("kind") or ""
    where, span = _where(src), _span(src)
    if kind == "followers":
        return f"{where} followers on {_day(src.get('date'))}"
    if kind == "followers_change":
        return f"change in {where} followers from {span}"
    if kind == "usual_change":
        d = src.get("date")
        weekday = WEEKDAYS[date.fromisoformat(str(d)[:10]).weekday()] if d else "day"
        return f"the usual change in {where} followers on a {weekday} in the weeks before {_day(d)}"
    if kind == "metric_sum":
        return f"{where} {str(src.get('key') or 'numbers').replace('_', ' ')} added up, {span}"
    if kind == "avg_rate":
        return f"average engagement rate of your {where} {_plural(src.get('type'))} posted {span}"
    if kind == "posts":
        return f"{where} {_plural(src.get('type'))} posted {span} with an engagement rate"
    if kind in ("slot_rate", "slot_posts"):
        try:
            hour = int(src.get("hour"))
            slot = f"on {WEEKDAYS[int(src.get('weekday'))]}s {hour:02d}:00–{(hour + 1) % 24:02d}:00"
        except (TypeError, ValueError, IndexError):
            slot = "in that hour"
        tz = f" ({src['tz']})" if src.get("tz") else ""
        what = "average engagement rate of posts" if kind == "slot_rate" else "posts with an engagement rate"
        return f"{what} published {slot}{tz}" + (f", {span}" if span else "")
    if kind == "goal_target":
        return "your goal's target"
    if kind == "goal_deadline":
        return "your goal's deadline"
    if kind == "goal_current":
        return f"followers counted for the goal on {_day(src.get('date'))}"
    if kind == "forecast_reaches":
        return "the first day the forecast's expected line reaches the target"
    if kind == "release":
        return "the day of your latest release (single, EP or album)"
    if kind == "window":
        return "the period looked at, in days"
    if kind == "ad_gain":
        return f"expected gain a day in {src.get('currency') or 'your currency'}, the promotion brain's estimate"
    if kind == "ad_confidence":
        return "how sure the promotion brain is of it"
    return kind.replace("_", " ") or "a number we computed"


def value_words(value: Any, kind: str) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        if kind in RATE_KINDS:
            return f"{value:.2f}%"
        if kind in ("followers_change", "usual_change"):
            return f"{value:+,.0f}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if kind in DATE_KINDS:
        return _day(value)
    return str(value)


def basis(figures: dict | None) -> list[str]:
    """Each quoted number with its source: "12,345 — Instagram followers on 3 Mar 2026"."""
    out = []
    for name, fig in (figures or {}).items():
        if isinstance(fig, dict) and "value" in fig:
            src = fig.get("source") if isinstance(fig.get("source"), dict) else {}
            out.append(f"{value_words(fig['value'], src.get('kind', ''))} — {source_words(src)}")
        else:
            out.append(f"{value_words(fig, '')} — {str(name).replace('_', ' ')}")
    return out


TABLES = {"daily_metric": "daily numbers", "content_post": "posts", "goal": "goals", "forecast": "follower forecast",
          "audience_snapshot": "audience", "comment": "comments"}


def sources_sentence(sources: list | None) -> str:
    """"Read from your daily Instagram numbers and your goals." (empty when none is named)."""
    parts = []
    for src in sources or []:
        if not isinstance(src, dict):
            continue
        table = TABLES.get(str(src.get("table")), str(src.get("table") or "").replace("_", " "))
        if not table:
            continue
        if src.get("platform") and table in ("daily numbers", "posts"):
            part = f"your {platform_label(str(src['platform']))} {table}" if table == "posts" \
                else f"your daily {platform_label(str(src['platform']))} numbers"
        elif table == "follower forecast":
            part = "the follower forecast"
        else:
            part = f"your {table}"
        if src.get("what"):
            part += f" ({src['what']})"
        if part not in parts:
            parts.append(part)
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Read from {joined}."
