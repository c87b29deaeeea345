"""When to post: engagement by weekday and hour in the artist's own timezone, weekday
against weekend, how often they post, and whether posting more went with growing more.

Times are converted with zoneinfo, so a post at 18:00 local time lands in the 18:00 slot
on both sides of a daylight-saving change. A slot's evidence is the number of its posts
that have a rate (see engagement.post_rate): "ok" from 3, "thin" for 1–2, "none" for 0.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dreamsuite.analytics.engagement import followers_for, raw_rate, posted_at
from dreamsuite.analytics.growth import daily_changes

OK_POSTS = 3
WEEKEND = (5, 6)  # Saturday, Sunday
SAME_BAND = 0.10  # rates within ±10 % of each other are "no difference"
MIN_WEEKS = 8  # fewer weeks than this and a correlation says nothing
LINK = 0.5  # |Spearman| from which a link is named
_EVIDENCE_ORDER = {"ok": 0, "thin": 1, "none": 2}


def zone(tz: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(tz or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_posts(posts: Iterable[Mapping] | None, tz: str | None,
                followers_by_platform: Mapping | None = None) -> list[tuple[datetime, float | None]]:
    """(local time, rate or None) of every post with a readable time; [] for an unknown zone."""
    z = zone(tz)
    if z is None:
        return []
    out = []
    for p in posts or ():
        if not isinstance(p, Mapping) or (at := posted_at(p)) is None:
            continue
        r = raw_rate(p, followers_for(p, followers_by_platform))
        out.append((at.astimezone(z), r[0] if r else None))
    return out


def _mean(xs: Sequence[float]) -> float | None:
    return round(sum(xs) / len(xs), 2) if xs else None


def _evidence(n: int) -> str:
    return "ok" if n >= OK_POSTS else "thin" if n else "none"


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 Monday … 6 Sunday, local time
    hour: int  # 0–23, local time
    posts: int
    avg_rate: float | None  # mean rate of the slot's rated posts, %
    evidence: str  # "ok" (≥ 3 rated posts) | "thin" (1–2) | "none"

    def as_dict(self) -> dict:  # by hand: dataclasses.asdict deep-copies, 168 times per heatmap
        return {"weekday": self.weekday, "hour": self.hour, "posts": self.posts, "avg_rate": self.avg_rate,
                "evidence": self.evidence}


def best_times(posts: Iterable[Mapping] | None, tz: str, followers_by_platform: Mapping | None = None) -> list[Slot]:
    """All 168 weekday × hour slots, best first: every "ok" slot by its average rate, then
    the "thin" ones, then the empty ones — a thin slot never ranks above an ok one. The
    same list is the heatmap's grid (see `as_grid`). [] for an unknown timezone."""
    if zone(tz) is None:
        return []
    cells: dict[tuple[int, int], list] = {(d, h): [] for d in range(7) for h in range(24)}
    for at, rate in local_posts(posts, tz, followers_by_platform):
        cells[(at.weekday(), at.hour)].append(rate)
    counts = {}
    for cell, rates in cells.items():
        rated = [r for r in rates if r is not None]
        counts[cell] = (len(rates), len(rated), sum(rated))
    return slots_from_counts(counts)


def slots_from_counts(counts: Mapping[tuple[int, int], tuple[int, int, float]]) -> list[Slot]:
    """The 168 slots, best first, from {(weekday, hour): (posts, rated posts, sum of their rates)}
    (slots not given have no posts) — for callers that tallied the posts in one pass."""
    slots = []
    for d in range(7):
        for h in range(24):
            posts, rated, total = counts.get((d, h), (0, 0, 0.0))
            slots.append(Slot(d, h, posts, round(total / rated, 2) if rated else None, _evidence(rated)))
    return sorted(slots, key=lambda s: (_EVIDENCE_ORDER[s.evidence], -(s.avg_rate or 0), -s.posts,
                                        s.weekday, s.hour))


def as_grid(slots: Iterable[Slot]) -> list[list[float | None]]:
    """7 rows (Monday first) × 24 hours of average rates, None where there is no rate."""
    grid: list[list[float | None]] = [[None] * 24 for _ in range(7)]
    for s in slots:
        grid[s.weekday][s.hour] = s.avg_rate
    return grid


@dataclass(frozen=True)
class WeekSplit:
    weekday_posts: int
    weekday_rate: float | None
    weekend_posts: int
    weekend_rate: float | None
    difference_pct: float | None  # the weekend's rate against the weekdays', %
    verdict: str  # "weekend" | "weekday" | "no difference" | "not enough posts"

    def as_dict(self) -> dict:
        return asdict(self)


def weekday_vs_weekend(posts: Iterable[Mapping] | None, tz: str = "UTC",
                       followers_by_platform: Mapping | None = None) -> WeekSplit:
    """Average rate of posts made Monday–Friday against Saturday–Sunday (local time). A side
    needs 3 rated posts before a verdict is given."""
    lp = local_posts(posts, tz, followers_by_platform)
    week = [r for at, r in lp if at.weekday() not in WEEKEND]
    end = [r for at, r in lp if at.weekday() in WEEKEND]
    wr, er = [r for r in week if r is not None], [r for r in end if r is not None]
    a, b = _mean(wr), _mean(er)
    diff = round((b - a) / a * 100, 1) if a and b is not None else None
    if len(wr) < OK_POSTS or len(er) < OK_POSTS:
        verdict = "not enough posts"
    elif abs(sum(er) / len(er) - sum(wr) / len(wr)) <= SAME_BAND * (sum(wr) / len(wr)):
        verdict = "no difference"
    else:
        verdict = "weekend" if b > a else "weekday"
    return WeekSplit(len(week), a, len(end), b, diff, verdict)


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def posting_frequency(posts: Iterable[Mapping] | None, weeks: int = 12, tz: str = "UTC",
                      end: date | None = None) -> list[tuple[date, int]]:
    """Posts per week (weeks start on Monday, local time) for the `weeks` weeks ending with
    the week of `end` (default: the latest post's), weeks without posts included as 0."""
    days = [at.date() for at, _ in local_posts(posts, tz)]
    if weeks < 1 or (end is None and not days):
        return []
    last = week_start(end or max(days))
    starts = [last - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(starts, 0)
    for d in days:
        if (w := week_start(d)) in counts:
            counts[w] += 1
    return sorted(counts.items())


@dataclass(frozen=True)
class FrequencyGrowth:
    n: int  # complete weeks compared
    pearson: float | None
    spearman: float | None
    # "not enough weeks" (under 8) | "no variation" | "positive" | "negative" | "no clear link".
    # A correlation, not a cause: weeks with more posts may simply be release weeks.
    verdict: str
    weeks: list[tuple[date, int, int]] = field(default_factory=list)  # (Monday, posts, follower change)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["weeks"] = [[w.isoformat(), p, c] for w, p, c in self.weeks]
        return d


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 3 or n != len(ys):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return round(max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy))), 4)


def ranks(xs: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    return pearson(ranks(xs), ranks(ys)) if len(xs) == len(ys) else None


def frequency_vs_growth(posts: Iterable[Mapping] | None, follower_series, tz: str = "UTC") -> FrequencyGrowth:
    """Posts per week against the week's follower change, over the weeks (Monday–Sunday) whose
    seven daily changes are all known."""
    by_week: dict[date, list[int]] = {}
    for d, c in daily_changes(follower_series or []):
        by_week.setdefault(week_start(d), []).append(c)
    full = {w: sum(cs) for w, cs in by_week.items() if len(cs) == 7}
    counts = dict.fromkeys(full, 0)
    for at, _ in local_posts(posts, tz):
        if (w := week_start(at.date())) in counts:
            counts[w] += 1
    weeks = [(w, counts[w], full[w]) for w in sorted(full)]
    xs, ys = [p for _, p, _ in weeks], [c for _, _, c in weeks]
    r, rho = pearson(xs, ys), spearman(xs, ys)
    if len(weeks) < MIN_WEEKS:
        verdict = "not enough weeks"
    elif rho is None:
        verdict = "no variation"
    elif rho >= LINK:
        verdict = "positive"
    elif rho <= -LINK:
        verdict = "negative"
    else:
        verdict = "no clear link"
    return FrequencyGrowth(len(weeks), r, rho, verdict, weeks)
