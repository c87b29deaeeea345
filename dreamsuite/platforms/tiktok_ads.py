"""TikTok Ads: an advertiser account through TikTok API for Business (Marketing API v1.3), at
business-api.tiktok.com/open_api/v1.3/. Not the TikTok of platforms/tiktok.py (Login Kit and
Content Posting, another host, another token): nothing is shared with it but the base.

Authorisation: the advertiser approves the app at the business portal (`/portal/auth?app_id=...
&state=...&redirect_uri=...`), which sends the browser back with `auth_code` (and the same value as
`code`) and `state`. `POST /oauth2/access_token/` with JSON `{app_id, secret, auth_code}` answers
`data.access_token`, `data.advertiser_ids` and `data.scope` (permission ids): a long-lived token
without refresh token or expiry, so it is stored with neither and a revoked one surfaces as
AuthExpired (reconnect); disconnecting revokes it (`POST /oauth2/revoke_token/`). Every call sends it in the `Access-Token` header (never a Bearer).

Reads `GET /oauth2/advertiser/get/` (the advertisers the login authorised), `/advertiser/info/`
(name, currency, timezone, status), `/campaign/get/`, `/adgroup/get/`, `/ad/get/` and
`/report/integrated/get/` (report_type=BASIC, data_level=AUCTION_AD, dimensions ad_id and
stat_time_day), every list paged by `page` / `page_size` until `page_info.total_page`. List
parameters go JSON-encoded in the query (`advertiser_ids=["1"]`), as TikTok documents. Daily
reports cover at most 30 days a call, so the 180 days are asked in 30-day windows.

Purchases are the pixel's Complete Payment event: `complete_payment` (count) and
`total_complete_payment_rate`, which despite its name is TikTok's "Total complete payment value".
Metric values arrive as strings: money through promotion_base.money in the advertiser's currency,
counts through count(). Budgets are decimal amounts in the currency (not minor units).

A creative is the ad's video (`video_id`, or `tiktok_item_id` for a Spark Ad boosting an organic
post), the ad's own id when it has neither: fatigue belongs to the video people see again and again,
and one video often runs in several ad groups.

Every answer is `{"code", "message", "request_id", "data"}` with HTTP 200, errors included: 40100
(too many requests) is a rate limit without a stated wait; 40102/40104/40105 (token expired, empty,
incorrect or revoked) AuthExpired; 40001 (no permission for the advertiser) PermissionMissing;
50000-class codes transient; any other code a PermanentError with TikTok's message.
https://business-api.tiktok.com/portal/docs?id=1738373164380162 (authorization),
https://business-api.tiktok.com/portal/docs?id=1740302848100353 (reporting),
https://business-api.tiktok.com/portal/docs?id=1737172488964097 (return codes)
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, Malformed, OAuthConfig, PermanentError, PermissionMissing, PlatformError, Profile,
    RateLimited, TokenSet, TransientError,
)
from dreamsuite.platforms.promotion_base import (
    Ad, AdAccount, AdDay, AdSet, AdsReport, Campaign, Creative, PromotionChannel, count, money,
)
from dreamsuite.settings import get_settings

API = "/open_api/v1.3"
PAGE_SIZE = 1000  # TikTok's largest page
WINDOW_DAYS = 30  # the longest span of a daily report
HISTORY_DAYS = 180
RATE_WAIT = 60.0  # TikTok says no wait; its QPS and QPM windows are short
RATE_CODES = {40100}
TOKEN_CODES = {40102, 40104, 40105}
PERMISSION_CODES = {40001}
METRICS = ("campaign_id", "campaign_name", "adgroup_id", "spend", "impressions", "clicks", "reach", "frequency",
           "complete_payment", "total_complete_payment_rate")
CAMPAIGN_FIELDS = ("campaign_id", "campaign_name", "objective_type", "operation_status", "secondary_status",
                   "budget", "budget_mode", "create_time")
ADGROUP_FIELDS = ("adgroup_id", "adgroup_name", "campaign_id", "operation_status", "secondary_status", "budget",
                  "budget_mode")
AD_FIELDS = ("ad_id", "ad_name", "adgroup_id", "campaign_id", "operation_status", "secondary_status", "video_id",
             "tiktok_item_id", "ad_text", "ad_format", "identity_type")


class TikTokAdsAdapter(PromotionChannel):
    name: ClassVar[str] = "tiktok_ads"
    label: ClassVar[str] = "TikTok Ads"
    color: ClassVar[str] = "#FE2C55"
    reads: ClassVar[str] = ("Your TikTok advertiser account's campaigns, ad groups and ads, and each ad's daily spend, "
                            "impressions, reach, clicks, purchases and purchase value, to show what your ads earn.")
    hosts: ClassVar[dict[str, str]] = {"business": "https://business-api.tiktok.com"}

    # ------------------------------------------------------------ authorisation
    def oauth_config(self) -> OAuthConfig:
        # The permissions are the app's, chosen at registration: the portal takes no scope.
        return OAuthConfig(authorize_url=self.url("business", "/portal/auth"),
                           token_url=self.url("business", f"{API}/oauth2/access_token/"), scopes=[], pkce=False,
                           client_id_param="app_id")

    async def exchange_code(self, client: httpx.AsyncClient, code: str, verifier: str, redirect_uri: str,
                            credentials: tuple[str, str]) -> TokenSet:
        data = await self.call(client, "POST", "/oauth2/access_token/",
                               payload={"app_id": credentials[0], "secret": credentials[1], "auth_code": code})
        if not data.get("access_token"):
            raise Malformed(f"{self.label} answered the authorization without an access token")
        scope = data.get("scope") or []
        return TokenSet(access_token=str(data["access_token"]), refresh_token="", expires_at=None,
                        scope=",".join(map(str, scope)) if isinstance(scope, list) else str(scope),
                        extra={"advertiser_ids": [str(a) for a in data.get("advertiser_ids") or []]})

    async def refresh_tokens(self, client: httpx.AsyncClient, tokens: TokenSet,
                             credentials: tuple[str, str]) -> TokenSet:
        raise AuthExpired(f"{self.label} access tokens are not refreshed: connect the advertiser account again.")

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        """`POST /oauth2/revoke_token/`: the token stops working for every advertiser it covered."""
        creds = get_settings().platform_credentials(self.name)
        if not creds:
            return False
        await self.call(client, "POST", "/oauth2/revoke_token/",
                        payload={"app_id": creds[0], "secret": creds[1], "access_token": token})
        return True

    # ------------------------------------------------------------ calls
    async def call(self, client: httpx.AsyncClient, method: str, path: str, token: str | None = None, *,
                   key: str = "", params: dict[str, Any] | None = None, payload: Any = None) -> dict:
        """One call to the API; `data` of TikTok's envelope (its error codes already raised)."""
        headers = {"Access-Token": token} if token else {}
        kwargs: dict[str, Any] = {"headers": headers, "account_key": key}
        if params is not None:
            kwargs["params"] = {k: _param(v) for k, v in params.items()}
        if payload is not None:
            kwargs["json"] = payload
        body = await self.request_json(client, method, self.url("business", f"{API}{path}"), **kwargs)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(body, dict) or body.get("code") is None or not isinstance(data, dict):
            raise Malformed(f"{self.label} sent an answer without its code and data")
        return data

    async def listing(self, client: httpx.AsyncClient, path: str, token: str, advertiser: str, what: str,
                      **params: Any):
        """Every item of a paged list (`data.list`), page by page to `page_info.total_page`."""
        async def fetch(page: int | None) -> dict:
            return await self.call(client, "GET", path, token, key=advertiser,
                                   params={"advertiser_id": advertiser, **params, "page": page or 1,
                                           "page_size": PAGE_SIZE})

        async for data in self.pages(fetch, _next_page, first=1, what=what):
            items = data.get("list") or []
            if not isinstance(items, list):
                raise Malformed(f"{self.label} sent {what} that are not a list")
            for item in items:
                if not isinstance(item, dict):
                    raise Malformed(f"{self.label} sent one of its {what} we could not read")
                yield item

    # ------------------------------------------------------------ accounts
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        creds = get_settings().platform_credentials(self.name)
        if not creds:
            raise PermanentError(f"{self.label} is not configured: set TIKTOK_ADS_CLIENT_ID and _CLIENT_SECRET.")
        data = await self.call(client, "GET", "/oauth2/advertiser/get/", token,
                               params={"app_id": creds[0], "secret": creds[1]})
        ids = [str(a["advertiser_id"]) for a in data.get("list") or [] if isinstance(a, dict) and a.get("advertiser_id")]
        if not ids:
            raise PermanentError("This TikTok login authorised no advertiser account: create one in TikTok Ads "
                                 "Manager, then connect again.")
        accounts = await self.advertisers(client, token, ids)
        chosen = next((a for a in accounts if a.status == 1), accounts[0])
        return Profile(platform_user_id=chosen.id, username=chosen.name or chosen.id, display_name=chosen.name,
                       details={"advertiser_id": chosen.id, "currency": chosen.currency, "timezone": chosen.timezone,
                                "advertisers": [a.id for a in accounts]})

    async def advertisers(self, client: httpx.AsyncClient, token: str, ids: list[str]) -> list[AdAccount]:
        found: list[AdAccount] = []
        for i in range(0, len(ids), 100):  # advertiser/info takes up to 100 ids a call
            data = await self.call(client, "GET", "/advertiser/info/", token, key=ids[i], params={
                "advertiser_ids": ids[i:i + 100], "fields": ["advertiser_id", "name", "currency", "timezone",
                                                             "display_timezone", "status"]})
            found += [self._advertiser(a) for a in data.get("list") or []]
        if not found:
            raise PermanentError(f"{self.label} did not return the advertiser account {ids[0]}.")
        return found

    def _advertiser(self, body: Any) -> AdAccount:
        if not isinstance(body, dict) or not body.get("advertiser_id") or not body.get("currency"):
            raise Malformed(f"{self.label} sent an advertiser without its id or currency")
        status = str(body.get("status") or "")
        return AdAccount(id=str(body["advertiser_id"]), name=str(body.get("name") or ""),
                         currency=str(body["currency"]).upper(),
                         timezone=str(body.get("display_timezone") or body.get("timezone") or ""),
                         status=1 if status == "STATUS_ENABLE" else (2 if status else None))

    @staticmethod
    def _advertiser_id(account: AccountRef | None) -> str:
        found = str((account.details.get("advertiser_id") or account.platform_user_id) if account else "")
        if not found.isdigit():
            raise PermanentError("This TikTok Ads connection does not name its advertiser account: connect it again.")
        return found

    # ------------------------------------------------------------ collect
    async def collect_ads(self, client: httpx.AsyncClient, token: str, account: AccountRef, since: date | None = None,
                          until: date | None = None) -> AdsReport:
        """The advertiser's structure and every ad's days from `since` (default: 180 days back) to `until`."""
        adv = self._advertiser_id(account)
        acct = (await self.advertisers(client, token, [adv]))[0]
        cur = acct.currency
        report = AdsReport(account=acct)
        try:
            async for c in self.listing(client, "/campaign/get/", token, adv, "campaigns",
                                        fields=list(CAMPAIGN_FIELDS)):
                daily, lifetime = self._budget(c, cur)
                report.campaigns.append(Campaign(
                    id=str(c["campaign_id"]), name=str(c.get("campaign_name") or ""),
                    objective=str(c.get("objective_type") or ""), status=_status(c), daily_budget=daily,
                    lifetime_budget=lifetime, created_at=_time(c.get("create_time"))))
            async for g in self.listing(client, "/adgroup/get/", token, adv, "ad groups", fields=list(ADGROUP_FIELDS)):
                report.adsets.append(AdSet(id=str(g["adgroup_id"]), name=str(g.get("adgroup_name") or ""),
                                           campaign_id=str(g["campaign_id"]), status=_status(g),
                                           daily_budget=self._budget(g, cur)[0]))
            creatives: dict[str, Creative] = {}
            async for a in self.listing(client, "/ad/get/", token, adv, "ads", fields=list(AD_FIELDS)):
                ad = Ad(id=str(a["ad_id"]), name=str(a.get("ad_name") or ""), adset_id=str(a["adgroup_id"]),
                        campaign_id=str(a["campaign_id"]), creative_id=_creative_id(a), status=_status(a))
                report.ads.append(ad)
                creatives.setdefault(ad.creative_id, Creative(
                    id=ad.creative_id, name=ad.name, title=ad.name, body=str(a.get("ad_text") or ""),
                    object_type="SPARK_AD" if a.get("tiktok_item_id") else str(a.get("ad_format") or "")))
            report.creatives = list(creatives.values())
        except (KeyError, TypeError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent an ad object we could not read: {type(exc).__name__} {exc}") from exc
        ads = {a.id: a for a in report.ads}
        until = until or datetime.now(UTC).date()
        begin = since or until - timedelta(days=HISTORY_DAYS - 1)
        while begin <= until:
            end = min(until, begin + timedelta(days=WINDOW_DAYS - 1))
            async for row in self.listing(client, "/report/integrated/get/", token, adv, "report rows",
                                          report_type="BASIC", data_level="AUCTION_AD",
                                          dimensions=["ad_id", "stat_time_day"], metrics=list(METRICS),
                                          start_date=begin.isoformat(), end_date=end.isoformat()):
                report.days.append(self._day(row, cur, ads))
            begin = end + timedelta(days=1)
        return report

    @staticmethod
    def _budget(item: dict, currency: str) -> tuple[Decimal | None, Decimal | None]:
        """(daily, lifetime): TikTok's one budget, by its budget_mode; unlimited is neither."""
        value, mode = item.get("budget"), str(item.get("budget_mode") or "")
        if value in (None, "") or mode == "BUDGET_MODE_INFINITE":
            return None, None
        amount = money(value, currency, "budget")
        if not amount:
            return None, None
        return (amount, None) if mode == "BUDGET_MODE_DAY" else (None, amount)

    def _day(self, row: dict, currency: str, ads: dict[str, Ad]) -> AdDay:
        try:
            dims, m = row["dimensions"], row["metrics"]
            ad_id = str(dims["ad_id"])
            known = ads.get(ad_id)
            return AdDay(day=date.fromisoformat(str(dims["stat_time_day"])[:10]),
                         campaign_id=str(m.get("campaign_id") or (known.campaign_id if known else "")),
                         campaign_name=str(m.get("campaign_name") or ""),
                         adset_id=str(m.get("adgroup_id") or (known.adset_id if known else "")), ad_id=ad_id,
                         creative_id=known.creative_id if known else ad_id, currency=currency,
                         spend=money(m.get("spend", "0"), currency, "ad spend"),
                         impressions=count(m.get("impressions"), "impression count"),
                         reach=count(m["reach"], "reach") if m.get("reach") not in (None, "", "-") else None,
                         clicks=count(m.get("clicks"), "click count"),
                         conversions=count(m.get("complete_payment"), "purchase count"),
                         revenue=money(m.get("total_complete_payment_rate") or "0", currency, "purchase value"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent a report row we could not read: {type(exc).__name__} {exc}") from exc

    # ------------------------------------------------------------ answers
    def body_of(self, resp: httpx.Response) -> Any:
        # Budgets come as JSON numbers: read them as exact decimals, never through a float.
        if not resp.content:
            return {}
        try:
            return json.loads(resp.content, parse_float=Decimal)
        except ValueError:
            return None

    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        if not isinstance(body, dict) or body.get("code") is None:
            return None  # not TikTok's envelope: the status decides, or it is Malformed
        try:
            code = int(body["code"])
        except (TypeError, ValueError):
            return Malformed(f"{self.label} sent an answer code we could not read")
        if code == 0:
            return None
        said = f"{self.label}: {str(body.get('message') or 'no message')[:300]} (code {code})"
        if code in RATE_CODES:
            return RateLimited(said, retry_after=RATE_WAIT, status=resp.status_code, said=False)
        if code in TOKEN_CODES:
            return AuthExpired(f"{said}. Connect the advertiser account again.", status=resp.status_code)
        if code in PERMISSION_CODES:
            return PermissionMissing(said, status=resp.status_code)
        if 50000 <= code < 60000:
            return TransientError(said, status=resp.status_code)
        return PermanentError(said, status=resp.status_code)


def _param(value: Any) -> Any:
    """A query value as TikTok wants it: lists and objects JSON-encoded."""
    return json.dumps(value, separators=(",", ":")) if isinstance(value, (list, dict)) else value


def _next_page(data: dict) -> int | None:
    info = data.get("page_info")
    if not isinstance(info, dict):
        return None  # a list without paging is whole
    try:
        page, total = int(info.get("page") or 1), int(info.get("total_page") or 0)
    except (TypeError, ValueError):
        raise Malformed("TikTok Ads sent page_info we could not read") from None
    return page + 1 if page < total else None


def _status(item: dict) -> str:
    return str(item.get("secondary_status") or item.get("operation_status") or "")


def _time(value: Any) -> datetime | None:
    """TikTok's "2026-06-01 09:00:00" (UTC)."""
    if not value:
        return None
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise Malformed(f"TikTok Ads sent a time we could not read: {str(value)[:40]!r}") from None


def _creative_id(ad: dict) -> str:
    return str(ad.get("video_id") or ad.get("tiktok_item_id") or ad["ad_id"])


ADAPTER = TikTokAdsAdapter
