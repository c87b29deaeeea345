"""The promotion brain in one call: memory, fatigue, anomalies, forecast, pacing and the
ranked next actions, for one workspace's ad rows and merch orders as of `today`.

Deterministic: the same input gives the same output (no clock, no randomness; `today` is
given, and the day before it is the last complete one). The rows become one table once
(converted into the rate table's base currency when one is given, else each currency kept
apart) and every analytic reads that table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

import pandas as pd

from dreamsuite.analytics.money import RateTable
from dreamsuite.analytics.promotion_actions import (
    Action, anomaly_actions, budget_actions, pause_creatives, rank, shift_budgets)
from dreamsuite.analytics.promotion_anomalies import SpendAnomaly, promotion_anomalies
from dreamsuite.analytics.promotion_data import AdFrame, Budget, ad_frame, orders_frame
from dreamsuite.analytics.promotion_fatigue import Fatigue, fatigue
from dreamsuite.analytics.promotion_forecast import MoneyForecast, promotion_forecast
from dreamsuite.analytics.promotion_memory import Memory, memory
from dreamsuite.analytics.promotion_pacing import Pacing, pacing

MEMORY_DAYS = 28
ANOMALY_DAYS = 14


@dataclass(frozen=True)
class BrainResult:
    today: date
    currency: str | None  # the base currency everything was converted to, or None (kept apart)
    memory: dict[str, Memory]  # by level: channel, campaign, creative — the last 28 days
    fatigue: list[Fatigue]
    anomalies: list[SpendAnomaly]  # of the last 14 days
    forecasts: list[MoneyForecast]
    pacing: list[Pacing]
    actions: list[Action]
    ranked_by: str = "impact"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"today": self.today.isoformat(), "currency": self.currency,
                "memory": {k: m.to_dict() for k, m in self.memory.items()},
                "fatigue": [f.to_dict() for f in self.fatigue], "anomalies": [a.to_dict() for a in self.anomalies],
                "forecasts": [f.to_dict() for f in self.forecasts], "pacing": [p.to_dict() for p in self.pacing],
                "actions": [a.to_dict() for a in self.actions], "ranked_by": self.ranked_by, "notes": self.notes}


def brain(rows, orders=None, today: date | None = None, budgets: list[Budget] | None = None,
          rates: RateTable | None = None, *, memory_days: int = MEMORY_DAYS,
          names: Mapping[str, str] | None = None) -> BrainResult:
    """`names`: how the actions' sentences name creatives ("creative:meta/123" → "Studio diary #1")
    and channels ("channel:meta" → "Meta Ads"); ids where none is given."""
    if today is None:
        raise ValueError("today is required: the brain never reads the clock")
    frame: AdFrame = ad_frame(rows, rates)
    df = frame.df[frame.df["day"] < pd.Timestamp(today)]
    past = AdFrame(df, frame.base)  # today's numbers are still coming in
    od = orders_frame(orders, rates) if orders else None
    start, end = today - timedelta(days=memory_days), today - timedelta(days=1)
    mem = {level: memory(past, level, start, end) for level in ("channel", "campaign", "creative")}
    tired = fatigue(past)
    odd = promotion_anomalies(past, since=today - timedelta(days=ANOMALY_DAYS))
    fc = promotion_forecast(past, today, orders=od)
    paces = pacing(frame, budgets or [], today, rates)
    candidates = (pause_creatives(df, tired, today, names) + shift_budgets(df, today, names)
                  + anomaly_actions(odd, df, today, names))
    candidates += budget_actions(paces)
    actions, ranked_by = rank(candidates, df, today, rates)
    notes = []
    currencies = sorted(set(df["currency"]))
    if frame.base is None and len(currencies) > 1:
        notes.append(f"Amounts kept per currency ({', '.join(currencies)}): no rate table was given.")
    return BrainResult(today, frame.base, mem, tired, odd, fc, paces, actions, ranked_by, notes)
