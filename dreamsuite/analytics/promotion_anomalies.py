"""Unusual spend and CPA days per channel, each against the channel's own recent weeks.

The detector is analytics.anomalies as it stands — a robust weekday-aware baseline over the
42 days before each day (median level plus the median of the same weekday, noise from the
week-over-week differences), a day flagged at ≥ 3.5 noise units — so a Saturday that is
always busier is not a spike, and one spike does not hide the next.

What the promotion series add:
- both are read on a log scale (100 × ln, so a unit is about 1 %): spend and CPA vary in
  proportion to their level — a Saturday at 1.4× the spend also swings 1.4× as much, and
  halving the conversions doubles the CPA while doubling them only halves it; on the log
  scale the noise is the same on every weekday and in both directions;
- a day is only judged when the weeks before it hold at least 3 of its weekday (a channel
  with missing days may not): without them the weekday effect is unknown and a busy
  Saturday would look like a spike;
- days with no spend are pauses someone chose, not anomalies, and are left out of the spend
  series (not counted as zeros dragging the baseline down);
- a day's CPA (spend / conversions) is only read from `MIN_CPA_CONVERSIONS` (5) conversions:
  with 1–2 conversions a day the CPA swings by multiples on luck alone;
- series are per channel and currency (or in the rate table's base currency).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dreamsuite.analytics.anomalies import MIN_HISTORY, MIN_SAME_WEEKDAY, baseline
from dreamsuite.analytics.money import Money, RateTable, minor_units
from dreamsuite.analytics.promotion_data import ad_frame

WINDOW = 42  # 6 of each weekday: a channel with missing days still has the 3 a weekday effect needs
THRESHOLD = 3.5
MIN_CPA_CONVERSIONS = 5


@dataclass(frozen=True)
class SpendAnomaly:
    channel: str
    currency: str
    metric: str  # "spend" | "cpa"
    day: date
    value: Money
    expected: Money  # what that weekday usually costs lately
    score: float  # signed noise units
    kind: str  # "spike" | "drop"

    def to_dict(self) -> dict:
        return {"channel": self.channel, "currency": self.currency, "metric": self.metric,
                "day": self.day.isoformat(), "value": self.value.to_dict(), "expected": self.expected.to_dict(),
                "score": self.score, "kind": self.kind}


def channel_days(rows, rates: RateTable | None = None):
    """Per (channel, currency): a table of day → spend, revenue (minor units), conversions, clicks."""
    df = ad_frame(rows, rates).df
    daily = df.groupby(["channel", "currency", "day"], sort=True)[
        ["spend", "revenue", "conversions", "clicks", "impressions"]].sum()
    return {k: g.droplevel([0, 1]) for k, g in daily.groupby(level=[0, 1], sort=True)}


def promotion_anomalies(rows, since: date | None = None, rates: RateTable | None = None,
                        threshold: float = THRESHOLD) -> list[SpendAnomaly]:
    """Spend and CPA anomalies of every channel on or after `since` (all days when None), by day."""
    out = []
    for (channel, cur), t in channel_days(rows, rates).items():
        if since is not None:  # only the baseline's weeks before `since` are needed
            t = t[t.index >= pd.Timestamp(since - timedelta(days=WINDOW + 7))]
        scale = 10 ** minor_units(cur)
        days = t.index.date
        spend = [(d, 100 * math.log(s / scale)) for d, s in zip(days, t["spend"].to_numpy()) if s > 0]
        cpa = [(d, 100 * math.log(s / c / scale))
               for d, s, c in zip(days, t["spend"].to_numpy(), t["conversions"].to_numpy())
               if c >= MIN_CPA_CONVERSIONS]
        for metric, series in (("spend", spend), ("cpa", cpa)):
            for d, v, e, score in _scan(series, since, threshold):
                out.append(SpendAnomaly(channel, cur, metric, d, Money(str(_exp(v)), cur), Money(str(_exp(e)), cur),
                                        round(score, 2), "spike" if score > 0 else "drop"))
    return sorted(out, key=lambda a: (a.day, a.channel, a.currency, a.metric))


def _exp(log_pct: float) -> float:
    return round(math.exp(log_pct / 100), 6)


def _scan(series: list[tuple[date, float]], since: date | None, threshold: float):
    """(day, value, expected, score) of the days at least `threshold` noise units off their
    baseline (analytics.anomalies.baseline over the `WINDOW` days before)."""
    lo = 0
    for i, (d, v) in enumerate(series):
        while series[lo][0] < d - timedelta(days=WINDOW):
            lo += 1
        if since is not None and d < since:
            continue
        history = series[lo:i]
        if len(history) < MIN_HISTORY or sum(h.weekday() == d.weekday() for h, _ in history) < MIN_SAME_WEEKDAY:
            continue
        expected, noise = baseline(history, d)
        score = (v - expected) / noise
        if abs(score) >= threshold:
            yield d, v, expected, score
