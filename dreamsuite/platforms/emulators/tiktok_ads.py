"""TikTok API for Business (Marketing API v1.3), emulated at `/business` on core's OAuth pieces.

- The advertiser authorises at `/portal/auth?app_id=...&redirect_uri=...&state=...` (no scope: the
  app's permissions are fixed at registration); the browser goes back with `auth_code`, `code` (the
  same value) and `state`. `POST /open_api/v1.3/oauth2/access_token/` takes JSON `{app_id, secret,
  auth_code}` and answers `data.access_token` (long-lived, no refresh token), `data.advertiser_ids`
  and `data.scope` (permission ids). An auth_code works once, for 10 minutes. `POST
  oauth2/revoke_token/` `{app_id, secret, access_token}` ends a token (40105 afterwards).
- Every call sends the token in the `Access-Token` header. Answers are the envelope `{"code",
  "message", "request_id", "data"}`, HTTP 200 even for errors: 40001 no permission for the
  advertiser, 40002 a parameter error, 40100 too many requests, 40104 no token, 40105 a token that is
  incorrect or revoked, 40110 a bad auth_code, 50000 a system error.
- `GET oauth2/advertiser/get/` (app_id, secret), `advertiser/info/` (advertiser_ids as a JSON
  list), `campaign/get/`, `adgroup/get/`, `ad/get/` and `report/integrated/get/` (BASIC, AUCTION_AD,
  dimensions `["ad_id","stat_time_day"]`, metrics a JSON list), each paged by `page` / `page_size`
  (at most 1000) with `data.page_info {page, page_size, total_number, total_page}`. A daily report
  over more than 30 days is refused (40002) as TikTok does. Metric values are strings, money with
  the currency's decimals ("12.34", "1234"); `reach` per ad and day.

Numbers come from emulators/promotion_story.py's TikTok plan. Test helpers: `configure(account_id,
currency=..., timezone=..., empty=..., status=...)` (or `/_control/advertiser`), `/_control/page_size
{"size": n}` caps every page so tests see several, `grant()` signs a token as the portal would,
`requests` keeps what each API call sent. `/_control/fail` status 429 answers code 40100, 401 40105,
403 40001, 5xx 50000.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from dreamsuite.platforms.emulators import tokens
from dreamsuite.platforms.emulators.core import ApiError, Caller, Emulator
from dreamsuite.platforms.emulators.promotion_story import (
    TIKTOK_PLAN, TIKTOK_VIDEOS, AdNumbers, start, tiktok_ad_days,
)
from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.promotion_base import minor_unit

P = "tiktok_ads"
API = "/business/open_api/v1.3"
MAX_PAGE_SIZE = 1000
MAX_DAILY_SPAN = 30
TOKEN_TTL = 10 * 365 * 86400  # TikTok's advertiser tokens do not expire
PERMISSIONS = [1, 2, 3, 4, 5]  # the app's permission ids (ad account, ads, reporting...)
_CODES = {400: 40002, 401: 40105, 403: 40001, 429: 40100}
_MESSAGES = {40001: "No permission to operate advertiser.", 40002: "Invalid parameters.",
             40100: "Too many requests. Please retry in some time.",
             40105: "Access token is incorrect or has been revoked.", 50000: "System error."}


def digits(*parts: object, n: int = 19) -> str:
    """A TikTok-looking numeric id, stable per input."""
    value = int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")
    return str(7 * 10 ** (n - 1) + value % 10 ** (n - 1))


def amount_text(minor: int, currency: str) -> str:
    """An amount in minor units as TikTok writes metrics: with the currency's decimals ("12.30")."""
    return format(Decimal(minor).scaleb(-minor_unit(currency)), f".{minor_unit(currency)}f")


class TikTokAdsEmulator(Emulator):
    platform = P
    label = "TikTok for Business"
    scopes = ()
    authorize_path = "/business/portal/auth"
    token_path = f"{API}/oauth2/access_token/"
    pkce = "none"
    token_prefix = "tta"
    rate_limit = (600, 60.0)

    def __init__(self, store):
        super().__init__(store)
        self.page_cap = MAX_PAGE_SIZE
        self.requests: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- TikTok's envelope
    def envelope(self, code: int, message: str, data: dict | None = None) -> JSONResponse:
        return JSONResponse({"code": code, "message": message, "request_id": datetime.now(UTC).strftime(
            "%Y%m%d%H%M%S") + secrets.token_hex(8).upper(), "data": data if data is not None else {}})

    def ok(self, data: dict) -> JSONResponse:
        return self.envelope(0, "OK", data)

    def error(self, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        found = _CODES.get(status, 50000 if status >= 500 else 40002)
        response = self.envelope(found, message if status not in (401, 429) else _MESSAGES[found])
        response.headers.update(headers or {})
        return response

    def rate_limited(self, retry_after: int) -> Response:
        return self.envelope(40100, _MESSAGES[40100])  # no Retry-After: TikTok gives none

    def bad(self, message: str) -> ApiError:
        return ApiError(self.envelope(40002, message))

    # ---------------------------------------------------------------- advertisers
    def advertiser_id(self, account: Account) -> str:
        return digits(P, "advertiser", account.id)

    def settings_of(self, account: Account) -> dict:
        return self.store.get(f"{P}:settings:{account.id}", {})

    def configure(self, account_id: str, **settings: Any) -> None:
        self.store.put(f"{P}:settings:{account_id}", {**self.store.get(f"{P}:settings:{account_id}", {}), **settings})

    def grant(self, account_id: str, ttl: int = TOKEN_TTL) -> str:
        return tokens.sign(self.secret, P, account_id, "access", ",".join(map(str, PERMISSIONS)), ttl,
                           self.token_prefix)

    def currency(self, account: Account) -> str:
        return str(self.settings_of(account).get("currency", "USD")).upper()

    def scale(self, account: Account) -> float:
        return 1.5 if minor_unit(self.currency(account)) == 0 else 1.0

    def advertiser_node(self, account: Account) -> dict:
        s = self.settings_of(account)
        tz = str(s.get("timezone", "Europe/Berlin"))
        return {"advertiser_id": self.advertiser_id(account), "name": f"{account.name} — TikTok Ads",
                "currency": self.currency(account), "timezone": tz, "display_timezone": tz,
                "status": str(s.get("status", "STATUS_ENABLE")), "role": "ROLE_ADVERTISER",
                "create_time": 1_700_000_000}

    # ---------------------------------------------------------------- OAuth: the portal and access_token
    def _validate(self, params):
        # The portal names the client app_id and asks for no response_type or scope.
        params = {**dict(params.items()), "client_id": params.get("app_id", params.get("client_id", "")),
                  "response_type": "code", "scope": ""}
        return super()._validate(params)

    async def authorize_submit(self, request: Request) -> Response:
        response = await super().authorize_submit(request)
        location = response.headers.get("location", "")
        query = dict(parse_qsl(urlsplit(location).query))
        if "code" not in query:
            return response
        # TikTok sends the code twice: auth_code (its name) and code (for OAuth clients).
        return RedirectResponse(f"{location}&{urlencode({'auth_code': query['code']})}", status_code=302)

    async def token(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self.envelope(40002, "The request body must be JSON.")
        app_id, secret = str(body.get("app_id", "")), str(body.get("secret", ""))
        if app_id != self.client_id or not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return self.envelope(40001, "App ID or secret is invalid.")
        claims = tokens.verify(self.secret, str(body.get("auth_code", "")), P, "code")
        if claims is None or not await self.store.call(self.store.spend, claims.nonce, claims.exp):
            return self.envelope(40110, "Auth code is invalid or expired.")
        account = await self.store.call(self.store.account, P, claims.account)
        return self.ok({"access_token": self.grant(claims.account), "scope": PERMISSIONS,
                        "advertiser_ids": [self.advertiser_id(account)] if account else []})

    async def revoke(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self.envelope(40002, "The request body must be JSON.")
        app_id, secret = str(body.get("app_id", "")), str(body.get("secret", ""))
        if app_id != self.client_id or not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return self.envelope(40001, "App ID or secret is invalid.")
        token = str(body.get("access_token", ""))
        if tokens.verify(self.secret, token, P, "access") is None or await self._revoked(token):
            return self.envelope(40105, _MESSAGES[40105])
        await self.store.call(self.store.put, self._revoked_key(token), True)
        return self.ok({})

    @staticmethod
    def _revoked_key(token: str) -> str:
        return f"{P}:revoked:{hashlib.sha256(token.encode()).hexdigest()}"

    async def _revoked(self, token: str) -> bool:
        return bool(await self.store.call(self.store.get, self._revoked_key(token)))

    # ---------------------------------------------------------------- API calls
    def bearer(self, request: Request) -> str:
        return request.headers.get("access-token", "").strip()

    async def caller(self, request: Request, *, need: str | None = None, app_token_ok: bool = False) -> Caller:
        token = self.bearer(request)
        if not token:
            raise ApiError(self.envelope(40104, "Access token is null."))
        if await self._revoked(token):
            raise ApiError(self.envelope(40105, _MESSAGES[40105]))
        return await super().caller(request, need=need, app_token_ok=app_token_ok)

    async def _account(self, request: Request) -> Account:
        self.requests.append({"path": request.url.path[len(request.scope.get("root_path", "")):],
                              "method": request.method, "query": dict(request.query_params),
                              "access_token": bool(request.headers.get("access-token")),
                              "authorization": request.headers.get("authorization")})
        return (await self.caller(request)).account

    def _list(self, request: Request, name: str) -> list | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            found = json.loads(raw)
        except ValueError:
            found = None
        if not isinstance(found, list):
            raise self.bad(f"{name}: Not a valid list.")
        return found

    def _mine(self, request: Request, account: Account) -> None:
        asked = request.query_params.get("advertiser_id", "")
        if not asked:
            raise self.bad("advertiser_id: Missing data for required field.")
        if asked != self.advertiser_id(account):
            raise ApiError(self.envelope(40001, f"No permission to operate advertiser {asked}."))

    def paged(self, request: Request, items: list[dict]) -> dict:
        try:
            page = int(request.query_params.get("page", "1"))
            size = int(request.query_params.get("page_size", "10"))
        except ValueError:
            raise self.bad("page and page_size must be integers.") from None
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            raise self.bad(f"page_size: Must be between 1 and {MAX_PAGE_SIZE}." if page >= 1 else
                           "page: Must be greater than or equal to 1.")
        size = min(size, self.page_cap)
        return {"list": items[(page - 1) * size:page * size],
                "page_info": {"page": page, "page_size": size, "total_number": len(items),
                              "total_page": math.ceil(len(items) / size)}}

    def _fields(self, request: Request, items: list[dict]) -> list[dict]:
        fields = self._list(request, "fields")
        return [{k: v for k, v in i.items() if k in fields} for i in items] if fields else items

    async def advertisers_of_app(self, request: Request) -> Response:
        account = await self._account(request)
        q = request.query_params
        if q.get("app_id") != self.client_id or not hmac.compare_digest(q.get("secret", "").encode(),
                                                                       self.client_secret.encode()):
            return self.envelope(40001, "App ID or secret is invalid.")
        node = self.advertiser_node(account)
        return self.ok({"list": [{"advertiser_id": node["advertiser_id"], "advertiser_name": node["name"]}]})

    async def advertiser_info(self, request: Request) -> Response:
        account = await self._account(request)
        ids = self._list(request, "advertiser_ids")
        if not ids:
            raise self.bad("advertiser_ids: Missing data for required field.")
        mine = self.advertiser_id(account)
        other = next((str(i) for i in ids if str(i) != mine), None)
        if other:
            return self.envelope(40001, f"No permission to operate advertiser {other}.")
        return self.ok({"list": self._fields(request, [self.advertiser_node(account)])})

    async def objects(self, request: Request) -> Response:
        account = await self._account(request)
        self._mine(request, account)
        kind = request.url.path.rstrip("/").rsplit("/", 2)[-2]
        items = (await self.store.call(self.structure, account))[kind]
        return self.ok(self.paged(request, self._fields(request, items)))

    async def report(self, request: Request) -> Response:
        account = await self._account(request)
        self._mine(request, account)
        q = request.query_params
        if q.get("report_type") != "BASIC":
            raise self.bad("report_type: This emulator serves BASIC reports.")
        if q.get("data_level") != "AUCTION_AD":
            raise self.bad("data_level: This emulator serves AUCTION_AD.")
        dims, metrics = self._list(request, "dimensions"), self._list(request, "metrics") or ["spend"]
        if dims != ["ad_id", "stat_time_day"]:
            raise self.bad('dimensions: This emulator serves ["ad_id", "stat_time_day"].')
        unknown = [m for m in metrics if m not in REPORT_METRICS]
        if unknown:
            raise self.bad(f"metrics: Invalid metric {unknown[0]!r}.")
        try:
            since, until = date.fromisoformat(q["start_date"]), date.fromisoformat(q["end_date"])
        except (KeyError, ValueError):
            raise self.bad("start_date and end_date: Required, in the format YYYY-MM-DD.") from None
        if since > until:
            raise self.bad("start_date: Must be earlier than or equal to end_date.")
        if (until - since).days + 1 > MAX_DAILY_SPAN:
            raise self.bad(f"The time span between start_date and end_date cannot exceed {MAX_DAILY_SPAN} days "
                           "when stat_time_day is used as a dimension.")
        rows = await self.store.call(self.report_rows, account, since, until)
        wanted = [{"dimensions": r["dimensions"], "metrics": {k: v for k, v in r["metrics"].items() if k in metrics}}
                  for r in rows]
        return self.ok(self.paged(request, wanted))

    # ---------------------------------------------------------------- the story, in TikTok's shapes
    def ids(self, account: Account) -> dict[str, str]:
        adv = self.advertiser_id(account)
        keys = {k for ad in TIKTOK_PLAN for k in (ad.campaign, ad.adset, ad.key)}
        return {**{k: digits(adv, k) for k in keys},
                **{f"video:{v}": f"v10044g50000{digits(adv, v, n=12)}" for v in set(TIKTOK_VIDEOS.values())},
                **{f"item:{v}": digits(adv, "item", v) for v in set(TIKTOK_VIDEOS.values())}}

    def structure(self, account: Account) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {"campaign": [], "adgroup": [], "ad": []}
        if self.settings_of(account).get("empty"):
            return out
        ids, today, cur = self.ids(account), self.today(), self.currency(account)
        first, seen = start(today), set()
        for ad in TIKTOK_PLAN:
            on = (today - first).days <= ad.last
            created = datetime.combine(first + timedelta(days=ad.first), time(9), UTC).strftime("%Y-%m-%d %H:%M:%S")
            budget = amount_text(int(ad.spend * 1.3 * self.scale(account)) // 100 * 100, cur)
            if ad.campaign not in seen:
                seen.add(ad.campaign)
                out["campaign"].append({
                    "campaign_id": ids[ad.campaign], "campaign_name": ad.campaign_name, "objective_type": ad.objective,
                    "operation_status": "ENABLE" if on else "DISABLE", "budget_mode": "BUDGET_MODE_INFINITE",
                    "budget": 0.0, "secondary_status": "CAMPAIGN_STATUS_ENABLE" if on else "CAMPAIGN_STATUS_DISABLE",
                    "create_time": created, "advertiser_id": self.advertiser_id(account)})
            if ad.adset not in seen:
                seen.add(ad.adset)
                out["adgroup"].append({
                    "adgroup_id": ids[ad.adset], "adgroup_name": ad.adset_name, "campaign_id": ids[ad.campaign],
                    "operation_status": "ENABLE" if on else "DISABLE", "budget_mode": "BUDGET_MODE_DAY",
                    "budget": float(budget),
                    "secondary_status": "ADGROUP_STATUS_DELIVERY_OK" if on else "ADGROUP_STATUS_CAMPAIGN_DISABLE",
                    "create_time": created})
            video = TIKTOK_VIDEOS[ad.key]
            spark = ad.kind == "SPARK"
            out["ad"].append({
                "ad_id": ids[ad.key], "ad_name": ad.name, "adgroup_id": ids[ad.adset], "campaign_id": ids[ad.campaign],
                "operation_status": "ENABLE" if on else "DISABLE",
                "secondary_status": "AD_STATUS_DELIVERY_OK" if on else "AD_STATUS_CAMPAIGN_DISABLE",
                "ad_format": "SINGLE_VIDEO", "ad_text": f"{ad.campaign_name}: {ad.name}",
                "video_id": None if spark else ids[f"video:{video}"],
                "tiktok_item_id": ids[f"item:{video}"] if spark else None,
                "identity_type": "AUTH_CODE" if spark else "CUSTOMIZED_USER", "create_time": created})
        return out

    def ad_numbers(self, account: Account) -> list[AdNumbers]:
        """The story's rows for this advertiser (tests replace this to send chosen numbers)."""
        if self.settings_of(account).get("empty"):
            return []
        return tiktok_ad_days(account.persona, self.today(), self.scale(account))

    def report_rows(self, account: Account, since: date, until: date) -> list[dict]:
        ids, cur = self.ids(account), self.currency(account)
        rows = []
        for n in sorted((n for n in self.ad_numbers(account) if since <= n.day <= until),
                        key=lambda n: (n.day, ids[n.ad.key])):
            rows.append({"dimensions": {"ad_id": ids[n.ad.key], "stat_time_day": f"{n.day.isoformat()} 00:00:00"},
                         "metrics": {"campaign_id": ids[n.ad.campaign], "campaign_name": n.ad.campaign_name,
                                     "adgroup_id": ids[n.ad.adset], "adgroup_name": n.ad.adset_name,
                                     "ad_name": n.ad.name, "spend": amount_text(n.spend, cur),
                                     "impressions": str(n.impressions), "clicks": str(n.clicks), "reach": str(n.reach),
                                     "frequency": f"{n.impressions / n.reach:.2f}",
                                     "ctr": f"{100 * n.clicks / n.impressions:.2f}" if n.impressions else "0.00",
                                     "conversion": str(n.purchases), "complete_payment": str(n.purchases),
                                     "total_complete_payment_rate": amount_text(n.value, cur)}})
        return rows

    # ---------------------------------------------------------------- routes and controls
    def api_routes(self) -> list[Route]:
        get = ["GET"]
        return [Route(f"{API}/oauth2/revoke_token/", self.guarded(self.revoke), methods=["POST"]),
                Route(f"{API}/oauth2/advertiser/get/", self.guarded(self.advertisers_of_app), methods=get),
                Route(f"{API}/advertiser/info/", self.guarded(self.advertiser_info), methods=get),
                *(Route(f"{API}/{kind}/get/", self.guarded(self.objects), methods=get)
                  for kind in ("campaign", "adgroup", "ad")),
                Route(f"{API}/report/integrated/get/", self.guarded(self.report), methods=get)]

    async def set_page_size(self, request: Request) -> Response:
        body = await request.json()
        self.page_cap = min(MAX_PAGE_SIZE, max(1, int(body.get("size", MAX_PAGE_SIZE))))
        return JSONResponse({"ok": True, "size": self.page_cap})

    async def set_advertiser(self, request: Request) -> Response:
        body = await request.json()
        account = str(body.pop("account", ""))
        if not account:
            return JSONResponse({"error": "name the account"}, status_code=400)
        self.configure(account, **{k: v for k, v in body.items() if k in ("currency", "timezone", "empty", "status")})
        return JSONResponse({"ok": True})

    def _reset(self) -> None:
        super()._reset()
        self.page_cap = MAX_PAGE_SIZE
        self.requests = []

    def app(self, *, with_control: bool = False) -> Starlette:
        app = super().app(with_control=with_control)
        if with_control:
            app.router.routes += [Route("/_control/page_size", self.set_page_size, methods=["POST"]),
                                  Route("/_control/advertiser", self.set_advertiser, methods=["POST"])]
        return app


REPORT_METRICS = {"campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name", "spend", "impressions",
                  "clicks", "reach", "frequency", "ctr", "conversion", "complete_payment",
                  "total_complete_payment_rate"}

EMULATOR = TikTokAdsEmulator
