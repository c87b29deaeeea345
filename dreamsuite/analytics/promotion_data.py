"""The promotion brain's inputs, as plain frozen dataclasses, and the one table they become.

A `DailyAdRow` is one creative's day on one ad channel (Meta, Google/YouTube, TikTok) as the
ad platform reports it; `DailyOrders` is a day of merch sales (Shopify), optionally credited
to a channel; a `Budget` caps spend of the workspace, a channel or a campaign over a period.

`ad_frame` turns rows into a pandas table once (amounts as integer minor units, see money.py),
so every analytic is vectorised and a brain run over 150,000 rows builds it only once. With a
`RateTable` every amount is converted on its own day into the table's base currency and
rounded there; without one each row keeps its currency and every analytic groups by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Sequence

import numpy as np
import pandas as pd

from dreamsuite.analytics.money import Money, RateTable, minor_units


@dataclass(frozen=True)
class DailyAdRow:
    day: date
    channel: str  # "meta" | "google" | "tiktok" | …
    campaign_id: str
    creative_id: str
    currency: str  # the ad account's currency
    spend: Decimal
    impressions: int
    clicks: int
    conversions: int
    revenue: Decimal  # conversion value the platform attributes to the ad
    reach: int | None = None
    frequency: float | None = None  # impressions per person reached, as the platform reports it


@dataclass(frozen=True)
class DailyOrders:
    day: date
    currency: str
    orders: int
    revenue: Decimal
    attributed_channel: str | None = None  # from UTM / discount code, when known


@dataclass(frozen=True)
class Budget:
    key: str  # the caller's id for it, e.g. "meta-nov"
    amount: Money
    start: date
    end: date  # inclusive
    channel: str | None = None  # None: every channel
    campaign_id: str | None = None  # None: every campaign (of the channel)


COLUMNS = ("day", "channel", "campaign", "creative", "currency", "spend", "revenue", "impressions", "clicks",
           "conversions", "frequency", "billed_currency", "billed_spend")


@dataclass(frozen=True, eq=False)
class AdFrame:
    """The rows as a table: day (datetime64), channel, campaign, creative, currency, spend and
    revenue (int64 minor units of `currency`), impressions, clicks, conversions (int64),
    frequency (float, NaN when not reported), and billed_currency, billed_spend: the row's own
    currency and spend before any conversion. `base` is the currency all rows were converted
    to, or None when they keep their own."""
    df: pd.DataFrame
    base: str | None = None


def _minor(amount: Decimal, scale: int) -> int:
    return int(amount.scaleb(scale).to_integral_value(ROUND_HALF_EVEN))


def ad_frame(rows: Sequence[DailyAdRow] | AdFrame, rates: RateTable | None = None) -> AdFrame:
    """The table of `rows` (an AdFrame is returned as it is), converted into `rates.base` when given."""
    if isinstance(rows, AdFrame):
        return rows
    rows = list(rows or ())
    base = rates.base.upper() if rates else None
    spend, revenue, currency = [], [], []
    spend0, currency0 = [], []  # as billed, when converted: budgets are in their own currency
    cache: dict[tuple[date, str], Decimal] = {}
    for r in rows:
        cur = r.currency.upper()
        if base is None:
            k = minor_units(cur)
            spend.append(_minor(Decimal(r.spend), k))
            revenue.append(_minor(Decimal(r.revenue), k))
            currency.append(cur)
            continue
        # Each day's amount at that day's rate, rounded in the base currency, then summed.
        rate = cache.get((r.day, cur))
        if rate is None:
            rate = cache[(r.day, cur)] = rates.rate(r.day, cur)
        k = minor_units(base)
        spend.append(_minor(Decimal(r.spend) * rate, k))
        revenue.append(_minor(Decimal(r.revenue) * rate, k))
        currency.append(base)
        spend0.append(_minor(Decimal(r.spend), minor_units(cur)))
        currency0.append(cur)
    df = pd.DataFrame({
        "day": pd.to_datetime(pd.Series([r.day for r in rows], dtype="object")).astype("datetime64[ns]"),
        "channel": pd.Series([r.channel for r in rows], dtype="object"),
        "campaign": pd.Series([r.campaign_id for r in rows], dtype="object"),
        "creative": pd.Series([r.creative_id for r in rows], dtype="object"),
        "currency": pd.Series(currency, dtype="object"),
        "spend": np.asarray(spend, dtype=np.int64),
        "revenue": np.asarray(revenue, dtype=np.int64),
        "impressions": np.asarray([r.impressions for r in rows], dtype=np.int64),
        "clicks": np.asarray([r.clicks for r in rows], dtype=np.int64),
        "conversions": np.asarray([r.conversions for r in rows], dtype=np.int64),
        "frequency": np.asarray([np.nan if r.frequency is None else float(r.frequency) for r in rows], dtype=float),
        "billed_currency": pd.Series(currency0 if base else currency, dtype="object"),
        "billed_spend": np.asarray(spend0 if base else spend, dtype=np.int64),
    }, columns=list(COLUMNS))
    return AdFrame(df, base)


def orders_frame(orders: Sequence[DailyOrders] | None, rates: RateTable | None = None) -> pd.DataFrame:
    """Merch orders as a table: day, currency, orders, revenue (int64 minor units), channel."""
    out = []
    base = rates.base.upper() if rates else None
    for o in orders or ():
        cur = o.currency.upper()
        amount = Decimal(o.revenue) * (rates.rate(o.day, cur) if rates else 1)
        to = base or cur
        out.append((o.day, to, int(o.orders), _minor(amount, minor_units(to)), o.attributed_channel))
    df = pd.DataFrame(out, columns=["day", "currency", "orders", "revenue", "channel"])
    df["day"] = pd.to_datetime(df["day"]).astype("datetime64[ns]")
    df["revenue"] = df["revenue"].astype(np.int64)
    return df


def window(frame: AdFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """Rows with start <= day <= end (either bound may be None)."""
    df = frame.df
    mask = np.ones(len(df), dtype=bool)
    if start is not None:
        mask &= (df["day"] >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        mask &= (df["day"] <= pd.Timestamp(end)).to_numpy()
    return df[mask]
