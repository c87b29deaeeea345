"""The promotion tables as a collect leaves them: idempotent upserts, revised days replaced (never
summed twice), ads sharing a creative summed, money exact in yen and euros, one transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from dreamsuite import db as dbmod
from dreamsuite.models import AdCampaign, AdCreative, AdDailyMetric, MerchDaily
from dreamsuite.platforms.promotion_base import Ad, AdAccount, AdDay, AdsReport, Campaign, Creative, Order
from dreamsuite.services import promotion_store
from dreamsuite.services.promotion_store import store_ads, store_orders
from tests.helpers import make_workspace
from tests.promotion_db import make_channel

D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)


def _day(day: date, ad: str, creative: str, spend: str, *, cur: str = "EUR", revenue: str = "0", reach=100,
         impressions: int = 1000, clicks: int = 10, conversions: int = 1, campaign: str = "c1") -> AdDay:
    return AdDay(day=day, campaign_id=campaign, campaign_name="Release push", adset_id="s1", ad_id=ad,
                 creative_id=creative, currency=cur, spend=Decimal(spend), impressions=impressions, reach=reach,
                 clicks=clicks, conversions=conversions, revenue=Decimal(revenue))


def _report(days: list[AdDay], cur: str = "EUR") -> AdsReport:
    return AdsReport(account=AdAccount(id="act_1", name="Nova ads", currency=cur, timezone="Europe/Berlin"),
                     campaigns=[Campaign(id="c1", name="Release push", objective="OUTCOME_SALES", status="ACTIVE",
                                         daily_budget=Decimal("25.00") if cur == "EUR" else Decimal("2500"))],
                     ads=[Ad(id="a1", name="A1", adset_id="s1", campaign_id="c1", creative_id="cr1"),
                          Ad(id="a2", name="A2", adset_id="s1", campaign_id="c1", creative_id="cr1"),
                          Ad(id="a3", name="A3", adset_id="s1", campaign_id="c1", creative_id="cr2")],
                     creatives=[Creative(id="cr1", name="Night drive cut", object_type="VIDEO"),
                                Creative(id="cr2", name="Studio still", object_type="SHARE")],
                     days=days)


def _metrics(channel_id: int) -> list[tuple]:
    with dbmod.session() as s:
        rows = s.exec(select(AdDailyMetric).where(AdDailyMetric.channel_id == channel_id)
                      .order_by(AdDailyMetric.day, AdDailyMetric.creative_external_id)).all()
        return [(r.day, r.creative_external_id, r.currency, r.spend_minor, r.revenue_minor, r.impressions, r.clicks,
                 r.conversions, r.reach) for r in rows]


@pytest.fixture
def channel(db):
    _, ws, _ = make_workspace("store@example.com")
    return ws.id, make_channel(ws.id, "meta_ads", "EUR", external_id="act_1")


def test_collecting_twice_stores_the_same(channel):
    ws_id, cid = channel
    report = _report([_day(D1, "a1", "cr1", "10.50", revenue="30.00"), _day(D1, "a3", "cr2", "4.25"),
                      _day(D2, "a1", "cr1", "11.00")])
    first = store_ads(cid, report)
    before = _metrics(cid)
    second = store_ads(cid, report)
    assert _metrics(cid) == before and first["ad_days"] == second["ad_days"] == 3
    with dbmod.session() as s:
        assert len(s.exec(select(AdCampaign)).all()) == 1 and len(s.exec(select(AdCreative)).all()) == 2
        camp = s.exec(select(AdCampaign)).one()
        assert camp.daily_budget_minor == 2500 and camp.currency == "EUR" and camp.workspace_id == ws_id
        launched = {c.external_id: c.launched_on for c in s.exec(select(AdCreative))}
    assert launched == {"cr1": D1, "cr2": D1}


def test_revised_days_replace_and_vanished_days_go(channel):
    ws_id, cid = channel
    store_ads(cid, _report([_day(D1, "a1", "cr1", "10.00"), _day(D2, "a1", "cr1", "10.00", conversions=1),
                            _day(D2, "a3", "cr2", "5.00"), _day(D3, "a1", "cr1", "9.00")]))
    # The platform revised Nov 2 (a late conversion), and cr2's Nov 2 is gone; Nov 1 is before the window.
    counts = store_ads(cid, _report([_day(D2, "a1", "cr1", "10.00", conversions=3, revenue="45.00"),
                                     _day(D3, "a1", "cr1", "9.50")]), since=D2)
    assert counts["ad_days"] == 2 and counts["ad_days_removed"] == 1
    rows = _metrics(cid)
    assert [(r[0], r[1], r[3], r[4], r[7]) for r in rows] == [(D1, "cr1", 1000, 0, 1), (D2, "cr1", 1000, 4500, 3),
                                                             (D3, "cr1", 950, 0, 1)]
    with dbmod.session() as s:  # cr2 no longer spent anything stored: no launch day
        assert {c.external_id: c.launched_on for c in s.exec(select(AdCreative))} == {"cr1": D1, "cr2": None}


def test_ads_sharing_a_creative_are_summed_and_reach_becomes_unknown(channel):
    ws_id, cid = channel
    store_ads(cid, _report([_day(D1, "a1", "cr1", "10.01", revenue="20.10", reach=400, impressions=500, clicks=7),
                            _day(D1, "a2", "cr1", "5.02", revenue="0.05", reach=300, impressions=250, clicks=2),
                            _day(D1, "a3", "cr2", "3.00", reach=90)]))
    rows = {r[1]: r for r in _metrics(cid)}
    assert rows["cr1"][3:] == (1503, 2015, 750, 9, 2, None)  # reach: the two ads' audiences overlap
    assert rows["cr2"][8] == 90  # one ad: its reach stands


def test_a_creative_behind_one_ad_takes_the_ads_name_and_a_shared_one_keeps_its_own(channel):
    _, cid = channel
    store_ads(cid, _report([_day(D1, "a1", "cr1", "1.00"), _day(D1, "a3", "cr2", "1.00")]))
    with dbmod.session() as s:
        names = {c.external_id: c.name for c in s.exec(select(AdCreative))}
    assert names == {"cr1": "Night drive cut", "cr2": "A3"}  # cr1 runs in ads A1 and A2


def test_yen_and_euros_are_exact(db):
    _, ws, _ = make_workspace("money@example.com")
    yen = make_channel(ws.id, "meta_ads", "JPY", external_id="act_jp")
    store_ads(yen, _report([_day(D1, "a1", "cr1", "1234", cur="JPY", revenue="98765"),
                            _day(D1, "a2", "cr1", "1", cur="JPY", revenue="0")], cur="JPY"))
    assert [(r[2], r[3], r[4]) for r in _metrics(yen)] == [("JPY", 1235, 98765)]
    with dbmod.session() as s:
        assert s.exec(select(AdCampaign).where(AdCampaign.channel_id == yen)).one().daily_budget_minor == 2500
    eur = make_channel(ws.id, "meta_ads", "EUR", external_id="act_eu")
    many = [_day(D1, f"a{i}", "cr1", "0.10") for i in range(3)]  # 0.1 + 0.2 != 0.3 in floats
    store_ads(eur, _report(many))
    assert _metrics(eur)[0][3] == 30


def test_orders_are_summed_per_shop_day_currency_and_source(db):
    _, ws, _ = make_workspace("shop@example.com")
    cid = make_channel(ws.id, "shopify", "EUR", external_id="nova.myshopify.com", timezone="")

    def order(n: int, at: str, total: str, source: str = "", cancelled: bool = False) -> Order:
        return Order(id=str(n), name=f"#{n}", created_at=datetime.fromisoformat(at), currency="EUR",
                     total=Decimal(total), utm_source=source, cancelled=cancelled)

    orders = [order(1, "2026-11-01T22:30:00+00:00", "19.99", "instagram"),  # Nov 1 in Berlin… 23:30
              order(2, "2026-11-01T23:30:00+00:00", "20.01", "instagram"),  # …and Nov 2 at 00:30
              order(3, "2026-11-02T10:00:00+00:00", "35.00"),
              order(4, "2026-11-02T11:00:00+00:00", "99.00", "instagram", cancelled=True)]
    counts = store_orders(cid, orders, since=D1, currency="EUR", timezone="Europe/Berlin")
    assert counts["merch_days"] == 3 and counts["orders"] == 3

    def merch():
        with dbmod.session() as s:
            return sorted((r.day, r.utm_source, r.orders, r.revenue_minor)
                          for r in s.exec(select(MerchDaily).where(MerchDaily.channel_id == cid)))

    assert merch() == [(D1, "instagram", 1, 1999), (D2, "", 1, 3500), (D2, "instagram", 1, 2001)]
    store_orders(cid, orders, since=D1)
    assert len(merch()) == 3  # again: the same rows
    # Order 3 was cancelled since: its day and source is gone, not left at its old total.
    orders[2] = order(3, "2026-11-02T10:00:00+00:00", "35.00", cancelled=True)
    assert store_orders(cid, orders, since=D2)["merch_days_removed"] == 1
    assert merch() == [(D1, "instagram", 1, 1999), (D2, "instagram", 1, 2001)]


def test_a_failure_mid_store_leaves_what_was_stored(channel, monkeypatch):
    ws_id, cid = channel
    store_ads(cid, _report([_day(D1, "a1", "cr1", "10.00"), _day(D2, "a1", "cr1", "12.00")]))
    before = _metrics(cid)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(promotion_store, "_launch_dates", broken)  # after every day row was written
    with pytest.raises(RuntimeError):
        store_ads(cid, _report([_day(D2, "a1", "cr1", "99.00"), _day(D3, "a1", "cr1", "99.00")]), since=D2)
    assert _metrics(cid) == before
    with dbmod.session() as s:
        assert s.exec(select(AdCreative).where(AdCreative.external_id == "cr1")).one().launched_on == D1


def test_a_channel_removed_meanwhile_is_named(db):
    with pytest.raises(promotion_store.ChannelGone, match="no longer exists"):
        store_ads(999_999, _report([]))
    with dbmod.session() as s:
        assert s.exec(select(AdCampaign)).all() == []
