"""Unusual days, changes of pace, and what a release did — each against the series' own past.

Cumulative series (followers) are read through their daily changes: a spike is a day
that gained far more than usual, not a high follower count. Flow series (views, plays
per day) are read as they are: pass `cumulative=False`.

The baseline is robust, so a viral day does not hide the next one: medians for the level
and the weekday effects, and a trimmed spread for the noise (the farthest 20 % of
deviations left out; see `robust_scale` for why not the plain MAD). It is weekly-
seasonality-aware: each weekday is compared with the same weekday of the previous weeks,
so a Saturday that is always high is not a spike. On a year of pure noise with a weekly
pattern it flags about one day at the default threshold of 3.5.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from statistics import median
from typing import Sequence

from dreamsuite.analytics.growth import _clean_numbers, clean, daily_changes, growth_between

KEEP = 0.8  # the share of deviations the noise is measured on
# For normal noise, the RMS of the 80 % smallest |deviations| is σ × √0.4376: this undoes it.
TRIMMED_TO_SIGMA = 1.5115
MIN_SAME_WEEKDAY = 3
MIN_HISTORY = 7 * MIN_SAME_WEEKDAY
MEANINGFUL = 0.10  # paces within ±10 % of each other are the same pace


def values(series, cumulative: bool) -> list[tuple[date, float]]:
    if cumulative:
        return [(d, float(c)) for d, c in daily_changes(series or [])]
    return [(d, float(v)) for d, v in _clean_numbers(series or [])]


def robust_scale(xs: Sequence[float]) -> float:
    """Standard deviation of the noise, robustly: the root mean square of the 80 % of values
    closest to the median (the farthest 20 % are left out, so spikes do not count), scaled
    to a normal distribution's σ. On 3–7 weeks of days it errs less than 1.4826 × MAD (which
    uses half the values and, on 21 differences, underestimated σ by a quarter one time in
    five — a false alarm each time)."""
    if not xs:
        return 0.0
    m = median(xs)
    dev = sorted(abs(x - m) for x in xs)
    k = max(1, round(len(dev) * KEEP))
    return TRIMMED_TO_SIGMA * math.sqrt(sum(d * d for d in dev[:k]) / k)


@dataclass(frozen=True)
class Anomaly:
    date: date
    value: float  # the day's value (for a cumulative series: the day's change)
    expected: float  # what the same weekday usually shows lately
    score: float  # (value - expected) / noise; signed
    kind: str  # "spike" | "drop"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d


def baseline(history: Sequence[tuple[date, float]], day: date) -> tuple[float, float]:
    """(expected value on `day`, noise) from the points before it.

    Expected: the median level plus the median deviation of `day`'s weekday (when at least
    three of them are known: a median of three shrugs off one spike). Noise: from the
    week-over-week differences of each weekday (free of the weekly pattern and of a steady
    trend; /√2 since a difference holds two days' noise), widened by how uncertain the
    expected value itself is (a median of m values has about π/2m of one value's variance)."""
    level = median(v for _, v in history)
    by_wd: dict[int, list[tuple[date, float]]] = {}
    for d, v in history:
        by_wd.setdefault(d.weekday(), []).append((d, v))
    same = by_wd.get(day.weekday(), [])
    season = median(v - level for _, v in same) if len(same) >= MIN_SAME_WEEKDAY else 0.0
    wow = [b - a for pts in by_wd.values() for (da, a), (db, b) in zip(pts, pts[1:]) if (db - da).days == 7]
    m = len(same) if len(same) >= MIN_SAME_WEEKDAY else len(history)
    noise = robust_scale(wow) / math.sqrt(2) * math.sqrt(1 + math.pi / (2 * m))
    # Never finer than one unit, nor than 1 % of the level: a perfectly flat history must
    # not make a one-follower wobble an anomaly.
    return level + season, max(noise, 1.0, 0.01 * abs(level))


def anomalies(series, *, window: int = 28, threshold: float = 3.5, cumulative: bool = True) -> list[Anomaly]:
    """Days whose value is at least `threshold` noise units away from their baseline (the
    `window` days before them, at least half of them and 21 known), oldest first. A window
    under 21 days (three of each weekday) gives nothing."""
    x = values(series, cumulative)
    if window < MIN_HISTORY or threshold <= 0 or len(x) < 2:
        return []
    need = max(MIN_HISTORY, window // 2)
    out, lo = [], 0
    for i, (d, v) in enumerate(x):
        while x[lo][0] < d - timedelta(days=window):
            lo += 1
        history = x[lo:i]
        if len(history) < need:
            continue
        expected, noise = baseline(history, d)
        score = (v - expected) / noise
        if abs(score) >= threshold:
            out.append(Anomaly(d, v, round(expected, 2), round(score, 2), "spike" if score > 0 else "drop"))
    return out


@dataclass(frozen=True)
class TrendChange:
    date: date  # the first day at the new pace
    before_per_day: float  # the typical (median) value per day of the segment before
    after_per_day: float  # … and of the segment from `date`
    change_pct: float | None  # None when the pace before was 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d


def _smoothed_clip(x: list[float], sigma: float) -> list[float]:
    """Each value clipped to ±3 noise units around its 7-day centred median: one-day spikes
    lose their weight, lasting shifts keep theirs."""
    out = []
    for i, v in enumerate(x):
        m = median(x[max(0, i - 3):i + 4])
        out.append(min(max(v, m - 3 * sigma), m + 3 * sigma))
    return out


def _split(y: list[float], a: int, b: int, min_segment: int, penalty: float, found: list[int]) -> None:
    """Binary segmentation on the mean (least squares), each side at least `min_segment`."""
    if b - a < 2 * min_segment:
        return
    prefix = [0.0]
    for v in y[a:b]:
        prefix.append(prefix[-1] + v)
    total, n = prefix[-1], b - a
    best, at = 0.0, None
    for k in range(min_segment, n - min_segment + 1):
        s1, s2 = prefix[k], total - prefix[k]
        gain = s1 * s1 / k + s2 * s2 / (n - k) - total * total / n
        if gain > best + 1e-9:
            best, at = gain, k
    if at is None or best <= penalty:
        return
    found.append(a + at)
    _split(y, a, a + at, min_segment, penalty, found)
    _split(y, a + at, b, min_segment, penalty, found)


def _pct(after: float, before: float) -> float | None:
    return round((after - before) / abs(before) * 100, 1) if before else None


def trend_changes(series, min_segment: int = 14, *, cumulative: bool = True,
                  sensitivity: float = 3.0) -> list[TrendChange]:
    """Days where the pace changes and holds for at least `min_segment` days: for followers,
    the daily gain (10 a day, then 30 a day from the release on). A change must be
    significant against the noise (a split must explain more than `sensitivity` × noise² ×
    log n) and meaningful (the paces differ by more than 10 %)."""
    x = values(series, cumulative)
    min_segment = max(2, int(min_segment))
    if len(x) < 2 * min_segment:
        return []
    raw = [v for _, v in x]
    sigma = robust_scale([b - a for a, b in zip(raw, raw[1:])]) / math.sqrt(2)
    y = _smoothed_clip(raw, sigma) if sigma > 0 else raw
    found: list[int] = []
    _split(y, 0, len(y), min_segment, sensitivity * max(sigma, 1e-6) ** 2 * math.log(len(y)), found)
    cuts = sorted(found)
    while cuts:  # drop the weakest change while two neighbouring paces are not really different
        bounds = [0, *cuts, len(raw)]
        meds = [median(raw[bounds[i]:bounds[i + 1]]) for i in range(len(bounds) - 1)]
        diffs = [abs(meds[i + 1] - meds[i]) - MEANINGFUL * max(abs(meds[i]), abs(meds[i + 1]))
                 for i in range(len(cuts))]
        weakest = min(range(len(cuts)), key=diffs.__getitem__)
        if diffs[weakest] > 0:
            return [TrendChange(x[c][0], round(meds[i], 2), round(meds[i + 1], 2), _pct(meds[i + 1], meds[i]))
                    for i, c in enumerate(cuts)]
        cuts.pop(weakest)
    return []


@dataclass(frozen=True)
class Effect:
    release_date: date
    before_avg_per_day: float | None  # over the `days` days before the release; None if not covered
    after_avg_per_day: float | None  # over the release day and the `days` - 1 after it (so far)
    lift_pct: float | None  # after against before, %; None when before is unknown or 0
    change_since: float  # from the close of the day before the release to the latest point
    days_since: int  # days from the release to the latest point (0 on the release day)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["release_date"] = self.release_date.isoformat()
        return d


def _avg(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 2) if xs else None


def release_effect(series, release_date: date, days: int = 14, *, cumulative: bool = True) -> Effect | None:
    """"Since the release on Oct 11: +X followers, N % faster than before." None without a
    point after the release, or (cumulative) without one before it to count from."""
    if not isinstance(release_date, date) or days < 1:
        return None
    last_before = release_date - timedelta(days=1)
    if cumulative:
        s = clean(series or [])
        if not s or s[-1][0] < release_date or s[0][0] > last_before:
            return None
        before = growth_between(s, release_date - timedelta(days=days), last_before)
        after = growth_between(s, release_date, release_date + timedelta(days=days - 1))
        since = growth_between(s, release_date, s[-1][0])

        def per_day(g):
            span = (g.end_date - g.start_date).days if g else 0
            return round(g.change / span, 2) if g and g.complete and span > 0 else None

        b, a = per_day(before), per_day(after)
        change, latest = since.change, s[-1][0]
    else:
        x = values(series, cumulative=False)
        if not x or x[-1][0] < release_date:
            return None
        pre = [v for d, v in x if release_date - timedelta(days=days) <= d <= last_before]
        b = _avg(pre) if len(pre) * 2 >= days else None
        a = _avg([v for d, v in x if release_date <= d < release_date + timedelta(days=days)])
        change, latest = sum(v for d, v in x if d >= release_date), x[-1][0]
    lift = _pct(a, b) if a is not None and b is not None else None
    return Effect(release_date, b, a, lift, change, (latest - release_date).days)
