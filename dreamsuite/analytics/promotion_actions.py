"""Curiosity: the next actions, ranked by expected impact in money, each with its evidence.

Every action has a stable `key` (its kind, target and what anchors it — the day a fatigue
began, the day of an anomaly, the budget's period — so the same finding tomorrow has the same
key and an accept or dismiss sticks), one `target` (one action per target: when several
findings point at the same thing the most valuable is kept and the others are named in its
evidence), an expected impact as Money PER DAY (revenue gained or spend saved each day the
action holds), a confidence, the numbers behind it, and a sentence.

Impacts:
- pause_creative (a fatigued creative still spending): its last 7 days' spend would earn the
  28-day ROAS of the channel's other creatives instead of its own: (their ROAS − its ROAS) ×
  its spend a day; without revenue data, the spend a day beyond what its conversions would
  cost at the other creatives' median CPA.
- shift_budget (move money between channels of one currency): the marginal ROAS of each
  channel — what the next unit of spend brings, not the average — from the last 56 days:
  revenue ≈ k·spend^b fitted on log revenue against log spend with weekday effects removed
  (a busy Saturday raises both, which is the week's rhythm, not the response to money), so
  marginal ROAS = b × average ROAS (the derivative of k·s^b at today's spend). Moving 20 % of
  the weaker channel's daily spend gains (marginal ROAS gap) × amount a day. Only proposed
  when the gap is at least 0.5 and twice its standard error: a channel whose spend barely
  moved from day to day has an elasticity the data cannot tell, and no move is advised on
  it. The fit is observational, so its confidence is at most "medium".
- check_spend / review_cpa (an anomaly of the last 3 days): the money above the usual for
  that weekday, for the day it happened.
- slow_budget (a budget that will be overspent or run out early): the daily spend above the
  rate that makes the rest of the budget last to the period's end.

Ranking: by impact when all actions are in one currency (or converted); across currencies
with no rate, by impact as a share of that currency's recent daily spend — the only measure
a euro and a dollar share without a rate — and `ranked_by` says which.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Mapping

import numpy as np
import pandas as pd

from dreamsuite.analytics.money import Money, RateTable, minor_units
from dreamsuite.analytics.promotion_anomalies import SpendAnomaly
from dreamsuite.analytics.promotion_fatigue import Fatigue
from dreamsuite.analytics.promotion_pacing import Pacing

RECENT_DAYS = 7
CHANNEL_DAYS = 28
RESPONSE_DAYS = 56
MIN_RESPONSE_DAYS = 21
MIN_GAP = 0.5  # marginal ROAS difference worth a move
SHIFT_SHARE = 0.20  # of the weaker channel's daily spend: a step the fit can still speak for
ANOMALY_DAYS = 3
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Action:
    key: str
    kind: str  # "pause_creative" | "shift_budget" | "check_spend" | "review_cpa" | "slow_budget"
    target: str  # "creative:meta/summer-1" | "channel:google/USD" | "budget:meta-nov"
    impact: Money  # expected, per day
    confidence: str  # "high" | "medium" | "low"
    evidence: dict
    sentence: str
    impact_per: str = "day"
    rank_value: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict:
        return {"key": self.key, "kind": self.kind, "target": self.target, "impact": self.impact.to_dict(),
                "impact_per": self.impact_per, "confidence": self.confidence, "evidence": self.evidence,
                "sentence": self.sentence}


def stable_key(kind: str, target: str, anchor: str) -> str:
    return hashlib.sha256(f"{kind}|{target}|{anchor}".encode()).hexdigest()[:16]


def fmt(m: Money) -> str:
    sym = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}.get(m.currency)
    return f"{sym}{m.amount}" if sym else f"{m.amount} {m.currency}"


def _since(df: pd.DataFrame, today: date, days: int) -> pd.DataFrame:
    lo, hi = pd.Timestamp(today - timedelta(days=days)), pd.Timestamp(today - timedelta(days=1))
    return df[(df["day"] >= lo) & (df["day"] <= hi)]


def named(names: Mapping[str, str] | None, key: str, fallback: str) -> str:
    """How a sentence names a creative ("creative:meta/123") or channel ("channel:meta"): the
    artist's own name for it when given, else its id. Keys and targets always keep the ids."""
    return (names or {}).get(key) or fallback


def pause_creatives(df: pd.DataFrame, fatigue: list[Fatigue], today: date,
                    names: Mapping[str, str] | None = None) -> list[Action]:
    out = []
    recent, month = _since(df, today, RECENT_DAYS), _since(df, today, CHANNEL_DAYS)
    per_cr = recent.groupby(["channel", "creative", "currency"])[["spend", "revenue", "conversions"]].sum()
    month_cr = month.groupby(["channel", "currency", "creative"])[["spend", "revenue", "conversions"]].sum()
    for f in fatigue:
        if not f.ongoing:
            continue
        mine = per_cr[per_cr.index.get_level_values(0) == f.channel]
        mine = mine[mine.index.get_level_values(1) == f.creative]
        if mine.empty or mine["spend"].sum() <= 0:
            continue
        (_, _, cur), r = next(iter(mine.iterrows()))
        peers = month_cr.loc[(f.channel, cur)] if (f.channel, cur) in month_cr.index.droplevel(2) else None
        peers = peers.drop(index=f.creative, errors="ignore") if peers is not None else None  # the others only
        if peers is None or peers["spend"].sum() <= 0:
            continue
        spend_day = r["spend"] / RECENT_DAYS
        ch_roas = peers["revenue"].sum() / peers["spend"].sum()
        cpas = (peers["spend"] / peers["conversions"]).replace(np.inf, np.nan).dropna()
        median_cpa = float(cpas.median()) if len(cpas) else None
        my_cpa = r["spend"] / r["conversions"] if r["conversions"] else None
        if peers["revenue"].sum() > 0:
            gain = (ch_roas - r["revenue"] / r["spend"]) * spend_day
        elif median_cpa:
            gain = spend_day - r["conversions"] / RECENT_DAYS * median_cpa
        else:
            continue
        if gain <= 0:
            continue
        impact = Money.minor(gain, cur)
        m = lambda x: Money.minor(x, cur) if x is not None else None  # noqa: E731
        judged = r["conversions"] >= 10 or (median_cpa and r["spend"] >= 3 * median_cpa)
        target = f"creative:{f.channel}/{f.creative}"
        ch = named(names, f"channel:{f.channel}", f.channel)
        cpa_txt = (f", CPA {fmt(m(my_cpa))} vs {fmt(m(median_cpa))} median" if my_cpa and median_cpa
                   else f", no conversion from {fmt(m(r['spend']))} in {RECENT_DAYS} days" if median_cpa else "")
        out.append(Action(
            stable_key("pause_creative", target, f.start.isoformat()), "pause_creative", target, impact,
            "high" if judged else "medium",
            {"ctr_drop_pct": f.drop_pct, "since": f.start.isoformat(), "baseline_ctr": f.baseline_ctr,
             "current_ctr": f.current_ctr, "frequency_rise_pct": f.frequency_rise_pct,
             "cpa_7d": _d(m(my_cpa)), "others_median_cpa_28d": _d(m(median_cpa)),
             "spend_per_day_7d": _d(m(spend_day)), "roas_7d": _r(r["revenue"] / r["spend"]),
             "others_roas_28d": _r(ch_roas)},
            f"Pause creative {named(names, target, f.creative)} on {ch}: CTR {f.drop_pct:+.0f} % since "
            f"{f.start:%b} {f.start.day}{cpa_txt}; about {fmt(impact)} a day better spent elsewhere on {ch}."))
    return out


def marginal_roas(daily: pd.DataFrame) -> dict | None:
    """b, its standard error, average and marginal ROAS from a channel's daily spend and
    revenue (minor units, indexed by day); None with under `MIN_RESPONSE_DAYS` usable days."""
    d = daily[(daily["spend"] > 0) & (daily["revenue"] > 0)]
    if len(d) < MIN_RESPONSE_DAYS:
        return None
    x, y = np.log(d["spend"].to_numpy(float)), np.log(d["revenue"].to_numpy(float))
    wd = pd.DatetimeIndex(d.index).day_of_week.to_numpy()
    # Weekday effects out: each variable less its weekday's mean.
    for k in range(7):
        sel = wd == k
        if sel.any():
            x[sel] -= x[sel].mean()
            y[sel] -= y[sel].mean()
    sxx = float(np.sum(x * x))
    if sxx <= 1e-9:
        return None
    b = float(np.sum(x * y) / sxx)
    resid = y - b * x
    se = float(np.sqrt(np.sum(resid ** 2) / max(1, len(x) - 8) / sxx))
    avg = float(daily["revenue"].sum() / daily["spend"].sum())
    b_used = min(max(b, 0.0), 1.0)  # more than proportional returns would not last; negative is noise
    return {"elasticity": round(b, 3), "elasticity_se": round(se, 3), "avg_roas": round(avg, 3),
            "marginal_roas": round(b_used * avg, 3), "days": int(len(d)),
            "spend_per_day": float(daily["spend"].tail(RECENT_DAYS).mean())}


def shift_budgets(df: pd.DataFrame, today: date, names: Mapping[str, str] | None = None) -> list[Action]:
    out = []
    window = _since(df, today, RESPONSE_DAYS)
    for cur, g in window.groupby("currency", sort=True):
        fits = {}
        for ch, c in g.groupby("channel", sort=True):
            m = marginal_roas(c.groupby("day")[["spend", "revenue"]].sum())
            if m is not None:
                fits[ch] = m
        if len(fits) < 2:
            continue
        best = max(fits, key=lambda c: (fits[c]["marginal_roas"], c))
        for ch, m in sorted(fits.items()):
            gap = fits[best]["marginal_roas"] - m["marginal_roas"]
            # The gap's own uncertainty, from each elasticity's standard error (× its average ROAS).
            to = fits[best]
            gap_se = math.hypot(m["elasticity_se"] * m["avg_roas"], to["elasticity_se"] * to["avg_roas"])
            if ch == best or gap < max(MIN_GAP, 2 * gap_se):
                continue
            unit = 10 ** minor_units(cur)
            amount = max(unit, round(SHIFT_SHARE * m["spend_per_day"] / unit) * unit)  # whole units a day
            move, impact = Money.minor(amount, cur), Money.minor(amount * gap, cur)
            sure = gap >= 3 * gap_se and min(m["days"], fits[best]["days"]) >= 42
            target = f"channel:{ch}/{cur}"
            out.append(Action(
                stable_key("shift_budget", target, best), "shift_budget", target, impact, "medium" if sure else "low",
                {"from": ch, "to": best, "amount_per_day": move.to_dict(), "marginal_roas_from": m["marginal_roas"],
                 "marginal_roas_to": fits[best]["marginal_roas"], "fit_from": _fit(m, cur),
                 "fit_to": _fit(fits[best], cur), "gap_standard_error": round(gap_se, 3),
                 "window_days": RESPONSE_DAYS},
                f"Move {fmt(move)}/day from {named(names, f'channel:{ch}', ch)} to "
                f"{named(names, f'channel:{best}', best)}: marginal ROAS {fits[best]['marginal_roas']:.1f} vs "
                f"{m['marginal_roas']:.1f}, about {fmt(impact)} more revenue a day."))
    return out


def anomaly_actions(found: list[SpendAnomaly], df: pd.DataFrame, today: date,
                    names: Mapping[str, str] | None = None) -> list[Action]:
    out = []
    since = today - timedelta(days=ANOMALY_DAYS)
    conv = df.groupby(["channel", "currency", "day"])["conversions"].sum()
    for a in found:
        if a.day < since or a.kind != "spike":
            continue
        target = f"channel:{a.channel}/{a.currency}"
        ch = named(names, f"channel:{a.channel}", a.channel)
        if a.metric == "spend":
            impact = a.value - a.expected
            kind = "check_spend"
            text = (f"Check {ch} spend: {fmt(a.value)} on {a.day:%b} {a.day.day} against {fmt(a.expected)} "
                    f"usual for a {a.day:%A}.")
        else:
            n = int(conv.get((a.channel, a.currency, pd.Timestamp(a.day)), 0))
            impact = Money((a.value.amount - a.expected.amount) * n, a.currency)
            kind = "review_cpa"
            text = (f"Review {ch}: CPA {fmt(a.value)} on {a.day:%b} {a.day.day} against {fmt(a.expected)} "
                    f"usual, {n} conversions.")
        if impact.amount <= 0:
            continue
        out.append(Action(stable_key(kind, target, a.day.isoformat()), kind, target, impact,
                          "high" if a.score >= 6 else "medium",
                          {"day": a.day.isoformat(), "value": a.value.to_dict(), "expected": a.expected.to_dict(),
                           "score": a.score, "metric": a.metric}, text))
    return out


def budget_actions(paces: list[Pacing]) -> list[Action]:
    out = []
    for p in paces:
        if p.status not in ("over", "spent") or p.daily_rate is None or p.days_left <= 0:
            continue
        left = max(p.amount.amount - p.spent.amount, Decimal(0))
        fair = Money(left / p.days_left, p.amount.currency)
        impact = p.daily_rate - fair
        if impact.amount <= 0:
            continue
        target = f"budget:{p.budget}"
        if p.status == "spent":
            out.append(Action(
                stable_key("slow_budget", target, f"{p.start.isoformat()}/{p.end.isoformat()}"), "slow_budget",
                target, p.daily_rate, "high", {"spent": p.spent.to_dict(), "amount": p.amount.to_dict(),
                                               "daily_rate": p.daily_rate.to_dict(), "days_left": p.days_left},
                f"Stop spending on budget {p.budget}: {fmt(p.spent)} of {fmt(p.amount)} already spent, still "
                f"{fmt(p.daily_rate)} a day with {p.days_left} days to go."))
            continue
        when = f", runs out on {p.runs_out_on:%b} {p.runs_out_on.day}" if p.runs_out_on else ""
        out.append(Action(
            stable_key("slow_budget", target, f"{p.start.isoformat()}/{p.end.isoformat()}"), "slow_budget", target,
            impact, "high", {"spent": p.spent.to_dict(), "amount": p.amount.to_dict(),
                             "daily_rate": p.daily_rate.to_dict(), "fair_rate": fair.to_dict(),
                             "projected": p.projected.to_dict() if p.projected else None, "days_left": p.days_left,
                             "runs_out_on": p.runs_out_on.isoformat() if p.runs_out_on else None},
            f"Slow budget {p.budget} from {fmt(p.daily_rate)} to {fmt(fair)} a day: {fmt(p.spent)} of "
            f"{fmt(p.amount)} spent{when}, projected {fmt(p.projected)} by {p.end:%b} {p.end.day}."))
    return out


def rank(actions: list[Action], df: pd.DataFrame, today: date, rates: RateTable | None = None
         ) -> tuple[list[Action], str]:
    """One action per target (the most valuable; the others named in its evidence), ranked."""
    currencies = {a.impact.currency for a in actions}
    if len(currencies) <= 1:
        ranked_by, value = "impact", lambda a: float(a.impact.amount)
    elif rates is not None:  # a budget in its own currency beside converted findings
        ranked_by = f"impact in {rates.base.upper()}"
        value = lambda a: float(rates.convert(a.impact, today - timedelta(days=1)).amount)  # noqa: E731
    else:
        recent = _since(df, today, RECENT_DAYS).groupby("currency")["spend"].sum()
        daily = {c: float(recent.get(c, 0)) / RECENT_DAYS / 10 ** minor_units(c) for c in currencies}
        ranked_by = "impact as a share of the currency's daily spend (no rate between currencies)"
        value = lambda a: (float(a.impact.amount) / daily[a.impact.currency]  # noqa: E731
                           if daily[a.impact.currency] else 0.0)
    best: dict[str, Action] = {}
    also: dict[str, list[str]] = {}
    order = lambda a: (-value(a), CONFIDENCE_ORDER[a.confidence], a.key)  # noqa: E731
    for a in sorted(actions, key=order):
        if a.target in best:
            also.setdefault(a.target, []).append(a.kind)
        else:
            best[a.target] = a
    out = []
    for a in sorted(best.values(), key=order):
        ev = {**a.evidence, "also": also[a.target]} if a.target in also else a.evidence
        out.append(Action(a.key, a.kind, a.target, a.impact, a.confidence, ev, a.sentence, a.impact_per,
                          round(value(a), 6)))
    return out, ranked_by


def _fit(m: dict, cur: str) -> dict:
    return {**m, "spend_per_day": Money.minor(m["spend_per_day"], cur).to_dict()}


def _d(m: Money | None) -> dict | None:
    return m.to_dict() if m is not None else None


def _r(x: float) -> float | None:
    return round(float(x), 3) if x is not None and np.isfinite(x) else None
