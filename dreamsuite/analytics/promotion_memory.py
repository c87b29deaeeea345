"""Memory: what has worked — spend, revenue, ROAS, CPA, CTR per channel, campaign or creative
over a date range, and the best and worst performers, each with how sure we are.

When a performer can be judged (otherwise its verdict is "too early"):
- at least `MIN_CONVERSIONS` (10) conversions: the conversion rate is then known to within
  roughly ±60 % (Wilson, 95 %), enough to tell a 2× winner from a loser; or
- at least `SPEND_IN_CPAS` (3) × its peers' CPA spent, with `MIN_CLICKS` clicks: a performer
  converting like its peers would have had 3 conversions by then, and 0 conversions has a
  Poisson chance of e⁻³ ≈ 5 % — so "spent 3 CPAs, nothing back" is itself a verdict.

How sure: a 95 % Wilson interval on the conversion rate (conversions / clicks), carried to
ROAS as ROAS × [lo, hi] / rate. With few conversions the count of conversions is what makes
ROAS noisy (spend per click and order value vary far less), and the Wilson interval is
exact enough at small counts, deterministic and cheap over thousands of performers — unlike a
bootstrap, which needs a seed and resamples per performer. A performer is a "high" confidence
best (worst) when its whole ROAS interval lies above (below) its peers' pooled ROAS,
"medium" when only its ROAS does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dreamsuite.analytics.money import Money, RateTable, cpa, ratio
from dreamsuite.analytics.promotion_data import AdFrame, ad_frame, window

MIN_CONVERSIONS = 10
SPEND_IN_CPAS = 3
MIN_CLICKS = 100
Z95 = 1.959964
LEVELS = {"channel": ["channel"], "campaign": ["channel", "campaign"], "creative": ["channel", "creative"]}
TOP = 3


def wilson(successes: np.ndarray, trials: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion, vectorised; (0, 1) where there are no trials."""
    s, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, s / n, 0.0)
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = np.where(n > 0, np.clip(centre - half, 0, 1), 0.0)
    hi = np.where(n > 0, np.clip(centre + half, 0, 1), 1.0)
    return lo, hi


@dataclass(frozen=True)
class Performance:
    level: str
    key: str  # the channel, campaign or creative id
    channel: str
    currency: str
    spend: Money
    revenue: Money
    impressions: int
    clicks: int
    conversions: int
    days: int  # days with spend or impressions
    roas: float | None
    cpa: Money | None
    ctr: float | None
    roas_low: float | None  # 95 % interval of ROAS from the conversion count's uncertainty
    roas_high: float | None
    verdict: str  # "judged" | "too early"

    def to_dict(self) -> dict:
        return {"level": self.level, "key": self.key, "channel": self.channel, "currency": self.currency,
                "spend": self.spend.to_dict(), "revenue": self.revenue.to_dict(), "impressions": self.impressions,
                "clicks": self.clicks, "conversions": self.conversions, "days": self.days, "roas": self.roas,
                "cpa": self.cpa.to_dict() if self.cpa else None, "ctr": self.ctr, "roas_low": self.roas_low,
                "roas_high": self.roas_high, "verdict": self.verdict}


@dataclass(frozen=True)
class Ranked:
    performance: Performance
    peer_roas: float | None  # pooled ROAS of every performer of the level in that currency
    confidence: str  # "high" | "medium"


@dataclass(frozen=True)
class Memory:
    level: str
    start: date | None
    end: date | None
    performers: list[Performance]  # highest spend first
    best: list[Ranked] = field(default_factory=list)
    worst: list[Ranked] = field(default_factory=list)
    thresholds: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        rk = lambda r: {**r.performance.to_dict(), "peer_roas": r.peer_roas, "confidence": r.confidence}  # noqa: E731
        return {"level": self.level, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "performers": [p.to_dict() for p in self.performers], "best": [rk(r) for r in self.best],
                "worst": [rk(r) for r in self.worst], "thresholds": self.thresholds}


def aggregate(df: pd.DataFrame, level: str) -> pd.DataFrame:
    keys = LEVELS[level] + ["currency"]
    active = (df["spend"] > 0) | (df["impressions"] > 0)
    g = df.assign(active=active.astype(np.int64)).groupby(keys, sort=True)
    agg = g[["spend", "revenue", "impressions", "clicks", "conversions"]].sum()
    agg["days"] = df[active].groupby(keys)["day"].nunique().reindex(agg.index, fill_value=0)
    return agg.reset_index()


def memory(rows, level: str = "creative", start: date | None = None, end: date | None = None,
           rates: RateTable | None = None) -> Memory:
    """Performance of every `level` ("channel" | "campaign" | "creative") from `start` to `end`
    (inclusive, either open), with the best and worst `TOP` judged performers per currency."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {sorted(LEVELS)}")
    frame: AdFrame = ad_frame(rows, rates)
    agg = aggregate(window(frame, start, end), level)
    thresholds = {"min_conversions": MIN_CONVERSIONS, "or_spend_in_peer_cpas": SPEND_IN_CPAS,
                  "with_min_clicks": MIN_CLICKS, "interval": "Wilson 95% on conversions/clicks, carried to ROAS"}
    if agg.empty:
        return Memory(level, start, end, [], thresholds=thresholds)
    # Peers: every performer of the level in the same currency, pooled.
    peer = agg.groupby("currency")[["spend", "revenue", "conversions"]].transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        peer_cpa = np.where(peer["conversions"] > 0, peer["spend"] / peer["conversions"], np.nan)
        peer_aov = np.where(peer["conversions"] > 0, peer["revenue"] / peer["conversions"], np.nan)
        peer_roas = np.where(peer["spend"] > 0, peer["revenue"] / peer["spend"], np.nan)
        conv, clicks, spend = agg["conversions"].to_numpy(), agg["clicks"].to_numpy(), agg["spend"].to_numpy()
        judged = (conv >= MIN_CONVERSIONS) | ((spend >= SPEND_IN_CPAS * peer_cpa) & (clicks >= MIN_CLICKS))
        lo, hi = wilson(conv, clicks)
        roas = np.where(spend > 0, agg["revenue"].to_numpy() / spend, np.nan)
        cvr = np.where(clicks > 0, conv / clicks, np.nan)
        # With no conversion yet, the upper bound uses the peers' order value.
        roas_lo = np.where(conv > 0, roas * lo / cvr, 0.0)
        roas_hi = np.where(conv > 0, roas * hi / cvr, hi * clicks * peer_aov / spend)
    perf, ranked = [], []
    key_col = LEVELS[level][-1]
    for i, r in enumerate(agg.itertuples(index=False)):
        cur = r.currency
        ok = bool(judged[i]) and spend[i] > 0
        p = Performance(
            level, str(getattr(r, key_col)), r.channel, cur, Money.minor(r.spend, cur), Money.minor(r.revenue, cur),
            int(r.impressions), int(r.clicks), int(r.conversions), int(r.days), ratio(r.revenue, r.spend),
            cpa(Money.minor(r.spend, cur), int(r.conversions)), ratio(r.clicks, r.impressions, 6),
            _num(roas_lo[i]) if spend[i] > 0 and clicks[i] > 0 else None,
            _num(roas_hi[i]) if spend[i] > 0 and clicks[i] > 0 else None, "judged" if ok else "too early")
        perf.append(p)
        if ok and np.isfinite(roas[i]):
            ranked.append((p, _num(peer_roas[i]), float(roas[i])))
    best, worst = [], []
    for cur in sorted({p.currency for p, _, _ in ranked}):
        mine = sorted((x for x in ranked if x[0].currency == cur), key=lambda x: (-x[2], x[0].key))
        for p, pr, v in mine:
            if pr is not None and v > pr and len([b for b in best if b.performance.currency == cur]) < TOP:
                best.append(Ranked(p, pr, "high" if (p.roas_low or 0) > pr else "medium"))
        for p, pr, v in reversed(mine):
            if pr is not None and v < pr and len([w for w in worst if w.performance.currency == cur]) < TOP:
                worst.append(Ranked(p, pr, "high" if p.roas_high is not None and p.roas_high < pr else "medium"))
    perf.sort(key=lambda p: (p.currency, -p.spend.amount, p.key))
    return Memory(level, start, end, perf, best, worst, thresholds)


def _num(x: float) -> float | None:
    return round(float(x), 4) if x is not None and np.isfinite(x) else None
