"""Everything the Promotion page shows for a date range, read in one pass as plain data.

Sums are taken in SQL from the stored days (integer minor units, exact), grouped by currency as
well as by channel or creative, so two currencies are never added together; ROAS, CPA and CTR
are derived here from those sums (they are never stored). What the brain found (fatigue, the
forecast, the hit rate) comes from the workspace's latest BrainRun; its actions from
services/promotion_actions. A channel's tokens are never read.

The range ends on the latest day with ad or shop numbers unless the artist picks another, so a
workspace whose collect stalled still shows its last known picture.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.analytics.money import Money, cpa, ctr, from_minor, roas
from dreamsuite.models import (ActionStatus, AdCampaign, AdCreative, AdDailyMetric, BrainRun, MerchDaily,
                               PromotionChannel, Workspace)
from dreamsuite.services.promotion_actions import list_actions
from dreamsuite.services.promotion_store import KIND_OF_CHANNEL
from dreamsuite.services.scope import Scope

DEFAULT_DAYS = 30
MAX_DAYS = 3650
LEAD_DAYS = 7  # days of a fatigue curve before its decline began


@dataclass
class PromotionView:
    has_channels: bool = False
    has_numbers: bool = False  # any ad or shop day stored, ever
    channels: list[dict] = field(default_factory=list)  # {id, kind, name, currency, status, last_synced_at}
    start: str | None = None  # iso, first day of the range
    end: str | None = None
    as_of: str | None = None  # the latest day with numbers
    timezone: str = "UTC"
    currencies: list[str] = field(default_factory=list)  # of the range's ad and shop days
    # Per channel and day: {day, channel_id, currency, spend, revenue (ad-attributed)} (Decimal amounts).
    daily: list[dict] = field(default_factory=list)
    # Per currency and day, every shop and source together: {day, currency, revenue, orders}.
    merch: list[dict] = field(default_factory=list)
    # Per currency: {spend, revenue, merch, orders, roas} over the range.
    totals: dict[str, dict] = field(default_factory=dict)
    by_channel: list[dict] = field(default_factory=list)  # performance rows, biggest spend first per currency
    by_creative: list[dict] = field(default_factory=list)
    fatigue: list[dict] = field(default_factory=list)  # the latest run's, with each creative's daily CTR
    forecasts: list[dict] = field(default_factory=list)  # the latest run's MoneyForecast dicts
    run: dict | None = None  # {id, today, computed_at}
    hit_rate: dict | None = None
    notes: list[str] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)  # promotion_actions.list_actions rows, expired left out


async def promotion_view(scope: Scope, days: int = DEFAULT_DAYS, start: date | None = None,
                         end: date | None = None) -> PromotionView:
    view = await db.run(read_view, scope, days, start, end)
    if view.has_channels:
        view.actions = [a for a in await list_actions(scope) if a["status"] != ActionStatus.expired]
    return view


def resolve_range(latest: date | None, start: date | None, end: date | None, days: int) -> tuple[date, date]:
    """The range asked for: ends on `end` or the latest day, spans `days` unless `start` is given."""
    end = end or latest or date.today()
    if start is None or start > end:
        start = end - timedelta(days=max(1, min(int(days), MAX_DAYS)) - 1)
    return max(start, end - timedelta(days=MAX_DAYS - 1)), end


def read_view(scope: Scope, days: int = DEFAULT_DAYS, start: date | None = None,
              end: date | None = None) -> PromotionView:
    ws = scope.workspace_id
    with db.session() as s:
        channels = _channels(s, ws)
        tz = s.exec(select(Workspace.timezone).where(Workspace.id == ws)).first() or "UTC"
        v = PromotionView(has_channels=bool(channels), channels=list(channels.values()), timezone=tz)
        if not channels:
            return v
        latest = _latest_day(s, ws)
        v.has_numbers = latest is not None
        first, last = resolve_range(latest, start, end, days)
        v.start, v.end, v.as_of = first.isoformat(), last.isoformat(), latest.isoformat() if latest else None
        v.daily = _daily(s, ws, first, last)
        v.merch = _merch(s, ws, first, last)
        v.by_channel = _by_channel(s, ws, first, last, channels)
        v.by_creative = _by_creative(s, ws, first, last, channels)
        run = s.exec(select(BrainRun).where(BrainRun.workspace_id == ws)
                     .order_by(BrainRun.computed_at.desc(), BrainRun.id.desc()).limit(1)).first()
        if run is not None:
            out = dict(run.outputs or {})
            v.run = {"id": run.id, "today": run.today.isoformat(), "computed_at": run.computed_at}
            v.hit_rate = out.get("hit_rate")
            v.forecasts = list(out.get("forecasts") or [])
            v.notes = [str(n) for n in out.get("notes") or []]
            v.fatigue = _fatigue(s, ws, out.get("fatigue") or [], first, last, channels)
    v.totals = _totals(v.daily, v.merch)
    v.currencies = sorted(v.totals)
    return v


def _channels(s: Session, ws: int) -> dict[int, dict]:
    rows = s.exec(select(PromotionChannel.id, PromotionChannel.kind, PromotionChannel.name,
                         PromotionChannel.external_id, PromotionChannel.currency, PromotionChannel.status,
                         PromotionChannel.last_synced_at)
                  .where(PromotionChannel.workspace_id == ws).order_by(PromotionChannel.kind, PromotionChannel.id))
    return {cid: {"id": cid, "kind": kind, "name": name or external_id, "currency": cur, "status": status,
                  "last_synced_at": synced} for cid, kind, name, external_id, cur, status, synced in rows}


def _day(value) -> date | None:
    if isinstance(value, str):  # SQLite hands an aggregate's date back as text
        return date.fromisoformat(value[:10])
    return value


def _latest_day(s: Session, ws: int) -> date | None:
    ad = _day(s.exec(select(func.max(AdDailyMetric.day)).where(AdDailyMetric.workspace_id == ws)).one())
    shop = _day(s.exec(select(func.max(MerchDaily.day)).where(MerchDaily.workspace_id == ws)).one())
    return max((d for d in (ad, shop) if d is not None), default=None)


def _daily(s: Session, ws: int, first: date, last: date) -> list[dict]:
    m = AdDailyMetric
    rows = s.exec(select(m.day, m.channel_id, m.currency, func.sum(m.spend_minor), func.sum(m.revenue_minor))
                  .where(m.workspace_id == ws, m.day >= first, m.day <= last)
                  .group_by(m.day, m.channel_id, m.currency).order_by(m.day, m.channel_id, m.currency))
    return [{"day": _day(d).isoformat(), "channel_id": cid, "currency": cur, "spend": from_minor(sp or 0, cur),
             "revenue": from_minor(rev or 0, cur)} for d, cid, cur, sp, rev in rows]


def _merch(s: Session, ws: int, first: date, last: date) -> list[dict]:
    m = MerchDaily
    rows = s.exec(select(m.day, m.currency, func.sum(m.revenue_minor), func.sum(m.orders))
                  .where(m.workspace_id == ws, m.day >= first, m.day <= last)
                  .group_by(m.day, m.currency).order_by(m.day, m.currency))
    return [{"day": _day(d).isoformat(), "currency": cur, "revenue": from_minor(rev or 0, cur), "orders": int(n or 0)}
            for d, cur, rev, n in rows]


def _sums():
    m = AdDailyMetric
    return (func.sum(m.spend_minor), func.sum(m.revenue_minor), func.sum(m.impressions), func.sum(m.clicks),
            func.sum(m.conversions), func.count(func.distinct(m.day)))


def performance(currency: str, spend_minor: int, revenue_minor: int, impressions: int, clicks: int,
                conversions: int, days: int) -> dict[str, Any]:
    """A performer's sums and the ratios derived from them (None where a denominator is 0)."""
    spend = Money.minor(spend_minor, currency)
    per = cpa(spend, conversions)
    return {"currency": currency, "spend": spend.amount, "revenue": from_minor(revenue_minor, currency),
            "impressions": impressions, "clicks": clicks, "conversions": conversions, "days": days,
            "roas": roas(revenue_minor, spend_minor), "cpa": per.amount if per else None,
            "ctr": ctr(clicks, impressions)}


def _ints(row) -> list[int]:
    return [int(x or 0) for x in row]


def _by_channel(s: Session, ws: int, first: date, last: date, channels: dict[int, dict]) -> list[dict]:
    m = AdDailyMetric
    rows = s.exec(select(m.channel_id, m.currency, *_sums())
                  .where(m.workspace_id == ws, m.day >= first, m.day <= last).group_by(m.channel_id, m.currency))
    out = []
    for cid, cur, *nums in rows:
        ch = channels.get(cid)
        if ch is None:
            continue
        out.append({"channel_id": cid, "kind": ch["kind"], "name": ch["name"], **performance(cur, *_ints(nums))})
    return sorted(out, key=lambda r: (r["currency"], -r["spend"], r["channel_id"]))


def _by_creative(s: Session, ws: int, first: date, last: date, channels: dict[int, dict]) -> list[dict]:
    m = AdDailyMetric
    rows = s.exec(select(m.channel_id, m.creative_external_id, m.currency, *_sums())
                  .where(m.workspace_id == ws, m.day >= first, m.day <= last)
                  .group_by(m.channel_id, m.creative_external_id, m.currency)).all()
    names = _creative_names(s, ws)
    out = []
    for cid, creative, cur, *nums in rows:
        ch = channels.get(cid)
        if ch is None:
            continue
        name, campaign = names.get((cid, creative), (creative, ""))
        out.append({"channel_id": cid, "kind": ch["kind"], "channel": ch["name"], "creative_id": creative,
                    "name": name, "campaign": campaign, **performance(cur, *_ints(nums))})
    return sorted(out, key=lambda r: (r["currency"], -r["spend"], r["channel_id"], r["creative_id"]))


def _creative_names(s: Session, ws: int) -> dict[tuple[int, str], tuple[str, str]]:
    """(channel id, creative id) → (its name, its campaign's name), as the platform gave them."""
    campaigns = {(cid, ext): name for cid, ext, name in s.exec(
        select(AdCampaign.channel_id, AdCampaign.external_id, AdCampaign.name).where(AdCampaign.workspace_id == ws))}
    out = {}
    for cid, ext, name, camp in s.exec(select(AdCreative.channel_id, AdCreative.external_id, AdCreative.name,
                                              AdCreative.campaign_external_id).where(AdCreative.workspace_id == ws)):
        out[(cid, ext)] = (name or ext, campaigns.get((cid, camp), camp) if camp else "")
    return out


def _fatigue(s: Session, ws: int, found: list[dict], first: date, last: date,
             channels: dict[int, dict]) -> list[dict]:
    """Each fatigued creative the brain found, with its daily CTR over the range (and the week
    before its decline began, when that lies before the range). The brain names
    a channel by platform ("meta"): its creative is looked up among this workspace's channels of
    that kind."""
    names = _creative_names(s, ws)
    m = AdDailyMetric
    out = []
    for f in found:
        kind = KIND_OF_CHANNEL.get(str(f.get("channel")), "")
        ids = [cid for cid, ch in channels.items() if ch["kind"] == kind]
        creative = str(f.get("creative", ""))
        if not ids or not creative:
            continue
        # From a week before the decline began when that is before the range: the curve shows the turn.
        began = _iso_day(f.get("start"))
        since = min(first, began - timedelta(days=LEAD_DAYS)) if began and began <= last else first
        rows = s.exec(select(m.day, m.channel_id, func.sum(m.impressions), func.sum(m.clicks))
                      .where(m.workspace_id == ws, m.channel_id.in_(ids), m.creative_external_id == creative,
                             m.day >= since, m.day <= last)
                      .group_by(m.day, m.channel_id).order_by(m.day)).all()
        points = [(_day(d).isoformat(), ctr(int(c or 0), int(i or 0))) for d, _, i, c in rows if i]
        cid = rows[0][1] if rows else ids[0]
        name, campaign = names.get((cid, creative), (creative, ""))
        out.append({"kind": kind, "channel_id": cid, "creative_id": creative, "name": name, "campaign": campaign,
                    "start": f.get("start"), "detected": f.get("detected"), "launched": f.get("launched"),
                    "baseline_ctr": f.get("baseline_ctr"), "current_ctr": f.get("current_ctr"),
                    "drop_pct": f.get("drop_pct"), "ongoing": bool(f.get("ongoing")), "points": points})
    return out


def _iso_day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _totals(daily: list[dict], merch: list[dict]) -> dict[str, dict]:
    """Per currency over the range: ad spend and revenue, shop revenue and orders, ROAS of the ads."""
    acc: dict[str, dict] = defaultdict(lambda: {"spend": 0, "revenue": 0, "merch": 0, "orders": 0})
    for r in daily:
        a = acc[r["currency"]]
        a["spend"] += r["spend"]
        a["revenue"] += r["revenue"]
    for r in merch:
        a = acc[r["currency"]]
        a["merch"] += r["revenue"]
        a["orders"] += r["orders"]
    out = {}
    for cur, a in sorted(acc.items()):
        out[cur] = {"spend": Money(a["spend"], cur).amount, "revenue": Money(a["revenue"], cur).amount,
                    "merch": Money(a["merch"], cur).amount, "orders": a["orders"],
                    "roas": round(float(a["revenue"] / a["spend"]), 4) if a["spend"] else None}
    return out
