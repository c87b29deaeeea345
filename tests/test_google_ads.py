"""Google Ads end to end over real HTTP against its emulator: Google's OAuth, the accessible
customer and its currency, campaigns, ads and daily metrics read with GAQL through searchStream (its
batches all read), micros to exact Decimals in the customer's currency, fractional conversions,
Google's quota, token, developer-token and customer refusals; and the app's collect storing it all
(the only tests here that need the database)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client
from sqlalchemy import func
from sqlmodel import select

from dreamsuite import crypto, db as dbmod
from dreamsuite.models import AdDailyMetric, PromotionChannel
from dreamsuite.platforms import google_ads as module
from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, Malformed, PermanentError, PermissionMissing, RateLimited, TransientError,
)
from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.platforms.emulators.google_ads import GoogleAdsEmulator
from dreamsuite.platforms.emulators.promotion_story import ad_days, google_ad_days
from dreamsuite.platforms.google_ads import API_VERSION, GoogleAdsAdapter, micros, whole_conversions
from dreamsuite.platforms.promotion_base import promotion_channel
from dreamsuite.services.promotion_collect import collect_channel
from dreamsuite.settings import DEMO_GOOGLE_ADS_DEVELOPER_TOKEN, get_settings
from tests.helpers import make_workspace
from tests.promotion_helpers import _promotion_server, client, promotion  # noqa: F401 - fixtures

STREAM = "googleAds:searchStream"


@pytest.fixture
def ads(promotion):
    account = promotion.account("google_ads")
    emulator = promotion["google_ads"]
    cid = emulator.customer_id(account)
    return promotion, emulator, account, AccountRef(platform_user_id=cid, details={"customer_id": cid}), \
        emulator.grant(account.id)


def _row(ad: str = "3", day: str = "2026-11-01", **metrics) -> dict:
    return {"campaign": {"id": "1", "name": "C"}, "adGroup": {"id": "2"}, "adGroupAd": {"ad": {"id": ad}},
            "segments": {"date": day}, "metrics": {"costMicros": "1000000", "impressions": "10", "clicks": "1",
                                                   **metrics}}


def _stubbed(monkeypatch, rows: list[dict]) -> None:
    monkeypatch.setattr(GoogleAdsEmulator, "metric_rows", lambda self, *a: rows)


async def test_google_oauth_connects_and_the_profile_is_the_customer(promotion, client):
    adapter, settings = GoogleAdsAdapter(), get_settings()
    config, (cid, secret) = adapter.oauth_config(), settings.platform_credentials("google_ads")
    assert config.scopes == ["https://www.googleapis.com/auth/adwords"]
    assert config.extra_authorize_params == {"access_type": "offline", "prompt": "consent"}
    redirect = f"{settings.api_url}/oauth/callback/google_ads"
    async with AsyncOAuth2Client(client_id=cid, client_secret=secret, scope=" ".join(config.scopes),
                                 redirect_uri=redirect, code_challenge_method="S256") as oauth:
        url, state = oauth.create_authorization_url(config.authorize_url, code_verifier="v" * 64,
                                                    **config.extra_authorize_params)
        assert urlsplit(url).path.endswith("/google_ads/accounts/o/oauth2/v2/auth")
        answer = await approve(url, account_name="Nova Lane")
        token = await oauth.fetch_token(config.token_url, grant_type="authorization_code", code=answer["code"],
                                        code_verifier="v" * 64, redirect_uri=redirect)
    assert token["access_token"].startswith("ya29.") and token["refresh_token"]
    profile = await adapter.fetch_profile(client, token["access_token"])
    assert profile.platform_user_id.isdigit() and len(profile.platform_user_id) == 10
    assert profile.display_name == "Nova Lane — Google Ads" and profile.details["currency"] == "USD"
    assert profile.details["timezone"] == "America/Los_Angeles"
    assert isinstance(promotion_channel("google_ads"), GoogleAdsAdapter)


async def test_disconnecting_revokes_the_grant_at_google(ads, client):
    promotion, emulator, account, ref, token = ads
    adapter = GoogleAdsAdapter()
    assert await adapter.revoke(client, token, ref) is True
    with pytest.raises(AuthExpired):  # every token of the grant is refused now
        await adapter.customer_ids(client, token)
    assert await adapter.revoke(client, token, ref) is False  # nothing left to withdraw


async def test_the_whole_customer_is_collected_and_adds_up_to_the_story(ads, client):
    promotion, emulator, account, ref, token = ads
    report = await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert report.account.id == ref.platform_user_id and report.account.currency == "USD"
    assert {(c.name, c.objective) for c in report.campaigns} == {("YouTube — Night Drive release", "VIDEO"),
                                                                 ("Search — artist name", "SEARCH")}
    assert {c.name: c.daily_budget for c in report.campaigns}["Search — artist name"] == Decimal("3.00")
    assert len(report.ads) == len(report.creatives) == 3 and len(report.adsets) == 2
    assert all(a.creative_id == a.id for a in report.ads)
    story = google_ad_days(account.persona, datetime.now(UTC).date())
    assert len(report.days) == len(story) and len({(d.day, d.ad_id) for d in report.days}) == len(report.days)
    assert {d.day for d in report.days} == {n.day for n in story}
    assert sum(d.spend for d in report.days) == sum(Decimal(n.spend) / 100 for n in story)
    assert sum(d.revenue for d in report.days) == sum(Decimal(n.value) / 100 for n in story)
    assert sum(d.conversions for d in report.days) == sum(n.purchases for n in story)
    assert sum(d.clicks for d in report.days) == sum(n.clicks for n in story)
    assert all(d.reach is None and d.currency == "USD" for d in report.days)
    ads_of = {a.id: a for a in report.ads}
    assert all(ads_of[d.ad_id].adset_id == d.adset_id and ads_of[d.ad_id].campaign_id == d.campaign_id
               for d in report.days)


async def test_the_documented_request_shape_reached_google(ads, client):
    promotion, emulator, account, ref, token = ads
    today = datetime.now(UTC).date()
    ref.details["login_customer_id"] = ref.platform_user_id[:3] + "-" + ref.platform_user_id[3:]
    await GoogleAdsAdapter().collect_ads(client, token, ref, since=today - timedelta(days=6), until=today)
    await GoogleAdsAdapter().customer_ids(client, token)
    sent = emulator.requests
    assert [r["path"].rsplit("/", 1)[-1] for r in sent] == [STREAM] * 4 + ["customers:listAccessibleCustomers"]
    assert all(r["path"].startswith(f"/google_ads/api/{API_VERSION}/customers") and r["bearer"] for r in sent)
    assert all(r["developer_token"] == DEMO_GOOGLE_ADS_DEVELOPER_TOKEN for r in sent)
    assert {r["login_customer_id"] for r in sent[:4]} == {ref.platform_user_id} and sent[4]["login_customer_id"] is None
    queries = [r["query"] for r in sent[:4]]
    assert queries[0].startswith("SELECT customer.id, customer.descriptive_name, customer.currency_code")
    assert "campaign_budget.amount_micros FROM campaign" in queries[1]
    assert queries[2].endswith("FROM ad_group_ad") and "ad_group_ad.ad.id" in queries[2]
    assert ("segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.conversions, "
            "metrics.conversions_value FROM ad_group_ad WHERE segments.date BETWEEN "
            f"'{today - timedelta(days=6)}' AND '{today}'") in queries[3]


async def test_every_batch_of_the_stream_is_read(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "batch_size", size=50)
    report = await GoogleAdsAdapter().collect_ads(client, token, ref)
    story = google_ad_days(account.persona, datetime.now(UTC).date())
    assert len(story) > 4 * 50 and len(report.days) == len(story)
    # The emulator really answered in batches, each with its field mask.
    resp = await client.post(f"{promotion.base}/google_ads/api/{API_VERSION}/customers/{ref.platform_user_id}/"
                             f"{STREAM}", json={"query": module.METRICS_QUERY.format(
                                 since=date.today() - timedelta(days=179), until=date.today())},
                             headers={"Authorization": f"Bearer {token}",
                                      "developer-token": DEMO_GOOGLE_ADS_DEVELOPER_TOKEN})
    batches = resp.json()
    assert len(batches) == -(-len(story) // 50) and all(len(b["results"]) <= 50 for b in batches)
    assert batches[0]["fieldMask"].startswith("campaign.id,campaign.name,adGroup.id,adGroupAd.ad.id,segments.date")
    first = batches[0]["results"][0]
    assert isinstance(first["metrics"]["costMicros"], str) and isinstance(first["metrics"]["conversions"], float)
    assert "status" not in first["campaign"]  # only what was selected


async def test_micros_are_rounded_once_half_to_even_in_the_currency(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    _stubbed(monkeypatch, [_row("a", costMicros="1234567"), _row("b", costMicros="1005000"),
                           _row("c", costMicros="1015000"), _row("d", costMicros="100000", conversionsValue=0.1),
                           _row("e", costMicros="200000", conversionsValue=0.2)])
    report = await GoogleAdsAdapter().collect_ads(client, token, ref, since=date(2026, 11, 1), until=date(2026, 11, 1))
    days = {d.ad_id: d for d in report.days}
    assert days["a"].spend == Decimal("1.23")
    assert days["b"].spend == Decimal("1.00") and days["c"].spend == Decimal("1.02")  # half to even
    # Doubles read as the digits Google wrote: 0.1 + 0.2 is 0.3 to the cent, unlike binary floats.
    assert days["d"].revenue + days["e"].revenue == Decimal("0.30") and 0.1 + 0.2 != 0.3
    assert days["d"].spend + days["e"].spend == Decimal("0.30")
    assert all(d.spend.as_tuple().exponent == -2 for d in report.days)


async def test_a_yen_customer_has_no_decimals(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "customer", account=account.id, currency="JPY", time_zone="Asia/Tokyo")
    report = await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert (report.account.currency, report.account.timezone) == ("JPY", "Asia/Tokyo") and report.days
    assert all(d.currency == "JPY" and d.spend.as_tuple().exponent == 0 for d in report.days)
    assert all(c.daily_budget == c.daily_budget.to_integral_value() for c in report.campaigns)
    story = google_ad_days(account.persona, datetime.now(UTC).date(), 1.5)
    assert sum(d.spend for d in report.days) == sum(n.spend for n in story)
    assert sum(d.revenue for d in report.days) == sum(n.value for n in story)
    _stubbed(monkeypatch, [_row("a", costMicros="1500000000"), _row("b", costMicros="2500000000"),
                           _row("c", costMicros="1499999")])
    days = {d.ad_id: d.spend for d in (await GoogleAdsAdapter().collect_ads(
        client, token, ref, since=date(2026, 11, 1), until=date(2026, 11, 1))).days}
    assert days == {"a": Decimal("1500"), "b": Decimal("2500"), "c": Decimal("1")}


async def test_fractional_conversions_keep_their_value_and_round_to_whole_purchases(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    _stubbed(monkeypatch, [_row("a", conversions=0.33, conversionsValue=4.29),
                           _row("b", conversions=2.5, conversionsValue=32.475),
                           _row("c", conversions=3.5, conversionsValue=1.005), _row("d")])
    days = {d.ad_id: d for d in (await GoogleAdsAdapter().collect_ads(
        client, token, ref, since=date(2026, 11, 1), until=date(2026, 11, 1))).days}
    assert [days[k].conversions for k in "abcd"] == [0, 2, 4, 0]
    assert [days[k].revenue for k in "abcd"] == [Decimal("4.29"), Decimal("32.48"), Decimal("1.00"), Decimal("0.00")]
    assert whole_conversions("7") == 7 and whole_conversions(Decimal("0.5")) == 0
    with pytest.raises(Malformed):
        whole_conversions(1.5)  # a float that skipped the exact parse


async def test_resource_exhausted_waits_the_retry_delay_google_gives(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "fail", status=429, times=1, retry_after=37,
                            path=f"/api/{API_VERSION}/customers/{ref.platform_user_id}/{STREAM}")
    with pytest.raises(RateLimited) as info:
        await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert info.value.retry_after == 37 and info.value.said and info.value.status == 429
    assert "Too many requests" in info.value.message


async def test_an_error_that_ends_a_stream_is_not_taken_for_the_end_of_the_rows(ads, client):
    promotion, emulator, account, ref, token = ads
    quota = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Resource has been exhausted.",
                       "details": [{"@type": "type.googleapis.com/google.ads.googleads.v24.errors.GoogleAdsFailure",
                                    "errors": [{"errorCode": {"quotaError": "RESOURCE_EXHAUSTED"},
                                                "message": "Too many requests.",
                                                "details": {"quotaErrorDetails": {"rateScope": "DEVELOPER",
                                                                                  "retryDelay": "12.5s"}}}]}]}}
    body = json.dumps([{"results": [_row()], "fieldMask": "campaign.id", "requestId": "r"}, quota])
    await promotion.control("google_ads", "fail", status=200, times=1, body=body,
                            path=f"/api/{API_VERSION}/customers/{ref.platform_user_id}/{STREAM}")
    with pytest.raises(RateLimited) as info:
        await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert info.value.retry_after == 12.5 and info.value.status == 429


async def test_googles_server_errors_are_worth_another_try(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "fail", status=503, times=1, path=f"/api/{API_VERSION}/customers")
    with pytest.raises(TransientError) as info:
        await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert not isinstance(info.value, Malformed) and info.value.status == 503


async def test_an_expired_token_refreshes_through_the_standard_grant(ads, client):
    promotion, emulator, account, ref, token = ads
    adapter = GoogleAdsAdapter()
    with pytest.raises(AuthExpired):
        await adapter.collect_ads(client, emulator.grant(account.id, ttl=-5), ref)
    await promotion.control("google_ads", "fail", status=401, times=1, path=f"/api/{API_VERSION}/customers")
    with pytest.raises(AuthExpired):
        await adapter.customer_ids(client, token)
    # The standard refresh grant at the token endpoint of Google's shared OAuth configuration.
    refresh = tokens.sign(emulator.secret, "google_ads", account.id, "refresh", module.ADWORDS, 3600, "ya29")
    cid, secret = get_settings().platform_credentials("google_ads")
    async with AsyncOAuth2Client(client_id=cid, client_secret=secret, timeout=10) as oauth:
        fresh = await oauth.refresh_token(adapter.oauth_config().token_url, refresh_token=refresh)
    assert fresh["access_token"] != token and fresh["refresh_token"] == refresh
    raw = await client.post(adapter.oauth_config().token_url, data={
        "grant_type": "refresh_token", "refresh_token": refresh, "client_id": cid, "client_secret": secret})
    assert raw.json()["expires_in"] == 3599 and "refresh_token" not in raw.json()  # Google keeps the stored one
    assert (await adapter.collect_ads(client, fresh["access_token"], ref)).days


async def test_a_developer_token_google_refuses_is_a_lasting_refusal_in_plain_words(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "developer_token", access="test")
    with pytest.raises(PermanentError) as info:
        await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert not isinstance(info.value, AuthExpired) and info.value.status == 403
    assert "not approved Dream Suite's developer token" in info.value.message
    await promotion.control("google_ads", "developer_token", access="basic")
    configured = module.developer_token
    monkeypatch.setattr(module, "developer_token", lambda: "someone-elses-token")
    with pytest.raises(PermanentError) as info:  # a 401 that no refresh would cure
        await GoogleAdsAdapter().customer_ids(client, token)
    assert not isinstance(info.value, AuthExpired) and "does not recognise" in info.value.message
    assert emulator.requests[-1]["developer_token"] == "someone-elses-token"
    monkeypatch.setenv("GOOGLE_ADS_DEVELOPER_TOKEN", "")
    monkeypatch.setenv("EMULATOR_URL", "")
    get_settings.cache_clear()
    with pytest.raises(PermanentError, match="set GOOGLE_ADS_DEVELOPER_TOKEN"):  # a server never configured
        configured()


async def test_a_cancelled_customer_and_a_missing_scope_are_told_apart(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "customer", account=account.id, status="CANCELED")
    with pytest.raises(PermanentError, match="not active"):
        await GoogleAdsAdapter().collect_ads(client, token, ref)
    with pytest.raises(PermanentError, match="not active"):  # the only customer: the profile says why
        await GoogleAdsAdapter().fetch_profile(client, token)
    with pytest.raises(PermissionMissing) as info:
        await GoogleAdsAdapter().customer_ids(client, emulator.grant(account.id, scope="openid"))
    assert info.value.scope == module.ADWORDS


async def test_an_agency_login_reaches_the_artists_customer_through_its_manager_account(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "customer", account=account.id, manager=True)
    manager = emulator.manager_id(account)
    adapter = GoogleAdsAdapter()
    assert await adapter.customer_ids(client, token) == [manager]
    profile = await adapter.fetch_profile(client, token)
    assert profile.platform_user_id == ref.platform_user_id and profile.details["login_customer_id"] == manager
    assert profile.display_name == "Nova Lane — Google Ads" and profile.details["customers"] == [ref.platform_user_id]
    assert "customer_client.level = 1" in emulator.requests[-1]["query"]
    emulator.requests.clear()
    account_ref = AccountRef(platform_user_id=profile.platform_user_id, details=profile.details)
    report = await adapter.collect_ads(client, token, account_ref)
    assert len(report.days) == len(google_ad_days(account.persona, datetime.now(UTC).date()))
    assert {r["login_customer_id"] for r in emulator.requests} == {manager}
    with pytest.raises(PermanentError, match="no access to this Google Ads account"):  # without naming the manager
        await adapter.collect_ads(client, token, ref)
    with pytest.raises(PermanentError, match="Metrics cannot be requested for a manager"):
        async for _ in adapter.search(client, token, manager, module.METRICS_QUERY.format(
                since="2026-11-01", until="2026-11-02"), manager):
            pass


async def test_another_customer_is_refused(ads, client):
    promotion, emulator, account, ref, token = ads
    with pytest.raises(PermanentError, match="no access to this Google Ads account"):
        await GoogleAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id="1234567890"))
    with pytest.raises(PermanentError, match="not a Google Ads customer id"):  # never spliced into a path
        await GoogleAdsAdapter().collect_ads(client, token, AccountRef(platform_user_id="../v1/customers/1"))


async def test_malformed_answers_are_malformed(ads, client, monkeypatch):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "fail", status=200, times=1, path=f"/api/{API_VERSION}/customers",
                            body="[{not json")
    with pytest.raises(Malformed):
        await GoogleAdsAdapter().collect_ads(client, token, ref)
    for bad in (_row(costMicros="12.5"), _row(costMicros=12.5), {**_row(), "segments": {}},
                _row(conversionsValue="a lot")):
        _stubbed(monkeypatch, [bad])
        with pytest.raises(Malformed):
            await GoogleAdsAdapter().collect_ads(client, token, ref, since=date(2026, 11, 1), until=date(2026, 11, 1))


async def test_an_account_without_ads_is_an_empty_report(ads, client):
    promotion, emulator, account, ref, token = ads
    await promotion.control("google_ads", "customer", account=account.id, empty=True)
    report = await GoogleAdsAdapter().collect_ads(client, token, ref)
    assert report.account.id == ref.platform_user_id
    assert report.campaigns == report.adsets == report.ads == report.creatives == report.days == []


async def test_the_emulator_refuses_fields_it_does_not_know_in_googles_shape(ads, client):
    promotion, emulator, account, ref, token = ads
    url = f"{promotion.base}/google_ads/api/{API_VERSION}/customers/{ref.platform_user_id}/{STREAM}"
    headers = {"Authorization": f"Bearer {token}", "developer-token": DEMO_GOOGLE_ADS_DEVELOPER_TOKEN}
    for query, code in (("SELECT campaign.id, campaign.colour FROM campaign", "UNRECOGNIZED_FIELD"),
                        ("SELECT customer.id FROM campaign", "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE"),
                        ("SELECT ad_group_ad.ad.id, segments.date FROM ad_group_ad", "EXPECTED_FILTERS_ON_DATE_RANGE"),
                        ("SELECT campaign.id FROM campaigns", "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE")):
        resp = await client.post(url, json={"query": query}, headers=headers)
        error = resp.json()["error"]
        assert resp.status_code == 400 and error["status"] == "INVALID_ARGUMENT"
        assert error["details"][0]["@type"].endswith("errors.GoogleAdsFailure")
        assert error["details"][0]["errors"][0]["errorCode"] == {"queryError": code}
    with pytest.raises(PermanentError, match="Unrecognized field"):
        async for _ in GoogleAdsAdapter().search(client, token, ref.platform_user_id, "SELECT x.y FROM campaign"):
            pass
    resp = await client.post(url, json={"query": "SELECT campaign.id, campaign.name FROM campaign WHERE "
                                                  "campaign.advertising_channel_type = 'SEARCH'"}, headers=headers)
    assert [r["campaign"]["name"] for b in resp.json() for r in b["results"]] == ["Search — artist name"]


def test_the_story_makes_google_video_return_less_per_extra_dollar_than_meta():
    """What the brain needs to find "move budget from Google to Meta": on most personas the YouTube
    release push returns less on average, and each extra dollar there returns far less than on Meta."""
    from statistics import linear_regression

    today = date(2026, 11, 26)

    def per_day(rows, campaign):
        out: dict[date, tuple[int, int]] = {}
        for n in rows:
            if n.ad.campaign == campaign:
                spend, value = out.get(n.day, (0, 0))
                out[n.day] = (spend + n.spend, value + n.value)
        return list(out.values())

    for persona in ("nova lane", "luna park", "the quiet hours"):
        google, meta = per_day(google_ad_days(persona, today), "g_release"), per_day(ad_days(persona, today), "release")
        roas = [sum(v for _, v in d) / sum(s for s, _ in d) for d in (google, meta)]
        slope = [linear_regression([s for s, _ in d], [v for _, v in d]).slope for d in (google, meta)]
        assert roas[0] < 1 < roas[1] and slope[0] < 0.5 * slope[1]
        brand = [n for n in google_ad_days(persona, today) if n.ad.campaign == "g_brand"]
        assert len(brand) == 180 and 0 < sum(n.value for n in brand) < 2000_00  # merch sells, modestly
    assert google_ad_days("nova lane", today) == google_ad_days("nova lane", today)  # deterministic


def test_micros_refuse_what_is_not_an_int64():
    assert micros("1999999", "USD") == Decimal("2.00") and micros(500000, "EUR") == Decimal("0.50")
    assert micros("1500000", "KWD") == Decimal("1.500") and micros("-2500000", "USD") == Decimal("-2.50")
    for bad in ("1.5", 1.5, None, True, ""):
        with pytest.raises(Malformed):
            micros(bad, "USD")


# ---------------------------------------------------------------- through the app's collect (database)
def _channel(ws_id: int, external_id: str, token: str, *, refresh: str = "", expires_at: datetime | None = None) -> int:
    with dbmod.session() as s:
        ch = PromotionChannel(workspace_id=ws_id, kind="google_ads", external_id=external_id, name=external_id,
                              access_token_enc=crypto.encrypt(token),
                              refresh_token_enc=crypto.encrypt(refresh) if refresh else "",
                              token_expires_at=expires_at, details={"customer_id": external_id})
        s.add(ch)
        s.flush()
        return ch.id


@pytest.fixture
def stored(db, redis_url, close_arq_pools, ads):
    promotion, emulator, account, ref, token = ads
    _, ws, _ = make_workspace("google-ads@example.com")
    return promotion, emulator, account, ref, token, ws.id


async def test_the_app_stores_a_google_ads_customer_as_the_story_adds_up(stored, client):
    promotion, emulator, account, ref, token, ws_id = stored
    await promotion.control("google_ads", "customer", account=account.id, currency="JPY", time_zone="Asia/Tokyo")
    cid = _channel(ws_id, ref.platform_user_id, token)
    result = await collect_channel(cid, client=client)
    assert result["status"] == "success", result
    story = google_ad_days(account.persona, datetime.now(UTC).date(), 1.5)
    with dbmod.session() as s:
        m = AdDailyMetric
        spend, revenue, clicks = s.exec(select(func.sum(m.spend_minor), func.sum(m.revenue_minor), func.sum(m.clicks))
                                        .where(m.channel_id == cid)).one()
        ch = s.get(PromotionChannel, cid)
    assert (int(spend), int(revenue), int(clicks)) == (sum(n.spend for n in story), sum(n.value for n in story),
                                                       sum(n.clicks for n in story))
    assert (ch.status, ch.currency, ch.timezone) == ("active", "JPY", "Asia/Tokyo")

