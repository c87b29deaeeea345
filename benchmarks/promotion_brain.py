"""One promotion-brain run for a busy workspace: 3 ad channels (Meta in EUR, Google in USD,
TikTok in GBP) × 2 years × 200 creatives, about 146,000 creative-days, two years of daily
merch orders and a budget per channel. The input is made first (seeded) and not timed.

Timed, each a full `brain()` call: the first in the process (it imports statsmodels for the
forecasts), a second with everything imported, both converting to EUR with a daily rate
table, and one that keeps the three currencies apart (so six forecasts instead of two).
Prints the wall and CPU time of each (CPU time says more on a shared, busy machine) and the
process's peak memory (RSS) before and after.

    python -m benchmarks.promotion_brain
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from benchmarks import ROOT  # noqa: F401 - the package sets up the benchmarks' environment

CHANNELS = (("meta", "EUR"), ("google", "USD"), ("tiktok", "GBP"))
CREATIVES = 200
DAYS = 730
TODAY = date(2026, 11, 26)
WEEKLY = np.array([0.9, 0.9, 0.95, 1.0, 1.05, 1.4, 1.3])


def workspace(seed: int = 7):
    from dreamsuite.analytics.money import Money, RateTable
    from dreamsuite.analytics.promotion_data import Budget, DailyAdRow, DailyOrders

    rng = np.random.default_rng(seed)
    first = TODAY - timedelta(days=DAYS)
    days = [first + timedelta(days=i) for i in range(DAYS)]
    weekday = np.array([d.weekday() for d in days])
    rows, planted = [], {}
    for c in range(CREATIVES):
        channel, cur = CHANNELS[c % 3]
        spend = rng.uniform(3, 40) * WEEKLY[weekday] * rng.lognormal(0, 0.15, DAYS)
        spend[rng.random(DAYS) < 0.03] = 0  # paused days
        imps = (spend / rng.uniform(4, 12) * 1000).astype(np.int64)
        ctr = np.full(DAYS, rng.uniform(0.005, 0.03))
        if c % 10 == 0:  # one creative in ten tires: its CTR halves over two weeks from a random day
            at = int(rng.integers(60, DAYS - 30))
            planted[f"{channel}-cr{c}"] = days[at]
            ctr[at:] *= 1 - 0.5 * np.minimum(1, (np.arange(DAYS - at) + 1) / 14)
        clicks = rng.binomial(imps, ctr)
        conv = rng.binomial(clicks, rng.uniform(0.02, 0.08))
        revenue = conv * rng.uniform(15, 45) * rng.uniform(0.8, 1.2, DAYS)
        keep = rng.random(DAYS) >= 0.02  # days the platform sent nothing
        freq = 1.1 + np.arange(DAYS) * 0.002
        for i in np.flatnonzero(keep):
            rows.append(DailyAdRow(days[i], channel, f"{channel}-camp{c // 20}", f"{channel}-cr{c}", cur,
                                   Decimal(f"{spend[i]:.2f}"), int(imps[i]), int(clicks[i]), int(conv[i]),
                                   Decimal(f"{revenue[i]:.2f}"), None, float(freq[i])))
    orders = [DailyOrders(d, "EUR", int(n), Decimal(f"{n * 28.5:.2f}"))
              for d, n in zip(days, rng.poisson(6 * WEEKLY[weekday]))]
    rates = RateTable("EUR", {(d, cur): Decimal(f"{r:.4f}") for d in days if d.weekday() < 5
                              for cur, r in (("USD", 0.92 + 0.02 * np.sin(d.toordinal() / 50)), ("GBP", 1.17))})
    month = TODAY.replace(day=1)
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    budgets = [Budget(f"{ch}-month", Money(Decimal(amount), cur), month, end, channel=ch)
               for (ch, cur), amount in zip(CHANNELS, ("40000", "60000", "30000"))]
    return rows, orders, rates, budgets, planted


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run() -> None:
    from dreamsuite.analytics.promotion_brain import brain

    rows, orders, rates, budgets, planted = workspace()
    print(f"promotion brain: {len(rows):,} creative-days, {CREATIVES} creatives, {len(CHANNELS)} channels, "
          f"{DAYS} days; peak RSS with the input made {_rss_mib():.0f} MiB")
    for label, kw in (("first run (imports statsmodels), EUR", {"rates": rates}),
                      ("second run, EUR", {"rates": rates}),
                      ("currencies kept apart", {})):
        t, cpu = time.perf_counter(), time.process_time()
        result = brain(rows, orders, TODAY, budgets, **kw)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"promotion brain, {label:38s} {took:6.2f} s (CPU {cpu:5.2f} s)   {len(result.actions)} actions, "
              f"{len(result.fatigue)} fatigued, {len(result.forecasts)} forecasts")
    found = {f.creative: f.start for f in result.fatigue}
    near = sum(abs((found[c] - d).days) <= 2 for c, d in planted.items() if c in found)
    print(f"promotion brain: planted fatigues found {len(set(found) & set(planted))}/{len(planted)} "
          f"(start day within ±2 days: {near}), others flagged {len(set(found) - set(planted))}; "
          f"peak RSS {_rss_mib():.0f} MiB")


if __name__ == "__main__":
    run()
    sys.exit(0)
