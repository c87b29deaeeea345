"""The Shopify GraphQL Admin API, emulated: POST /store/admin/api/{version}/graphql.json with the
X-Shopify-Access-Token header (the emulator's base URL stands for the shop's myshopify.com host).

- Queries `shop` and `orders(first, after, query: "created_at:>=…", sortKey, reverse)`, answered in
  the documented shapes: connections with `nodes` (or `edges { cursor node }`) and `pageInfo {
  hasNextPage endCursor }`, money as MoneyBag `{shopMoney {amount currencyCode}}` with decimal
  strings, `customerJourneySummary { firstVisit lastVisit }` visits carrying `utmParameters` and
  `referrerUrl`. Only the fields asked for come back; an unknown one is an `undefinedField` error.
  Without read_all_orders only the last 60 days of orders are visible.
- Query cost: a bucket per shop (2000 points, refilled 100 a second); every answer reports
  `extensions.cost {requestedQueryCost, actualQueryCost, throttleStatus}`, and a query costing
  more than what is left is refused with HTTP 200 and a THROTTLED error.
- A bad token: 401 `{"errors": "[API] Invalid API key or access token …"}`.

Test controls: `/_control/bucket {"maximum", "available", "restore"}`; `configure(account_id,
currency=…)` on the emulator; `grant()` signs a token as the OAuth grant would.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, time as clock, timedelta
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Caller, Emulator, page_token, read_page_token
from dreamsuite.platforms.emulators.meta import number_id
from dreamsuite.platforms.emulators.promotion_story import orders as story_orders
from dreamsuite.platforms.promotion_base import minor_unit

P = "shopify"
VERSIONS = {"2024-10", "2025-01", "2025-04", "2025-07", "2025-10"}
BUCKET = (2000.0, 100.0)  # maximumAvailable, restoreRate
RECENT_DAYS = 60
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\.\.\.|[{}():!$=\[\]]|[A-Za-z_]\w*|-?\d+(?:\.\d+)?')


@dataclass
class Sel:
    alias: str
    name: str
    args: dict
    sub: list["Sel"] | None


def parse_query(text: str, variables: dict) -> list[Sel]:
    """The selection of an anonymous or named query (no fragments): fields, aliases, arguments."""
    toks, pos = _TOKEN.findall(text), 0

    def value() -> Any:
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t == "$":
            name = toks[pos]
            pos += 1
            return variables.get(name)
        if t.startswith('"'):
            return json.loads(t)
        if re.fullmatch(r"-?\d+", t):
            return int(t)
        return {"true": True, "false": False, "null": None}.get(t, t)

    def selection() -> list[Sel]:
        nonlocal pos
        if toks[pos] != "{":
            raise ValueError(f"Expected {{ near {' '.join(toks[pos:pos + 3])}")
        pos, out = pos + 1, []
        while toks[pos] != "}":
            alias = name = toks[pos]
            pos += 1
            if toks[pos] == ":":
                name, pos = toks[pos + 1], pos + 2
            args: dict = {}
            if toks[pos] == "(":
                pos += 1
                while toks[pos] != ")":
                    key = toks[pos]
                    pos += 2  # the name and its colon
                    args[key] = value()
                pos += 1
            out.append(Sel(alias, name, args, selection() if toks[pos] == "{" else None))
        pos += 1
        return out

    try:
        if toks and toks[0] == "query":
            pos = 1 if toks[1] in ("{", "(") else 2
            if toks[pos] == "(":  # variable definitions
                while toks[pos] != ")":
                    pos += 1
                pos += 1
        return selection()
    except IndexError:
        raise ValueError("Unexpected end of document") from None


TYPES = {"orders": "OrderConnection", "lineItems": "LineItemConnection", "totalPriceSet": "MoneyBag",
         "originalUnitPriceSet": "MoneyBag", "shopMoney": "MoneyV2", "customerJourneySummary": "CustomerJourneySummary",
         "firstVisit": "CustomerVisit", "lastVisit": "CustomerVisit", "utmParameters": "UTMParameters",
         "pageInfo": "PageInfo"}


def _type(parent: str, field: str) -> str:
    """The GraphQL type of `field` on `parent`, for error messages as Shopify words them."""
    if field in ("nodes", "node"):
        return parent.removesuffix("Connection").removesuffix("Edge")
    if field == "edges":
        return parent.replace("Connection", "Edge")
    return TYPES.get(field, field[:1].upper() + field[1:])


def _first(sels: list[Sel], name: str) -> int:
    """The `first` asked of a nested connection, anywhere in a selection (0 when absent)."""
    for s in sels:
        if s.name == name:
            return int(s.args.get("first") or 0)
        if s.sub and (found := _first(s.sub, name)):
            return found
    return 0


class ShopifyEmulator(Emulator):
    platform = P
    label = "Shopify"
    scopes = ("read_orders", "read_all_orders", "read_customers", "read_products")
    scope_separator = ","
    authorize_path = "/store/admin/oauth/authorize"
    token_path = "/store/admin/oauth/access_token"
    pkce = "none"
    access_ttl = 10 * 365 * 86400  # offline tokens do not expire
    token_prefix = "shpat"

    def __init__(self, store):
        super().__init__(store)
        self.bucket: dict[str, tuple[float, float]] = {}  # account → (available, at)
        self.shape = BUCKET
        self.served: list[dict] = []  # the variables of each orders query (tests read the pages)

    # ---------------------------------------------------------------- test helpers and tokens
    def configure(self, account_id: str, **settings: Any) -> None:
        self.store.put(f"{P}:settings:{account_id}", {**self.store.get(f"{P}:settings:{account_id}", {}), **settings})

    def grant(self, account_id: str, scope: str = "read_orders,read_all_orders,read_customers", ttl: int = 0) -> str:
        return tokens.sign(self.secret, P, account_id, "access", scope, ttl or self.access_ttl, self.token_prefix)

    def token_body(self, access: str, refresh: str | None, scope: str, account) -> dict[str, Any]:
        return {"access_token": access, "scope": scope}  # offline access: no expiry, no refresh token

    def bearer(self, request: Request) -> str:
        return request.headers.get("x-shopify-access-token", "")

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if status == 401:
            message = "[API] Invalid API key or access token (unrecognized login or wrong password)"
        return JSONResponse({"errors": message}, status_code=status, headers=headers)

    def rate_limited(self, retry_after: int, account: str = "") -> Response:
        return self.throttled(float(retry_after) * self.shape[1], 0.0)

    def _injected(self, status: int, headers: dict) -> Response:
        if status == 429:  # GraphQL throttling answers 200 with a THROTTLED error
            wait = float(headers.get("Retry-After", "2") or 2)
            return self.throttled(wait * self.shape[1], 0.0)
        return super()._injected(status, headers)

    def throttled(self, asked: float, available: float) -> Response:
        return JSONResponse({"errors": [{"message": "Throttled", "extensions": {
            "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
            "extensions": {"cost": {"requestedQueryCost": int(asked), "actualQueryCost": None,
                                    "throttleStatus": self._status(available)}}})

    def _status(self, available: float) -> dict:
        return {"maximumAvailable": self.shape[0], "currentlyAvailable": int(available), "restoreRate": self.shape[1]}

    def _take(self, account: str, asked: float) -> float | None:
        """What is left after the query, or None when the bucket holds less than it costs."""
        most, rate = self.shape
        left, at = self.bucket.get(account, (most, time.monotonic()))
        now = time.monotonic()
        left = min(most, left + (now - at) * rate)
        if asked > left:
            self.bucket[account] = (left, now)
            return None
        self.bucket[account] = (left - asked, now)
        return left - asked

    def _refund(self, account: str, points: float) -> float:
        left, at = self.bucket[account]
        self.bucket[account] = (min(self.shape[0], left + max(0.0, points)), at)
        return self.bucket[account][0]

    # ---------------------------------------------------------------- data
    def shop_of(self, account) -> dict:
        cur = self.store.get(f"{P}:settings:{account.id}", {}).get("currency", "USD")
        return {"name": f"{account.name} Merch", "myshopifyDomain": f"{account.handle.replace('_', '-')}.myshopify.com",
                "currencyCode": cur, "ianaTimezone": "America/New_York", "id": f"gid://shopify/Shop/{account.id}"}

    def order_nodes(self, account) -> list[dict]:
        """The shop's orders, oldest first, as Order objects (tests replace this for chosen values)."""
        cur = self.shop_of(account)["currencyCode"]
        scale = 1.5 if minor_unit(cur) == 0 else 1.0

        def amount(cents: float) -> dict:
            value = Decimal(int(cents * scale)).scaleb(-minor_unit(cur))
            return {"shopMoney": {"amount": format(value, "f"), "currencyCode": cur}}

        out = []
        for o in story_orders(account.persona, self.today()):
            at = datetime.combine(o.day, clock(o.hour, (o.number * 7) % 60), UTC)
            visit = {"landingPage": f"https://{self.shop_of(account)['myshopifyDomain']}/products/"
                                    f"{o.items[0][0].lower()}", "referrerUrl": o.referrer or None,
                     "source": "facebook" if o.utm else ("google" if "google" in o.referrer else "direct"),
                     "utmParameters": {"source": o.utm[0], "medium": o.utm[1], "campaign": o.utm[2],
                                       "content": None, "term": None} if o.utm else None}
            out.append({
                "id": f"gid://shopify/Order/{number_id(P, account.id, o.number, digits=13)}", "name": f"#{o.number}",
                "createdAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "cancelledAt": None, "currencyCode": cur,
                "totalPriceSet": amount(sum(q * p for _, _, q, p in o.items)),
                "customer": None if o.customer % 10 == 0 else {"id": f"gid://shopify/Customer/{o.customer}"},
                "lineItems": [{"title": t, "quantity": q, "sku": sku, "originalUnitPriceSet": amount(p),
                               "product": {"id": f"gid://shopify/Product/{number_id(P, sku, digits=10)}"}}
                              for sku, t, q, p in o.items],
                "customerJourneySummary": {"ready": True, "firstVisit": visit, "lastVisit": visit}})
        return out

    # ---------------------------------------------------------------- GraphQL
    def connection(self, items: list[dict], args: dict, sel: Sel) -> dict:
        first = args.get("first")
        if not isinstance(first, int) or not 0 < first <= 250:
            raise ValueError("first must be between 1 and 250")
        offset = read_page_token(args["after"]) if args.get("after") else 0
        if offset is None:
            raise ValueError("Invalid cursor")
        chunk = items[offset:offset + first]
        end = page_token(offset + len(chunk)) if chunk else None
        return {"nodes": chunk, "edges": [{"cursor": page_token(offset + i + 1), "node": n}
                                          for i, n in enumerate(chunk)],
                "pageInfo": {"hasNextPage": offset + first < len(items), "endCursor": end,
                             "hasPreviousPage": offset > 0, "startCursor": page_token(offset) if chunk else None}}

    def orders(self, account, caller: Caller, args: dict, sel: Sel) -> dict:
        nodes = self.order_nodes(account)
        if "read_all_orders" not in caller.scopes:
            cutoff = (self.today() - timedelta(days=RECENT_DAYS)).isoformat()
            nodes = [n for n in nodes if n["createdAt"] >= cutoff]
        for op, when in re.findall(r"created_at:(>=|<=|>|<)'?\"?([\dT:\-Z+]+)", str(args.get("query") or "")):
            keep = {">=": str.__ge__, ">": str.__gt__, "<=": str.__le__, "<": str.__lt__}[op]
            nodes = [n for n in nodes if keep(n["createdAt"][:len(when)], when)]
        if args.get("reverse"):
            nodes = nodes[::-1]
        self.served.append(dict(args))
        return self.connection(nodes, args, sel)

    def render(self, value: Any, sels: list[Sel], type_name: str, path: list[str]) -> Any:
        if value is None:
            return None
        if isinstance(value, list):
            return [self.render(v, sels, type_name, path) for v in value]
        out = {}
        for s in sels:
            if s.name == "__typename":
                out[s.alias] = type_name
                continue
            if s.name not in value:
                raise ApiError(JSONResponse({"errors": [{
                    "message": f"Field '{s.name}' doesn't exist on type '{type_name}'", "path": [*path, s.alias],
                    "extensions": {"code": "undefinedField", "typeName": type_name, "fieldName": s.name}}]}))
            v = value[s.name]
            if isinstance(v, list) and s.args.get("first") is not None:  # a nested connection
                v = self.connection(v, s.args, s)
            out[s.alias] = self.render(v, s.sub, _type(type_name, s.name), [*path, s.alias]) if s.sub else v
        return out

    async def graphql(self, request: Request) -> Response:
        if request.path_params["version"] not in VERSIONS:
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        caller = await self.caller(request)
        if "read_orders" not in caller.scopes:
            raise ApiError(JSONResponse({"errors": [{"message": "Access denied for orders field. Required access: "
                                                                "`read_orders` access scope.",
                                                     "extensions": {"code": "ACCESS_DENIED"}}]}))
        try:
            body = await request.json()
            sels = parse_query(str(body.get("query") or ""), body.get("variables") or {})
        except (ValueError, AttributeError) as exc:
            return JSONResponse({"errors": [{"message": f"Parse error: {exc}",
                                             "extensions": {"code": "parseError"}}]})
        account = caller.account
        # Shopify's calculated cost, roughly: a connection costs 2 plus one per object it may return.
        asked = 1.0 + sum(2 + int(s.args.get("first") or 0) * (3 + _first(s.sub or [], "lineItems"))
                          for s in sels if s.name == "orders")
        left = self._take(account.id, asked)
        if left is None:
            return self.throttled(asked, self.bucket[account.id][0])
        root, actual = {"shop": self.shop_of(account)}, 1.0
        try:
            data = {}
            for s in sels:
                if s.name == "orders":
                    found = await self.store.call(self.orders, account, caller, s.args, s)
                    actual += 2 + sum(3 + min(len(n["lineItems"]), _first(s.sub or [], "lineItems"))
                                      for n in found["nodes"])
                    data[s.alias] = self.render(found, s.sub or [], "OrderConnection", [s.alias])
                else:
                    data.update(self.render(root, [s], "QueryRoot", []))
        except ValueError as exc:
            return JSONResponse({"errors": [{"message": str(exc),
                                             "extensions": {"code": "argumentLiteralsIncompatible"}}]})
        left = self._refund(account.id, asked - actual)  # Shopify charges what the query really cost
        return JSONResponse({"data": data, "extensions": {"cost": {
            "requestedQueryCost": int(asked), "actualQueryCost": int(actual), "throttleStatus": self._status(left)}}})

    def api_routes(self) -> list[Route]:
        return [Route("/store/admin/api/{version}/graphql.json", self.guarded(self.graphql), methods=["POST"])]

    def app(self, *, with_control: bool = False) -> Starlette:
        app = super().app(with_control=with_control)
        if with_control:
            app.router.routes.insert(0, Route("/_control/bucket", self._set_bucket, methods=["POST"]))
        return app

    async def _set_bucket(self, request: Request) -> Response:
        b = await request.json()
        self.shape = (float(b.get("maximum", BUCKET[0])), float(b.get("restore", BUCKET[1])))
        for account in self.store.accounts(P):
            self.bucket[account.id] = (float(b.get("available", self.shape[0])), time.monotonic())
        return JSONResponse({"ok": True})

    def _reset(self) -> None:
        super()._reset()
        self.bucket.clear()
        self.shape = BUCKET
        self.served.clear()


EMULATOR = ShopifyEmulator
