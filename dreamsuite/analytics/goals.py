"""Goals ("10,000 followers by June"): progress, the pace needed against the pace kept,
when the forecast reaches the target, and follower milestones."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Iterable, Sequence

from dreamsuite.analytics.forecast import Forecast
from dreamsuite.analytics.growth import change_over_days, clean

PACE_DAYS = 30  # the recent pace: the average daily change over the last 30 days
MIN_PACE_DAYS = 7  # … measured over at least a week, or on_track is not judged
MILESTONES = (1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
              1_000_000, 2_500_000, 5_000_000, 10_000_000)


@dataclass(frozen=True)
class Goal:
    platform: str | None  # None: every platform added up
    metric: str = "followers"
    target: int = 0
    deadline: date | None = None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Progress:
    current: int
    target: int
    pct: float  # of the target, 0–100
    remaining: int  # 0 once reached
    # True when reached, or when the recent pace (over up to 30 days, at least 7) would
    # reach the target by the deadline; False when it would not (or the deadline passed);
    # None without a deadline or without a week of history.
    on_track: bool | None
    as_of: date
    days_left: int | None  # to the deadline, from the latest point
    needed_per_day: float | None
    recent_per_day: float | None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["as_of"] = _iso(self.as_of)
        return d


def progress(goal: Goal, series, today: date | None = None) -> Progress | None:
    """Where the goal stands on the latest point of `series` (on or before `today`)."""
    s = [p for p in clean(series or []) if today is None or p[0] <= today]
    if not s or not goal or goal.target is None or goal.target <= 0:
        return None
    as_of, current = s[-1]
    target = int(goal.target)
    remaining = max(0, target - current)
    pct = round(min(100.0, max(0.0, current / target * 100)), 1)
    g = change_over_days(s, PACE_DAYS, as_of)
    span = (g.end_date - g.start_date).days if g else 0
    recent = round(g.change / span, 2) if g and span >= MIN_PACE_DAYS else None
    days_left = (goal.deadline - as_of).days if goal.deadline else None
    needed = round(remaining / days_left, 2) if days_left and days_left > 0 else None
    if remaining == 0:
        on_track = True
    elif days_left is None:
        on_track = None
    elif days_left <= 0:
        on_track = False
    else:
        on_track = None if recent is None else recent * days_left >= remaining
    return Progress(current, target, pct, remaining, on_track, as_of, days_left, needed, recent)


@dataclass(frozen=True)
class Projection:
    expected_date: date | None  # the forecast's mean reaches the target (None: not within it)
    earliest: date | None  # the band's upper edge reaches it
    latest: date | None  # the band's lower edge reaches it
    # "likely" (even the lower edge reaches it by the deadline), "possible" (the upper edge
    # does), "unlikely" (not even the upper edge, and the forecast runs past the deadline);
    # None without a deadline, or when the deadline lies beyond the forecast and nothing
    # in it reaches the target.
    by_deadline: str | None
    level: int
    reached: bool = False  # the current value (when given) already meets the target

    def as_dict(self) -> dict:
        d = asdict(self)
        for k in ("expected_date", "earliest", "latest"):
            d[k] = _iso(d[k])
        return d


def _first(points, i: int, target: float) -> date | None:
    return next((p[0] for p in points if p[i] >= target), None)


def projection(goal: Goal, forecast: Forecast | None, current: int | None = None) -> Projection | None:
    if forecast is None or not forecast.points or not goal or not goal.target or goal.target <= 0:
        return None
    if current is not None and current >= goal.target:
        return Projection(None, None, None, "likely" if goal.deadline else None, forecast.level, True)
    pts = sorted(forecast.points)
    expected, earliest, latest = (_first(pts, i, goal.target) for i in (1, 3, 2))
    verdict = None
    if goal.deadline:
        if latest and latest <= goal.deadline:
            verdict = "likely"
        elif earliest and earliest <= goal.deadline:
            verdict = "possible"
        elif goal.deadline <= pts[-1][0]:
            verdict = "unlikely"
    return Projection(expected, earliest, latest, verdict, forecast.level)


def as_forecast(points: Iterable[Sequence] | None, method: str = "stored", level: int = 80) -> Forecast | None:
    """A Forecast back from stored rows ([iso date or date, mean, lo, hi], ...); None if none is readable."""
    out = []
    for p in points or ():
        try:
            d = p[0] if isinstance(p[0], date) else date.fromisoformat(str(p[0]))
            out.append((d, float(p[1]), float(p[2]), float(p[3])))
        except (TypeError, ValueError, IndexError):
            continue
    return Forecast(method, sorted(out), level) if out else None


@dataclass(frozen=True)
class Milestones:
    current: int
    reached: list[tuple[int, date]] = field(default_factory=list)  # (step, the day first reached)
    next: int | None = None  # the smallest step above the current value
    remaining: int | None = None
    pct_to_next: float | None = None  # of the way from the last step below (or 0) to the next

    def as_dict(self) -> dict:
        d = asdict(self)
        d["reached"] = [[step, day.isoformat()] for step, day in self.reached]
        return d


def milestones(series, steps: Sequence[int] = MILESTONES) -> Milestones | None:
    """Steps ever reached (with the first day at or above each) and the next one to reach."""
    s = clean(series or [])
    if not s:
        return None
    current = s[-1][1]
    steps = sorted({int(x) for x in steps if x and x > 0})
    reached = [(step, d) for step in steps if (d := next((d for d, v in s if v >= step), None))]
    nxt = next((x for x in steps if x > current), None)
    below = max((x for x in steps if x <= current), default=0)
    pct = round((current - below) / (nxt - below) * 100, 1) if nxt else None
    return Milestones(current, reached, nxt, nxt - current if nxt else None, pct)
