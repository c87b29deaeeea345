"""The next 14 days of ad spend and revenue, per currency, with an uncertainty band.

The model is analytics.forecast as it stands (ETS chosen by AICc, weekly season, analytic
band never narrower than a random walk's) on the daily totals up to the day before `today`
(today's numbers are still coming in). Spend is summed over every channel; a day without a
row spent nothing (0, not a gap to draw a line across). Revenue is the merch shop's when
there are orders in that currency, else what the ad platforms attribute.

Only the last `HISTORY_DAYS` (16 weeks) are fitted: ad spend follows budget decisions, and
the last four months say more about the next two weeks than a year does (last year's
campaigns are not this year's); it also makes a fit about 3× quicker than a year of days.

The 14-day total's band adds the daily bounds up, as if every day erred the same way: ETS
errors persist (a level that is off stays off), so the honest band of a sum is nearer this
than the √14 narrower one independent days would give — it is the cautious side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from dreamsuite.analytics.forecast import forecast as _forecast
from dreamsuite.analytics.money import Money, RateTable, minor_units
from dreamsuite.analytics.promotion_data import ad_frame, orders_frame

HORIZON = 14
LEVEL = 80
HISTORY_DAYS = 112


@dataclass(frozen=True)
class MoneyForecast:
    metric: str  # "spend" | "revenue"
    currency: str
    source: str  # "ads" | "orders"
    method: str  # the ETS model, or "flat"
    level: int  # % of the band
    points: list[tuple[date, Money, Money, Money]]  # (day, mean, low, high)
    total: Money
    total_low: Money
    total_high: Money

    def to_dict(self) -> dict:
        return {"metric": self.metric, "currency": self.currency, "source": self.source, "method": self.method,
                "level": self.level, "total": self.total.to_dict(), "total_low": self.total_low.to_dict(),
                "total_high": self.total_high.to_dict(),
                "points": [[d.isoformat(), m.to_dict(), lo.to_dict(), hi.to_dict()] for d, m, lo, hi in self.points]}


def daily_series(values: pd.Series, end: date) -> list[tuple[date, float]]:
    """(day, major units) every day from the first up to `end`, missing days as 0."""
    if values.empty:
        return []
    idx = pd.date_range(values.index.min(), pd.Timestamp(end), freq="D")
    s = values.reindex(idx, fill_value=0)
    return list(zip(idx.date, s.to_numpy(dtype=float)))[-HISTORY_DAYS:]


def money_forecast(series: list[tuple[date, float]], metric: str, currency: str, source: str,
                   horizon: int = HORIZON, level: int = LEVEL) -> MoneyForecast | None:
    """A forecast of a series in major units of `currency`; None under 14 days of history."""
    f = _forecast(series, horizon=horizon, level=level)
    if f is None:
        return None
    m = lambda x: Money(str(x), currency)  # noqa: E731 - floats from the model, rounded as money
    pts = [(d, m(mean), m(lo), m(hi)) for d, mean, lo, hi in f.points]
    tot = lambda i: Money(sum((p[i].amount for p in pts), Decimal(0)), currency)  # noqa: E731 - exact: already rounded
    return MoneyForecast(metric, currency, source, f.method, level, pts, tot(1), tot(2), tot(3))


def promotion_forecast(rows, today: date, orders=None, rates: RateTable | None = None, horizon: int = HORIZON,
                       level: int = LEVEL) -> list[MoneyForecast]:
    """Spend and revenue for `today` and the `horizon` - 1 days after, per currency."""
    end = today - timedelta(days=1)
    df = ad_frame(rows, rates).df
    df = df[df["day"] <= pd.Timestamp(end)]
    od = orders_frame(orders, rates) if orders is not None and not isinstance(orders, pd.DataFrame) else orders
    if od is not None:
        od = od[od["day"] <= pd.Timestamp(end)]
    out = []
    for cur in sorted(set(df["currency"]) | (set(od["currency"]) if od is not None else set())):
        scale = 10 ** minor_units(cur)
        mine = df[df["currency"] == cur].groupby("day")[["spend", "revenue"]].sum() / scale
        if not mine.empty:
            f = money_forecast(daily_series(mine["spend"], end), "spend", cur, "ads", horizon, level)
            out += [f] if f else []
        shop = od[od["currency"] == cur].groupby("day")["revenue"].sum() / scale if od is not None else None
        if shop is not None and not shop.empty:
            f = money_forecast(daily_series(shop, end), "revenue", cur, "orders", horizon, level)
        elif not mine.empty:
            f = money_forecast(daily_series(mine["revenue"], end), "revenue", cur, "ads", horizon, level)
        else:
            f = None
        out += [f] if f else []
    return out
