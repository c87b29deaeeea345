"""Follower growth over a (date, followers) series.

Every function accepts an unsorted, possibly empty series and answers None rather than
raising when there is not enough data: a new account has one point, a stale one none.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Iterable, Mapping, Sequence

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


class Sorted(list):
    """A series its maker vouches for: (date, int) points, strictly by date, one per date (the
    database readers build these from GROUP BY/ORDER BY), so `clean` need not check again."""


def _is_clean(series) -> bool:
    """Already a list of (date, int) strictly by date (what the database readers hand over)."""
    if isinstance(series, Sorted):
        return True
    if not isinstance(series, list):
        return False
    for i, p in enumerate(series):
        if type(p) is not tuple or len(p) != 2 or type(p[1]) is not int or not isinstance(p[0], date):
            return False
        if i and not series[i - 1][0] < p[0]:
            return False
    return True


def clean(series: Iterable[Point]) -> list[Point]:
    """Sorted by date, one point per date (the last one given wins)."""
    if _is_clean(series):
        return series  # nothing to fix: the caller's list, not a copy
    by_date: dict[date, int] = {}
    for d, v in series or ():
        if d is not None and v is not None:
            by_date[d] = int(v)
    return sorted(by_date.items())


def _day(point: Point) -> date:
    return point[0]


def pct(change: int | float, base: int | float) -> float | None:
    return round(change / base * 100, 2) if base else None


def current_followers(series: Iterable[Point]) -> int | None:
    s = clean(series)
    return s[-1][1] if s else None


def growth_between(series: Iterable[Point], start: date | None, end: date) -> Growth | None:
    """Change from the close of the day before `start` (None: the first point) to the last point <= `end`."""
    s = clean(series)
    first = 0 if start is None else bisect_left(s, start, key=_day)
    stop = bisect_right(s, end, key=_day)
    if first >= stop:
        return None
    before = first > 0
    base = s[first - 1] if before else s[first]
    last = s[stop - 1]
    change = last[1] - base[1]
    return Growth(base[0], last[0], base[1], last[1], change, pct(change, base[1]),
                  complete=before or start is None)


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


# --- Named windows, rates, acceleration and records -------------------------------------

STEADY_BAND = 0.10  # within ±10 % of the previous period's change counts as steady


def change(series: Iterable[Point], days: int, end: date | None = None) -> Growth | None:
    """Change over the last `days` days ending on `end` (default: the latest point):
    1 = the last 24 hours, 7, 30... `complete` is False when the history starts inside
    the window (the change then covers less than asked)."""
    return change_over_days(series, days, end)


def change_between(series: Iterable[Point], start: date, end: date) -> Growth | None:
    """Change over a custom range of days, `start` and `end` included."""
    if start is None or end is None or start > end:
        return None
    return growth_between(series, start, end)


def growth_rate_per_day(series: Iterable[Point], days: int, end: date | None = None) -> float | None:
    """Compounded growth in % per day over the window (over the days actually covered when
    the history is shorter): 1,000 → 1,210 in two days is 10.0. None without a positive
    baseline, a non-negative end value, or any time between the two points."""
    g = change_over_days(series, days, end)
    if g is None or g.start_followers <= 0 or g.end_followers < 0:
        return None
    span = (g.end_date - g.start_date).days
    if span < 1:
        return None
    return round(((g.end_followers / g.start_followers) ** (1 / span) - 1) * 100, 4)


@dataclass(frozen=True)
class Acceleration:
    days: int
    current: int  # change over the last `days` days
    previous: int  # change over the `days` days before them
    ratio: float | None  # current / previous, only when the previous change was a gain
    # "accelerating" when the change is more than 10 % above the previous period's,
    # "slowing" more than 10 % below, else "steady". Losing fewer followers than before
    # counts as accelerating: the verdict compares the two numbers, nothing else.
    verdict: str

    def as_dict(self) -> dict:
        return asdict(self)


def acceleration(series: Iterable[Point], days: int, end: date | None = None) -> Acceleration | None:
    """This period's change against the previous equal period's; None unless the history
    covers both periods fully (a point on or before the day before the previous period)."""
    s = clean(series)
    if not s or days < 1:
        return None
    end = end or s[-1][0]
    cur = change_over_days(s, days, end)
    prev = change_over_days(s, days, end - timedelta(days=days))
    if cur is None or prev is None or not prev.complete:
        return None
    c, p = cur.change, prev.change
    if abs(c - p) <= STEADY_BAND * abs(p):
        verdict = "steady"
    else:
        verdict = "accelerating" if c > p else "slowing"
    ratio = round(c / p, 4) if p > 0 else None
    return Acceleration(days, c, p, ratio, verdict)


@dataclass(frozen=True)
class Record:
    metric: str
    date: date
    value: float
    previous_high: float
    previous_high_date: date  # the day the previous high was first reached
    lookback: int | None  # days looked back (None: the whole history)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["date"], d["previous_high_date"] = self.date.isoformat(), self.previous_high_date.isoformat()
        return d


def records(series: Iterable[Point], metric: str = "followers", end: date | None = None,
            lookback: int | None = None) -> Record | None:
    """A new high: the last value (on or before `end`) is above every earlier value (in the
    `lookback` days before it, or ever). Equalling the old high is not a record. Works for
    any metric: followers, a day's views, a day's new followers (pass `daily_changes`)."""
    s = [(d, v) for d, v in _clean_numbers(series) if end is None or d <= end]
    if len(s) < 2 or (lookback is not None and lookback < 1):
        return None
    last_date, last = s[-1]
    earlier = [p for p in s[:-1] if lookback is None or p[0] >= last_date - timedelta(days=lookback)]
    if not earlier:
        return None
    high = max(v for _, v in earlier)
    if last <= high:
        return None
    high_date = next(d for d, v in earlier if v == high)
    return Record(metric, last_date, last, high, high_date, lookback)


def _clean_numbers(series: Iterable[Point]) -> list[tuple[date, float]]:
    """Like `clean` but keeps fractional values (views per post, rates)."""
    by_date: dict[date, float] = {}
    for d, v in series or ():
        if isinstance(d, date) and isinstance(v, (int, float)) and v == v:
            by_date[d] = v
    return sorted(by_date.items())


def combined(followers: Mapping[str, Sequence[Point]]) -> list[Point]:
    """Every platform added up, from the first day all of them have a number: each day counts
    each platform's latest number on or before it (a platform not synced that day keeps its
    last count instead of dropping out of the sum and faking a dip)."""
    series = [s for s in followers.values() if s]
    if not series:
        return []
    start = max(s[0][0] for s in series)
    days = sorted({d for s in series for d, _ in s if d >= start})
    out, idx, last = [], [0] * len(series), [0] * len(series)
    for day in days:
        for k, s in enumerate(series):
            while idx[k] < len(s) and s[idx[k]][0] <= day:
                last[k] = s[idx[k]][1]
                idx[k] += 1
        out.append((day, sum(last)))
    return out
