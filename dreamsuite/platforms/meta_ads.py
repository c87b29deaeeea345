"""Meta Ads: an ad account through the Marketing API (the Graph plumbing, its error envelope and
usage headers are platforms/meta.py's).

Reads the account (`GET /act_{id}?fields=currency,name,timezone_name,account_status`), its
campaigns, ad sets, ads (with their creative's id) and creatives as lists paged by
`paging.next`, and the ad-level daily insights (`GET /act_{id}/insights?level=ad&time_increment=1
&time_range={"since","until"}`), asked 30 days at a time (Meta times out on long synchronous ranges;
asynchronous report runs are not used). Insight numbers arrive as strings: counts become ints,
spend and purchase values Decimals in the account currency (promotion_base.money). Purchases are
Meta's `purchase` action (the omni roll-up), else the pixel's; the other variants repeat it.

Rate limits: 17, 613 and 80000-80014 besides Meta's common codes; x-business-use-case-usage
(estimated_time_to_regain_access, in minutes), x-ad-account-usage (acc_id_util_pct,
reset_time_duration in seconds) and x-fb-ads-insights-throttle (app_id_util_pct, acc_id_util_pct)
feed the rate gate, and a refusal waits the time Meta gives.
https://developers.facebook.com/documentation/ads-commerce/marketing-api/insights ,
https://developers.facebook.com/docs/marketing-api/overview/rate-limiting
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import AccountRef, Malformed, PermanentError, PlatformError, Profile, RateLimited
from dreamsuite.platforms.http import Usage, parse_json_header
from dreamsuite.platforms.meta import DEFAULT_RATE_WAIT, MetaAdapter, _number, graph_time
from dreamsuite.platforms.promotion_base import (
    Ad, AdAccount, AdDay, AdSet, AdsReport, Campaign, Creative, PromotionChannel, count, from_minor, money,
)

PAGE_SIZE = 100
WINDOW_DAYS = 30
HISTORY_DAYS = 180
# Marketing API business use cases (ads insights, custom audiences, ads management...), beyond the
# Graph codes meta.py already knows.
ADS_RATE_CODES = {17, 613, *range(80000, 80015)}
PURCHASE_TYPES = ("purchase", "omni_purchase", "offsite_conversion.fb_pixel_purchase")
ACCOUNT_FIELDS = "id,account_id,name,currency,timezone_name,account_status"
INSIGHT_FIELDS = ("ad_id,ad_name,adset_id,campaign_id,campaign_name,date_start,date_stop,spend,impressions,reach,"
                  "clicks,actions,action_values")


class MetaAdsAdapter(MetaAdapter, PromotionChannel):
    name: ClassVar[str] = "meta_ads"
    label: ClassVar[str] = "Meta Ads"
    color: ClassVar[str] = "#0866FF"
    reads: ClassVar[str] = ("Your ad account's campaigns, ad sets, ads and creatives, and each ad's daily spend, "
                            "impressions, reach, clicks, purchases and purchase value, to show what your ads earn.")
    scopes: ClassVar[tuple[str, ...]] = ("ads_read", "business_management")

    # ------------------------------------------------------------ accounts
    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        accounts = await self.ad_accounts(client, token)
        if not accounts:
            raise PermanentError("This Facebook login manages no ad account: create one in Ads Manager, then "
                                 "connect again.")
        chosen = next((a for a in accounts if a.status == 1), accounts[0])
        return Profile(platform_user_id=chosen.id, username=chosen.name or chosen.id, display_name=chosen.name,
                       details={"ad_account_id": chosen.id, "currency": chosen.currency, "timezone": chosen.timezone,
                                "ad_accounts": [a.id for a in accounts]})

    async def ad_accounts(self, client: httpx.AsyncClient, token: str) -> list[AdAccount]:
        return [self._account(a) async for a in self.edge(client, "/me/adaccounts", token, need="ads_read",
                                                          what="ad accounts",
                                                          params={"fields": ACCOUNT_FIELDS, "limit": PAGE_SIZE})]

    async def account(self, client: httpx.AsyncClient, token: str, act: str) -> AdAccount:
        body = await self.graph(client, f"/{act}", token, key=act, need="ads_read", params={"fields": ACCOUNT_FIELDS})
        return self._account(body)

    @staticmethod
    def _account(body: Any) -> AdAccount:
        if not isinstance(body, dict) or not body.get("id") or not body.get("currency"):
            raise Malformed("Meta Ads sent an ad account without its id or currency")
        act = str(body["id"]) if str(body["id"]).startswith("act_") else f"act_{body['id']}"
        return AdAccount(id=act, name=str(body.get("name") or ""), currency=str(body["currency"]).upper(),
                         timezone=str(body.get("timezone_name") or ""),
                         status=int(body["account_status"]) if body.get("account_status") is not None else None)

    @staticmethod
    def _act(account: AccountRef | None) -> str:
        act = str((account.details.get("ad_account_id") or account.platform_user_id) if account else "")
        if not act:
            raise PermanentError("This Meta Ads connection does not name its ad account: connect it again.")
        return act if act.startswith("act_") else f"act_{act}"

    # ------------------------------------------------------------ collect
    async def collect_ads(self, client: httpx.AsyncClient, token: str, account: AccountRef, since: date | None = None,
                          until: date | None = None) -> AdsReport:
        """The account's structure and every ad's days from `since` (default: 180 days back) to `until`."""
        act = self._act(account)
        acct = await self.account(client, token, act)
        cur = acct.currency
        try:
            report = AdsReport(account=acct)
            report.campaigns = [Campaign(
                id=str(c["id"]), name=str(c.get("name") or ""), objective=str(c.get("objective") or ""),
                status=str(c.get("effective_status") or c.get("status") or ""),
                daily_budget=self._budget(c.get("daily_budget"), cur),
                lifetime_budget=self._budget(c.get("lifetime_budget"), cur),
                created_at=graph_time(c["created_time"]) if c.get("created_time") else None)
                async for c in self._list(client, token, act, "campaigns",
                                          "id,name,objective,status,effective_status,daily_budget,lifetime_budget,"
                                          "created_time")]
            report.adsets = [AdSet(id=str(s["id"]), name=str(s.get("name") or ""), campaign_id=str(s["campaign_id"]),
                                   status=str(s.get("effective_status") or s.get("status") or ""),
                                   daily_budget=self._budget(s.get("daily_budget"), cur))
                             async for s in self._list(client, token, act, "adsets",
                                                       "id,name,campaign_id,status,effective_status,daily_budget")]
            report.ads = [Ad(id=str(a["id"]), name=str(a.get("name") or ""), adset_id=str(a["adset_id"]),
                             campaign_id=str(a["campaign_id"]),
                             creative_id=str((a.get("creative") or {}).get("id") or ""),
                             status=str(a.get("effective_status") or a.get("status") or ""))
                          async for a in self._list(client, token, act, "ads", "id,name,adset_id,campaign_id,"
                                                                                "status,effective_status,creative{id}")]
            report.creatives = [Creative(id=str(c["id"]), name=str(c.get("name") or ""),
                                         title=str(c.get("title") or ""), body=str(c.get("body") or ""),
                                         thumbnail_url=str(c.get("thumbnail_url") or ""),
                                         object_type=str(c.get("object_type") or ""))
                                async for c in self._list(client, token, act, "adcreatives",
                                                          "id,name,title,body,thumbnail_url,object_type")]
        except (KeyError, TypeError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent an ad object we could not read: {type(exc).__name__} {exc}") from exc
        creative_of = {a.id: a.creative_id for a in report.ads}
        until = until or datetime.now(UTC).date()
        begin = since or until - timedelta(days=HISTORY_DAYS - 1)
        while begin <= until:
            end = min(until, begin + timedelta(days=WINDOW_DAYS - 1))
            async for row in self.edge(client, f"/{act}/insights", token, key=act, need="ads_read", what="insights",
                                       params={"level": "ad", "time_increment": 1, "fields": INSIGHT_FIELDS,
                                               "time_range": json.dumps({"since": begin.isoformat(),
                                                                         "until": end.isoformat()}),
                                               "limit": PAGE_SIZE}):
                report.days.append(self._day(row, cur, creative_of))
            begin = end + timedelta(days=1)
        return report

    def _list(self, client: httpx.AsyncClient, token: str, act: str, edge: str, fields: str):
        return self.edge(client, f"/{act}/{edge}", token, key=act, need="ads_read", what=edge,
                         params={"fields": fields, "limit": PAGE_SIZE})

    @staticmethod
    def _budget(value: Any, currency: str) -> Decimal | None:
        # Budgets are in the currency's minor units ("1000" is 10.00 USD, or 1000 JPY).
        return from_minor(value, currency, "budget") if value not in (None, "", "0") else None

    def _day(self, row: dict, currency: str, creative_of: dict[str, str]) -> AdDay:
        try:
            ad_id = str(row["ad_id"])
            return AdDay(day=date.fromisoformat(str(row["date_start"])), campaign_id=str(row["campaign_id"]),
                         campaign_name=str(row.get("campaign_name") or ""), adset_id=str(row["adset_id"]), ad_id=ad_id,
                         creative_id=creative_of.get(ad_id, ""), currency=currency,
                         spend=money(row.get("spend", "0"), currency, "ad spend"),
                         impressions=count(row.get("impressions"), "impression count"),
                         reach=count(row["reach"], "reach") if row.get("reach") not in (None, "") else None,
                         clicks=count(row.get("clicks"), "click count"),
                         conversions=count(_action(row.get("actions")), "purchase count"),
                         revenue=money(_action(row.get("action_values")) or "0", currency, "purchase value"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent an insights row we could not read: {type(exc).__name__} {exc}") from exc

    # ------------------------------------------------------------ answers
    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict) and int(_number(err.get("code")) or 0) in ADS_RATE_CODES:
            usage = self.read_usage(resp)
            said = bool(usage and usage.retry_after)
            return RateLimited(f"{self.label} rate limit: {self.error_message(resp)}",
                               retry_after=usage.retry_after if said else DEFAULT_RATE_WAIT, status=resp.status_code,
                               said=said)
        return super().classify(resp, body)

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        base = super().read_usage(resp)
        shares, wait = [], 0.0
        for name in ("x-ad-account-usage", "x-fb-ads-insights-throttle"):
            found = parse_json_header(resp.headers.get(name))
            if isinstance(found, dict):
                shares += [n for k in ("acc_id_util_pct", "app_id_util_pct")
                           if (n := _number(found.get(k))) is not None]
                wait = max(wait, _number(found.get("reset_time_duration")) or 0.0)
        if not shares and not wait:
            return base
        share = max([*(s / 100 for s in shares), *([base.used] if base and base.used is not None else [])])
        retry = max((base.retry_after or 0.0) if base else 0.0, wait if share >= 1 else 0.0) or None
        reset_in = max((base.reset_in or 0.0) if base else 0.0, wait) or None
        return Usage(used=share, reset_in=reset_in, retry_after=retry)


def _action(items: Any) -> str | None:
    """Purchases (or their value) from Meta's actions list, the first documented type found."""
    if items is None:
        return None
    if not isinstance(items, list):
        raise Malformed("Meta Ads sent actions that are not a list")
    found = {str(i.get("action_type")): i.get("value") for i in items if isinstance(i, dict)}
    return next((found[t] for t in PURCHASE_TYPES if t in found), None)


ADAPTER = MetaAdsAdapter
