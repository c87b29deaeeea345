"""Collecting promotion channels end to end over real HTTP against the Meta Ads, Shopify and
Google Ads emulators: the stored numbers are the emulator story's sums to the cent, a second collect re-reads
only the last 28 days and stores the same, an expired grant marks the channel and notifies once,
a rate limit becomes the job's retry after the platform's own delay, a token near its end is
refreshed first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from arq import Retry
from sqlalchemy import func
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import AdCreative, AdDailyMetric, MerchDaily, Notification, PromotionChannel
from dreamsuite.platforms import google_ads, meta
from dreamsuite.platforms.base import AccountRef, RateLimited
from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.promotion_story import ad_days, orders as story_orders
from dreamsuite.services.promotion_collect import REVISED_DAYS, collect_channel
from tests.helpers import make_workspace
from tests.promotion_helpers import _promotion_server, client, promotion  # noqa: F401 - fixtures
from workers.promotion import collect_promotion

GRAPH = f"/graph/{meta.GRAPH_VERSION}"


def _channel(ws_id: int, kind: str, external_id: str, token: str, *, details: dict | None = None,
             refresh: str = "", expires_at: datetime | None = None) -> int:
    with dbmod.session() as s:
        ch = PromotionChannel(workspace_id=ws_id, kind=kind, external_id=external_id, name=external_id,
                              access_token_enc=crypto.encrypt(token),
                              refresh_token_enc=crypto.encrypt(refresh) if refresh else "",
                              token_expires_at=expires_at, details=details or {})
        s.add(ch)
        s.flush()
        return ch.id


def _get(cid: int) -> PromotionChannel:
    with dbmod.session() as s:
        return s.get(PromotionChannel, cid)


def _ad_totals(cid: int) -> tuple[int, int, int, int]:
    with dbmod.session() as s:
        return tuple(int(x or 0) for x in s.exec(select(
            func.sum(AdDailyMetric.spend_minor), func.sum(AdDailyMetric.revenue_minor),
            func.sum(AdDailyMetric.impressions), func.count()).where(AdDailyMetric.channel_id == cid)).one())


@pytest.fixture
def meta_ads(db, redis_url, close_arq_pools, promotion):
    account = promotion.account("meta_ads")
    emulator = promotion["meta_ads"]
    act = f"act_{emulator.act_number(account.id)}"
    _, ws, _ = make_workspace("ads@example.com")
    return promotion, emulator, account, act, ws.id


async def test_an_ad_account_is_stored_as_the_story_adds_up(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id))
    result = await collect_channel(cid, client=client)
    assert result["status"] == "success", result
    story = ad_days(account.persona, datetime.now(UTC).date())
    per_line = {(n.day, n.ad.key) for n in story}
    spend, revenue, impressions, rows = _ad_totals(cid)
    assert (spend, revenue, impressions) == (sum(n.spend for n in story), sum(n.value for n in story),
                                             sum(n.impressions for n in story))
    assert rows <= len(per_line) and rows == result["counts"]["ad_days"]
    ch = _get(cid)
    assert ch.status == "active" and ch.last_error == "" and ch.last_synced_at is not None
    assert ch.currency == "USD" and ch.timezone == "America/Los_Angeles"
    with dbmod.session() as s:
        launched = [c.launched_on for c in s.exec(select(AdCreative).where(AdCreative.channel_id == cid))]
    assert len(launched) == 7 and all(launched)

    # The next collect re-reads the last 28 days only, and stores the same numbers.
    emulator.served.clear()
    again = await collect_channel(cid, client=client)
    today_la = datetime.now(ZoneInfo("America/Los_Angeles")).date()
    assert again["since"] == (today_la - timedelta(days=REVISED_DAYS - 1)).isoformat()
    assert all(again["since"] in c for c in emulator.served if "/insights?" in c)
    assert _ad_totals(cid) == (spend, revenue, impressions, rows)


async def test_a_shop_is_stored_per_day_of_its_own_zone(db, redis_url, close_arq_pools, promotion, client):
    account = promotion.account("shopify")
    emulator = promotion["shopify"]
    shop = emulator.shop_of(account)["myshopifyDomain"]
    _, ws, _ = make_workspace("shop@example.com")
    cid = _channel(ws.id, "shopify", shop, emulator.grant(account.id), details={"shop": shop})
    result = await collect_channel(cid, client=client)
    assert result["status"] == "success", result
    since = datetime.fromisoformat(result["since"]).date()
    ny = ZoneInfo("America/New_York")
    kept = [o for o in story_orders(account.persona, datetime.now(UTC).date())
            if datetime.combine(o.day, datetime.min.time(), UTC).replace(hour=o.hour).astimezone(ny).date() >= since]
    with dbmod.session() as s:
        rows = s.exec(select(MerchDaily).where(MerchDaily.channel_id == cid)).all()
    assert sum(r.orders for r in rows) == len(kept)
    assert sum(r.revenue_minor for r in rows) == sum(q * p for o in kept for *_, q, p in o.items)
    paid = sum(r.orders for r in rows if r.utm_source == "facebook")
    assert paid == sum(1 for o in kept if o.utm) and paid > 0
    assert _get(cid).timezone == "America/New_York" and _get(cid).currency == "USD"


async def test_an_expired_grant_marks_the_channel_and_notifies_once(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id, ttl=-5))
    result = await collect_channel(cid, client=client)
    assert result["status"] == "expired"
    ch = _get(cid)
    assert ch.status == "expired" and ch.last_error and ch.last_synced_at is None
    assert (await collect_channel(cid, client=client))["status"] == "skipped"
    with dbmod.session() as s:
        notes = s.exec(select(Notification).where(Notification.workspace_id == ws_id)).all()
    assert [n.kind for n in notes] == ["token_expired"] and "Meta Ads" in notes[0].message
    assert _ad_totals(cid)[3] == 0


async def test_a_rate_limit_is_retried_after_the_platforms_delay(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id))
    await promotion.control("meta_ads", "fail", status=429, times=1, path=f"{GRAPH}/{act}/insights", retry_after=240)
    with pytest.raises(Retry) as info:
        await collect_promotion({"job_try": 1, "http": client}, cid)
    assert info.value.defer_score == 240_000  # milliseconds: Meta's own wait
    ch = _get(cid)
    assert ch.status == "active" and "(#80000)" in ch.last_error  # the platform's words, no alarm yet
    result = await collect_promotion({"job_try": 2, "http": client}, cid)  # the retry goes through
    assert result["status"] == "success" and _get(cid).last_error == ""


async def test_out_of_tries_the_artist_is_told(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id))
    await promotion.control("meta_ads", "fail", status=429, times=1, path=f"{GRAPH}/{act}/insights", retry_after=240)
    result = await collect_promotion({"job_try": 6, "http": client}, cid)
    assert result["status"] == "failed" and _get(cid).status == "error"
    with dbmod.session() as s:
        assert [n.kind for n in s.exec(select(Notification))] == ["sync_failed"]


async def test_a_token_about_to_end_is_refreshed_first(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    token = emulator.grant(account.id)
    cid = _channel(ws_id, "meta_ads", act, token, refresh=token,
                   expires_at=datetime.now(UTC) + timedelta(minutes=1))
    with pytest.raises(RateLimited):  # a refused collect still refreshed the token before it
        await promotion.control("meta_ads", "fail", status=429, times=1, path=f"{GRAPH}/{act}", retry_after=30)
        await collect_channel(cid, client=client)
    ch = _get(cid)
    assert crypto.decrypt(ch.access_token_enc) != token
    assert ch.token_expires_at.replace(tzinfo=UTC) - datetime.now(UTC) > timedelta(days=30)
    assert (await collect_channel(cid, client=client))["status"] == "success"


async def test_after_an_outage_the_gap_is_read_again(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id))
    with dbmod.session() as s:
        ch = s.get(PromotionChannel, cid)
        ch.last_synced_at, ch.timezone = datetime.now(UTC) - timedelta(days=40), "UTC"
    result = await collect_channel(cid, client=client)
    today = datetime.now(UTC).date()
    assert result["since"] == (today - timedelta(days=40 + REVISED_DAYS - 1)).isoformat()
    story = [n for n in ad_days(account.persona, today) if n.day >= today - timedelta(days=40 + REVISED_DAYS - 1)]
    assert _ad_totals(cid)[0] == sum(n.spend for n in story)


async def test_a_channel_removed_while_collecting_is_skipped(meta_ads, client, monkeypatch):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id))
    from dreamsuite.platforms.meta_ads import MetaAdsAdapter

    real = MetaAdsAdapter.collect_ads

    async def then_removed(self, *args, **kwargs):
        report = await real(self, *args, **kwargs)
        with dbmod.session() as s:
            s.delete(s.get(PromotionChannel, cid))
        return report

    monkeypatch.setattr(MetaAdsAdapter, "collect_ads", then_removed)
    result = await collect_channel(cid, client=client)
    assert result["status"] == "skipped" and "no longer exists" in result["reason"]
    assert _ad_totals(cid)[3] == 0


async def test_two_collects_at_once_store_the_story_once(meta_ads, client):
    promotion, emulator, account, act, ws_id = meta_ads
    cid = _channel(ws_id, "meta_ads", act, emulator.grant(account.id))
    results = await asyncio.gather(collect_channel(cid, client=client), collect_channel(cid, client=client))
    assert [r["status"] for r in results] == ["success", "success"]
    story = ad_days(account.persona, datetime.now(UTC).date())
    assert _ad_totals(cid)[:2] == (sum(n.spend for n in story), sum(n.value for n in story))


async def test_a_google_ads_channel_past_its_token_refreshes_with_the_standard_grant_and_collects(
        db, redis_url, close_arq_pools, promotion, client):
    account, emulator = promotion.account("google_ads"), promotion["google_ads"]
    customer = emulator.customer_id(account)
    _, ws, _ = make_workspace("google@example.com")
    expired = emulator.grant(account.id, ttl=-5)
    refresh = tokens.sign(emulator.secret, "google_ads", account.id, "refresh", google_ads.ADWORDS, 3600, "ya29")
    cid = _channel(ws.id, "google_ads", customer, expired, refresh=refresh, details={"customer_id": customer},
                   expires_at=datetime.now(UTC) - timedelta(minutes=1))
    result = await collect_channel(cid, client=client)
    assert result["status"] == "success", result
    ch = _get(cid)
    assert crypto.decrypt(ch.access_token_enc) != expired and crypto.decrypt(ch.refresh_token_enc) == refresh
    direct = await google_ads.GoogleAdsAdapter().collect_ads(client, crypto.decrypt(ch.access_token_enc),
                                                             AccountRef(customer, details={"customer_id": customer}),
                                                             since=datetime.fromisoformat(result["since"]).date())
    spend, revenue, _, rows = _ad_totals(cid)
    assert rows > 0 and spend == sum(int(d.spend.scaleb(2)) for d in direct.days)
    assert revenue == sum(int(d.revenue.scaleb(2)) for d in direct.days) and ch.currency == direct.account.currency
