"""Synthetic ad workspaces with known answers for the promotion brain's tests: seeded, several
currencies, gaps, paused (zero-spend) days, creatives launched mid-series, weekly seasonality."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from dreamsuite.analytics.promotion_data import DailyAdRow

START = date(2026, 1, 5)  # a Monday
WEEKLY = [0.9, 0.9, 0.95, 1.0, 1.05, 1.4, 1.3]  # weekends are busier


def money(x: float, places: int = 2) -> Decimal:
    return Decimal(str(round(x, places)))


def creative(rng: random.Random, *, channel: str = "meta", campaign: str = "c1", creative_id: str = "cr1",
             currency: str = "EUR", start: date = START, days: int = 60, spend: float = 40.0, cpm: float = 8.0,
             ctr: float = 0.02, cvr: float = 0.05, aov: float = 25.0, fatigue_from: int | None = None,
             floor: float = 0.45, decay_days: int = 10, gaps: float = 0.0, paused: tuple[int, ...] = (),
             spikes: dict[int, float] | None = None, cvr_at: dict[int, float] | None = None,
             places: int = 2, weekly: list[float] | None = None) -> list[DailyAdRow]:
    """One creative's days. From day index `fatigue_from` its CTR falls linearly to `floor` × its
    own over `decay_days`, while frequency climbs; `gaps` is the share of days with no row;
    `paused` days have a row with zero spend; `spikes` multiply a day's spend."""
    out, weekly = [], weekly or WEEKLY
    for i in range(days):
        d = start + timedelta(days=i)
        if rng.random() < gaps:
            continue
        if i in paused:
            out.append(DailyAdRow(d, channel, campaign, creative_id, currency, money(0, places), 0, 0, 0,
                                  money(0, places), 0, None))
            continue
        s = spend * weekly[d.weekday()] * rng.lognormvariate(0, 0.08) * (spikes or {}).get(i, 1.0)
        impressions = int(s / cpm * 1000)
        c = ctr
        freq = 1.2 + 0.01 * i
        if fatigue_from is not None and i >= fatigue_from:
            k = min(1.0, (i - fatigue_from + 1) / decay_days)
            c = ctr * (1 - (1 - floor) * k)
            freq += 0.15 * (i - fatigue_from)
        clicks = _binomial(rng, impressions, c)
        conv = _binomial(rng, clicks, (cvr_at or {}).get(i, cvr))
        revenue = sum(aov * rng.uniform(0.7, 1.3) for _ in range(conv))
        out.append(DailyAdRow(d, channel, campaign, creative_id, currency, money(s, places), impressions, clicks,
                              conv, money(revenue, places), int(impressions / freq),
                              round(freq, 3) if impressions else None))
    return out


def _binomial(rng: random.Random, n: int, p: float) -> int:
    if n * p > 30 and n * (1 - p) > 30:  # normal approximation: fast and plenty for a test series
        return max(0, min(n, round(rng.gauss(n * p, (n * p * (1 - p)) ** 0.5))))
    return sum(rng.random() < p for _ in range(n))


def concave(rng: random.Random, channel: str, k: float, b: float, spend: float, days: int) -> list[DailyAdRow]:
    """A channel whose revenue answers spend as k·spend^b (the weaker one has the lower b), from START."""
    out = []
    for i in range(days):
        d = START + timedelta(days=i)
        s = spend * WEEKLY[d.weekday()] * rng.lognormvariate(0, 0.3)
        rev = k * s ** b * rng.lognormvariate(0, 0.08)
        imps = int(s * 120)
        out.append(DailyAdRow(d, channel, f"{channel}-c", f"{channel}-main", "EUR", Decimal(str(round(s, 2))), imps,
                              int(imps * 0.015), max(1, int(rev / 30)), Decimal(str(round(rev, 2)))))
    return out
