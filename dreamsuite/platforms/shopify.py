"""Shopify: a shop's orders through the GraphQL Admin API (REST orders is legacy since 2024-10).

A shop is its myshopify.com domain and an Admin API access token (a custom app's, or one from the
shop's OAuth grant), sent in X-Shopify-Access-Token to POST /admin/api/2025-01/graphql.json.
Reads the shop (name, currency, time zone) and its orders oldest first, `query: "created_at:>=…"`,
50 a page by `pageInfo { hasNextPage endCursor }`: total in the shop's currency (totalPriceSet.
shopMoney, a decimal string), line items (the first 25 of an order; `more_items` says when there
were more), the customer's id, and the customer journey's visits for attribution: the last
visit's UTM parameters and referrer, else the first visit's. Orders older than 60 days need
the read_all_orders scope.

Rate limits are a bucket of query cost: every answer's extensions.cost.throttleStatus
{maximumAvailable, currentlyAvailable, restoreRate} feeds the gate, and a THROTTLED error waits
(requestedQueryCost - currentlyAvailable) / restoreRate seconds.
https://shopify.dev/docs/api/admin-graphql/2025-01/queries/orders ,
https://shopify.dev/docs/api/usage/limits , https://shopify.dev/docs/api/admin-graphql/2025-01/objects/CustomerVisit
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime
from typing import Any, ClassVar

import httpx

from dreamsuite.platforms.base import (
    AccountRef, Malformed, PermanentError, PermissionMissing, PlatformError, Profile, RateLimited,
)
from dreamsuite.platforms.http import Usage
from dreamsuite.platforms.promotion_base import Order, OrderLine, PromotionChannel, Shop, count, money
from dreamsuite.settings import get_settings

API_VERSION = "2025-01"
PAGE_SIZE = 50
LINES = 10
PACE_LIMIT = 10.0  # seconds worth waiting for the bucket to refill between pages; beyond, RateLimited
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$")
_VISIT = "landingPage referrerUrl source utmParameters { source medium campaign }"
SHOP_QUERY = "query { shop { name myshopifyDomain currencyCode ianaTimezone } }"
ORDERS_QUERY = (
    "query Orders($first: Int!, $after: String, $query: String) { orders(first: $first, after: $after, "
    "query: $query, sortKey: CREATED_AT) { pageInfo { hasNextPage endCursor } nodes { id name createdAt "
    "cancelledAt totalPriceSet { shopMoney { amount currencyCode } } customer { id } "
    f"lineItems(first: {LINES}) {{ pageInfo {{ hasNextPage }} nodes {{ title quantity sku product {{ id }} "
    "originalUnitPriceSet { shopMoney { amount currencyCode } } } } "
    f"customerJourneySummary {{ ready firstVisit {{ {_VISIT} }} lastVisit {{ {_VISIT} }} }} }} }} }}")


async def pause(seconds: float) -> None:
    await asyncio.sleep(seconds)


def shop_domain(value: str) -> str:
    """The shop's myshopify.com host from what the artist typed (a URL or the bare domain)."""
    host = re.sub(r"^https?://", "", (value or "").strip().lower()).split("/")[0]
    if "." not in host:
        host = f"{host}.myshopify.com"
    if not _DOMAIN.match(host):
        raise PermanentError("Give your shop's myshopify.com address (Settings → Domains), e.g. "
                             "nova-merch.myshopify.com.")
    return host


class ShopifyAdapter(PromotionChannel):
    name: ClassVar[str] = "shopify"
    label: ClassVar[str] = "Shopify"
    color: ClassVar[str] = "#95BF47"
    reads: ClassVar[str] = ("Your shop's orders with their items, totals and customers, and where each buyer came "
                            "from (UTM and referring site), to see which promotion sells your merch.")
    scopes: ClassVar[tuple[str, ...]] = ("read_orders", "read_all_orders", "read_customers", "read_products")
    handle_prefix: ClassVar[str] = ""

    def graphql_url(self, shop: str) -> str:
        base = get_settings().platform_url(self.name, "store", f"https://{shop_domain(shop)}")
        return f"{base}/admin/api/{API_VERSION}/graphql.json"

    async def query(self, client: httpx.AsyncClient, token: str, shop: str, text: str,
                    variables: dict | None = None) -> dict:
        return (await self._query(client, token, shop, text, variables))[0]

    async def _query(self, client: httpx.AsyncClient, token: str, shop: str, text: str,
                     variables: dict | None = None) -> tuple[dict, dict]:
        """The answer's data, and its extensions.cost ({} when absent)."""
        body = await self.request_json(client, "POST", self.graphql_url(shop), None, account_key=shop_domain(shop),
                                       headers={"X-Shopify-Access-Token": token},
                                       json={"query": text, "variables": variables or {}})
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise Malformed(f"{self.label} answered without data")
        cost = (body.get("extensions") or {}).get("cost")
        return data, cost if isinstance(cost, dict) else {}

    # ------------------------------------------------------------ shop and orders
    async def shop(self, client: httpx.AsyncClient, token: str, shop: str) -> Shop:
        found = (await self.query(client, token, shop, SHOP_QUERY)).get("shop")
        if not isinstance(found, dict) or not found.get("currencyCode"):
            raise Malformed(f"{self.label} sent a shop without its currency")
        return Shop(domain=str(found.get("myshopifyDomain") or shop_domain(shop)), name=str(found.get("name") or ""),
                    currency=str(found["currencyCode"]), timezone=str(found.get("ianaTimezone") or ""))

    async def fetch_profile(self, client: httpx.AsyncClient, token: str, shop: str = "") -> Profile:
        s = await self.shop(client, token, shop)
        return Profile(platform_user_id=s.domain, username=s.domain, display_name=s.name,
                       details={"shop": s.domain, "currency": s.currency, "timezone": s.timezone})

    async def orders(self, client: httpx.AsyncClient, token: str, account: AccountRef,
                     since: date | None = None) -> list[Order]:
        """Every order created on or after `since` (None: all the token may read), oldest first."""
        shop = str(account.details.get("shop") or account.platform_user_id)
        variables: dict[str, Any] = {"first": PAGE_SIZE,
                                     "query": f"created_at:>={since.isoformat()}" if since else None}

        last: dict = {}

        async def fetch(after: str | None) -> dict:
            await self._pace(last)
            data, cost = await self._query(client, token, shop, ORDERS_QUERY, {**variables, "after": after})
            last.update(cost)
            found = data.get("orders")
            if not isinstance(found, dict):
                raise Malformed(f"{self.label} sent orders we could not read")
            return found

        def next_of(page: dict) -> str | None:
            info = page.get("pageInfo") or {}
            return str(info["endCursor"]) if info.get("hasNextPage") and info.get("endCursor") else None

        out: list[Order] = []
        async for page in self.pages(fetch, next_of, what="orders"):
            nodes = page.get("nodes")
            if not isinstance(nodes, list):
                raise Malformed(f"{self.label} sent a page of orders without nodes")
            out += [self._order(n) for n in nodes]
        return out

    async def _pace(self, cost: dict) -> None:
        """Before the next page: when the bucket left after the last one holds less than a page asks
        for, wait for it to refill (Shopify's advice), or give the wait back when it is long."""
        status = cost.get("throttleStatus") or {}
        try:
            need = float(cost["requestedQueryCost"]) - float(status["currentlyAvailable"])
            wait = need / max(float(status["restoreRate"]), 1e-6)
        except (KeyError, TypeError, ValueError):
            return
        if wait > PACE_LIMIT:
            raise RateLimited(f"{self.label} query cost limit: the shop's bucket needs {wait:.0f} s to refill",
                              retry_after=wait, status=None)
        if wait > 0:
            await pause(wait)

    def _order(self, n: Any) -> Order:
        try:
            total = n["totalPriceSet"]["shopMoney"]
            currency = str(total["currencyCode"])
            lines = n.get("lineItems") or {}
            journey = n.get("customerJourneySummary") or {}
            visits = [v for v in (journey.get("lastVisit"), journey.get("firstVisit")) if isinstance(v, dict)]
            utm = next((v["utmParameters"] for v in visits if v.get("utmParameters")), None) or {}
            return Order(
                id=str(n["id"]), name=str(n.get("name") or ""),
                created_at=datetime.fromisoformat(str(n["createdAt"]).replace("Z", "+00:00")), currency=currency,
                total=money(total["amount"], currency, "order total"),
                items=[OrderLine(title=str(i.get("title") or ""), quantity=count(i.get("quantity"), "quantity"),
                                 unit_price=money(i["originalUnitPriceSet"]["shopMoney"]["amount"], currency,
                                                  "unit price"),
                                 sku=str(i.get("sku") or ""), product_id=str((i.get("product") or {}).get("id") or ""))
                       for i in lines.get("nodes") or []],
                more_items=bool((lines.get("pageInfo") or {}).get("hasNextPage")),
                customer_id=str((n.get("customer") or {}).get("id") or ""),
                utm_source=str(utm.get("source") or ""), utm_medium=str(utm.get("medium") or ""),
                utm_campaign=str(utm.get("campaign") or ""),
                referring_site=next((str(v["referrerUrl"]) for v in visits if v.get("referrerUrl")), ""),
                landing_page=str((visits[-1] if visits else {}).get("landingPage") or ""),
                cancelled=bool(n.get("cancelledAt")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Malformed(f"{self.label} sent an order we could not read: {type(exc).__name__} {exc}") from exc

    # ------------------------------------------------------------ answers
    def classify(self, resp: httpx.Response, body: Any) -> PlatformError | None:
        errors = body.get("errors") if isinstance(body, dict) else None
        if not errors or resp.status_code >= 300:
            return None  # status codes decide (401 token, 402/423 shop frozen or locked, 5xx)
        codes = {str(((e.get("extensions") or {}).get("code") or "")) for e in errors if isinstance(e, dict)}
        message = self.error_message(resp)
        if "THROTTLED" in codes:
            usage = self.read_usage(resp)
            wait = usage.retry_after if usage and usage.retry_after else None
            return RateLimited(f"{self.label} query cost limit: {message}", retry_after=wait or 10.0,
                               status=resp.status_code, said=wait is not None)
        if "ACCESS_DENIED" in codes:
            return PermissionMissing(f"{self.label} refused the query: {message}", scope="read_orders",
                                     status=resp.status_code)
        return PermanentError(f"{self.label} refused the query: {message}", status=resp.status_code)

    def error_message(self, resp: httpx.Response) -> str:
        body = self.body_of(resp)
        errors = body.get("errors") if isinstance(body, dict) else None
        if isinstance(errors, str):
            return errors[:300]
        if isinstance(errors, list):
            return "; ".join(str(e.get("message") if isinstance(e, dict) else e) for e in errors)[:300]
        return super().error_message(resp)

    def read_usage(self, resp: httpx.Response) -> Usage | None:
        body = self.body_of(resp) if resp.content else None
        cost = ((body.get("extensions") or {}).get("cost") or {}) if isinstance(body, dict) else {}
        status = cost.get("throttleStatus") if isinstance(cost, dict) else None
        if not isinstance(status, dict):
            return super().read_usage(resp)  # REST: Retry-After
        try:
            most, left, rate = (float(status[k]) for k in ("maximumAvailable", "currentlyAvailable", "restoreRate"))
        except (KeyError, TypeError, ValueError):
            return None
        rate = max(rate, 1e-6)
        asked = float(cost.get("requestedQueryCost") or 0)
        throttled = cost.get("actualQueryCost") is None and asked > left
        return Usage(used=1 - left / most if most else None, reset_in=(most - left) / rate,
                     retry_after=max(1.0, (asked - left) / rate) if throttled else None)


ADAPTER = ShopifyAdapter
