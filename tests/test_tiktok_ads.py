"""TikTok Ads end to end over real HTTP against its emulator: the portal authorisation and the
auth_code exchange, the advertiser, its campaigns, ad groups and ads page by page, the daily ad
report in 30-day spans, metric strings to exact Decimals in the advertiser's currency, and TikTok's
envelope codes (40100, 40105, 40001, 50000) mapped onto the error taxonomy."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import httpx
import pytest

from dreamsuite import oauth
from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, Malformed, PermanentError, PermissionMissing, RateLimited, TransientError,
)
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.platforms.emulators.promotion_story import tiktok_ad_days
from dreamsuite.platforms.emulators.tiktok_ads import TikTokAdsEmulator
from dreamsuite.platforms.promotion_base import promotion_channel
from dreamsuite.platforms.tiktok_ads import TikTokAdsAdapter
from dreamsuite.settings import get_settings
from tests.promotion_helpers import _promotion_server, client, promotion  # noqa: F401 - fixtures

API = "/business/open_api/v1.3"


@pytest.fixture
def ads(promotion):
    account = promotion.account("tiktok_ads")
    emulator = promotion["tiktok_ads"]
    adv = emulator.advertiser_id(account)
    return promotion, emulator, account, AccountRef(platform_user_id=adv, details={"advertiser_id": adv}), \
        emulator.grant(account.id)


def _calls(emulator, endpoint: str) -> list[dict]:
    return [r for r in emulator.requests if r["path"].endswith(endpoint)]


def _row(ad_id: str = "11", day: str | None = None, **metrics) -> dict:
    day = day or datetime.now(UTC).date().isoformat()
    base = {"campaign_id": "1", "adgroup_id": "2", "spend": "1.00", "impressions": "10", "clicks": "1",
            "reach": "5", "complete_payment": "0", "total_complete_payment_rate": "0.00"}
    return {"dimensions": {"ad_id": ad_id, "stat_time_day": f"{day} 00:00:00"}, "metrics": {**base, **metrics}}


async def test_the_portal_gives_an_auth_code_that_becomes_a_lasting_token(promotion, client):
    adapter, settings = TikTokAdsAdapter(), get_settings()
    url, state, _ = oauth.authorization_url("tiktok_ads", f"{settings.api_url}/oauth/callback/tiktok_ads")
    assert url.startswith(f"{promotion.base}/tiktok_ads/business/portal/auth?") and "app_id=" in url
    assert "client_id=" not in url and "code_challenge" not in url
    answer = await approve(url, account_name="Nova Lane")
    assert answer["auth_code"] == answer["code"] and answer["state"] == state
    tokens = await oauth.exchange_code("tiktok_ads", answer["auth_code"], "", "unused")
    assert tokens.refresh_token == "" and tokens.expires_at is None and tokens.scope
    profile = await adapter.fetch_profile(client, tokens.access_token)
    assert profile.display_name == "Nova Lane — TikTok Ads" and profile.details["currency"] == "USD"
    assert tokens.extra["advertiser_ids"] == [profile.platform_user_id] == profile.details["advertisers"]
    # An auth_code works once.
    with pytest.raises(oauth.OAuthError, match="Auth code is invalid"):
        await oauth.exchange_code("tiktok_ads", answer["auth_code"], "", "unused")


async def test_the_whole_account_is_collected_over_pages_and_30_day_spans(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("tiktok_ads", "page_size", size=2)
    report = await TikTokAdsAdapter().collect_ads(client, token, ref)
    assert report.account.id == ref.platform_user_id and report.account.currency == "USD"
    assert report.account.timezone == "Europe/Berlin" and report.account.status == 1
    assert {c.name for c in report.campaigns} == {"Spark Ads — Night Drive", "Always-on — Studio clips"}
    assert len(report.adsets) == 3 and len(report.ads) == 4
    assert all(s.daily_budget and s.daily_budget.as_tuple().exponent == -2 for s in report.adsets)
    assert all(c.daily_budget is None and c.lifetime_budget is None for c in report.campaigns)
    # The hook video runs in two ad groups: one creative for two ads.
    assert len(report.creatives) == 3
    hook = [a for a in report.ads if a.name.startswith("Night Drive hook")]
    assert len(hook) == 2 and hook[0].creative_id == hook[1].creative_id != hook[0].id
    # Every row of the story arrives once and the money adds up to the cent.
    story = tiktok_ad_days(account.persona, datetime.now(UTC).date())
    assert len(report.days) == len(story) and len({(d.day, d.ad_id) for d in report.days}) == len(story)
    assert sum(d.spend for d in report.days) == sum(Decimal(n.spend) / 100 for n in story)
    assert sum(d.revenue for d in report.days) == sum(Decimal(n.value) / 100 for n in story)
    assert sum(d.conversions for d in report.days) == sum(n.purchases for n in story)
    assert sum(d.clicks for d in report.days) == sum(n.clicks for n in story)
    by_ad = {a.id: a for a in report.ads}
    assert all(d.creative_id == by_ad[d.ad_id].creative_id and d.campaign_id == by_ad[d.ad_id].campaign_id
               for d in report.days)
    # Six spans of at most 30 days, each followed to its last page.
    calls = _calls(emulator, "/report/integrated/get/")
    spans = {(c["query"]["start_date"], c["query"]["end_date"]) for c in calls}
    assert len(spans) == 6 and len(calls) > 6 and {c["query"]["page"] for c in calls} >= {"1", "2", "3"}
    assert all((datetime.fromisoformat(b) - datetime.fromisoformat(a)).days < 30 for a, b in spans)
    assert len(_calls(emulator, "/ad/get/")) == 2  # four ads, two a page


async def test_the_request_shape_is_tiktoks(ads, client):
    promotion, emulator, account, ref, token = ads
    await TikTokAdsAdapter().collect_ads(client, token, ref, since=datetime.now(UTC).date() - timedelta(days=3))
    assert emulator.requests and all(r["access_token"] and r["authorization"] is None for r in emulator.requests)
    [info] = _calls(emulator, "/advertiser/info/")
    assert json.loads(info["query"]["advertiser_ids"]) == [ref.platform_user_id]
    [rep] = _calls(emulator, "/report/integrated/get/")
    q = rep["query"]
    assert (q["report_type"], q["data_level"], q["advertiser_id"]) == ("BASIC", "AUCTION_AD", ref.platform_user_id)
    assert json.loads(q["dimensions"]) == ["ad_id", "stat_time_day"]
    assert {"spend", "impressions", "clicks", "reach", "complete_payment",
            "total_complete_payment_rate"} <= set(json.loads(q["metrics"]))
    assert json.loads(_calls(emulator, "/campaign/get/")[0]["query"]["fields"])[0] == "campaign_id"


async def test_the_spark_hook_sells_then_tires_within_days(ads, client):
    promotion, emulator, account, ref, token = ads
    report = await TikTokAdsAdapter().collect_ads(client, token, ref)
    ad = next(a for a in report.ads if a.name == "Night Drive hook 9s")
    rows = sorted((d for d in report.days if d.ad_id == ad.id), key=lambda d: d.day)
    ctr = [d.clicks / d.impressions for d in rows]
    assert sum(ctr[:3]) / 3 > 2.5 * sum(ctr[10:13]) / 3  # most of its clicks gone in about ten days
    assert sum(d.revenue for d in rows[:5]) > sum(d.spend for d in rows[:5])  # it paid for itself at first
    assert rows[10].impressions / rows[10].reach > 2 * rows[0].impressions / rows[0].reach


async def test_euro_amounts_round_half_to_even_once(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    emulator.configure(account.id, currency="EUR")
    rows = [_row("11", spend="0.10", total_complete_payment_rate="0.10", complete_payment="1"),
            _row("12", spend="0.20", total_complete_payment_rate="0.20", complete_payment="2"),
            _row("13", spend="1.005", total_complete_payment_rate="1.015"),
            _row("14", spend="2.675", reach="")]
    monkeypatch.setattr(TikTokAdsEmulator, "report_rows", lambda self, *a: rows)
    report = await TikTokAdsAdapter().collect_ads(client, token, ref, since=datetime.now(UTC).date())
    days = {d.ad_id: d for d in report.days}
    assert report.account.currency == "EUR" and all(d.currency == "EUR" for d in report.days)
    assert days["11"].spend + days["12"].spend == Decimal("0.30") and days["12"].conversions == 2
    assert days["13"].spend == Decimal("1.00") and days["13"].revenue == Decimal("1.02")  # half to even
    assert days["14"].spend == Decimal("2.68") and days["14"].reach is None
    assert days["11"].creative_id == "11"  # an ad the structure does not know keeps its own id


async def test_a_yen_advertiser_has_no_decimals(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("tiktok_ads", "advertiser", account=account.id, currency="JPY")
    report = await TikTokAdsAdapter().collect_ads(client, token, ref)
    assert report.account.currency == "JPY" and report.days
    assert all(d.spend.as_tuple().exponent == 0 and d.revenue.as_tuple().exponent == 0 for d in report.days)
    assert all(s.daily_budget == s.daily_budget.to_integral_value() for s in report.adsets)
    story = tiktok_ad_days(account.persona, datetime.now(UTC).date(), 1.5)
    assert sum(d.spend for d in report.days) == sum(n.spend for n in story)


async def test_yen_half_amounts_round_to_even(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    emulator.configure(account.id, currency="JPY")
    monkeypatch.setattr(TikTokAdsEmulator, "report_rows", lambda self, *a: [
        _row("11", spend="1234.5", total_complete_payment_rate="1235.5")])
    [day] = (await TikTokAdsAdapter().collect_ads(client, token, ref, since=datetime.now(UTC).date())).days
    assert day.spend == Decimal("1234") and day.revenue == Decimal("1236")


async def test_an_advertiser_without_ads_is_an_empty_report(ads, client):
    promotion, emulator, account, ref, token = ads
    emulator.configure(account.id, empty=True)
    report = await TikTokAdsAdapter().collect_ads(client, token, ref)
    assert report.account.id == ref.platform_user_id
    assert report.campaigns == report.adsets == report.ads == report.creatives == report.days == []


async def test_40100_is_a_rate_limit_without_a_stated_wait(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("tiktok_ads", "fail", status=429, times=1, path=f"{API}/report/integrated/get/")
    with pytest.raises(RateLimited) as info:
        await TikTokAdsAdapter().collect_ads(client, token, ref)
    assert "40100" in info.value.message and not info.value.said and info.value.retry_after >= 1


async def test_the_emulators_own_limit_answers_40100(ads, client):
    promotion, emulator, account, ref, token = ads
    async with httpx.AsyncClient() as c:
        await c.post(f"{promotion.base}/tiktok_ads/_control/limit", json={"calls": 1, "window": 60})
    adapter = TikTokAdsAdapter()
    await adapter.advertisers(client, token, [ref.platform_user_id])
    with pytest.raises(RateLimited):
        await adapter.advertisers(client, token, [ref.platform_user_id])


async def test_a_revoked_or_missing_token_is_auth_expired(ads, client):
    promotion, emulator, account, ref, token = ads
    with pytest.raises(AuthExpired, match="40105"):
        await TikTokAdsAdapter().collect_ads(client, token[:-4] + "AAAA", ref)
    with pytest.raises(AuthExpired, match="40104"):
        await TikTokAdsAdapter().call(client, "GET", "/advertiser/info/", None,
                                      params={"advertiser_ids": [ref.platform_user_id]})
    await promotion.control("tiktok_ads", "fail", status=401, times=1, path=f"{API}/campaign/get/")
    with pytest.raises(AuthExpired):
        await TikTokAdsAdapter().collect_ads(client, token, ref)


async def test_another_advertiser_is_a_clear_permission_error(ads, client):
    promotion, emulator, account, ref, token = ads
    other = AccountRef(platform_user_id="7000000000000000001")
    with pytest.raises(PermissionMissing, match="No permission to operate advertiser 7000000000000000001"):
        await TikTokAdsAdapter().collect_ads(client, token, other)


async def test_a_parameter_error_is_permanent_with_tiktoks_words(ads, client):
    promotion, emulator, account, ref, token = ads
    today = datetime.now(UTC).date()
    with pytest.raises(PermanentError, match="cannot exceed 30 days") as info:
        await TikTokAdsAdapter().call(client, "GET", "/report/integrated/get/", token, params={
            "advertiser_id": ref.platform_user_id, "report_type": "BASIC", "data_level": "AUCTION_AD",
            "dimensions": ["ad_id", "stat_time_day"], "metrics": ["spend"],
            "start_date": (today - timedelta(days=30)).isoformat(), "end_date": today.isoformat()})
    assert "40002" in info.value.message and not isinstance(info.value, PermissionMissing)


async def test_a_system_error_is_transient(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("tiktok_ads", "fail", status=500, times=1, path=f"{API}/ad/get/")
    with pytest.raises(TransientError, match="50000"):
        await TikTokAdsAdapter().collect_ads(client, token, ref)


@pytest.mark.parametrize("row", [
    {"dimensions": {"stat_time_day": "2026-01-01 00:00:00"}, "metrics": {"spend": "1"}},  # no ad_id
    {"dimensions": {"ad_id": "1", "stat_time_day": "yesterday"}, "metrics": {"spend": "1"}},
    {"dimensions": {"ad_id": "1", "stat_time_day": "2026-01-01 00:00:00"}, "metrics": {"spend": "1,5"}},
    {"dimensions": {"ad_id": "1", "stat_time_day": "2026-01-01 00:00:00"}, "metrics": {"clicks": "many"}},
])
async def test_malformed_rows_are_malformed(ads, client, monkeypatch, row):
    promotion, emulator, account, ref, token = ads
    monkeypatch.setattr(TikTokAdsEmulator, "report_rows", lambda self, *a: [row])
    with pytest.raises(Malformed):
        await TikTokAdsAdapter().collect_ads(client, token, ref, since=datetime.now(UTC).date())


async def test_an_answer_without_the_envelope_is_malformed(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("tiktok_ads", "fail", status=200, times=1, path=f"{API}/advertiser/info/",
                            body="{not json")
    with pytest.raises(Malformed):
        await TikTokAdsAdapter().collect_ads(client, token, ref)
    await promotion.control("tiktok_ads", "fail", status=200, times=1, path=f"{API}/advertiser/info/",
                            body='{"list": []}')
    with pytest.raises(Malformed, match="code and data"):
        await TikTokAdsAdapter().collect_ads(client, token, ref)
    page = {"page": 1, "page_size": 1, "total_number": 1, "total_page": 1}
    await promotion.control("tiktok_ads", "fail", status=200, times=1, path=f"{API}/campaign/get/",
                            body=json.dumps({"code": 0, "message": "OK", "request_id": "1",
                                             "data": {"list": ["not a campaign"], "page_info": page}}))
    with pytest.raises(Malformed, match="campaigns"):
        await TikTokAdsAdapter().collect_ads(client, token, ref)


async def test_the_adapter_is_registered_and_does_not_refresh(promotion, client):
    adapter = promotion_channel("tiktok_ads")
    assert isinstance(adapter, TikTokAdsAdapter) and adapter.label == "TikTok Ads"
    with pytest.raises(oauth.OAuthError, match="connect the advertiser account again"):
        await oauth.refresh("tiktok_ads", "anything")
    config = adapter.oauth_config()
    assert (config.client_id_param, config.pkce, config.scopes) == ("app_id", False, [])


async def test_disconnecting_revokes_the_token(ads, client):
    promotion, emulator, account, ref, token = ads
    adapter = TikTokAdsAdapter()
    assert await adapter.revoke(client, token, ref) is True
    with pytest.raises(AuthExpired, match="revoked"):
        await adapter.collect_ads(client, token, ref)
    with pytest.raises(AuthExpired):  # a second revoke finds nothing to end
        await adapter.revoke(client, token, ref)
    assert await adapter.advertisers(client, emulator.grant(account.id), [ref.platform_user_id])  # a new one works
