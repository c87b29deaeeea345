"""Platforms side by side: audience, growth normalised for audience size (a % of where each
started), engagement rate, and each one's share of the whole audience."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping

from dreamsuite.analytics.engagement import group, posted_at
from dreamsuite.analytics.growth import change_over_days, clean

MIN_RATED = 3  # posts with a rate before a platform's engagement is compared


@dataclass(frozen=True)
class PlatformStat:
    platform: str
    audience: int | None  # the latest value on or before the end
    change: int | None  # over the window
    growth_pct: float | None  # change / audience at the window's start × 100; None from 0
    complete: bool  # the history covers the whole window
    posts: int  # posts made in the window
    engagement_rate: float | None  # the window's posts' average rate, %
    basis: str | None  # "reach" | "followers" | "mixed" (see engagement.post_rate)
    share_pct: float | None  # of the total audience

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    end: date | None
    days: int
    total_audience: int
    platforms: list[PlatformStat] = field(default_factory=list)  # biggest audience first
    # Named only when at least two platforms can be compared (3 rated posts each; for
    # growth, a fully covered window and a non-zero start).
    top_engagement: str | None = None
    fastest_growth: str | None = None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["end"] = self.end.isoformat() if self.end else None
        return d


def _key(platform) -> str:
    return str(platform or "").strip().lower() or "unknown"


def compare(series_by_platform: Mapping[str, Iterable] | None, posts: Iterable[Mapping] | None,
            days: int = 30, end: date | None = None) -> Comparison:
    """Every platform with a series or a post in the `days` days ending on `end` (default:
    the latest day of any series, else of any post)."""
    series = {_key(p): clean(s or []) for p, s in (series_by_platform or {}).items()}
    timed = [(p, posted_at(p)) for p in posts or () if isinstance(p, Mapping)]
    timed = [(p, at.date()) for p, at in timed if at is not None]
    if end is None:
        ends = [s[-1][0] for s in series.values() if s] or [d for _, d in timed]
        end = max(ends) if ends else None
    if end is None or days < 1:
        return Comparison(end, days, 0)
    start = end - timedelta(days=days - 1)
    by_platform: dict[str, list[Mapping]] = {k: [] for k in series}
    for p, d in timed:
        if start <= d <= end:
            by_platform.setdefault(_key(p.get("platform")), []).append(p)
    audience = {k: next((v for d, v in reversed(s) if d <= end), None) for k, s in series.items()}
    total = sum(v for v in audience.values() if v and v > 0)
    stats = []
    for k in by_platform:
        g = change_over_days(series.get(k, []), days, end)
        a = audience.get(k)
        grp = group(k, by_platform[k], {k: a} if a else None)
        stats.append(PlatformStat(
            k, a, g.change if g else None, g.pct if g else None, bool(g and g.complete), grp.posts,
            grp.avg_rate if grp.rated >= MIN_RATED else None, grp.basis if grp.rated >= MIN_RATED else None,
            round(a / total * 100, 2) if total and a and a > 0 else None))
    stats.sort(key=lambda s: (-(s.audience or 0), s.platform))
    rated = [s for s in stats if s.engagement_rate is not None]
    growing = [s for s in stats if s.growth_pct is not None and s.complete]
    top = max(rated, key=lambda s: (s.engagement_rate, s.posts)).platform if len(rated) >= 2 else None
    fastest = max(growing, key=lambda s: (s.growth_pct, s.audience or 0)).platform if len(growing) >= 2 else None
    return Comparison(end, days, total, stats, top, fastest)
