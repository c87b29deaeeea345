"""What a promotion channel's collect returned, into the promotion tables, in one transaction.

Campaigns and creatives are upserted by their external id. Ad days are summed per (day,
campaign, creative) — several ads may run the same creative — and every stored day from the
start of the fetched window on is replaced by what the platform says now (platforms revise
recent days as late conversions arrive; a day that vanished from the answer is removed), so a
re-read never counts a day twice. Orders are summed per day of the shop's time zone, currency
and utm_source the same way. A failure anywhere rolls the whole write back: what was stored
before stays as it was.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date
from typing import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dreamsuite import db
from dreamsuite.analytics.money import to_minor
from dreamsuite.models import AdCampaign, AdCreative, AdDailyMetric, MerchDaily, PromotionChannel
from dreamsuite.platforms.promotion_base import AdsReport, Order, order_days


# The brain's channel name for each ad channel kind (its DailyAdRow.channel); a shop is not one.
CHANNEL_OF_KIND = {"meta_ads": "meta", "google_ads": "google", "tiktok_ads": "tiktok"}
KIND_OF_CHANNEL = {v: k for k, v in CHANNEL_OF_KIND.items()}


class ChannelGone(LookupError):
    """The channel was removed while its numbers were being collected."""


def zone(name: str):
    """The channel's time zone (UTC when unknown or not a zone name)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _retrying(write):
    # A concurrent writer of the same channel may insert the same keys first (the collect lock
    # normally prevents it): one re-run of the whole transaction then finds and updates them.
    for attempt in (1, 2):
        try:
            with db.session() as s:
                return write(s)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _channel(s: Session, channel_id: int) -> PromotionChannel:
    ch = s.get(PromotionChannel, channel_id)
    if ch is None:
        raise ChannelGone(f"Promotion channel {channel_id} no longer exists")
    return ch


def _minor(amount, currency: str) -> int | None:
    return to_minor(amount, currency) if amount is not None else None


# ------------------------------------------------------------------ ads
def store_ads(channel_id: int, report: AdsReport, *, since: date | None = None) -> dict:
    """Upsert the report; ad days on or after `since` (default: its first day) are replaced."""
    return _retrying(lambda s: _write_ads(s, channel_id, report, since))


def _write_ads(s: Session, channel_id: int, report: AdsReport, since: date | None) -> dict:
    ch = _channel(s, channel_id)
    ws, now = ch.workspace_id, db.utcnow()
    acct = report.account
    if acct.currency:
        ch.currency = acct.currency
    if acct.timezone:
        ch.timezone = acct.timezone
    campaign_of_creative = {a.creative_id: a.campaign_id for a in report.ads if a.creative_id}
    # The artist names ads; a creative's own name is often generated ("… creative", a date). A
    # creative behind one ad takes that ad's name; one shared by several ads keeps its own.
    ad_names: dict[str, set[str]] = defaultdict(set)
    for a in report.ads:
        if a.creative_id and a.name.strip():
            ad_names[a.creative_id].add(a.name.strip())

    campaigns = {c.external_id: c for c in s.exec(select(AdCampaign).where(AdCampaign.channel_id == channel_id))}
    for c in report.campaigns:
        row = campaigns.get(c.id) or AdCampaign(channel_id=channel_id, workspace_id=ws, external_id=c.id)
        row.name, row.objective, row.status, row.currency = c.name[:300], c.objective[:64], c.status[:32], acct.currency
        row.daily_budget_minor = _minor(c.daily_budget, acct.currency)
        row.lifetime_budget_minor = _minor(c.lifetime_budget, acct.currency)
        row.started_at = c.created_at or row.started_at
        row.updated_at = now
        s.add(row)

    creatives = {c.external_id: c for c in s.exec(select(AdCreative).where(AdCreative.channel_id == channel_id))}

    def creative_row(external_id: str) -> AdCreative:
        row = creatives.get(external_id)
        if row is None:
            row = creatives[external_id] = AdCreative(channel_id=channel_id, workspace_id=ws, external_id=external_id)
        return row

    for c in report.creatives:
        row = creative_row(c.id)
        [only] = ad_names[c.id] if len(ad_names[c.id]) == 1 else [c.name]
        row.name, row.title, row.body = only[:300], c.title[:500], c.body[:4000]
        row.thumbnail_url, row.kind = c.thumbnail_url[:2000], c.object_type[:32]
        row.campaign_external_id = campaign_of_creative.get(c.id, row.campaign_external_id)
        row.updated_at = now
        s.add(row)

    # Ads sharing a creative are summed; reach is only known when one ad made the line (people
    # reached by two ads overlap, so their reaches do not add up).
    lines: dict[tuple[date, str, str], dict] = {}
    ads_on: dict[tuple[date, str, str], set[str]] = defaultdict(set)
    for d in report.days:
        creative = d.creative_id or f"ad:{d.ad_id}"  # an ad without a creative keeps its own line
        key = (d.day, d.campaign_id, creative)
        line = lines.setdefault(key, {"currency": d.currency, "spend": 0, "revenue": 0, "impressions": 0,
                                      "clicks": 0, "conversions": 0, "reach": d.reach})
        if line["currency"] != d.currency:
            raise ValueError(f"Ad days of one line came in {line['currency']} and {d.currency}")
        line["spend"] += to_minor(d.spend, d.currency)
        line["revenue"] += to_minor(d.revenue, d.currency)
        for k in ("impressions", "clicks", "conversions"):
            line[k] += getattr(d, k)
        ads_on[key].add(d.ad_id)
        if len(ads_on[key]) > 1:
            line["reach"] = None
        if creative not in creatives:
            creative_row(creative).campaign_external_id = d.campaign_id
            s.add(creatives[creative])

    start = since or min((k[0] for k in lines), default=None)
    written = removed = 0
    if start is not None:
        existing = {(r.day, r.campaign_external_id, r.creative_external_id): r for r in s.exec(
            select(AdDailyMetric).where(AdDailyMetric.channel_id == channel_id, AdDailyMetric.day >= start))}
        for key, line in lines.items():
            if key[0] < start:
                continue
            row = existing.pop(key, None) or AdDailyMetric(
                channel_id=channel_id, workspace_id=ws, day=key[0], campaign_external_id=key[1],
                creative_external_id=key[2], currency=line["currency"])
            row.currency = line["currency"]
            row.spend_minor, row.revenue_minor = line["spend"], line["revenue"]
            row.impressions, row.clicks, row.conversions = line["impressions"], line["clicks"], line["conversions"]
            row.reach, row.updated_at = line["reach"], now
            s.add(row)
            written += 1
        for row in existing.values():  # no longer reported for a day of the window
            s.delete(row)
            removed += 1
    s.flush()
    _launch_dates(s, channel_id, creatives.values())
    ch.updated_at = now
    s.add(ch)
    return {"campaigns": len(report.campaigns), "creatives": len(creatives), "ad_days": written,
            "ad_days_removed": removed, "since": start.isoformat() if start else None}


def _launch_dates(s: Session, channel_id: int, creatives: Iterable[AdCreative]) -> None:
    """A creative's launch is its first stored day with spend."""
    first = dict(s.exec(select(AdDailyMetric.creative_external_id, func.min(AdDailyMetric.day))
                        .where(AdDailyMetric.channel_id == channel_id, AdDailyMetric.spend_minor > 0)
                        .group_by(AdDailyMetric.creative_external_id)).all())
    for row in creatives:
        launched = first.get(row.external_id)
        if launched != row.launched_on:
            row.launched_on = launched
            s.add(row)


# ------------------------------------------------------------------ orders
def store_orders(channel_id: int, orders: list[Order], *, since: date | None = None,
                 currency: str = "", timezone: str = "") -> dict:
    """Upsert the shop's days; days on or after `since` (in the shop's zone; default: the first
    order's day) are replaced. `currency` and `timezone` are the shop's, when just read."""
    return _retrying(lambda s: _write_orders(s, channel_id, orders, since, currency, timezone))


def _write_orders(s: Session, channel_id: int, orders: list[Order], since: date | None, currency: str,
                  timezone: str) -> dict:
    ch = _channel(s, channel_id)
    ws, now = ch.workspace_id, db.utcnow()
    if currency:
        ch.currency = currency
    if timezone:
        ch.timezone = timezone
    tz = zone(ch.timezone)
    days = order_days(orders, tz)
    start = since or min((o.created_at.astimezone(tz).date() for o in orders), default=None)
    written = removed = 0
    if start is not None:
        existing = {(r.day, r.currency, r.utm_source): r for r in s.exec(
            select(MerchDaily).where(MerchDaily.channel_id == channel_id, MerchDaily.day >= start))}
        for d in days:
            if d.day < start:
                continue  # read only to be sure the window's first day is whole
            source = d.utm_source[:200]
            row = existing.pop((d.day, d.currency, source), None) or MerchDaily(
                channel_id=channel_id, workspace_id=ws, day=d.day, currency=d.currency, utm_source=source)
            row.orders, row.revenue_minor, row.updated_at = d.orders, to_minor(d.revenue, d.currency), now
            s.add(row)
            written += 1
        for row in existing.values():  # every order of that day and source was cancelled since
            s.delete(row)
            removed += 1
    ch.updated_at = now
    s.add(ch)
    return {"orders": sum(1 for o in orders if not o.cancelled), "merch_days": written,
            "merch_days_removed": removed, "since": start.isoformat() if start else None}

