"""The Google Ads API's REST interface, emulated: Google's OAuth 2 (emulators/google_oauth.py, as
for YouTube), `customers:listAccessibleCustomers` and
`customers/{id}/googleAds:searchStream` with enough GAQL for what the connector asks.

- GAQL: `SELECT <fields> FROM <resource> [WHERE <conditions joined by AND>] [ORDER BY ...] [LIMIT n]`
  over `customer`, `campaign` (campaign_budget attributed) and `ad_group_ad` (ad_group, campaign,
  segments.date and metrics attributed). A field the resource cannot select is refused with
  Google's QueryError. Conditions: `segments.date BETWEEN 'a' AND 'b'` (not DURING), and
  `field = 'v'`, `!=`, `IN ('a', 'b')`, `NOT IN` on the resource's fields. Selecting segments.date
  (or metrics of ads) needs a date filter, as on Google.
- searchStream answers a JSON array of batches `{results, fieldMask, requestId}`, `batch_size` rows
  each (Google: up to 10,000; tests lower it). Fields camelCase, int64 as strings, money in micros,
  conversions and conversionsValue as JSON doubles, zero-metric ad-days left out.
- Every API call needs the `developer-token` header (settings, or the demo token); a token without
  approval (`/_control/developer_token {"access": "test"}`) gets DEVELOPER_TOKEN_NOT_APPROVED. A
  customer configured `status="CANCELED"` answers CUSTOMER_NOT_ENABLED; `login-customer-id` must be a
  customer the login can reach. Configured `manager=True`, the login reaches a manager account
  instead (customer_client lists the artist's customer at level 1; metrics on the manager are
  refused), and the artist's customer answers only with the manager in `login-customer-id`.
- Errors: Google's RPC envelope `{"error": {"code", "message", "status", "details": [GoogleAdsFailure]}}`;
  a rate limit is RESOURCE_EXHAUSTED with quotaErrorDetails.retryDelay (no Retry-After header).

Numbers come from emulators/promotion_story.py's Google plan. Test helpers: `configure(account_id,
currency=..., time_zone=..., status=..., empty=..., manager=...)` (or `/_control/customer`),
`grant()` signs a token as the consent page would, `requests` keeps what each API call sent.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError
from dreamsuite.platforms.emulators.google_oauth import GoogleOAuthEmulator
from dreamsuite.platforms.emulators.promotion_story import GOOGLE_PLAN, AdNumbers, google_ad_days, start
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.promotion_base import minor_unit
from dreamsuite.settings import DEMO_GOOGLE_ADS_DEVELOPER_TOKEN, get_settings

P = "google_ads"
ADWORDS = "https://www.googleapis.com/auth/adwords"
MAX_BATCH = 10_000
FAILURE = "type.googleapis.com/google.ads.googleads.{version}.errors.GoogleAdsFailure"
_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}

_METRICS = {"metrics.cost_micros", "metrics.impressions", "metrics.clicks", "metrics.conversions",
            "metrics.conversions_value"}
_CAMPAIGN = {"campaign.id", "campaign.name", "campaign.status", "campaign.advertising_channel_type",
             "campaign.resource_name"}
# What each resource in FROM can select (its own fields and the resources attributed to it).
SELECTABLE = {
    "customer": {"customer.id", "customer.descriptive_name", "customer.currency_code", "customer.time_zone",
                 "customer.manager", "customer.status", "customer.resource_name"},
    "customer_client": {"customer_client.id", "customer_client.descriptive_name", "customer_client.currency_code",
                        "customer_client.time_zone", "customer_client.manager", "customer_client.status",
                        "customer_client.level", "customer_client.client_customer", "customer_client.resource_name"},
    "campaign": _CAMPAIGN | {"campaign_budget.amount_micros", "campaign_budget.resource_name"},
    "ad_group_ad": _CAMPAIGN | _METRICS | {
        "ad_group_ad.ad.id", "ad_group_ad.ad.name", "ad_group_ad.ad.type", "ad_group_ad.status",
        "ad_group_ad.resource_name", "ad_group.id", "ad_group.name", "ad_group.status", "ad_group.resource_name",
        "segments.date"},
}
_KNOWN = set().union(*SELECTABLE.values())
_QUERY = re.compile(r"^\s*SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<resource>\w+)"
                    r"(?:\s+WHERE\s+(?P<where>.+?))?(?:\s+ORDER\s+BY\s+.+?)?(?:\s+LIMIT\s+(?P<limit>\d+))?"
                    r"(?:\s+PARAMETERS\s+.+?)?\s*$", re.I | re.S)
_BETWEEN = re.compile(r"segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'", re.I)
_CONDITION = re.compile(r"^\s*([\w.]+)\s*(=|!=|IN|NOT IN)\s*(.+?)\s*$", re.I)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def path_of(field: str) -> list[str]:
    """GAQL's snake_case field as its JSON path: ad_group_ad.ad.id → adGroupAd, ad, id."""
    return [camel(p) for p in field.split(".")]


class GoogleAdsEmulator(GoogleOAuthEmulator):
    platform = P
    label = "Google Ads"
    scopes = (ADWORDS,)

    def __init__(self, store):
        super().__init__(store)
        self.batch_size = MAX_BATCH
        self.token_access = "basic"  # or "test": a developer token not yet approved for live accounts
        self.requests: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- Google's envelope
    def failure(self, status: int, category: str, code: str, message: str, details: dict | None = None,
                version: str = "v24", headers: dict | None = None) -> Response:
        error = {"errorCode": {category: code}, "message": message, **({"details": details} if details else {})}
        body = {"error": {"code": status, "message": "Request contains an invalid argument." if status == 400 else
                          message, "status": _STATUS.get(status, "UNKNOWN"),
                          "details": [{"@type": FAILURE.format(version=version), "errors": [error],
                                       "requestId": secrets.token_urlsafe(16)}]}}
        return JSONResponse(body, status_code=status, headers=headers)

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if code == "insufficient_scope":
            body = {"code": 403, "message": "Request had insufficient authentication scopes.",
                    "status": "PERMISSION_DENIED",
                    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                 "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com"}]}
            return JSONResponse({"error": body}, status_code=403, headers=headers)
        if status == 401:  # Google's front end refuses the token before the Ads API sees the call
            body = {"code": 401, "message": "Request had invalid authentication credentials. Expected OAuth 2 access "
                                            "token, login cookie or other valid authentication credential.",
                    "status": "UNAUTHENTICATED"}
            return JSONResponse({"error": body}, status_code=401, headers=headers)
        if status == 403:
            return self.failure(403, "authorizationError", "USER_PERMISSION_DENIED", message, headers=headers)
        if status >= 500:
            return self.failure(status, "internalError", "INTERNAL_ERROR", "An internal error has occurred.",
                                headers=headers)
        return self.failure(status, "requestError", "INVALID_INPUT", message, headers=headers)

    def rate_limited(self, retry_after: int) -> Response:
        return self.failure(429, "quotaError", "RESOURCE_EXHAUSTED", "Too many requests. Retry in "
                            f"{retry_after} seconds.", {"quotaErrorDetails": {
                                "rateScope": "ACCOUNT", "rateName": "Number of requests per customer",
                                "retryDelay": f"{retry_after}s"}})

    def _injected(self, status: int, headers: dict) -> Response:
        # Google says how long to wait in the body only: the asked-for Retry-After becomes retryDelay.
        if status == 429:
            wait = headers.get("Retry-After", "")
            return self.rate_limited(int(wait) if wait.isdigit() else 30)
        return super()._injected(status, headers)

    # ---------------------------------------------------------------- customers
    def customer_id(self, account: Account) -> str:
        return str(int(hashlib.sha256(f"{P}:{account.id}".encode()).hexdigest(), 16) % 9_000_000_000 + 1_000_000_000)

    def manager_id(self, account: Account) -> str | None:
        """The manager account the login reaches instead, when configured `manager=True` (an agency's
        login: the artist's customer is its client, read with login-customer-id set to the manager)."""
        if not self.settings_of(account).get("manager"):
            return None
        return str(int(hashlib.sha256(f"{P}:manager:{account.id}".encode()).hexdigest(), 16) % 9_000_000_000
                   + 1_000_000_000)

    def settings_of(self, account: Account) -> dict:
        return self.store.get(f"{P}:settings:{account.id}", {})

    def configure(self, account_id: str, **settings: Any) -> None:
        self.store.put(f"{P}:settings:{account_id}", {**self.store.get(f"{P}:settings:{account_id}", {}), **settings})

    def grant(self, account_id: str, scope: str = ADWORDS, ttl: int | None = None) -> str:
        return tokens.sign(self.secret, P, account_id, "access", scope, self.access_ttl if ttl is None else ttl,
                           self.token_prefix)

    def currency(self, account: Account) -> str:
        return str(self.settings_of(account).get("currency", "USD"))

    def scale(self, account: Account) -> float:
        return 1.5 if minor_unit(self.currency(account)) == 0 else 1.0

    def ids(self, account: Account) -> dict[str, str]:
        cid = self.customer_id(account)
        keys = {k for ad in GOOGLE_PLAN for k in (ad.campaign, ad.adset, ad.key)}
        return {k: str(int(hashlib.sha256(f"{cid}:{k}".encode()).hexdigest(), 16) % 10**11) for k in keys}

    def customer_node(self, account: Account) -> dict:
        cid, s = self.customer_id(account), self.settings_of(account)
        return {"resourceName": f"customers/{cid}", "id": cid, "descriptiveName": f"{account.name} — Google Ads",
                "currencyCode": self.currency(account), "timeZone": s.get("time_zone", "America/Los_Angeles"),
                "manager": False, "status": s.get("status", "ENABLED")}

    # ---------------------------------------------------------------- rows (full; projected per query)
    def _nodes(self, account: Account, ad) -> dict:
        cid, ids = self.customer_id(account), self.ids(account)
        today, first = self.today(), start(self.today())
        status = "ENABLED" if (today - first).days <= ad.last else "PAUSED"
        camp, group, ad_id = ids[ad.campaign], ids[ad.adset], ids[ad.key]
        return {
            "campaign": {"resourceName": f"customers/{cid}/campaigns/{camp}", "id": camp, "name": ad.campaign_name,
                         "status": status, "advertisingChannelType": ad.objective},
            "adGroup": {"resourceName": f"customers/{cid}/adGroups/{group}", "id": group, "name": ad.adset_name,
                        "status": status},
            "adGroupAd": {"resourceName": f"customers/{cid}/adGroupAds/{group}~{ad_id}", "status": status,
                          "ad": {"resourceName": f"customers/{cid}/ads/{ad_id}", "id": ad_id, "name": ad.name,
                                 "type": ad.kind}},
        }

    def campaign_rows(self, account: Account) -> list[dict]:
        if self.settings_of(account).get("empty"):
            return []
        cid, cur, rows, seen = self.customer_id(account), self.currency(account), [], set()
        for ad in GOOGLE_PLAN:
            if ad.campaign in seen:
                continue
            seen.add(ad.campaign)
            node = self._nodes(account, ad)["campaign"]
            daily = sum(a.spend for a in GOOGLE_PLAN if a.campaign == ad.campaign) * self.scale(account)
            micros = int(daily) * 10 ** (6 - minor_unit(cur))
            rows.append({"campaign": node, "campaignBudget": {
                "resourceName": f"customers/{cid}/campaignBudgets/{node['id']}", "amountMicros": str(micros)}})
        return rows

    def ad_rows(self, account: Account) -> list[dict]:
        if self.settings_of(account).get("empty"):
            return []
        return [self._nodes(account, ad) for ad in GOOGLE_PLAN]

    def ad_numbers(self, account: Account) -> list[AdNumbers]:
        if self.settings_of(account).get("empty"):
            return []
        return google_ad_days(account.persona, self.today(), self.scale(account))

    def metric_rows(self, account: Account, since: date, until: date) -> list[dict]:
        """One row per ad and day (tests replace this to send chosen rows)."""
        cur = self.currency(account)
        unit = minor_unit(cur)
        rows = []
        for n in self.ad_numbers(account):
            if not since <= n.day <= until or not n.impressions:
                continue
            rows.append({**self._nodes(account, n.ad), "segments": {"date": n.day.isoformat()}, "metrics": {
                "costMicros": str(n.spend * 10 ** (6 - unit)), "impressions": str(n.impressions),
                "clicks": str(n.clicks), "conversions": float(n.purchases),
                # A double, as Google writes it: the shortest digits that read back as the amount.
                "conversionsValue": float(Decimal(n.value).scaleb(-unit))}})
        return rows

    # ---------------------------------------------------------------- GAQL
    def _query_error(self, code: str, message: str) -> ApiError:
        return ApiError(self.failure(400, "queryError", code, message))

    def parse(self, query: str) -> tuple[str, list[str], tuple[date, date] | None, list[tuple[str, str, list[str]]],
                                        int | None]:
        m = _QUERY.match(query or "")
        if not m:
            raise self._query_error("QUERY_ERROR", "Error in query: expected SELECT <fields> FROM <resource>.")
        resource = m["resource"].lower()
        if resource not in SELECTABLE:
            raise self._query_error("BAD_RESOURCE_TYPE_IN_FROM_CLAUSE", f"Unrecognized resource: '{resource}'.")
        fields = [f.strip() for f in m["fields"].split(",")]
        for f in fields:
            if f not in _KNOWN:
                raise self._query_error("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{f}'.")
            if f not in SELECTABLE[resource]:
                raise self._query_error("PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE",
                                        f"'{f}' cannot be selected when the FROM clause is '{resource}'.")
        span, conditions = None, []
        where = m["where"] or ""
        found = _BETWEEN.search(where)
        if found:
            try:
                span = (date.fromisoformat(found[1]), date.fromisoformat(found[2]))
            except ValueError:
                raise self._query_error("INVALID_VALUE_WITH_BETWEEN_OPERATOR",
                                        "The dates given to BETWEEN are not valid dates.") from None
            where = where[:found.start()] + where[found.end():]
        for part in (p for p in re.split(r"\s+AND\s+", where, flags=re.I) if p.strip()):
            c = _CONDITION.match(part)
            if not c:
                raise self._query_error("QUERY_ERROR", f"Error in query: cannot read the condition '{part.strip()}'.")
            if c[1] not in SELECTABLE[resource]:
                raise self._query_error("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{c[1]}'.")
            values = [q or bare for q, bare in re.findall(r"'([^']*)'|([\w.-]+)", c[3])]  # 'ENABLED' or 123
            conditions.append((c[1], c[2].upper(), values))
        if "segments.date" in fields and span is None:
            raise self._query_error("EXPECTED_FILTERS_ON_DATE_RANGE", "Filters on date/week/month/quarter/year date "
                                    "ranges must be applied when they are selected.")
        return resource, fields, span, conditions, int(m["limit"]) if m["limit"] else None

    @staticmethod
    def project(row: dict, fields: list[str]) -> dict:
        """Only what was selected (and each selected object's resourceName), as Google answers."""
        out: dict = {}
        for f in fields:
            path, node, target = path_of(f), row, out
            for key in path[:-1]:
                node = node.get(key) if isinstance(node, dict) else None
                target = target.setdefault(key, {})
                if isinstance(node, dict) and "resourceName" in node:
                    target.setdefault("resourceName", node["resourceName"])
            if isinstance(node, dict) and path[-1] in node:
                target[path[-1]] = node[path[-1]]
        return out

    @staticmethod
    def _value(row: dict, field: str) -> Any:
        node: Any = row
        for key in path_of(field):
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def manager_rows(self, account: Account, resource: str, fields: list[str]) -> list[dict]:
        """What a manager answers: itself, its client links (itself at level 0, the artist's customer at
        level 1), no campaigns of its own, and never metrics."""
        if any(f.startswith("metrics.") for f in fields):
            raise self._query_error("REQUESTED_METRICS_FOR_MANAGER", "Metrics cannot be requested for a manager "
                                    "account. To retrieve metrics, issue separate requests against each client "
                                    "account under the manager account.")
        mid, own = self.manager_id(account), self.customer_node(account)
        node = {**own, "resourceName": f"customers/{mid}", "id": mid, "manager": True,
                "descriptiveName": f"{account.name} — agency"}
        if resource == "customer":
            return [{"customer": node}]
        if resource != "customer_client":
            return []
        return [{"customerClient": {"resourceName": f"customers/{mid}/customerClients/{c['id']}",
                                    "clientCustomer": f"customers/{c['id']}", "id": c["id"], "level": str(level),
                                    **{k: c[k] for k in ("descriptiveName", "currencyCode", "timeZone", "manager",
                                                         "status")}}} for level, c in ((0, node), (1, own))]

    def rows_for(self, account: Account, query: str, as_manager: bool = False) -> tuple[list[dict], list[str]]:
        resource, fields, span, conditions, limit = self.parse(query)
        if as_manager:
            rows = self.manager_rows(account, resource, fields)
        else:
            rows = self.customer_rows(account, resource, fields, span)
        for field, op, values in conditions:
            keep = op in ("=", "IN")
            rows = [r for r in rows if (str(self._value(r, field)) in values) == keep]
        return [self.project(r, fields) for r in rows[:limit]], fields

    def customer_rows(self, account: Account, resource: str, fields: list[str],
                      span: tuple[date, date] | None) -> list[dict]:
        if self.settings_of(account).get("status", "ENABLED") != "ENABLED":
            raise ApiError(self.failure(403, "authorizationError", "CUSTOMER_NOT_ENABLED", "The customer account "
                                        "can't be accessed because it is not yet enabled or has been deactivated."))
        if span is None and resource == "ad_group_ad" and any(f in _METRICS for f in fields):
            raise self._query_error("EXPECTED_FILTERS_ON_DATE_RANGE", "Metrics need a date range here.")
        if resource == "customer":
            return [{"customer": self.customer_node(account)}]
        if resource == "customer_client":  # a customer with ads of its own has no clients
            return []
        if resource == "campaign":
            return self.campaign_rows(account)
        return self.ad_rows(account) if span is None else self.metric_rows(account, *span)

    # ---------------------------------------------------------------- routes
    def _developer_token(self, request: Request, version: str) -> None:
        expected = get_settings().google_ads_developer_token or DEMO_GOOGLE_ADS_DEVELOPER_TOKEN
        if request.headers.get("developer-token", "") != expected:
            raise ApiError(self.failure(401, "authenticationError", "DEVELOPER_TOKEN_INVALID",
                                        "The developer token is not valid.", version=version))
        if self.token_access != "basic":
            raise ApiError(self.failure(403, "authorizationError", "DEVELOPER_TOKEN_NOT_APPROVED",
                                        "The developer token is only approved for use with test accounts. To access "
                                        "non-test accounts, apply for Basic or Standard access.", version=version))

    async def _account(self, request: Request) -> Account:
        version = request.path_params["version"]
        if not re.fullmatch(r"v(\d+)", version) or int(version[1:]) < 18:
            raise ApiError(JSONResponse({"error": {"code": 404, "message": f"Version {version} is not served.",
                                                   "status": "NOT_FOUND"}}, status_code=404))
        self.requests.append({"path": request.url.path, "method": request.method,
                              "developer_token": request.headers.get("developer-token"),
                              "login_customer_id": request.headers.get("login-customer-id"),
                              "bearer": request.headers.get("authorization", "").lower().startswith("bearer ")})
        self._developer_token(request, version)
        return (await self.caller(request, need=ADWORDS)).account

    async def list_accessible(self, request: Request) -> Response:
        account = await self._account(request)
        return JSONResponse({"resourceNames": [f"customers/{self.manager_id(account) or self.customer_id(account)}"]})

    async def search_stream(self, request: Request) -> Response:
        account = await self._account(request)
        mine, manager = self.customer_id(account), self.manager_id(account)
        login, asked = request.headers.get("login-customer-id"), request.path_params["customer"]
        # Reached directly: the customer itself. Through a manager: login-customer-id must name it.
        allowed = {manager: {None, manager}, mine: {manager}} if manager else {mine: {None, mine}}
        if login not in allowed.get(asked, set()):
            raise ApiError(self.failure(403, "authorizationError", "USER_PERMISSION_DENIED", "User doesn't have "
                                        "permission to access customer. Note: If you're accessing a client customer, "
                                        "the manager's customer id must be set in the 'login-customer-id' header."))
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            raise ApiError(self.failure(400, "requestError", "INVALID_INPUT", "The request body needs a 'query'."))
        self.requests[-1]["query"] = body["query"]
        rows, fields = await self.store.call(self.rows_for, account, body["query"], asked == manager)
        mask = ",".join(".".join(path_of(f)) for f in fields)
        request_id = secrets.token_urlsafe(16)
        size = max(1, self.batch_size)
        batches = [{"results": rows[i:i + size], "fieldMask": mask, "requestId": request_id}
                   for i in range(0, len(rows), size)] or [{"fieldMask": mask, "requestId": request_id}]
        return JSONResponse(batches)

    async def set_batch_size(self, request: Request) -> Response:
        body = await request.json()
        self.batch_size = min(MAX_BATCH, max(1, int(body.get("size", MAX_BATCH))))
        return JSONResponse({"ok": True, "size": self.batch_size})

    async def set_developer_token(self, request: Request) -> Response:
        body = await request.json()
        access = str(body.get("access", "basic"))
        if access not in ("basic", "test"):
            return JSONResponse({"error": "access is basic or test"}, status_code=400)
        self.token_access = access
        return JSONResponse({"ok": True})

    async def set_customer(self, request: Request) -> Response:
        body = await request.json()
        account = str(body.pop("account", ""))
        if not account:
            return JSONResponse({"error": "name the account"}, status_code=400)
        self.configure(account, **{k: v for k, v in body.items() if k in ("currency", "status", "empty",
                                                                             "time_zone", "manager")})
        return JSONResponse({"ok": True})

    def _reset(self) -> None:
        super()._reset()
        self.batch_size = MAX_BATCH
        self.token_access = "basic"
        self.requests = []

    def api_routes(self) -> list[Route]:
        return [Route("/api/{version}/customers:listAccessibleCustomers", self.guarded(self.list_accessible),
                      methods=["GET"]),
                Route("/api/{version}/customers/{customer}/googleAds:searchStream", self.guarded(self.search_stream),
                      methods=["POST"])]

    def app(self, *, with_control: bool = False) -> Starlette:
        app = super().app(with_control=with_control)
        if with_control:
            app.router.routes += [Route("/_control/batch_size", self.set_batch_size, methods=["POST"]),
                                  Route("/_control/developer_token", self.set_developer_token, methods=["POST"]),
                                  Route("/_control/customer", self.set_customer, methods=["POST"])]
        return app



EMULATOR = GoogleAdsEmulator
