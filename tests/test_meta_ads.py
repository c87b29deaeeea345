"""Meta Ads end to end over real HTTP against its emulator: the ad account, its campaigns, ad sets,
ads and creatives, ad-level daily insights in 30-day windows followed page by page, numbers from
strings to exact Decimals in the account currency, and Meta's rate-limit, token and error answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from dreamsuite.platforms import meta, meta_ads as module
from dreamsuite.platforms.base import AccountRef, AuthExpired, Malformed, PermissionMissing, RateLimited
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.platforms.emulators.meta_ads import MetaAdsEmulator
from dreamsuite.platforms.emulators.promotion_story import ad_days
from dreamsuite.platforms.meta_ads import MetaAdsAdapter
from dreamsuite.platforms.promotion_base import PROMOTION_CHANNELS, from_minor, minor_unit, money, promotion_channel
from dreamsuite.settings import get_settings
from tests.promotion_helpers import _promotion_server, client, promotion  # noqa: F401 - fixtures

GRAPH = f"/graph/{meta.GRAPH_VERSION}"


@pytest.fixture
def ads(promotion):
    account = promotion.account("meta_ads")
    emulator = promotion["meta_ads"]
    act = f"act_{emulator.act_number(account.id)}"
    return promotion, emulator, account, act, emulator.grant(account.id)


def _served(emulator, needle: str) -> list[str]:
    return [s for s in emulator.served if needle in s]


def _row(**over) -> dict:
    base = {"campaign_id": "1", "campaign_name": "C", "adset_id": "2", "ad_id": "3", "date_start": "2026-11-01",
            "date_stop": "2026-11-01", "spend": "1", "impressions": "10", "reach": "5", "clicks": "1"}
    return {**base, **over}


async def test_the_whole_account_is_collected_across_windows_and_pages(ads, client, monkeypatch):
    promotion, emulator, account, act, token = ads
    monkeypatch.setattr(module, "PAGE_SIZE", 25)
    report = await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act))
    assert report.account.id == act and report.account.currency == "USD"
    assert {c.name for c in report.campaigns} == {"Release push — Night Drive", "Always-on — Studio diaries",
                                                  "Broad interests test", "Merch drop — Tour hoodie"}
    assert len(report.ads) == len(report.creatives) == 7 and all(a.creative_id for a in report.ads)
    assert all(s.daily_budget and s.daily_budget.as_tuple().exponent == -2 for s in report.adsets)
    # Every row of the story arrives once, and the money adds up to the cent.
    story = ad_days(account.persona, datetime.now(UTC).date())
    assert len(report.days) == len(story)
    assert sum(d.spend for d in report.days) == sum(Decimal(n.spend) / 100 for n in story)
    assert sum(d.revenue for d in report.days) == sum(Decimal(n.value) / 100 for n in story)
    assert {(d.day, d.ad_id) for d in report.days}.__len__() == len(report.days)
    assert all(d.creative_id == {a.id: a.creative_id for a in report.ads}[d.ad_id] for d in report.days)
    # Six 30-day windows, each followed to its last page (cursors, never our token in a URL we build).
    calls = _served(emulator, "/insights?")
    spans = {json.loads(parse_qs(urlsplit(c.split(" ", 1)[1]).query)["time_range"][0])["since"] for c in calls}
    assert len(spans) == 6 and len(calls) > 6 and any("after=" in c for c in calls)
    assert all(parse_qs(urlsplit(c.split(" ", 1)[1]).query)["level"] == ["ad"] for c in calls)


async def test_the_story_shows_a_fatiguing_creative_a_wasteful_campaign_and_a_merch_drop(ads, client):
    promotion, emulator, account, act, token = ads
    report = await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act))
    names = {c.id: c.name for c in report.campaigns}

    def totals(name: str) -> tuple[Decimal, Decimal]:
        rows = [d for d in report.days if names[d.campaign_id] == name]
        return sum(d.spend for d in rows), sum(d.revenue for d in rows)

    spend, revenue = totals("Broad interests test")
    assert spend > 500 and revenue < spend / 10
    spend, revenue = totals("Merch drop — Tour hoodie")
    assert revenue > 2 * spend
    diary = next(a for a in report.ads if a.name == "Studio diary #1")
    rows = sorted((d for d in report.days if d.ad_id == diary.id), key=lambda d: d.day)
    ctr = [d.clicks / d.impressions for d in rows]
    assert sum(ctr[:14]) / 14 > 2.5 * sum(ctr[-14:]) / 14
    assert rows[-1].impressions / rows[-1].reach > rows[0].impressions / rows[0].reach  # frequency rises


async def test_strings_become_exact_decimals_with_no_float_drift(ads, client, monkeypatch):
    promotion, emulator, account, act, token = ads
    rows = [_row(ad_id="3", spend="0.1", actions=[{"action_type": "purchase", "value": "1"}],
                 action_values=[{"action_type": "purchase", "value": "0.1"}]),
            _row(ad_id="4", spend="0.2", actions=[{"action_type": "omni_purchase", "value": "2"}],
                 action_values=[{"action_type": "omni_purchase", "value": "0.2"}]),
            _row(ad_id="5", spend="1.005", action_values=[{"action_type": "purchase", "value": "1.015"}])]
    monkeypatch.setattr(MetaAdsEmulator, "insight_rows", lambda self, *a: rows)
    report = await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act),
                                                since=datetime.now(UTC).date())
    days = {d.ad_id: d for d in report.days}
    assert days["3"].spend + days["4"].spend == Decimal("0.3") and 0.1 + 0.2 != 0.3
    assert days["3"].revenue + days["4"].revenue == Decimal("0.30") and days["4"].conversions == 2
    # More digits than the cent: rounded half to even, once.
    assert days["5"].spend == Decimal("1.00") and days["5"].revenue == Decimal("1.02")
    assert all(isinstance(d.spend, Decimal) for d in report.days)


async def test_a_yen_account_has_no_decimals(ads, client):
    promotion, emulator, account, act, token = ads
    emulator.configure(account.id, currency="JPY")
    report = await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act))
    assert report.account.currency == "JPY" and report.days
    assert all(d.currency == "JPY" and d.spend.as_tuple().exponent == 0 for d in report.days)
    assert all(d.revenue == d.revenue.to_integral_value() for d in report.days)
    assert all(s.daily_budget == s.daily_budget.to_integral_value() for s in report.adsets)
    story = ad_days(account.persona, datetime.now(UTC).date(), 1.5)
    assert sum(d.spend for d in report.days) == sum(n.spend for n in story)


async def test_an_empty_ad_account(ads, client):
    promotion, emulator, account, act, token = ads
    emulator.configure(account.id, empty=True)
    report = await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act))
    assert report.account.id == act and report.campaigns == report.ads == report.days == []


async def test_missing_optional_fields_are_unknown_or_zero_as_meta_means_them(ads, client, monkeypatch):
    promotion, emulator, account, act, token = ads
    bare = _row(reach=None, clicks="0")  # no actions at all: Meta leaves them out when there were none
    monkeypatch.setattr(MetaAdsEmulator, "insight_rows", lambda self, *a: [bare])
    [day] = (await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act),
                                                since=datetime.now(UTC).date())).days
    assert day.reach is None and day.conversions == 0 and day.revenue == Decimal("0.00") and day.creative_id == ""


async def test_meta_rate_limit_waits_the_time_in_the_business_use_case_header(ads, client):
    promotion, emulator, account, act, token = ads
    await promotion.control("meta_ads", "fail", status=429, times=1, path=f"{GRAPH}/{act}/insights", retry_after=240)
    with pytest.raises(RateLimited) as info:
        await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act))
    assert info.value.retry_after == 240 and info.value.said and "(#80000)" in info.value.message


@pytest.mark.parametrize("code", [17, 613, 80004])
async def test_other_ads_rate_codes_are_rate_limits(ads, client, code):
    promotion, emulator, account, act, token = ads
    emulator.rate_error = (code, f"(#{code}) Too many calls")
    try:
        await promotion.control("meta_ads", "fail", status=429, times=1, path=f"{GRAPH}/{act}", retry_after=120)
        with pytest.raises(RateLimited) as info:
            await MetaAdsAdapter().account(client, token, act)
    finally:
        del emulator.rate_error
    assert info.value.retry_after == 120


async def test_usage_headers_are_read_for_the_gate(ads, client):
    promotion, emulator, account, act, token = ads
    await promotion.control("meta_ads", "usage", call_count=97)
    resp = await client.get(f"{promotion.base}/meta_ads{GRAPH}/{act}", headers={"Authorization": f"Bearer {token}"})
    usage = MetaAdsAdapter().read_usage(resp)
    assert usage.used == pytest.approx(0.97) and json.loads(resp.headers["x-ad-account-usage"])["acc_id_util_pct"] == 97
    full = httpx.Response(200, headers={"x-ad-account-usage": json.dumps({"acc_id_util_pct": 100,
                                                                          "reset_time_duration": 300})})
    assert MetaAdsAdapter().read_usage(full).retry_after == 300  # the account is blocked for that long


async def test_an_expired_token_is_auth_expired(ads, client):
    promotion, emulator, account, act, token = ads
    with pytest.raises(AuthExpired):
        await MetaAdsAdapter().collect_ads(client, emulator.grant(account.id, ttl=-5), AccountRef(platform_user_id=act))


async def test_a_token_without_ads_read_names_the_permission(ads, client):
    promotion, emulator, account, act, token = ads
    with pytest.raises(PermissionMissing) as info:
        await MetaAdsAdapter().account(client, emulator.grant(account.id, scope="business_management"), act)
    assert info.value.scope == "ads_read"


async def test_a_malformed_answer_is_malformed(ads, client, monkeypatch):
    promotion, emulator, account, act, token = ads
    await promotion.control("meta_ads", "fail", status=200, times=1, path=f"{GRAPH}/{act}", body="{not json")
    with pytest.raises(Malformed):
        await MetaAdsAdapter().account(client, token, act)
    monkeypatch.setattr(MetaAdsEmulator, "insight_rows", lambda self, *a: [_row(spend=12.5)])  # a float
    with pytest.raises(Malformed, match="decimal string"):
        await MetaAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id=act),
                                           since=datetime.now(UTC).date())


async def test_facebook_login_gives_a_long_lived_token_that_reads_the_ad_account(promotion, client):
    adapter, settings = MetaAdsAdapter(), get_settings()
    config, credentials = adapter.oauth_config(), settings.platform_credentials("meta_ads")
    redirect = f"{settings.api_url}/oauth/callback/meta_ads"
    asked = {"client_id": credentials[0], "redirect_uri": redirect, "response_type": "code", "state": "s1",
             "scope": config.scope_separator.join(config.scopes)}
    answer = await approve(f"{config.authorize_url}?{urlencode(asked)}", account_name="Nova Lane")
    short = await adapter.exchange_code(client, answer["code"], "", redirect, credentials)
    long = await adapter.after_token(client, short, credentials)
    assert long.expires_at - datetime.now(UTC) > timedelta(days=55) and "ads_read" in long.scope.split(",")
    profile = await adapter.fetch_profile(client, long.access_token)
    assert profile.platform_user_id.startswith("act_") and profile.display_name == "Nova Lane ads"


async def test_the_profile_is_the_active_ad_account(ads, client):
    promotion, emulator, account, act, token = ads
    profile = await MetaAdsAdapter().fetch_profile(client, token)
    assert profile.platform_user_id == act and profile.details["currency"] == "USD"


async def test_a_long_daily_range_is_refused_by_the_emulator_as_by_meta(ads, client):
    promotion, emulator, account, act, token = ads
    today = datetime.now(UTC).date()
    span = json.dumps({"since": (today - timedelta(days=120)).isoformat(), "until": today.isoformat()})
    resp = await client.get(f"{promotion.base}/meta_ads{GRAPH}/{act}/insights",
                            params={"level": "ad", "time_increment": "1", "time_range": span},
                            headers={"Authorization": f"Bearer {token}"})
    assert resp.json()["error"]["error_subcode"] == 1504018


def test_money_and_minor_units():
    assert (minor_unit("JPY"), minor_unit("EUR"), minor_unit("usd"), minor_unit("KWD")) == (0, 2, 2, 3)
    assert money("1234.5", "JPY") == Decimal("1234") and money("1235.5", "JPY") == Decimal("1236")
    assert money("1.0005", "KWD") == Decimal("1.000") and str(money("7", "EUR")) == "7.00"
    assert from_minor("1050", "USD") == Decimal("10.50") and from_minor("1050", "JPY") == Decimal("1050")
    with pytest.raises(Malformed):
        money(0.1, "USD")
    with pytest.raises(Malformed):
        money("NaN", "USD")
    assert set(PROMOTION_CHANNELS) == {"meta_ads", "google_ads", "tiktok_ads", "shopify"}
    assert isinstance(promotion_channel("meta_ads"), MetaAdsAdapter)
