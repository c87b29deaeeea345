"""The dashboard's numbers for a range, to take away: one JSON object, or a tidy CSV table
(section, platform, date, item, metric, value), exactly what `dashboard_data` shows.

With a platform, the parts of the dashboard that are per platform are that platform's, and the
quick stats are its own; without one, the whole workspace's.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from dreamsuite import db
from dreamsuite.analytics import engagement as eng
from dreamsuite.services import series as sr
from dreamsuite.services.dashboard import dashboard_data
from dreamsuite.services.platform_page import plain_caption
from dreamsuite.services.scope import Scope

CSV_COLUMNS = ("section", "platform", "date", "item", "metric", "value")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUICK_STATS = ("total_followers", "change", "change_pct", "change_24h", "change_7d", "change_7d_pct", "change_30d",
               "engagement_7d", "engagement_rate", "engagement_basis", "posts_count", "top_engagement_platform")
POST_NUMBERS = ("likes", "comments", "shares", "saves", "views", "reach", "interactions", "rate")
_PER_PLATFORM_DICTS = ("series", "audience", "anomalies", "forecasts", "forecast_method")


def jsonable(value: Any) -> Any:
    """Dates and times as ISO strings, tuples as lists, all the way down."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _only(dash: dict, platform: str) -> dict:
    """The dashboard's per-platform parts, that platform's only."""
    out = dict(dash)
    out["platforms"] = [r for r in dash.get("platforms") or [] if r.get("platform") == platform]
    out["comparison"] = [r for r in dash.get("comparison") or [] if r.get("platform") == platform]
    out["engagement"] = [r for r in dash.get("engagement") or [] if len(r) > 1 and r[1] == platform]
    out["top_posts"] = [p for p in dash.get("top_posts") or [] if p.get("platform") == platform]
    for key in _PER_PLATFORM_DICTS:
        out[key] = {k: v for k, v in (dash.get(key) or {}).items() if k == platform}
    return out


def _platform_types(scope: Scope, platform: str, start: date, end: date, followers: int | None) -> list[dict]:
    with db.session() as s:
        posts = [p for p in sr.post_rows(s, scope, start, end) if p["platform"] == platform]
    return [{"key": g.key, "avg_rate": g.avg_rate, "posts": g.posts, "basis": g.basis}
            for g in eng.by_type(posts, {platform: followers} if followers else None)]


def _quick(dash: dict, platform: str | None) -> dict:
    if not platform:
        return {k: dash.get(k) for k in QUICK_STATS}
    row = next(iter(dash["platforms"]), {})
    compared = next(iter(dash["comparison"]), {})
    return {"total_followers": row.get("followers"), "change": row.get("change"), "change_pct": row.get("change_pct"),
            "change_7d": row.get("change_7d"), "engagement_rate": compared.get("engagement_rate"),
            "engagement_basis": compared.get("basis"), "posts_count": compared.get("posts")}


def export_data(scope: Scope, workspace_name: str, start: date | None = None, end: date | None = None,
                platform: str | None = None) -> dict:
    """Everything the dashboard shows for the range, as one JSON-ready object."""
    dash = jsonable(dashboard_data(scope, start=start, end=end))
    if platform:
        dash = _only(dash, platform)
        if dash.get("start") and dash.get("end"):
            followers = next((r["followers"] for r in dash["platforms"]), None)
            dash["content_types"] = _platform_types(scope, platform, date.fromisoformat(dash["start"]),
                                                    date.fromisoformat(dash["end"]), followers)
    return {"workspace": workspace_name, "platform": platform, "generated_at": db.utcnow().isoformat(),
            "timezone": dash.get("timezone"), "start": dash.get("start"), "end": dash.get("end"),
            "quick_stats": _quick(dash, platform), "dashboard": dash}


# ------------------------------------------------------------------ CSV
def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: text starting like a formula gets a leading quote.
    Numbers stay numbers (a negative change is a number, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_rows(data: dict) -> list[tuple]:
    dash, end = data["dashboard"], data.get("end") or ""
    rows: list[tuple] = []
    scope_name = data.get("platform") or "all"
    for key, value in data["quick_stats"].items():
        if value is not None:
            rows.append(("quick_stats", scope_name, end, "", key, value))
    for platform, points in sorted((dash.get("series") or {}).items()):
        rows += [("followers", platform, day, "", "followers", v) for day, v in points]
    for r in dash.get("platforms") or []:
        rows += [("platform_summary", r["platform"], r.get("date") or end, "", k, r.get(k))
                 for k in ("followers", "change", "change_pct", "change_7d") if r.get(k) is not None]
    for r in dash.get("comparison") or []:
        rows += [("engagement_by_platform", r["platform"], end, "", k, r.get(k))
                 for k in ("engagement_rate", "posts", "growth_pct", "share", "audience") if r.get(k) is not None]
    for day, platform, rate in dash.get("engagement") or []:
        if rate is not None:
            rows.append(("engagement_over_time", platform, day, dash.get("engagement_step", ""), "engagement_rate",
                         rate))
    for t in dash.get("content_types") or []:
        rows += [("engagement_by_type", scope_name, end, t["key"], k, t.get(k))
                 for k in ("avg_rate", "posts") if t.get(k) is not None]
    for p in dash.get("top_posts") or []:
        item = plain_caption(p.get("caption"), 200) or str(p.get("id", ""))
        day = str(p.get("posted_at") or "")[:10]
        rows += [("top_posts", p["platform"], day, item, k, p.get(k)) for k in POST_NUMBERS if p.get(k) is not None]
        rows += [("top_posts", p["platform"], day, item, "type", p.get("type") or ""),
                 ("top_posts", p["platform"], day, item, "url", p.get("url") or "")]
    return rows


def csv_text(rows: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


# ------------------------------------------------------------------ names
def slug(name: str) -> str:
    """"Nova Lane & The Waves" → "nova-lane-the-waves" (ASCII, for a file name)."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "workspace"


def file_name(workspace_name: str, data: dict, ext: str) -> str:
    span = f"{data.get('start')}_to_{data.get('end')}" if data.get("start") else "no-data"
    platform = f"-{data['platform']}" if data.get("platform") else ""
    return f"dreamsuite-{slug(workspace_name)}{platform}-{span}.{ext}"
