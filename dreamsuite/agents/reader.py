"""The agents' only way to the data: one workspace's numbers, read through the services.

Tools receive it in their deps and call it; they never open sessions or import services
themselves, so what an agent can see is exactly what this class reads for its scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from dreamsuite.db import reading
from dreamsuite.models import (
    ConnectionStatus, DailyMetric, DestinationStatus, FollowerAnomaly, PlatformConnection, PostDestination,
    PostStatus, ScheduledPost, StoredForecast,
)
from dreamsuite.platforms import UnknownPlatform, get_adapter, platform_label
from dreamsuite.platforms.catalog import DECLARED
from dreamsuite.services import series as sr
from dreamsuite.services.scope import Scope


@dataclass
class WorkspaceReader:
    scope: Scope
    today_override: date | None = None
    _today: date | None = field(default=None, init=False, repr=False)
    _inventory: dict | None = field(default=None, init=False, repr=False)

    def today(self) -> date:
        """Today in the artist's timezone (or the fixed day a test or a replay asks for)."""
        if self.today_override is not None:
            return self.today_override
        if self._today is None:
            with reading() as s:
                self._today = sr.workspace_today(s, self.scope)
        return self._today

    def timezone(self) -> str:
        with reading() as s:
            return sr.workspace_zone_name(s, self.scope)

    def followers_now(self) -> dict[str, int]:
        """Each platform's latest follower count (the base of a rate where a post has no reach)."""
        series = sr.by_platform(self.metric_rows(since=self.today() - timedelta(days=60)))
        return {p: pts[-1][1] for p, pts in series.items() if pts and pts[-1][1] > 0}

    def follower_series(self, since: date | None = None) -> dict[str, list]:
        """Followers per platform and day from `since` (None: all history), accounts summed in
        SQL and read as tuples: an all-time question on years of data stays fast."""
        with reading() as s:
            return sr.platform_series(s, self.scope, since or date(1970, 1, 1), date(9999, 12, 31))

    def platform_metrics(self, platform: str) -> list:
        """The platform's own daily numbers we keep, as the platform pages describe them
        (services/platform_specs.py: key, label, unit, scale and how days add up)."""
        from dreamsuite.services.platform_specs import spec_for

        spec = spec_for(platform)
        return [m for chart in spec.charts for m in chart.metrics] + list(spec.snapshot)

    def metric_series(self, key: str, first: date, last: date) -> dict[str, list]:
        with reading() as s:
            return sr.metric_series(s, self.scope, key, first, last)

    def metric_rows(self, since: date | None = None) -> list[sr.PlatformDay]:
        with reading() as s:
            return sr.metric_rows(s, self.scope, since=since)

    def posts(self, since: date | None = None) -> list[dict]:
        with reading() as s:
            return sr.post_dicts(s, self.scope, since=since)

    def latest_metric_date(self) -> date | None:
        with reading() as s:
            return sr.latest_metric_date(s, self.scope)

    def latest_release(self) -> date | None:
        """The day of the newest release (a single, EP or album) of the last 180 days."""
        from dreamsuite.services import analysis

        with reading() as s:
            return analysis.release_date(s, self.scope.workspace_id, self.today())

    def goals(self) -> list[dict]:
        from dreamsuite.services import goals

        return goals.views(self.scope)

    def forecast(self, platform: str | None) -> dict | None:
        """The stored forecast of a platform (None: every platform added up), computed by the
        worker after each sync: {"method", "level", "points": [[iso, mean, lo, hi], ...]}."""
        ws = self.scope.workspace_id
        with reading() as s:
            row = s.exec(select(StoredForecast).where(StoredForecast.workspace_id == ws,
                                                      StoredForecast.platform == (platform or "all"),
                                                      StoredForecast.metric == "followers")).first()
            return {"method": row.method, "level": row.level, "points": list(row.points)} if row else None

    def unusual_days(self, first: date | None, last: date, platform: str | None) -> list[dict]:
        ws = self.scope.workspace_id
        with reading() as s:
            q = select(FollowerAnomaly).where(FollowerAnomaly.workspace_id == ws, FollowerAnomaly.date <= last)
            if first is not None:
                q = q.where(FollowerAnomaly.date >= first)
            if platform:
                q = q.where(FollowerAnomaly.platform == platform)
            rows = s.exec(q.order_by(FollowerAnomaly.date)).all()
            return [{"platform": r.platform, "label": platform_label(r.platform), "date": r.date.isoformat(),
                     "change": int(round(r.change)), "expected": int(round(r.expected)), "kind": r.kind,
                     "followers": r.followers} for r in rows]

    def insights(self, limit: int) -> list[dict]:
        """The current insight feed (most urgent first, then newest), as the Insights page has it."""
        from dreamsuite.services import insights

        return insights.feed(self.scope, limit=limit)

    def upcoming_posts(self, until: datetime) -> list[dict]:
        """Posts waiting to go out (scheduled or going out now) before `until`, soonest first,
        each with its destinations' platforms and times in the post's own timezone."""
        ws = self.scope.workspace_id
        with reading() as s:
            posts = s.exec(select(ScheduledPost).where(
                ScheduledPost.workspace_id == ws, ScheduledPost.scheduled_at <= until,
                ScheduledPost.status.in_([PostStatus.scheduled, PostStatus.publishing]))
                .order_by(ScheduledPost.scheduled_at, ScheduledPost.id)).all()
            ids = [p.id for p in posts]
            dests = s.exec(select(PostDestination.post_id, PlatformConnection.platform)
                           .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
                           .where(PostDestination.workspace_id == ws, PostDestination.post_id.in_(ids),
                                  PostDestination.status.in_([DestinationStatus.pending,
                                                              DestinationStatus.publishing]))).all() if ids else []
        platforms: dict[int, list[str]] = {}
        for post_id, platform in dests:
            platforms.setdefault(post_id, [])
            if platform not in platforms[post_id]:
                platforms[post_id].append(platform)
        return [{"id": p.id, "content": p.content, "status": p.status, "timezone": p.timezone,
                 "scheduled_at": _aware(p.scheduled_at).isoformat(),
                 "local": _aware(p.scheduled_at).astimezone(ZoneInfo(p.timezone)).isoformat(),
                 "platforms": sorted(platforms.get(p.id, []))} for p in posts]

    def inventory(self) -> dict:
        """What is connected, since when numbers exist, and what each platform cannot give. Read
        once per reader (one agent run): the instructions and every tool call ask for it."""
        if self._inventory is None:
            self._inventory = self._read_inventory()
        return self._inventory

    def _read_inventory(self) -> dict:
        ws = self.scope.workspace_id
        with reading() as s:
            conns = s.exec(select(PlatformConnection.platform, PlatformConnection.username,
                                  PlatformConnection.status)
                           .where(PlatformConnection.workspace_id == ws,
                                  PlatformConnection.status != ConnectionStatus.revoked)).all()
            days = {p: (a, b) for p, a, b in s.exec(
                select(DailyMetric.platform, func.min(DailyMetric.date), func.max(DailyMetric.date))
                .where(DailyMetric.workspace_id == ws).group_by(DailyMetric.platform)).all()}
        platforms: dict[str, dict] = {}
        for platform, username, status in conns:
            entry = platforms.setdefault(platform, {"platform": platform, "label": platform_label(platform),
                                                    "accounts": [], "first_day": None, "last_day": None,
                                                    "unavailable": unavailable_metrics(platform)})
            entry["accounts"].append({"username": username or "", "status": str(status)})
            if platform in days:
                first, last = days[platform]
                entry["first_day"], entry["last_day"] = _iso(first), _iso(last)
        no_api = [c.label for c in DECLARED if not c.has_api]
        return {"today": self.today().isoformat(), "connected": sorted(platforms.values(), key=lambda e: e["label"]),
                "without_public_api": no_api}


def _aware(value: datetime) -> datetime:
    # SQLite hands datetimes back naive; they are stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value)[:10] if value else None)


def unavailable_metrics(platform: str) -> dict[str, str]:
    """What the platform's public API does not give, and why ({} for a name we do not know)."""
    try:
        return dict(get_adapter(platform).unavailable_metrics)
    except UnknownPlatform:
        return {}
