"""Shopify end to end over real HTTP against its emulator: the shop, its orders page by page through
the GraphQL Admin API, money from decimal strings to exact Decimals in the shop's currency, UTM and
referrer read from the customer journey, and Shopify's query-cost throttling, token and errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from dreamsuite.platforms import shopify as module
from dreamsuite.platforms.base import AccountRef, AuthExpired, Malformed, PermanentError, PermissionMissing, RateLimited
from dreamsuite.platforms.emulators.promotion_story import orders as story_orders
from dreamsuite.platforms.emulators.shopify import ShopifyEmulator
from dreamsuite.platforms.promotion_base import order_days, promotion_channel
from dreamsuite.platforms.shopify import ShopifyAdapter, shop_domain
from tests.promotion_helpers import _promotion_server, client, promotion  # noqa: F401 - fixtures

SHOP = "nova-lane.myshopify.com"
REF = AccountRef(platform_user_id=SHOP, details={"shop": SHOP})


@pytest.fixture
def shop(promotion):
    account = promotion.account("shopify")
    emulator = promotion["shopify"]
    return promotion, emulator, account, emulator.grant(account.id)


def _node(n: int, amount: str = "10.00", currency: str = "USD", **over) -> dict:
    money = {"shopMoney": {"amount": amount, "currencyCode": currency}}
    node = {"id": f"gid://shopify/Order/{n}", "name": f"#{n}", "createdAt": "2026-11-20T10:00:00Z",
            "cancelledAt": None, "currencyCode": currency, "totalPriceSet": money, "customer": None,
            "lineItems": [{"title": "Logo tee", "quantity": 1, "sku": None, "originalUnitPriceSet": money,
                           "product": None}],
            "customerJourneySummary": None}
    return {**node, **over}


async def test_every_order_is_read_across_pages_with_exact_totals(shop, client, monkeypatch):
    promotion, emulator, account, token = shop
    monkeypatch.setattr(module, "PAGE_SIZE", 40)
    found = await ShopifyAdapter().orders(client, token, REF)
    story = story_orders(account.persona, datetime.now(UTC).date())
    assert [o.name for o in found] == [f"#{o.number}" for o in story]  # oldest first, each once
    assert sum(o.total for o in found) == sum(Decimal(sum(q * p for *_, q, p in o.items)) / 100 for o in story)
    assert all(o.currency == "USD" and o.total.as_tuple().exponent == -2 for o in found)
    assert all(o.total == sum(i.unit_price * i.quantity for i in o.items) for o in found)
    pages = emulator.served
    assert len(pages) == -(-len(story) // 40) and pages[0]["after"] is None and all(p["after"] for p in pages[1:])
    assert all(p["first"] == 40 and p["sortKey"] == "CREATED_AT" for p in pages)
    assert any(o.customer_id.startswith("gid://shopify/Customer/") for o in found)
    assert any(o.customer_id == "" for o in found)  # guest checkouts


async def test_attribution_comes_from_the_customer_journey(shop, client):
    promotion, emulator, account, token = shop
    found = await ShopifyAdapter().orders(client, token, REF)
    hoodies = [o for o in found if o.utm_campaign == "merch_drop_tour_hoodie"]
    assert hoodies and all(o.utm_source == "facebook" and o.utm_medium == "paid_social" for o in hoodies)
    assert all(o.referring_site == "https://l.facebook.com/" for o in hoodies)
    assert all(any(i.sku == "HOOD-TOUR" for i in o.items) for o in hoodies)
    plain = [o for o in found if not o.utm_source]
    assert plain and {o.referring_site for o in plain} <= {"", "https://www.google.com/", "https://www.instagram.com/"}
    assert all(o.landing_page.startswith("https://") for o in found)
    days = order_days(found)
    assert sum(d.orders for d in days) == len(found) and sum(d.revenue for d in days) == sum(o.total for o in found)
    assert {d.utm_source for d in days} == {"", "facebook"}


async def test_since_asks_shopify_for_recent_orders_only(shop, client):
    promotion, emulator, account, token = shop
    since = datetime.now(UTC).date() - timedelta(days=20)
    found = await ShopifyAdapter().orders(client, token, REF, since=since)
    assert found and all(o.created_at.date() >= since for o in found)
    assert emulator.served[0]["query"] == f"created_at:>={since.isoformat()}"


async def test_without_read_all_orders_only_sixty_days_are_visible(shop, client):
    promotion, emulator, account, token = shop
    found = await ShopifyAdapter().orders(client, emulator.grant(account.id, scope="read_orders"), REF)
    assert found and min(o.created_at for o in found).date() >= datetime.now(UTC).date() - timedelta(days=60)


async def test_decimal_strings_sum_exactly_and_yen_has_no_decimals(shop, client, monkeypatch):
    promotion, emulator, account, token = shop
    monkeypatch.setattr(ShopifyEmulator, "order_nodes", lambda self, a: [_node(1, "0.1"), _node(2, "0.2"),
                                                                         _node(3, "10.005")])
    first, second, third = await ShopifyAdapter().orders(client, token, REF)
    assert first.total + second.total == Decimal("0.30") and 0.1 + 0.2 != 0.3
    assert third.total == Decimal("10.00")  # half to even, at the cent
    monkeypatch.undo()
    emulator.configure(account.id, currency="JPY")
    found = await ShopifyAdapter().orders(client, token, REF)
    assert found and all(o.currency == "JPY" and o.total.as_tuple().exponent == 0 for o in found)
    assert (await ShopifyAdapter().shop(client, token, SHOP)).currency == "JPY"


async def test_missing_optional_fields_are_blank(shop, client, monkeypatch):
    promotion, emulator, account, token = shop
    monkeypatch.setattr(ShopifyEmulator, "order_nodes", lambda self, a: [_node(7)])
    [order] = await ShopifyAdapter().orders(client, token, REF)
    assert (order.customer_id, order.utm_source, order.referring_site, order.landing_page) == ("", "", "", "")
    assert order.items[0].sku == "" and order.items[0].product_id == "" and not order.more_items


async def test_an_empty_shop(shop, client, monkeypatch):
    promotion, emulator, account, token = shop
    monkeypatch.setattr(ShopifyEmulator, "order_nodes", lambda self, a: [])
    assert await ShopifyAdapter().orders(client, token, REF) == []


async def test_throttled_waits_what_the_bucket_needs_to_refill(shop, client):
    promotion, emulator, account, token = shop
    await promotion.control("shopify", "bucket", available=10, restore=2, maximum=2000)
    with pytest.raises(RateLimited) as info:
        await ShopifyAdapter().orders(client, token, REF)
    asked = 1 + 2 + module.PAGE_SIZE * (3 + module.LINES)
    assert info.value.said and info.value.retry_after == pytest.approx((asked - 10) / 2, abs=1)
    # The documented example: 752 asked, 666 left, 50 a second back: 1.72 s.
    body = {"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
            "extensions": {"cost": {"requestedQueryCost": 752, "actualQueryCost": None, "throttleStatus": {
                "maximumAvailable": 1000.0, "currentlyAvailable": 666, "restoreRate": 50.0}}}}
    error = ShopifyAdapter().classify(httpx.Response(200, json=body), body)
    assert isinstance(error, RateLimited) and error.retry_after == pytest.approx(1.72)


async def test_a_page_that_would_not_fit_the_bucket_waits_for_it_to_refill(shop, client, monkeypatch):
    promotion, emulator, account, token = shop
    waits: list[float] = []
    real = module.pause

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await real(seconds)

    monkeypatch.setattr(module, "pause", sleep)
    # A bucket that holds about one page, refilled quickly (so the test waits milliseconds).
    await promotion.control("shopify", "bucket", available=700, restore=5000, maximum=700)
    found = await ShopifyAdapter().orders(client, token, REF)
    assert len(found) == len(story_orders(account.persona, datetime.now(UTC).date()))
    assert waits and all(0 < w <= module.PACE_LIMIT for w in waits)


async def test_usage_is_read_from_every_answer(shop, client):
    promotion, emulator, account, token = shop
    resp = await client.post(f"{promotion.base}/shopify/store/admin/api/2025-01/graphql.json",
                             headers={"X-Shopify-Access-Token": token}, json={"query": module.SHOP_QUERY})
    usage = ShopifyAdapter().read_usage(resp)
    assert usage.retry_after is None and 0 <= usage.used < 0.01


async def test_an_injected_rate_limit_is_a_throttled_error(shop, client):
    promotion, emulator, account, token = shop
    await promotion.control("shopify", "fail", status=429, times=1, retry_after=3)
    with pytest.raises(RateLimited) as info:
        await ShopifyAdapter().orders(client, token, REF)
    assert info.value.retry_after == pytest.approx(3, abs=0.5)


async def test_a_bad_token_is_auth_expired(shop, client):
    promotion, emulator, account, token = shop
    with pytest.raises(AuthExpired, match="Invalid API key or access token"):
        await ShopifyAdapter().orders(client, "shpat_not-a-token", REF)


async def test_a_token_without_read_orders_names_the_scope(shop, client):
    promotion, emulator, account, token = shop
    with pytest.raises(PermissionMissing) as info:
        await ShopifyAdapter().orders(client, emulator.grant(account.id, scope="read_customers"), REF)
    assert info.value.scope == "read_orders"


async def test_malformed_answers_are_malformed(shop, client, monkeypatch):
    promotion, emulator, account, token = shop
    await promotion.control("shopify", "fail", status=200, times=1, body="{not json")
    with pytest.raises(Malformed):
        await ShopifyAdapter().orders(client, token, REF)
    monkeypatch.setattr(ShopifyEmulator, "order_nodes", lambda self, a: [_node(1, amount=12.5)])  # a float
    with pytest.raises(Malformed, match="decimal string"):
        await ShopifyAdapter().orders(client, token, REF)


async def test_an_unknown_field_is_refused_as_shopify_does(shop, client):
    promotion, emulator, account, token = shop
    with pytest.raises(PermanentError, match="Field 'colour' doesn't exist on type 'Order'"):
        await ShopifyAdapter().query(client, token, SHOP, "{ orders(first: 2) { nodes { id colour } } }")


def test_the_shop_address_is_a_myshopify_domain():
    assert shop_domain("https://Nova-Lane.myshopify.com/admin") == SHOP and shop_domain("nova-lane") == SHOP
    for bad in ("evil.example.com", "a.myshopify.com.evil.io", "", "http://127.0.0.1"):
        with pytest.raises(PermanentError):
            shop_domain(bad)
    assert isinstance(promotion_channel("shopify"), ShopifyAdapter)
    assert json.loads(json.dumps({"q": module.ORDERS_QUERY}))["q"].count("{") == module.ORDERS_QUERY.count("}")
