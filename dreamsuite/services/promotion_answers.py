"""What the chat may read of a workspace's promotion data: ad performance per channel, campaign
or creative over a window, whether an ad is worth its money, merch sales with the share each ad
channel brought, and the promotion brain's latest findings and actions.

Synchronous and scoped: every statement filters by the Scope's workspace (tools run them off the
event loop). The sums, ratios and "too early" rules are the brain's own (analytics/
promotion_memory.py), so the chat and the Promotion page never disagree. Money stays per
currency: totals are given per currency, never added across them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import select

from dreamsuite.analytics.money import Money, from_minor, ratio
from dreamsuite.analytics.promotion_data import DailyAdRow
from dreamsuite.analytics.promotion_fatigue import fatigue
from dreamsuite.analytics.promotion_memory import memory
from dreamsuite.db import reading
from dreamsuite.models import (
    ActionStatus, AdCampaign, AdCreative, AdDailyMetric, BrainRun, MerchDaily, PromotionAction, PromotionChannel,
)
from dreamsuite.services.promotion_runs import attributed
from dreamsuite.services.promotion_store import CHANNEL_OF_KIND
from dreamsuite.services.scope import Scope

KIND_OF_CHANNEL = {v: k for k, v in CHANNEL_OF_KIND.items()}
LABELS = {"meta_ads": "Meta ads", "google_ads": "Google ads", "tiktok_ads": "TikTok ads", "shopify": "Shopify"}
# What artists call each channel.
WORDS = {"meta": "meta_ads", "facebook": "meta_ads", "fb": "meta_ads", "instagram": "meta_ads", "ig": "meta_ads",
         "insta": "meta_ads", "meta ads": "meta_ads", "facebook ads": "meta_ads", "instagram ads": "meta_ads",
         "google": "google_ads", "youtube": "google_ads", "yt": "google_ads", "adwords": "google_ads",
         "google ads": "google_ads", "youtube ads": "google_ads", "tiktok": "tiktok_ads", "tik tok": "tiktok_ads",
         "tiktok ads": "tiktok_ads", "shopify": "shopify", "merch": "shopify", "shop": "shopify", "store": "shopify"}
LEVELS = ("channel", "campaign", "creative")
JUDGE_DAYS = 28  # the brain's memory window: the verdicts here are the ones the Promotion page shows
TREND_DAYS = 7
FATIGUE_DAYS = 90


class UnknownChannel(ValueError):
    pass


def channel_kind(word: str | None) -> str | None:
    """"TikTok", "Instagram ads", "YouTube" → the channel kind; None for every channel."""
    w = (word or "").strip().lower().replace("_", " ").replace("-", " ")
    if w in ("", "all", "every", "any", "none", "total"):
        return None
    if w.replace(" ", "_") in LABELS:
        return w.replace(" ", "_")
    if w in WORDS:
        return WORDS[w]
    if w.endswith(" ads") and w[:-4] in WORDS:
        return WORDS[w[:-4]]
    raise UnknownChannel(f"Unknown channel {word!r}; use TikTok, Meta (Facebook/Instagram ads), Google "
                         "(YouTube ads) or Shopify (merch), or leave it out for every channel.")


def channels(scope: Scope) -> list[dict]:
    """The workspace's ad accounts and shops, with the days their numbers cover."""
    ws = scope.workspace_id
    with reading() as s:
        rows = s.exec(select(PromotionChannel).where(PromotionChannel.workspace_id == ws)
                      .order_by(PromotionChannel.kind, PromotionChannel.id)).all()
        ad_days = {cid: (a, b) for cid, a, b in s.exec(
            select(AdDailyMetric.channel_id, func.min(AdDailyMetric.day), func.max(AdDailyMetric.day))
            .where(AdDailyMetric.workspace_id == ws).group_by(AdDailyMetric.channel_id)).all()}
        shop_days = {cid: (a, b) for cid, a, b in s.exec(
            select(MerchDaily.channel_id, func.min(MerchDaily.day), func.max(MerchDaily.day))
            .where(MerchDaily.workspace_id == ws).group_by(MerchDaily.channel_id)).all()}
    out = []
    for c in rows:
        first, last = ad_days.get(c.id) or shop_days.get(c.id) or (None, None)
        out.append({"kind": c.kind, "label": LABELS.get(c.kind, c.kind), "name": c.name, "currency": c.currency,
                    "status": c.status, "first_day": _iso(first), "last_day": _iso(last)})
    return out


def _iso(d) -> str | None:
    return d.isoformat() if hasattr(d, "isoformat") else (str(d)[:10] if d else None)


def ad_rows(scope: Scope, first: date | None, last: date, kind: str | None = None) -> list[DailyAdRow]:
    """The workspace's ad days from `first` to `last` (inclusive), as the brain reads them."""
    ws = scope.workspace_id
    q = (select(PromotionChannel.kind, AdDailyMetric.day, AdDailyMetric.campaign_external_id,
                AdDailyMetric.creative_external_id, AdDailyMetric.currency, AdDailyMetric.spend_minor,
                AdDailyMetric.revenue_minor, AdDailyMetric.impressions, AdDailyMetric.clicks,
                AdDailyMetric.conversions, AdDailyMetric.reach)
         .join(PromotionChannel, PromotionChannel.id == AdDailyMetric.channel_id)
         .where(AdDailyMetric.workspace_id == ws, PromotionChannel.workspace_id == ws, AdDailyMetric.day <= last,
                PromotionChannel.kind.in_(list(CHANNEL_OF_KIND))))
    if first is not None:
        q = q.where(AdDailyMetric.day >= first)
    if kind is not None:
        q = q.where(PromotionChannel.kind == kind)
    with reading() as s:
        found = s.exec(q.order_by(AdDailyMetric.day)).all()
    return [DailyAdRow(day, CHANNEL_OF_KIND[k], campaign, creative, cur, from_minor(spend, cur), imp, clicks, conv,
                       from_minor(revenue, cur), reach)
            for k, day, campaign, creative, cur, spend, revenue, imp, clicks, conv, reach in found]


def _names(scope: Scope) -> dict[tuple[str, str, str], str]:
    """(level, channel, external id) → the name the artist gave it."""
    ws = scope.workspace_id
    with reading() as s:
        camps = s.exec(select(PromotionChannel.kind, AdCampaign.external_id, AdCampaign.name)
                       .join(PromotionChannel, PromotionChannel.id == AdCampaign.channel_id)
                       .where(AdCampaign.workspace_id == ws)).all()
        crs = s.exec(select(PromotionChannel.kind, AdCreative.external_id, AdCreative.name, AdCreative.launched_on)
                     .join(PromotionChannel, PromotionChannel.id == AdCreative.channel_id)
                     .where(AdCreative.workspace_id == ws)).all()
    out = {("campaign", CHANNEL_OF_KIND.get(k, k), e): n for k, e, n in camps}
    out |= {("creative", CHANNEL_OF_KIND.get(k, k), e): n for k, e, n, _ in crs}
    return out


def _money(m: Money | None) -> dict | None:
    return m.to_dict() if m is not None else None


def _item(p, names: dict) -> dict:
    kind = KIND_OF_CHANNEL.get(p.channel, p.channel)
    name = LABELS.get(kind, p.channel) if p.level == "channel" else names.get((p.level, p.channel, p.key)) or p.key
    return {"level": p.level, "key": p.key, "name": name, "channel": kind, "label": LABELS.get(kind, kind),
            "currency": p.currency, "spend": _money(p.spend), "revenue": _money(p.revenue), "roas": p.roas,
            "cpa": _money(p.cpa), "ctr": p.ctr, "impressions": p.impressions, "clicks": p.clicks,
            "conversions": p.conversions, "days": p.days, "verdict": p.verdict}


def performance(scope: Scope, first: date | None, last: date, kind: str | None = None,
                level: str = "channel") -> dict:
    """Spend, revenue, ROAS, CPA, CTR and conversions of each channel, campaign or creative, and
    the totals per currency (currencies are never added together)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    rows = ad_rows(scope, first, last, kind)
    mem = memory(rows, level, first, last)
    names = _names(scope) if level != "channel" else {}
    items = [_item(p, names) for p in mem.performers]
    totals: dict[str, dict] = {}
    for p in mem.performers:
        t = totals.setdefault(p.currency, {"currency": p.currency, "spend": 0, "revenue": 0, "impressions": 0,
                                           "clicks": 0, "conversions": 0})
        for k in ("impressions", "clicks", "conversions"):
            t[k] += getattr(p, k)
        t["spend"] += p.spend.amount
        t["revenue"] += p.revenue.amount
    out_totals = []
    for cur, t in sorted(totals.items()):
        spend, revenue = Money(t["spend"], cur), Money(t["revenue"], cur)
        out_totals.append({**t, "spend": spend.to_dict(), "revenue": revenue.to_dict(),
                           "roas": ratio(revenue.amount, spend.amount),
                           "cpa": Money(spend.amount / t["conversions"], cur).to_dict() if t["conversions"] else None,
                           "ctr": ratio(t["clicks"], t["impressions"], 6)})
    return {"level": level, "items": items, "totals": out_totals, "currencies": sorted(totals),
            "thresholds": {"min_conversions": mem.thresholds["min_conversions"],
                           "or_spend_in_peer_cpas": mem.thresholds["or_spend_in_peer_cpas"]}}


def _ctr(rows: list[DailyAdRow]) -> float | None:
    return ratio(sum(r.clicks for r in rows), sum(r.impressions for r in rows), 6)


def worth_it(scope: Scope, today: date, kind: str | None = None, creative: str | None = None) -> dict:
    """A verdict per channel, campaign and creative over the brain's 28 complete days before
    `today`: "too early" by the memory's rules; else "not worth it" when it brought back less than
    it cost (ROAS under 1); "fading" when it still pays but its CTR is falling against its own
    first week (fatigue, with the day it began); "worth it" otherwise. Each creative is set
    beside the median ROAS and CPA of its channel's creatives in the same currency."""
    last = today - timedelta(days=1)
    first = today - timedelta(days=JUDGE_DAYS)
    rows = ad_rows(scope, today - timedelta(days=FATIGUE_DAYS), last, kind)
    window = [r for r in rows if r.day >= first]
    names = _names(scope)
    tired = {(f.channel, f.creative): f for f in fatigue(rows) if f.ongoing}
    wanted = (creative or "").strip().lower()
    # Each performer's own days of the last 90, grouped once: its first active week (its launch
    # when that is within them) against its last week.
    own: dict[tuple, list[DailyAdRow]] = defaultdict(list)
    for r in rows:
        for key in (("channel", r.channel, r.currency, r.channel), ("campaign", r.channel, r.currency, r.campaign_id),
                    ("creative", r.channel, r.currency, r.creative_id)):
            own[key].append(r)
    out: dict[str, list] = {}
    for level in LEVELS:
        perf = memory(window, level, first, last).performers
        med_roas: dict[tuple[str, str], float] = {}
        med_cpa: dict[tuple[str, str], float] = {}
        if level == "creative":
            groups: dict[tuple[str, str], list] = defaultdict(list)
            for p in perf:
                groups[(p.channel, p.currency)].append(p)
            for k, ps in groups.items():
                roases = [p.roas for p in ps if p.roas is not None]
                cpas = [p.cpa.amount for p in ps if p.cpa is not None]
                med_roas[k] = round(statistics.median(roases), 4) if roases else None
                med_cpa[k] = statistics.median(cpas) if cpas else None
        items = []
        for p in perf:
            item = _item(p, names)
            if wanted and level == "creative" and wanted != p.key.lower() and wanted not in item["name"].lower():
                continue
            mine = own[(level, p.channel, p.currency, p.key)]
            days = sorted({r.day for r in mine if r.impressions > 0})
            head = [r for r in mine if days and r.day <= days[0] + timedelta(days=TREND_DAYS - 1)]
            tail = [r for r in mine if r.day > last - timedelta(days=TREND_DAYS)]
            item["ctr_first_week"], item["ctr_last_week"] = _ctr(head), _ctr(tail)
            f = tired.get((p.channel, p.key)) if level == "creative" else None
            item["fatigue"] = ({"start": f.start.isoformat(), "drop_pct": f.drop_pct,
                                "baseline_ctr": f.baseline_ctr, "current_ctr": f.current_ctr} if f else None)
            if level == "creative":
                k = (p.channel, p.currency)
                item["median_roas"] = med_roas.get(k)
                item["median_cpa"] = Money(med_cpa[k], p.currency).to_dict() if med_cpa.get(k) is not None else None
            if level == "channel":
                item["fatigued_creatives"] = sum(1 for c, _ in tired if c == p.channel)
            item["worth"] = _worth(p, f)
            items.append(item)
        out[level + "s"] = items
    if creative and not out["creatives"]:
        return {"creative_not_found": creative, "from": first.isoformat(), "to": last.isoformat(), **out}
    return {"from": first.isoformat(), "to": last.isoformat(), **out}


def _worth(p, f) -> str:
    if p.verdict != "judged" or p.roas is None:
        return "too_early"
    if p.roas < 1:
        return "not_worth_it"
    return "fading" if f is not None else "worth_it"


def merch(scope: Scope, first: date | None, last: date) -> dict:
    """Shop orders and revenue per currency, and the part credited by UTM to each ad channel."""
    ws = scope.workspace_id
    q = select(MerchDaily.currency, MerchDaily.utm_source, MerchDaily.orders, MerchDaily.revenue_minor).where(
        MerchDaily.workspace_id == ws, MerchDaily.day <= last)
    if first is not None:
        q = q.where(MerchDaily.day >= first)
    with reading() as s:
        found = s.exec(q).all()
    per: dict[str, dict] = {}
    for cur, source, n, revenue in found:
        t = per.setdefault(cur, {"orders": 0, "revenue": 0, "by": defaultdict(lambda: [0, 0])})
        t["orders"] += n
        t["revenue"] += revenue
        line = t["by"][attributed(source) or ""]
        line[0] += n
        line[1] += revenue
    out = []
    for cur, t in sorted(per.items()):
        by = []
        for ch, (n, rev) in sorted(t["by"].items(), key=lambda kv: -kv[1][1]):
            kind = KIND_OF_CHANNEL.get(ch)
            by.append({"channel": kind, "label": LABELS.get(kind) if kind else None, "orders": n,
                       "revenue": Money.minor(rev, cur).to_dict(),
                       "share_pct": round(rev / t["revenue"] * 100, 1) if t["revenue"] else None})
        out.append({"currency": cur, "orders": t["orders"], "revenue": Money.minor(t["revenue"], cur).to_dict(),
                    "by_channel": by})
    return {"currencies": out}


def latest_run(scope: Scope) -> dict | None:
    """The brain's latest run: its day, fatigue, anomalies and forecast totals (the points left out)."""
    with reading() as s:
        run = s.exec(select(BrainRun).where(BrainRun.workspace_id == scope.workspace_id)
                     .order_by(BrainRun.computed_at.desc(), BrainRun.id.desc()).limit(1)).first()
    if run is None:
        return None
    o = run.outputs or {}
    names = _names(scope)
    fatigue_ = [{**f, "creative": names.get(("creative", f.get("channel"), f.get("creative"))) or f.get("creative"),
                 "channel": LABELS.get(KIND_OF_CHANNEL.get(f.get("channel"), ""), f.get("channel"))}
                for f in (o.get("fatigue") or [])[:10]]
    forecasts = [{k: f.get(k) for k in ("metric", "currency", "source", "total", "total_low", "total_high")}
                 | {"days": len(f.get("points") or [])} for f in o.get("forecasts") or []]
    return {"today": run.today.isoformat(), "fatigue": fatigue_,
            "anomalies": (o.get("anomalies") or [])[:10], "forecasts": forecasts, "notes": o.get("notes") or []}


def actions(scope: Scope, status: str | None = "proposed", limit: int = 10) -> list[dict]:
    """The brain's actions of the workspace by status (None: every status), in the latest run's order."""
    q = select(PromotionAction).where(PromotionAction.workspace_id == scope.workspace_id)
    if status:
        q = q.where(PromotionAction.status == ActionStatus(status))
    with reading() as s:
        rows = s.exec(q.order_by(PromotionAction.rank, PromotionAction.id).limit(limit)).all()
    return [{"sentence": a.sentence, "kind": a.kind, "target": a.target, "status": a.status,
             "impact_per_day": Money.minor(a.impact_minor, a.impact_currency).to_dict() if a.impact_currency else None,
             "confidence": a.confidence, "evidence": a.evidence, "first_seen": _iso(a.first_seen),
             "last_seen": _iso(a.last_seen)} for a in rows]
