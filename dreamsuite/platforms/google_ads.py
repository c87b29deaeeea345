"""Google Ads: the customer (ad account) a Google login reaches, read through the Google Ads API's
REST interface with GAQL queries.

`GET /{API_VERSION}/customers:listAccessibleCustomers` lists the customers ("customers/1234567890")
the login may use; each is read with `SELECT customer.* FROM customer` for its name, currency and
time zone. Then three `POST /{API_VERSION}/customers/{id}/googleAds:searchStream` queries: the
campaigns (with their budget), the ads (with their ad group and campaign), and every ad's daily
metrics over the whole window at once (searchStream has no pages: the answer is a JSON array of
batches `{results, fieldMask, requestId}`, all read). Every call carries the app's developer token
(settings: GOOGLE_ADS_DEVELOPER_TOKEN) and, for a customer reached through a manager account, its
`login-customer-id` (an agency's login reaches a manager account, whose `customer_client` links
name the customers it manages).

Numbers: int64 fields are JSON strings, money is in micros (1,000,000 per currency unit) and
becomes an exact Decimal rounded once to the currency's minor unit; `conversions` and
`conversionsValue` are JSON doubles, read as Decimals straight from the response text (never
through a binary float). A creative is the ad itself (ad_group_ad.ad.id): Google has no separate
creative object in these reports. Google reports no reach per ad: it stays unknown.

Errors are Google's RPC envelope with a GoogleAdsFailure in `details`: RESOURCE_EXHAUSTED waits
the quotaErrorDetails.retryDelay Google gives; UNAUTHENTICATED is an expired token (refresh),
except a refused developer token; a developer token not approved, a login without access or a
customer that is not enabled are lasting refusals told in plain words.
https://developers.google.com/google-ads/api/rest/overview ,
https://developers.google.com/google-ads/api/docs/best-practices/error-types
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, AuthExpired, Malformed, OAuthConfig, PermanentError, PermissionMissing, PlatformError, Profile,
    RateLimited, TransientError,
)
from dreamsuite.platforms.google_oauth import GOOGLE_OAUTH_HOSTS, google_oauth_config, google_revoke
from dreamsuite.platforms.http import retry_after
from dreamsuite.platforms.promotion_base import (
    Ad, AdAccount, AdDay, AdSet, AdsReport, Campaign, Creative, PromotionChannel, count, money,
)
from dreamsuite.settings import DEMO_GOOGLE_ADS_DEVELOPER_TOKEN, get_settings

API_VERSION = "v24"  # one version for every call; Google retires each about a year after release
ADWORDS = "https://www.googleapis.com/auth/adwords"
HISTORY_DAYS = 180
MAX_CUSTOMERS = 20  # customers read for the profile; a login with more picks among the first
DEFAULT_RATE_WAIT = 60.0
MICROS = Decimal(1_000_000)

CUSTOMER_QUERY = ("SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone, "
                  "customer.manager, customer.status FROM customer")
# A manager account (an agency's) has no ads: the customers it manages directly are read instead.
CLIENTS_QUERY = ("SELECT customer_client.id, customer_client.descriptive_name, customer_client.currency_code, "
                 "customer_client.time_zone, customer_client.manager, customer_client.status FROM customer_client "
                 "WHERE customer_client.level = 1")
CAMPAIGN_QUERY = ("SELECT campaign.id, campaign.name, campaign.status, campaign.advertising_channel_type, "
                  "campaign_budget.amount_micros FROM campaign")
AD_QUERY = ("SELECT ad_group_ad.ad.id, ad_group_ad.ad.name, ad_group_ad.ad.type, ad_group_ad.status, ad_group.id, "
            "ad_group.name, ad_group.status, campaign.id FROM ad_group_ad")
METRICS_QUERY = ("SELECT campaign.id, campaign.name, ad_group.id, ad_group_ad.ad.id, segments.date, "
                 "metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.conversions, "
                 "metrics.conversions_value FROM ad_group_ad WHERE segments.date BETWEEN '{since}' AND '{until}'")

# Refusals that no retry or refresh will change, in words for the artist.
_TOKEN_REFUSED = ("Google Ads has not approved Dream Suite's developer token for live ad accounts yet; nothing is "
                  "wrong with your account, and it will be read once Google approves")
_REFUSALS = {
    "DEVELOPER_TOKEN_NOT_APPROVED": _TOKEN_REFUSED,
    "DEVELOPER_TOKEN_NOT_ON_ALLOWLIST": _TOKEN_REFUSED,
    "DEVELOPER_TOKEN_PROHIBITED": "Google Ads refuses Dream Suite's developer token for this Google Cloud project",
    "DEVELOPER_TOKEN_INVALID": "Google Ads does not recognise Dream Suite's developer token",
    "CUSTOMER_NOT_ENABLED": "This Google Ads account is not active (cancelled, suspended or its setup is unfinished): "
                            "reactivate it in Google Ads, or connect another account",
    "USER_PERMISSION_DENIED": "Your Google login has no access to this Google Ads account: ask its owner to add you, "
                              "or connect with the login that owns it",
    "NOT_ADS_USER": "This Google login has no Google Ads account: create one at ads.google.com, then connect again",
    "MISSING_TOS": "This Google Ads account has not accepted Google Ads' terms yet: accept them in Google Ads, then "
                   "connect again",
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")  # protobuf Duration in JSON: "30s", "1.5s"


def developer_token() -> str:
    s = get_settings()
    token = s.google_ads_developer_token or (DEMO_GOOGLE_ADS_DEVELOPER_TOKEN if s.emulator_url else "")
    if not token:
        raise PermanentError("Google Ads is not configured on this server: set GOOGLE_ADS_DEVELOPER_TOKEN.")
    return token


class GoogleAdsAdapter(PromotionChannel):
    name: ClassVar[str] = "google_ads"
    label: ClassVar[str] = "Google Ads"
    color: ClassVar[str] = "#4285F4"
    reads: ClassVar[str] = ("Your Google Ads account's campaigns and ads (YouTube and Search), and each ad's daily "
                            "cost, impressions, clicks, conversions and conversion value, to show what your ads earn.")
    scopes: ClassVar[tuple[str, ...]] = (ADWORDS,)
    hosts: ClassVar[dict[str, str]] = {**GOOGLE_OAUTH_HOSTS, "api": "https://googleads.googleapis.com"}

    def oauth_config(self) -> OAuthConfig:
        return google_oauth_config(self, self.scopes)

    async def revoke(self, client: httpx.AsyncClient, token: str, account: AccountRef) -> bool:
        return await google_revoke(self, client, token, account.platform_user_id)

    # ------------------------------------------------------------ calls
    def _headers(self, login_customer_id: str = "") -> dict[str, str]:
        headers = {"developer-token": developer_token()}
        if login_customer_id:
            headers["login-customer-id"] = _digits(login_customer_id)
        return headers

    async def customer_ids(self, client: httpx.AsyncClient, token: str) -> list[str]:
        url = self.url("api", f"/{API_VERSION}/customers:listAccessibleCustomers")
        body = await self.request_json(client, "GET", url, token, headers=self._headers())
        names = body.get("resourceNames", []) if isinstance(body, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) and n.startswith("customers/")
                                                  and n[len("customers/"):].isdigit() for n in names):
            raise Malformed(f"{self.label} sent a list of accessible customers we could not read")
        return [n[len("customers/"):] for n in names]

    async def search(self, client: httpx.AsyncClient, token: str, customer_id: str, query: str,
                     login_customer_id: str = "") -> AsyncIterator[dict]:
        """Every row a GAQL query returns, batch after batch of the one searchStream answer."""
        if not customer_id.isdigit():
            raise PermanentError(f"{customer_id[:20]!r} is not a Google Ads customer id: connect the account again.")
        body = await self.request_json(
            client, "POST", self.url("api", f"/{API_VERSION}/customers/{customer_id}/googleAds:searchStream"),
            token, account_key=customer_id, headers=self._headers(login_customer_id), json={"query": query})
        if not isinstance(body, list):
            raise Malformed(f"{self.label} answered a search with something other than a list of batches")
        for batch in body:
            if not isinstance(batch, dict) or not isinstance(batch.get("results", []), list):
                raise Malformed(f"{self.label} sent a batch of search results we could not read")
            for row in batch.get("results", []):
                if not isinstance(row, dict):
                    raise Malformed(f"{self.label} sent a search row that is not an object")
                yield row

    # ------------------------------------------------------------ accounts
    async def account(self, client: httpx.AsyncClient, token: str, customer_id: str,
                      login_customer_id: str = "") -> tuple[AdAccount, bool]:
        """The customer as an ad account, and whether it is a manager (which has no ads of its own)."""
        rows = [r async for r in self.search(client, token, customer_id, CUSTOMER_QUERY, login_customer_id)]
        c = rows[0].get("customer") if rows else None
        if not isinstance(c, dict) or not c.get("id") or not c.get("currencyCode"):
            raise Malformed(f"{self.label} sent a customer without its id or currency")
        acct = AdAccount(id=_digits(str(c["id"])), name=str(c.get("descriptiveName") or ""),
                         currency=str(c["currencyCode"]).upper(), timezone=str(c.get("timeZone") or ""))
        return acct, bool(c.get("manager"))

    async def fetch_profile(self, client: httpx.AsyncClient, token: str) -> Profile:
        """The first enabled customer with ads of its own the login reaches, directly or as the client
        of a manager account (then every call names the manager in login-customer-id)."""
        found: list[tuple[AdAccount, str]] = []  # (customer, the manager it is reached through or "")
        refused: PermanentError | None = None
        for cid in (await self.customer_ids(client, token))[:MAX_CUSTOMERS]:
            try:
                acct, manager = await self.account(client, token, cid)
                found += [(c, cid) for c in await self.clients(client, token, cid)] if manager else [(acct, "")]
            except PermanentError as exc:  # a cancelled customer or one without access: try the next
                refused = exc
        if not found:
            if refused is not None:
                raise refused
            raise PermanentError("This Google login reaches no Google Ads account with ads of its own: create one at "
                                 "ads.google.com (or ask to be added to yours), then connect again.")
        chosen, login = found[0]
        return Profile(platform_user_id=chosen.id, username=chosen.name or chosen.id, display_name=chosen.name,
                       details={"customer_id": chosen.id, "currency": chosen.currency, "timezone": chosen.timezone,
                                "customers": [a.id for a, _ in found],
                                **({"login_customer_id": login} if login else {})})

    async def clients(self, client: httpx.AsyncClient, token: str, manager_id: str) -> list[AdAccount]:
        """The enabled customers with ads that a manager account manages directly."""
        out = []
        async for row in self.search(client, token, manager_id, CLIENTS_QUERY, manager_id):
            c = row.get("customerClient")
            if not isinstance(c, dict) or not str(c.get("id") or "").isdigit() or not c.get("currencyCode"):
                raise Malformed(f"{self.label} sent a managed customer without its id or currency")
            if not c.get("manager") and c.get("status", "ENABLED") == "ENABLED":
                out.append(AdAccount(id=str(c["id"]), name=str(c.get("descriptiveName") or ""),
                                     currency=str(c["currencyCode"]).upper(), timezone=str(c.get("timeZone") or "")))
        return out

    def _customer(self, account: AccountRef | None) -> tuple[str, str]:
        cid = _digits(str((account.details.get("customer_id") or account.platform_user_id) if account else ""))
        if not cid:
            raise PermanentError("This Google Ads connection does not name its account: connect it again.")
        return cid, _digits(str(account.details.get("login_customer_id") or ""))

    # ------------------------------------------------------------ collect
    async def collect_ads(self, client: httpx.AsyncClient, token: str, account: AccountRef, since: date | None = None,
                          until: date | None = None) -> AdsReport:
        """The customer's campaigns and ads, and every ad's days from `since` (default: 180 days back)
        to `until` (default: today, UTC)."""
        cid, login = self._customer(account)
        acct, _ = await self.account(client, token, cid, login)
        cur = acct.currency
        report = AdsReport(account=acct)
        groups: dict[str, AdSet] = {}
        creatives: dict[str, Creative] = {}  # an ad shared by two ad groups is one creative
        try:
            async for row in self.search(client, token, cid, CAMPAIGN_QUERY, login):
                report.campaigns.append(_campaign(row, cur))
            async for row in self.search(client, token, cid, AD_QUERY, login):
                ad, group = _ad(row)
                groups.setdefault(group.id, group)
                creatives.setdefault(ad.id, Creative(id=ad.id, name=ad.name,
                                                     object_type=str(row["adGroupAd"]["ad"].get("type") or "")))
                report.ads.append(ad)
        except (KeyError, TypeError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent an ad object we could not read: {type(exc).__name__} {exc}") from exc
        report.adsets, report.creatives = list(groups.values()), list(creatives.values())
        until = until or datetime.now(UTC).date()
        begin = since or until - timedelta(days=HISTORY_DAYS - 1)
        query = METRICS_QUERY.format(since=begin.isoformat(), until=until.isoformat())
        async for row in self.search(client, token, cid, query, login):
            report.days.append(self._day(row, cur))
        return report

    def _day(self, row: dict, currency: str) -> AdDay:
        try:
            m, ad_id = row.get("metrics") or {}, str(row["adGroupAd"]["ad"]["id"])
            return AdDay(day=date.fromisoformat(str(row["segments"]["date"])), campaign_id=str(row["campaign"]["id"]),
                         campaign_name=str(row["campaign"].get("name") or ""), adset_id=str(row["adGroup"]["id"]),
                         ad_id=ad_id, creative_id=ad_id, currency=currency,
                         spend=micros(m.get("costMicros", "0"), currency, "ad cost"),
                         impressions=count(m.get("impressions"), "impression count"), reach=None,
                         clicks=count(m.get("clicks"), "click count"),
                         conversions=whole_conversions(m.get("conversions")),
                         revenue=money(m.get("conversionsValue", Decimal(0)), currency, "conversion value"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent a metrics row we could not read: {type(exc).__name__} {exc}") from exc

    # ------------------------------------------------------------ answers
    def body_of(self, resp: httpx.Response) -> Any:
        # Doubles (conversions, conversionsValue) as exact Decimals of the digits Google wrote.
        if not resp.content:
            return {}
        try:
            return json.loads(resp.content, parse_float=Decimal)
        except ValueError:
            return None

    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        if isinstance(body, list):  # an error ends a stream that began well: the last element
            body = body[-1] if body and isinstance(body[-1], dict) and "error" in body[-1] else None
        err = body.get("error") if isinstance(body, dict) else None
        if not isinstance(err, dict):
            return None
        code = err.get("code")
        status = code if isinstance(code, int) and code >= 400 else resp.status_code  # a stream's error: in the body
        state, codes, message = str(err.get("status") or ""), _codes(err), self.error_message(resp)
        if state == "RESOURCE_EXHAUSTED" or status == 429 or any(k == "quotaError" for k, _ in codes):
            wait = _retry_delay(err) or retry_after(resp)
            return RateLimited(f"{self.label} rate limit: {message}", retry_after=wait or DEFAULT_RATE_WAIT,
                               status=status, said=wait is not None)
        for _, value in codes:
            if value in _REFUSALS:
                return PermanentError(f"{_REFUSALS[value]}. ({self.label}: {message})", status=status)
        if "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in _reasons(err):
            return PermissionMissing(f"{self.label} needs the permission to manage your ads ('adwords'): connect "
                                     "again and allow it.", scope=ADWORDS, status=status)
        if status == 401 or state == "UNAUTHENTICATED":
            return AuthExpired(f"{self.label} rejected the access token: {message}", status=401)
        if state == "PERMISSION_DENIED":
            return PermanentError(f"{self.label} refused the request: {message}", status=status)
        if resp.status_code < 300:  # an error that ended a stream: nothing after it was sent
            return (TransientError if status >= 500 else PermanentError)(f"{self.label}: {message}", status=status)
        return None

    def error_message(self, resp: httpx.Response) -> str:
        body = self.body_of(resp)
        if isinstance(body, list) and body and isinstance(body[-1], dict):
            body = body[-1]
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict):
            first = next((e for d in _failures(err) for e in d.get("errors") or [] if isinstance(e, dict)), None)
            return str((first or {}).get("message") or err.get("message") or err.get("status") or "")[:300]
        return super().error_message(resp)


# ---------------------------------------------------------------- rows
def _campaign(row: dict, currency: str) -> Campaign:
    c, budget = row["campaign"], row.get("campaignBudget") or {}
    return Campaign(id=str(c["id"]), name=str(c.get("name") or ""),
                    objective=str(c.get("advertisingChannelType") or ""), status=str(c.get("status") or ""),
                    daily_budget=micros(budget["amountMicros"], currency, "budget") if budget.get("amountMicros")
                    else None)


def _ad(row: dict) -> tuple[Ad, AdSet]:
    """An ad_group_ad row as our ad (its own id as its creative's) and its ad group."""
    ad, group, campaign_id = row["adGroupAd"]["ad"], row["adGroup"], str(row["campaign"]["id"])
    return (Ad(id=str(ad["id"]), name=str(ad.get("name") or ""), adset_id=str(group["id"]), campaign_id=campaign_id,
               creative_id=str(ad["id"]), status=str(row["adGroupAd"].get("status") or "")),
            AdSet(id=str(group["id"]), name=str(group.get("name") or ""), campaign_id=campaign_id,
                  status=str(group.get("status") or "")))


# ---------------------------------------------------------------- numbers
def micros(value: Any, currency: str, what: str = "amount") -> Decimal:
    """An int64 of micros (a JSON string, or an int) as an exact amount in `currency`, rounded once,
    half to even, to its minor unit (1234567 micros of USD: 1.23; of JPY: 1)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).lstrip("-").isdigit():
        raise Malformed(f"A {what} in micros could not be read: {str(value)[:40]!r}")
    return money(Decimal(int(value)) / MICROS, currency, what)


def whole_conversions(value: Any) -> int:
    """Google's conversions are fractional where credit is shared between ads (data-driven or
    position-based attribution: 0.33 of a purchase to each of three ads). AdDay counts whole
    purchases, so each ad-day's credit is rounded half to even (2.5 → 2, 3.5 → 4): unbiased over many
    days; the exact value is kept in the conversion value, which is money."""
    if value is None:
        return 0
    if isinstance(value, (bool, float)) or not isinstance(value, (Decimal, int, str)):
        raise Malformed(f"A conversion count could not be read: {str(value)[:40]!r}")
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise Malformed(f"A conversion count could not be read: {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise Malformed(f"A conversion count is not a number: {value!r}")
    return int(amount.to_integral_value(rounding=ROUND_HALF_EVEN))


def _digits(value: str) -> str:
    """A customer id without the dashes people write it with ("123-456-7890")."""
    return value.replace("-", "").strip()


# ---------------------------------------------------------------- Google's error envelope
def _failures(err: dict) -> list[dict]:
    return [d for d in err.get("details") or [] if isinstance(d, dict)
            and str(d.get("@type", "")).endswith(".errors.GoogleAdsFailure")]


def _codes(err: dict) -> list[tuple[str, str]]:
    """(category, value) of every GoogleAdsError: ("quotaError", "RESOURCE_EXHAUSTED")."""
    return [(str(k), str(v)) for d in _failures(err) for e in d.get("errors") or [] if isinstance(e, dict)
            for k, v in (e.get("errorCode") or {}).items()]


def _reasons(err: dict) -> set[str]:
    """google.rpc.ErrorInfo reasons (ACCESS_TOKEN_SCOPE_INSUFFICIENT), outside GoogleAdsFailure."""
    return {str(d.get("reason")) for d in err.get("details") or [] if isinstance(d, dict) and d.get("reason")}


def _retry_delay(err: dict) -> float | None:
    """quotaErrorDetails.retryDelay of a quota error (or a google.rpc.RetryInfo's), in seconds."""
    delays = [((e.get("details") or {}).get("quotaErrorDetails") or {}).get("retryDelay")
              for d in _failures(err) for e in d.get("errors") or [] if isinstance(e, dict)]
    delays += [d.get("retryDelay") for d in err.get("details") or [] if isinstance(d, dict)]
    for delay in delays:
        found = _DURATION.match(str(delay)) if isinstance(delay, str) else None
        if found:
            return max(1.0, float(found.group(1)))
    return None


ADAPTER = GoogleAdsAdapter
