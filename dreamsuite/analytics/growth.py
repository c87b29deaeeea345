"""Follower growth over a (date, followers) series.

Every function accepts an unsorted, possibly empty series and answers None rather than
raising when there is not enough data: a new account has one point, a stale one none.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

Point = tuple[date, int]

PERIODS = ("this_month", "last_month", "last_7_days", "last_30_days", "last_90_days", "all")
_LAST_N = re.compile(r"^last_(\d{1,3})_days$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_DAYS = 730


@dataclass(frozen=True)
class Growth:
    start_date: date  # the baseline point's date
    end_date: date
    start_followers: int
    end_followers: int
    change: int
    pct: float | None  # None when the baseline is 0
    # False when the series starts inside the window: the change covers less than asked.
    complete: bool

    def as_dict(self) -> dict:
        d = asdict(self)
        d["start_date"], d["end_date"] = self.start_date.isoformat(), self.end_date.isoformat()
        return d


def clean(series: Iterable[Point]) -> list[Point]:
    """Sorted by date, one point per date (the last one given wins)."""
    by_date: dict[date, int] = {}
    for d, v in series:
        if d is not None and v is not None:
            by_date[d] = int(v)
    return sorted(by_date.items())


def pct(change: int | float, base: int | float) -> float | None:
    return round(change / base * 100, 2) if base else None


def current_followers(series: Iterable[Point]) -> int | None:
    s = clean(series)
    return s[-1][1] if s else None


def growth_between(series: Iterable[Point], start: date | None, end: date) -> Growth | None:
    """Change from the close of the day before `start` (None: the first point) to the last point <= `end`."""
    s = clean(series)
    inside = [p for p in s if (start is None or p[0] >= start) and p[0] <= end]
    if not inside:
        return None
    before = [p for p in s if start is not None and p[0] < start]
    base = before[-1] if before else inside[0]
    last = inside[-1]
    change = last[1] - base[1]
    return Growth(base[0], last[0], base[1], last[1], change, pct(change, base[1]),
                  complete=bool(before) or start is None)


def change_over_days(series: Iterable[Point], days: int, end: date | None = None) -> Growth | None:
    """Change over the `days` days ending on `end` (default: the latest point)."""
    s = clean(series)
    if not s or days < 1:
        return None
    end = end or s[-1][0]
    return growth_between(s, end - timedelta(days=days - 1), end)


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def period_range(period: str, today: date) -> tuple[date | None, date] | None:
    """(start, end) of a named period, start None for "all"; None if the name is not understood."""
    p = (period or "").strip().lower()
    if p == "this_month":
        return today.replace(day=1), today
    if p == "last_month":
        prev = today.replace(day=1) - timedelta(days=1)
        return month_range(prev.year, prev.month)
    if p == "all":
        return None, today
    if m := _LAST_N.match(p):
        n = int(m.group(1))
        return (today - timedelta(days=n - 1), today) if 1 <= n <= MAX_DAYS else None
    if m := _MONTH.match(p):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12 and 2000 <= y <= today.year and date(y, mo, 1) <= today:
            start, end = month_range(y, mo)
            return start, min(end, today)
    return None


def growth_for_period(series: Iterable[Point], period: str, today: date) -> Growth | None:
    rng = period_range(period, today)
    return growth_between(series, *rng) if rng else None


def daily_changes(series: Iterable[Point]) -> list[Point]:
    """Change per day, only across consecutive days (a gap is not one day's growth)."""
    s = clean(series)
    return [(b[0], b[1] - a[1]) for a, b in zip(s, s[1:]) if (b[0] - a[0]).days == 1]


def sum_by_date(many: Iterable[Sequence[Point]]) -> list[Point]:
    """Add several series date by date (e.g. daily changes of each platform)."""
    total: dict[date, int] = {}
    for series in many:
        for d, v in series:
            total[d] = total.get(d, 0) + v
    return sorted(total.items())


def best_day(series: Iterable[Point]) -> Point | None:
    changes = daily_changes(series)
    return max(changes, key=lambda p: (p[1], p[0])) if changes else None


def worst_day(series: Iterable[Point]) -> Point | None:
    changes = daily_changes(series)
    return min(changes, key=lambda p: (p[1], p[0])) if changes else None


def average_daily_growth(series: Iterable[Point]) -> float | None:
    s = clean(series)
    if len(s) < 2:
        return None
    return round((s[-1][1] - s[0][1]) / (s[-1][0] - s[0][0]).days, 2)


def combine_growth(items: Iterable[Growth | None]) -> Growth | None:
    """Total growth across platforms: each keeps its own baseline, so a platform
    connected mid-window adds no fake jump."""
    gs = [g for g in items if g is not None]
    if not gs:
        return None
    start = sum(g.start_followers for g in gs)
    end = sum(g.end_followers for g in gs)
    return Growth(min(g.start_date for g in gs), max(g.end_date for g in gs), start, end,
                  end - start, pct(end - start, start), all(g.complete for g in gs))
