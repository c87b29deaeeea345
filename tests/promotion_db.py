"""Promotion rows straight into the tables, for tests of what reads them (the page, the chat's
tools, the brain run): a channel per kind, and a creative's days from `promotion_synth` rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable

from sqlmodel import select

from dreamsuite.analytics.money import to_minor
from dreamsuite.analytics.promotion_data import DailyAdRow, DailyOrders
from dreamsuite.db import session
from dreamsuite.models import AdCampaign, AdCreative, AdDailyMetric, MerchDaily, PromotionChannel

# The brain's channel name for each ad channel kind (DailyAdRow.channel) and back.
CHANNEL_OF_KIND = {"meta_ads": "meta", "google_ads": "google", "tiktok_ads": "tiktok"}
KIND_OF_CHANNEL = {v: k for k, v in CHANNEL_OF_KIND.items()}


def make_channel(workspace_id: int, kind: str, currency: str = "EUR", *, name: str = "",
                 external_id: str = "", timezone: str = "UTC") -> int:
    with session() as s:
        ch = PromotionChannel(workspace_id=workspace_id, kind=kind, currency=currency, timezone=timezone,
                              external_id=external_id or f"{kind}-{workspace_id}-{currency}",
                              name=name or f"{kind} {currency}")
        s.add(ch)
        s.commit()
        return ch.id


def put_ad_rows(workspace_id: int, rows: Iterable[DailyAdRow], *, names: dict[str, str] | None = None) -> dict[str, int]:
    """Each row's day into ad_daily_metric under the workspace's channel of its kind and currency
    (made when missing); campaigns and creatives named from `names` (id → name) or their ids.
    Returns the channel ids by (brain) channel name + currency."""
    names = names or {}
    channels: dict[str, int] = {}
    seen_campaigns: set[tuple[int, str]] = set()
    first_day: dict[tuple[int, str], date] = {}
    with session() as s:
        for r in rows:
            key = f"{r.channel}/{r.currency}"
            if key not in channels:
                kind = KIND_OF_CHANNEL.get(r.channel, r.channel)
                found = s.exec(select(PromotionChannel).where(
                    PromotionChannel.workspace_id == workspace_id, PromotionChannel.kind == kind,
                    PromotionChannel.currency == r.currency)).first()
                if found is None:
                    found = PromotionChannel(workspace_id=workspace_id, kind=kind, currency=r.currency,
                                             external_id=f"{kind}-{workspace_id}-{r.currency}", name=f"{r.channel}")
                    s.add(found)
                    s.flush()
                channels[key] = found.id
            cid = channels[key]
            if (cid, r.campaign_id) not in seen_campaigns:
                seen_campaigns.add((cid, r.campaign_id))
                s.add(AdCampaign(channel_id=cid, workspace_id=workspace_id, external_id=r.campaign_id,
                                 name=names.get(r.campaign_id, r.campaign_id), currency=r.currency, status="ACTIVE"))
            ck = (cid, r.creative_id)
            if r.spend > 0 and (ck not in first_day or r.day < first_day[ck][0]):
                first_day[ck] = (r.day, r.campaign_id)
            first_day.setdefault(ck, (r.day, r.campaign_id))
            s.add(AdDailyMetric(channel_id=cid, workspace_id=workspace_id, day=r.day, campaign_external_id=r.campaign_id,
                                creative_external_id=r.creative_id, currency=r.currency,
                                spend_minor=to_minor(Decimal(r.spend), r.currency),
                                revenue_minor=to_minor(Decimal(r.revenue), r.currency), impressions=r.impressions,
                                clicks=r.clicks, conversions=r.conversions, reach=r.reach))
        for (cid, creative_id), (day, campaign_id) in first_day.items():
            s.add(AdCreative(channel_id=cid, workspace_id=workspace_id, external_id=creative_id,
                             campaign_external_id=campaign_id, name=names.get(creative_id, creative_id),
                             status="ACTIVE", launched_on=day))
        s.commit()
    return channels


def put_orders(workspace_id: int, channel_id: int, orders: Iterable[DailyOrders]) -> None:
    """Days of merch orders into merch_daily (attributed_channel kept as the utm_source)."""
    with session() as s:
        for o in orders:
            s.add(MerchDaily(channel_id=channel_id, workspace_id=workspace_id, day=o.day, currency=o.currency,
                             utm_source=o.attributed_channel or "", orders=o.orders,
                             revenue_minor=to_minor(Decimal(o.revenue), o.currency)))
        s.commit()
