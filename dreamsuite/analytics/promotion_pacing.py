"""Budget pacing: spend so far against a budget, where the period will end at this pace, and
the day the money runs out.

"So far" is up to the close of the day before `today`: today's numbers are still arriving
and would read as a slow day. The pace is the average of the last `RATE_DAYS` (7) complete
days of the period (fewer at its start): a whole week, so a busy weekend neither speeds nor
slows the projection. Spend billed in the budget's currency counts as billed (even when the
brain converted everything to another base currency); spend billed in another currency
counts only through a rate table, at each day's rate; without one it is left out and named
in `unconverted`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd

from dreamsuite.analytics.money import Money, RateTable, minor_units
from dreamsuite.analytics.promotion_data import Budget, ad_frame

RATE_DAYS = 7
OVER, UNDER = Decimal("1.05"), Decimal("0.90")  # projected spend beyond these × budget is off pace


@dataclass(frozen=True)
class Pacing:
    budget: str
    amount: Money
    start: date
    end: date
    spent: Money  # up to the day before `today`
    expected_by_now: Money  # the budget's straight-line share of the days gone
    daily_rate: Money | None  # the average of the last complete days (up to 7)
    projected: Money | None  # spent + daily rate × days left (today included)
    days_left: int  # in the period, today included
    days_until_exhausted: int | None  # from today; None when the pace lasts the period (or is 0)
    runs_out_on: date | None
    status: str  # "on track" | "over" | "under" | "spent" | "not started" | "ended"
    unconverted: list[str]  # currencies of spend in scope that could not be counted

    def to_dict(self) -> dict:
        m = lambda x: x.to_dict() if x is not None else None  # noqa: E731
        return {"budget": self.budget, "amount": m(self.amount), "start": self.start.isoformat(),
                "end": self.end.isoformat(), "spent": m(self.spent), "expected_by_now": m(self.expected_by_now),
                "daily_rate": m(self.daily_rate), "projected": m(self.projected), "days_left": self.days_left,
                "days_until_exhausted": self.days_until_exhausted,
                "runs_out_on": self.runs_out_on.isoformat() if self.runs_out_on else None, "status": self.status,
                "unconverted": self.unconverted}


def pacing(rows, budgets: list[Budget], today: date, rates: RateTable | None = None) -> list[Pacing]:
    df = ad_frame(rows, rates).df
    return [_one(df, b, today, rates) for b in budgets or ()]


def _in_currency(scoped: pd.DataFrame, cur: str, rates: RateTable | None) -> tuple[pd.Series, list[str]]:
    """Daily spend of `scoped` in `cur` (minor units): as billed when billed in it, else through
    the base currency at each day's rates; and the currencies that had no rate."""
    same = scoped["billed_currency"] == cur
    daily = scoped[same].groupby("day")["billed_spend"].sum()
    other = scoped[~same]
    if other.empty:
        return daily, []
    if rates is None:
        return daily, sorted(set(other["billed_currency"]))
    k = minor_units(cur)
    conv = {}
    for (day, c), g in other.groupby(["day", "billed_currency"]):
        per = rates.rate(day.date(), c) / rates.rate(day.date(), cur)  # one unit of c in cur
        amount = sum(Decimal(int(v)).scaleb(-minor_units(c)) for v in g["billed_spend"]) * per
        conv[day] = conv.get(day, 0) + int(amount.scaleb(k).to_integral_value(ROUND_HALF_EVEN))
    return daily.add(pd.Series(conv, dtype="int64"), fill_value=0).astype("int64"), []


def _one(df: pd.DataFrame, b: Budget, today: date, rates: RateTable | None = None) -> Pacing:
    cur = b.amount.currency
    close = min(today - timedelta(days=1), b.end)  # the last complete day counted
    mask = (df["day"] >= pd.Timestamp(b.start)) & (df["day"] <= pd.Timestamp(close))
    if b.channel is not None:
        mask &= df["channel"] == b.channel
    if b.campaign_id is not None:
        mask &= df["campaign"] == b.campaign_id
    daily, unconverted = _in_currency(df[mask], cur, rates)
    spent = Money.minor(int(daily.sum()), cur)
    total_days = (b.end - b.start).days + 1
    gone = max(0, min(total_days, (today - b.start).days))  # complete days of the period
    expected = Money(b.amount.amount * gone / total_days, cur)
    days_left = max(0, (b.end - max(today, b.start)).days + 1) if today <= b.end else 0
    zero = Money(Decimal(0), cur)
    if today <= b.start:
        return Pacing(b.key, b.amount, b.start, b.end, spent, zero, None, None, days_left, None, None,
                      "not started", unconverted)
    n = min(RATE_DAYS, gone)
    first = close - timedelta(days=n - 1)
    recent = int(daily[daily.index >= pd.Timestamp(first)].sum())
    rate = Money.minor(recent / n, cur) if n else None
    projected = spent + Money(rate.amount * days_left, cur) if rate is not None else spent
    left = b.amount - spent
    exhausted = runs_out = None
    if left.amount <= 0:
        exhausted, runs_out = 0, today
    elif rate is not None and rate.amount > 0:
        k = math.ceil(left.amount / rate.amount)  # the day whose spend crosses the budget, counted from today as 1
        if k <= days_left:
            exhausted, runs_out = k - 1, today + timedelta(days=k - 1)
    if today > b.end:
        status = "ended"
    elif spent.amount >= b.amount.amount:
        status = "spent"
    elif projected.amount > b.amount.amount * OVER:
        status = "over"
    elif projected.amount < b.amount.amount * UNDER:
        status = "under"
    else:
        status = "on track"
    return Pacing(b.key, b.amount, b.start, b.end, spent, expected, rate, projected, days_left, exhausted, runs_out,
                  status, unconverted)
